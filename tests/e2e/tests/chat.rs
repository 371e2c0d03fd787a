//! The Chat view in the real app: an answer full of hostile markup runs nothing and navigates
//! nowhere; a fast stream (10,000 chunks at 2,000 a second, tool calls between them) keeps the
//! page responsive; a 500-turn conversation opens quickly, scrolls without long blocks and can be
//! searched; the view follows a stream until the user scrolls up; an agent's run fails on a rate
//! limit and succeeds on Retry.
//! Run: `cargo test -p portdesk-e2e --features e2e --test chat -- --test-threads=1 --nocapture`.

use std::time::{Duration, Instant};

use history::HistoryStore;
use portdesk_e2e::{App, Dirs, Login, Result};
use serde_json::Value;

const STREAM_TIMEOUT: Duration = Duration::from_secs(30);

/// Starts the heartbeat: a 10 ms timer that records how late it fires. WebKit has no Long Tasks
/// API; a timer that fires late is the main thread having been busy.
async fn start_heartbeat(app: &App) -> Result<()> {
    app.eval(
        "const hb = { max: 0, over50: 0, ticks: 0, last: performance.now(), lates: [] };\
         window.__heartbeat = hb;\
         const tick = () => {\
           const now = performance.now();\
           const late = now - hb.last - 10;\
           if (late > hb.max) hb.max = late;\
           if (late > 50) hb.over50++;\
           if (late > 16) hb.lates.push([Math.round(now), Math.round(late)]);\
           hb.ticks++; hb.last = now;\
           hb.timer = setTimeout(tick, 10);\
         };\
         hb.timer = setTimeout(tick, 10);\
         return null;",
    )
    .await?;
    Ok(())
}

/// Stops the heartbeat: (longest block ms, blocks over 50 ms, ticks, the late ticks).
async fn stop_heartbeat(app: &App) -> Result<(f64, u64, u64, Value)> {
    let v = app
        .eval(
            "const hb = window.__heartbeat; clearTimeout(hb.timer);\
             return [hb.max, hb.over50, hb.ticks, hb.lates.filter(l => l[1] > 40).map(l => [l[0] - (window.__sentAt || 0), l[1]])];",
        )
        .await?;
    Ok((
        v[0].as_f64().unwrap_or(f64::NAN),
        v[1].as_u64().unwrap_or(0),
        v[2].as_u64().unwrap_or(0),
        v[3].clone(),
    ))
}

/// The machine's 1-minute load average: the figures are only comparable at similar load.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn memory_line(app: &App) -> Result<String> {
    let (total, processes) = app.resident_kib()?;
    Ok(format!(
        "{:.1} MiB PSS in total (RSS: {})",
        mib(total),
        processes
            .iter()
            .map(|(n, k)| format!("{n} {:.1} MiB", mib(*k)))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

#[tokio::test]
async fn hostile_markup_in_an_answer_runs_nothing_and_navigates_nowhere() -> Result<()> {
    let dirs = Dirs::new()?;
    let app = App::launch(&dirs, &["--demo"], &[]).await?;
    app.wait_for("prompt-input", Duration::from_secs(30))
        .await?;
    let before = app.eval("return [document.title, location.href];").await?;

    app.ask("[xss] Show me the report").await?;
    app.wait_for_run_status("completed", STREAM_TIMEOUT).await?;
    let answer = app.text("answer").await?;
    assert!(
        answer.contains("That is all."),
        "the whole answer: {answer}"
    );
    assert!(answer.contains("safe link"), "{answer}");

    // Nothing of the markup became live DOM.
    let report = app
        .eval(
            "const a = document.querySelector('[data-testid=\"answer\"]');\
             const live = [...a.querySelectorAll('script, iframe, img, svg, object, embed, frame, form, input, style, link, meta, base')]\
               .filter(e => !e.closest('button'));\
             const handlers = [...a.querySelectorAll('*')].flatMap(e => [...e.attributes].map(x => x.name)).filter(n => n.startsWith('on'));\
             const urls = [...a.querySelectorAll('[href], [src], [srcdoc], [action], [formaction]')]\
               .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('srcdoc') || '')\
               .filter(u => !u.startsWith('https://'));\
             const links = [...a.querySelectorAll('a')].map(e => e.getAttribute('href'));\
             const code = a.querySelector('pre code');\
             return { live: live.length, handlers, urls, links,\
               codeText: code ? code.textContent : null,\
               highlighted: a.querySelectorAll('pre code [class^=\"hljs-\"]').length,\
               copy: a.querySelectorAll('[data-testid=\"code-copy\"]').length };",
        )
        .await?;
    assert_eq!(report["live"], 0, "live elements: {report}");
    assert_eq!(report["handlers"], Value::Array(vec![]), "{report}");
    assert_eq!(report["urls"], Value::Array(vec![]), "{report}");
    assert_eq!(
        report["links"],
        serde_json::json!(["https://docs.port.io/ai-interfaces/overview"]),
        "only the https link is a link: {report}"
    );
    assert!(
        report["codeText"]
            .as_str()
            .is_some_and(|t| t.contains("<script>")),
        "the fenced code is shown as text: {report}"
    );
    assert!(
        report["highlighted"].as_u64().unwrap_or(0) > 0,
        "code is highlighted: {report}"
    );
    assert_eq!(report["copy"], 1, "a copy button on the code block");

    // Clicking what the hostile links became does nothing either.
    app.eval(
        "document.querySelectorAll('[data-testid=\"answer\"] .md-link-inert').forEach(e => e.click()); return null;",
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = app
        .eval("return [document.title, location.href, window.__pwned === undefined, document.querySelectorAll('iframe').length];")
        .await?;
    assert_eq!(after[0], before[0], "the title is untouched");
    assert_eq!(after[1], before[1], "the app did not navigate");
    assert_eq!(after[2], Value::Bool(true), "no payload ran");
    assert_eq!(after[3], 0, "no frame anywhere");
    app.painted_screenshot("chat-01-xss-answer").await?;
    app.quit().await
}

#[tokio::test]
async fn a_fast_stream_with_tool_calls_keeps_the_page_responsive() -> Result<()> {
    let dirs = Dirs::new()?;
    let app = App::launch(&dirs, &["--demo"], &[]).await?;
    app.wait_for("prompt-input", Duration::from_secs(30))
        .await?;
    // Start-up over (first paint reported, the markdown chunk loaded) before measuring.
    app.first_paint_ms().await?;
    tokio::time::sleep(Duration::from_secs(2)).await;

    app.type_into(
        "prompt-input",
        "[bench-chat 10000 2000] Stream a long answer",
    )
    .await?;
    start_heartbeat(&app).await?;
    app.eval("window.__sentAt = performance.now(); document.querySelector('[data-testid=\"send-button\"]').click(); return null;")
        .await?;
    app.wait_for_run_status("completed", Duration::from_secs(120))
        .await?;
    let figures = app
        .wait_until("the end painted", STREAM_TIMEOUT, || async {
            let v = app
                .eval(
                    "const f = window.__PORTDESK_CHAT__;\
                     return f && f.endPaintedAt !== null && f.doneAt !== null\
                       ? [f.doneAt - window.__sentAt, f.endPaintedAt - f.doneAt] : null;",
                )
                .await?;
            Ok(v.as_array().map(|a| {
                a.iter()
                    .map(|x| x.as_f64().unwrap_or(f64::NAN))
                    .collect::<Vec<_>>()
            }))
        })
        .await?;
    let (max_block, over50, ticks, lates) = stop_heartbeat(&app).await?;

    // textContent: innerText leaves out the blocks off screen (content-visibility skips them).
    let answer = app
        .eval("return document.querySelector('[data-testid=\"answer\"]').textContent;")
        .await?;
    let answer = answer.as_str().unwrap_or_default();
    assert!(answer.contains("Section 10"), "the whole answer arrived");
    assert!(answer.contains("word9998"), "the last chunks arrived");
    // The answer's blocks were parsed in the markdown worker, not on the page.
    let in_worker = app
        .eval("return window.__PORTDESK_CHAT__.blocksParsedInWorker;")
        .await?
        .as_u64()
        .unwrap_or(0);
    assert!(in_worker >= 100, "blocks parsed in the worker: {in_worker}");
    // Nobody scrolled: the view followed the answer to its end.
    let below = app.transcript_below().await?;
    assert!(
        below < 48.0,
        "the view stopped following the stream {below} px above its end"
    );
    let calls = app.find_all("tool-call").await?;
    assert_eq!(calls.len(), 10, "a tool call every 1,000 chunks");
    for call in &calls {
        assert_eq!(call.attr("data-state").await?.as_deref(), Some("complete"));
    }
    println!(
        "figure: 10,000 answer chunks at 2,000/s with 10 tool calls: stream {:.0} ms (send to done), \
         longest main-thread block {max_block:.0} ms, blocks over 50 ms: {over50}, heartbeat ticks {ticks}, \
         done to final render {:.0} ms, {in_worker} blocks parsed in the worker (load average {} on {} cores)",
        figures[0],
        figures[1],
        load_average(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    eprintln!("e2e: main-thread blocks over 40 ms [ms after send, ms late]: {lates}");
    app.painted_screenshot("chat-02-fast-stream-end").await?;
    app.quit().await
}

/// The view follows a stream to its end on its own, lets go the moment the user pages up
/// (the stream goes on growing below what they read), and follows again from "Jump to latest"
/// and from the next prompt.
#[tokio::test]
async fn the_view_follows_a_stream_until_the_user_scrolls_up() -> Result<()> {
    let dirs = Dirs::new()?;
    let app = App::launch(&dirs, &["--demo"], &[]).await?;
    app.wait_for("prompt-input", Duration::from_secs(30))
        .await?;
    app.ask("[bench-chat 3000 300] Stream a long answer slowly")
        .await?;
    // Three screens of answer so far, and the view at its end.
    app.wait_until("three screens of answer", STREAM_TIMEOUT, || async {
        let v = app
            .eval("const v = document.querySelector('[data-testid=\"chat-scroll\"]'); return v.scrollHeight > 3 * v.clientHeight;")
            .await?;
        Ok((v == Value::Bool(true)).then_some(()))
    })
    .await?;
    let below = app.transcript_below().await?;
    assert!(
        below < 48.0,
        "following while streaming: {below} px above the end"
    );

    app.page_up_transcript().await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let scroll_top = "return document.querySelector('[data-testid=\"chat-scroll\"]').scrollTop;";
    let read_at = app.eval(scroll_top).await?.as_f64().unwrap_or(f64::NAN);
    app.wait_for_run_status("completed", STREAM_TIMEOUT).await?;
    let left_at = app.eval(scroll_top).await?.as_f64().unwrap_or(f64::NAN);
    let below = app.transcript_below().await?;
    assert!(
        below > 2_000.0,
        "the stream grew below the view the user scrolled up: {below} px below it"
    );
    assert!(
        (left_at - read_at).abs() < 300.0,
        "the view stayed where the user put it: from {read_at} px to {left_at} px"
    );
    app.painted_screenshot("chat-09-scrolled-up-mid-stream")
        .await?;

    // "Jump to latest" brings the view to the end and following back.
    app.click("jump-to-latest").await?;
    app.wait_until("the view at the end", Duration::from_secs(5), || async {
        Ok((app.transcript_below().await? < 48.0).then_some(()))
    })
    .await?;
    assert!(
        app.find_all("jump-to-latest").await?.is_empty(),
        "the button goes once the view is at the end"
    );

    app.ask("[bench-chat 2000 1000] Another long answer")
        .await?;
    app.wait_for_turns(2, "completed", STREAM_TIMEOUT).await?;
    let below = app
        .wait_until(
            "the view at the new answer's end",
            Duration::from_secs(5),
            || async {
                let below = app.transcript_below().await?;
                Ok((below < 48.0).then_some(below))
            },
        )
        .await?;
    assert!(below < 48.0, "a new prompt follows again");
    app.quit().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_turn_conversation_opens_fast_scrolls_and_finds() -> Result<()> {
    let dirs = Dirs::new()?;
    let data = dirs.data();
    tokio::task::spawn_blocking(move || -> Result<()> {
        let store = HistoryStore::open_in(&data)?;
        history::seed::seed_conversation(&store, "long-conversation", 500, 24)?;
        Ok(())
    })
    .await??;

    let app = App::launch(&dirs, &["--demo"], &[]).await?;
    app.wait_for("prompt-input", Duration::from_secs(30))
        .await?;
    app.first_paint_ms().await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let fresh = memory_line(&app)?;

    // Open the conversation from History: the newest of its invocations is the first row.
    app.click("nav-history").await?;
    app.wait_for("history-row", STREAM_TIMEOUT).await?;
    app.wait_for("history-continue", STREAM_TIMEOUT).await?;
    let mut opens = Vec::new();
    for round in 0..3 {
        if round > 0 {
            app.click("nav-history").await?;
            app.wait_for("history-continue", STREAM_TIMEOUT).await?;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        app.eval(
            "window.__PORTDESK_CHAT__ = undefined; window.__openAt = performance.now();\
             document.querySelector('[data-testid=\"history-continue\"]').click(); return null;",
        )
        .await?;
        let (ms, rendered) = app
            .wait_until("the conversation painted", STREAM_TIMEOUT, || async {
                let v = app
                    .eval(
                        "const f = window.__PORTDESK_CHAT__;\
                         return f && f.turns === 500 ? [f.turnsPaintedAt - window.__openAt, f.turnsRendered] : null;",
                    )
                    .await?;
                Ok(v.as_array().map(|a| {
                    (
                        a[0].as_f64().unwrap_or(f64::NAN),
                        a[1].as_u64().unwrap_or(u64::MAX),
                    )
                }))
            })
            .await?;
        eprintln!("e2e: open #{round}: {ms:.0} ms, {rendered} turns in the DOM");
        assert!(rendered < 20, "virtualized: {rendered} turns rendered");
        opens.push(ms);
    }
    app.painted_screenshot("chat-03-500-turns-bottom").await?;

    // Scroll up a screenful a frame for 240 frames (a fast fling through ~100 turns), with the
    // heartbeat running. Each step is a wheel turned up, then the scroll it makes.
    start_heartbeat(&app).await?;
    let started = Instant::now();
    let covered = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             const view = document.querySelector('[data-testid=\"chat-scroll\"]');\
             let frames = 0;\
             const step = () => {\
               view.dispatchEvent(new WheelEvent('wheel', { deltaY: -view.clientHeight, bubbles: true }));\
               view.scrollTop = Math.max(0, view.scrollTop - view.clientHeight);\
               frames++;\
               if (view.scrollTop > 0 && frames < 240) requestAnimationFrame(step);\
               else setTimeout(() => done([frames, view.scrollTop]), 100);\
             };\
             requestAnimationFrame(step);",
            vec![],
        )
        .await?;
    let scroll_time = started.elapsed();
    let (frames, left) = (
        covered[0].as_u64().unwrap_or(0),
        covered[1].as_f64().unwrap_or(-1.0),
    );
    let covered = format!("{frames} frames, {left:.0} px left above");
    let (max_block, over50, ticks, lates) = stop_heartbeat(&app).await?;
    let rendered = app
        .eval("return document.querySelectorAll('article.turn').length;")
        .await?;
    println!(
        "figure: 500-turn conversation: opens in {:.0} ms (first), {:.0} ms / {:.0} ms (again) from the click to painted; \
         scrolled up a screenful a frame ({covered}) in {scroll_time:?}: longest main-thread block {max_block:.0} ms, blocks over 50 ms: {over50}, \
         ticks {ticks}; {rendered} turns in the DOM (load average {})",
        opens[0],
        opens[1],
        opens[2],
        load_average()
    );
    eprintln!("e2e: late heartbeat ticks while scrolling [page ms, late ms]: {lates}");
    app.painted_screenshot("chat-04-500-turns-top").await?;

    // Find: a term only turn 8 has (the seed's rare term) brings that turn into view.
    app.eval(
        "document.dispatchEvent(new KeyboardEvent('keydown', { key: 'f', ctrlKey: true, bubbles: true })); return null;",
    )
    .await?;
    app.type_into("chat-find-input", history::seed::RARE_TERM)
        .await?;
    app.wait_until("the find status", STREAM_TIMEOUT, || async {
        let status = app.text("chat-find-status").await?;
        Ok(status.starts_with("Turn 1 of 1").then_some(()))
    })
    .await?;
    app.wait_until("the found turn in view", STREAM_TIMEOUT, || async {
        let v = app
            .eval(
                "const t = document.querySelector('.turn-slot.find-current');\
                 if (!t) return null;\
                 const r = t.getBoundingClientRect(); const v = document.querySelector('[data-testid=\"chat-scroll\"]').getBoundingClientRect();\
                 return r.bottom > v.top && r.top < v.bottom ? t.innerText : null;",
            )
            .await?;
        Ok(v.as_str().map(str::to_string))
    })
    .await
    .map(|text| assert!(text.contains(history::seed::RARE_TERM), "{text}"))?;
    app.painted_screenshot("chat-05-find").await?;

    tokio::time::sleep(Duration::from_secs(2)).await;
    println!(
        "figure: memory, fresh start: {fresh}; after the 500-turn conversation: {}",
        memory_line(&app)?
    );
    app.quit().await
}

/// Against a port-mock the test steers: an agent's run is refused once on a rate limit (the
/// countdown and Retry shown), Retry sends the same request as a new invocation, and that one
/// streams tool calls and an answer with a draft action to review in Port.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_run_refused_on_a_rate_limit_succeeds_on_retry() -> Result<()> {
    let server = port_mock::MockServer::start(port_mock::MockConfig::default()).await?;
    let url = server.base_url();
    let dirs = Dirs::new()?;
    let namespace = format!("dev.portdesk.e2e.chat.{}", std::process::id());
    let env = [("PORTDESK_KEYCHAIN_NAMESPACE", namespace.as_str())];

    let app = App::launch(&dirs, &[], &env).await?;
    app.connect_profile(
        "work",
        &url,
        Login::ClientSecret {
            id: "demo-client-id",
            secret: "demo-client-secret",
        },
    )
    .await?;
    app.wait_for("prompt-input", STREAM_TIMEOUT).await?;
    app.wait_until("the agents listed", STREAM_TIMEOUT, || async {
        Ok(app.select("agent-select", "incident_manager").await.ok())
    })
    .await?;

    // The limiter retries a rate limit after retryAfter a bounded number of times (issue 10):
    // one refusal more than it retries, and the run fails with the rate limit's guidance.
    for _ in 0..=quota::Policy::default().max_retries {
        server.push_fault(port_mock::Fault::RateLimited {
            shape: port_mock::ErrorShape::RateLimitType,
            status: 429,
            retry_after_secs: 4,
        });
    }
    app.ask("Open an incident for payments-api").await?;
    app.wait_for_run_status("failed", Duration::from_secs(60))
        .await?;
    let code = app
        .eval("return document.querySelector('[data-testid=\"run-status\"] [data-error-code]').getAttribute('data-error-code');")
        .await?;
    assert_eq!(code.as_str(), Some("rate_limited"));
    let countdown = app.text("retry-countdown").await?;
    assert!(
        countdown.contains("resets in"),
        "a countdown: {countdown:?}"
    );
    app.painted_screenshot("chat-06-rate-limited").await?;

    app.click("retry-button").await?;
    app.wait_for_run_status("completed", STREAM_TIMEOUT).await?;
    let turns = app
        .eval("return document.querySelectorAll('article.turn').length;")
        .await?;
    assert_eq!(turns, 2, "the retry is a new turn");
    let calls = app.find_all("tool-call").await?;
    assert!(!calls.is_empty(), "tool calls shown");
    for call in &calls {
        assert_eq!(call.attr("data-state").await?.as_deref(), Some("complete"));
    }
    app.click("tool-call-toggle").await?;
    app.wait_for("json-tree", STREAM_TIMEOUT).await?;
    let review = app
        .eval(
            "return document.querySelectorAll('[data-testid=\"answer\"] .review-in-port').length;",
        )
        .await?;
    assert!(review.as_u64().unwrap_or(0) >= 1, "a Review in Port button");
    let quota = app.text("run-quota").await?;
    assert!(quota.contains("invocations left"), "quota line: {quota}");
    app.painted_screenshot("chat-07-agent-retried").await?;
    app.eval("document.querySelector('[data-testid=\"answer\"] .review-in-port').scrollIntoView({block: 'center'}); return null;")
        .await?;
    app.painted_screenshot("chat-08-review-in-port").await?;

    // Every attempt reached Port (the first, the limiter's retries, the user's Retry), the same
    // body each time.
    let bodies: Vec<Value> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1/agent/incident_manager/invoke")
        .filter_map(|r| r.json())
        .collect();
    let attempts = quota::Policy::default().max_retries as usize + 2;
    assert_eq!(bodies.len(), attempts, "{bodies:?}");
    assert!(bodies.iter().all(|b| *b == bodies[0]), "{bodies:?}");
    assert_eq!(bodies[0]["prompt"], "Open an incident for payments-api");
    app.quit().await?;

    let _ = std::process::Command::new(portdesk_e2e::cli_binary())
        .args(["profile", "remove", "work"])
        .envs(dirs.env())
        .envs(env)
        .output();
    Ok(())
}
