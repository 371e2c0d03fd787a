//! `portdesk-cli quota`: the same figures as the app's Quota panel. Asks Port for the monthly
//! quota, records it beside what every invocation reported, and prints the window, the month
//! (days left, pace, projection) and what the limiter would do now.

use port_api::PortClient;
use quota::{format_count, Clock, Decision, QuotaBook, QuotaFigures, SystemClock, WaitReason};
use serde_json::Value;

use crate::output::{self, CliError};

pub async fn run(client: &PortClient, account: &str, json: bool) -> Result<(), CliError> {
    let fetched = client.quota_status().await;
    let book = match super::history::open_store() {
        Ok(store) => Some(QuotaBook::new(store)),
        Err(err) => {
            eprintln!("warning: no history, so only Port's monthly figures: {err}");
            None
        }
    };
    let monthly = match (&fetched, &book) {
        (Ok(monthly), _) => monthly.clone(),
        // Port unreachable: the figures recorded earlier still say something, marked as such.
        (Err(err), Some(_)) => {
            output::print_error(err);
            eprintln!("showing the figures recorded earlier");
            None
        }
        (Err(err), None) => return Err(err.clone().into()),
    };
    let now = SystemClock.now_ms();
    let figures = match &book {
        Some(book) => {
            if fetched.is_ok() {
                book.record_endpoint(account, monthly.as_ref(), now)?;
            }
            Some(book.figures(account, now)?)
        }
        None => None,
    };
    if json {
        // Port's monthly figures at the top level (as before), the panel's figures beside them.
        let mut doc = serde_json::to_value(&monthly)
            .ok()
            .filter(Value::is_object)
            .unwrap_or_else(|| serde_json::json!({}));
        if let (Some(obj), Some(f)) = (doc.as_object_mut(), &figures) {
            if let Ok(Value::Object(more)) = serde_json::to_value(f) {
                obj.extend(more);
            }
        }
        output::json_line(&doc);
        return Ok(());
    }
    match &figures {
        Some(f) => print_figures(f),
        None => {
            if let Some(m) = &monthly {
                println!(
                    "{} of {} AI invocations left",
                    figure(m.remaining_quota),
                    figure(m.monthly_limit)
                );
            }
        }
    }
    Ok(())
}

fn figure(v: Option<f64>) -> String {
    v.map(format_count).unwrap_or_else(|| "?".into())
}

/// `3 d 4 h`, `12 min 5 s`, `42 s`.
pub fn span(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m} min")
    } else if m > 0 {
        format!("{m} min {sec} s")
    } else {
        format!("{sec} s")
    }
}

fn date(ms: i64) -> String {
    history::format_time(ms)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn print_figures(f: &QuotaFigures) {
    let now = f.now_ms;
    println!("account: {}", f.profile);
    if f.own_provider {
        println!("Your organisation uses its own LLM provider: Port applies no rate limits or monthly quota.");
        return;
    }
    match &f.window {
        Some(w) => {
            let state = match (w.has_reset, w.reset_at_ms) {
                (true, _) => "the window has reset since".to_string(),
                (false, Some(at)) => format!("resets in {}", span(at - now)),
                (false, None) => "reset time unknown".to_string(),
            };
            println!(
                "window: {} of {} LLM calls, {} of {} tokens left; {state} (updated {} ago)",
                figure(w.remaining_requests),
                figure(w.max_requests),
                figure(w.remaining_tokens),
                figure(w.max_tokens),
                span(now - w.read_at_ms)
            );
        }
        None => println!("window: no figures yet (they come with the next invocation)"),
    }
    match &f.monthly {
        Some(m) => {
            println!(
                "month {}: {} of {} invocations left ({} used){}",
                m.month.as_deref().unwrap_or("?"),
                figure(m.remaining),
                figure(m.limit),
                figure(m.used),
                m.days_left
                    .map(|d| format!("; {d:.1} days left"))
                    .unwrap_or_default()
            );
            if let Some(p) = &m.pace {
                let verdict = if p.ratio > 1.1 {
                    "faster than"
                } else if p.ratio < 0.9 {
                    "slower than"
                } else {
                    "on"
                };
                println!(
                    "pace: {} used, {} on an even spread: {verdict} pace ({:.2}×)",
                    format_count(p.used),
                    format_count(p.expected_used),
                    p.ratio
                );
            }
            match &m.projection {
                Some(p) => {
                    let range = match (p.earliest_ms, p.latest_ms) {
                        (Some(e), Some(l)) if date(e) == date(l) => format!("on {}", date(e)),
                        (Some(e), Some(l)) => format!("between {} and {}", date(e), date(l)),
                        (Some(e), None) => format!("from {} at the latest rate", date(e)),
                        _ => "not at this rate".to_string(),
                    };
                    println!(
                        "projection: runs out {range} (from {:.1} days of history){}",
                        p.history_days,
                        if p.before_reset {
                            ", before the reset"
                        } else {
                            ""
                        }
                    );
                }
                None => println!(
                    "projection: not enough history yet (needs {} days)",
                    quota::figures::MIN_PROJECTION_DAYS
                ),
            }
        }
        None => println!("month: no figures"),
    }
    match &f.decision {
        Decision::Go => println!("limiter: invocations go now"),
        Decision::Wait { until_ms, reason } => {
            let why = match reason {
                WaitReason::WindowExhausted => "window used up",
                WaitReason::BelowReserve => "down to your reserve",
                WaitReason::RateLimited => "Port asked to wait",
            };
            println!("limiter: invocations wait {} ({why})", span(until_ms - now));
        }
        Decision::Blocked {
            until_ms,
            reset_date,
            message,
        } => {
            let until = reset_date
                .clone()
                .or_else(|| until_ms.map(history::format_time))
                .unwrap_or_else(|| "the reset".into());
            println!("limiter: blocked until {until}: {message}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_counts_read_naturally() {
        assert_eq!(span(42_000), "42 s");
        assert_eq!(span(125_000), "2 min 5 s");
        assert_eq!(span(90_061_000), "1 d 1 h");
        assert_eq!(format_count(1_234_567.0), "1,234,567");
    }
}
