//! `portdesk-cli invoke`: stream one invocation to the terminal, or as JSON lines.

use std::collections::HashMap;
use std::io::Write;

use port_api::invoke::{
    ChatMode, InvocationStatus, InvokeEvent, ModelChoice, MonthlyQuotaUsage, Transcript,
};
use port_api::{ApprovalMode, CancellationToken, ErrorCode, InvokeRequest, PortClient, PortError};
use quota::{Clock, GateEvent, QuotaBook, SystemClock, WaitReason};
use serde_json::{json, Value};

use crate::args::{GlobalArgs, InvokeArgs};
use crate::output::{self, CliError};

/// The client-side limiter for this invocation: the figures and refusals every Portdesk process
/// has recorded for this account.
pub struct Limiter {
    pub book: QuotaBook,
    pub account: String,
    /// False with `--no-wait`: an invocation that would wait fails at once instead.
    pub wait: bool,
}

/// Builds the request from the arguments; every problem is reported before anything is sent.
pub fn request_from(args: &InvokeArgs) -> Result<InvokeRequest, CliError> {
    let mut request = match &args.agent {
        Some(agent) => InvokeRequest::agent(agent, &args.prompt),
        None => InvokeRequest::general(&args.prompt),
    };
    // An agent refuses tools in `body()` below, with a message saying why.
    if !args.tools.is_empty() {
        request.tools = args.tools.clone();
    }
    for label in &args.labels {
        let (key, value) = split_pair(label, "--label")?;
        request.labels.insert(key, value);
    }
    for approval in &args.approvals {
        let (pattern, mode) = split_pair(approval, "--approval")?;
        let mode = match mode.as_str() {
            "approval" => ApprovalMode::Approval,
            "automatic" => ApprovalMode::Automatic,
            other => {
                return Err(CliError::usage(format!(
                    "--approval {approval}: mode {other:?} is not approval or automatic"
                )))
            }
        };
        request.tool_approval_overrides.insert(pattern, mode);
    }
    if let (Some(provider), Some(model)) = (&args.provider, &args.model) {
        request.model = Some(ModelChoice {
            provider: provider.clone(),
            model: model.clone(),
        });
    }
    if let Some(path) = &args.output_schema {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CliError::usage(format!(
                "cannot read --output-schema {}: {e}",
                path.display()
            ))
        })?;
        let schema: Value = serde_json::from_str(&text).map_err(|e| {
            CliError::usage(format!(
                "--output-schema {} is not JSON: {e}",
                path.display()
            ))
        })?;
        request.output_schema = Some(schema);
    }
    request.mcp_servers = args.mcp_servers.clone();
    if let Some(mode) = &args.chat_mode {
        request.chat_mode = Some(mode.parse::<ChatMode>()?);
    }
    request.system_prompt = args.system_prompt.clone();
    // Validate now, so a bad combination is a usage error with nothing sent.
    request.body()?;
    Ok(request)
}

fn split_pair(raw: &str, flag: &str) -> Result<(String, String), CliError> {
    match raw.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(CliError::usage(format!(
            "{flag} {raw:?}: expected KEY=VALUE"
        ))),
    }
}

/// Where this invocation is recorded in the local history, if anywhere.
pub struct Recording {
    recorder: history::Recorder,
    id: String,
    // Keeps the writer running until the recording is flushed.
    _store: history::HistoryStore,
}

impl Recording {
    /// Opens the history and creates the invocation's row before anything is sent. A history
    /// that cannot be opened is reported and the invocation goes ahead unrecorded.
    pub async fn start(
        args: &InvokeArgs,
        global: &GlobalArgs,
        request: &InvokeRequest,
        store: Option<&history::HistoryStore>,
    ) -> Option<Self> {
        if args.no_history {
            return None;
        }
        let store = store?.clone();
        let recorder = store.recorder();
        let new = history::NewInvocation::from_request(request, history::Source::Cli)
            .in_conversation(args.conversation.clone())
            .with_profile(global.profile.clone());
        match recorder.begin_async(new).await {
            Ok(begun) => Some(Self {
                recorder,
                id: begun.id,
                _store: store,
            }),
            Err(err) => {
                eprintln!("warning: not recording to the history: {err}");
                None
            }
        }
    }

    fn append(&self, event: &InvokeEvent) {
        // A recording problem never stops the invocation itself.
        let _ = self.recorder.append(&self.id, event);
    }

    async fn finish(self, error: Option<&PortError>, trace_id: Option<String>) -> String {
        let outcome = history::Outcome::from_error(error.cloned(), trace_id);
        let _ = self.recorder.finish(&self.id, outcome);
        if let Err(err) = self.recorder.flush_async().await {
            eprintln!("warning: the history may be missing the end of this invocation: {err}");
        }
        self.id
    }
}

/// Runs the invocation; returns how it ended and the error's code (the process exit status
/// follows from them).
pub async fn run(
    client: &PortClient,
    request: &InvokeRequest,
    json_mode: bool,
    cancel: CancellationToken,
    recording: Option<Recording>,
    limiter: Option<&Limiter>,
) -> (InvocationStatus, Option<ErrorCode>) {
    // JSON mode prints every result in full at the end, so it assembles the transcript; human
    // mode prints short previews only, so its memory stays flat however large a result is.
    let mut transcript = Transcript::new();
    let mut human = HumanPrinter::default();
    let mut json_out = std::io::BufWriter::new(std::io::stdout());
    let (outcome, trace_id) = stream(client, request, cancel, limiter, |event, more_ready| {
        // Recorded before it is shown: whatever the user saw is in the history.
        if let Some(recording) = &recording {
            recording.append(event);
        }
        if json_mode {
            transcript.apply(event);
            output::write_json_line(&mut json_out, event);
            if !more_ready {
                let _ = json_out.flush();
            }
        } else {
            human.print(event, more_ready);
        }
    })
    .await;
    let _ = json_out.flush();
    let status = InvocationStatus::from_outcome(outcome.as_ref().err());
    let history_id = match recording {
        Some(recording) => Some(recording.finish(outcome.as_ref().err(), trace_id).await),
        None => None,
    };
    if json_mode {
        output::json_line(&result_record(&transcript, status, outcome.as_ref().err()));
    } else {
        human.finish(status, outcome.as_ref().err());
        if let Some(id) = history_id {
            eprintln!("history: {id}");
        }
    }
    (status, outcome.err().map(|e| e.code))
}

async fn stream(
    client: &PortClient,
    request: &InvokeRequest,
    cancel: CancellationToken,
    limiter: Option<&Limiter>,
    mut on_event: impl FnMut(&InvokeEvent, bool),
) -> (Result<(), PortError>, Option<String>) {
    let started = match limiter {
        Some(limiter) => {
            let mut countdown = Countdown::default();
            quota::guarded(
                Some(&limiter.book),
                &limiter.account,
                &SystemClock,
                &limiter
                    .book
                    .preferences()
                    .map(|p| p.policy())
                    .unwrap_or_default(),
                limiter.wait,
                &cancel,
                None,
                |event| countdown.show(&event),
                || client.invoke(request, cancel.clone()),
            )
            .await
        }
        None => client.invoke(request, cancel.clone()).await,
    };
    let mut events = match started {
        Ok(events) => events,
        Err(err) => {
            let trace = err.trace_id.clone();
            return (Err(err), trace);
        }
    };
    let trace = events.trace_id().map(str::to_string);
    let headers = events.rate_limit_headers().clone();
    while let Some(item) = events.next_event().await {
        match item {
            // The flag says more events are already here: output is flushed once per network
            // read, so a fast stream costs one write per read, and a slow one shows every token.
            Ok(event) => {
                if let (Some(limiter), InvokeEvent::Done { .. }) = (limiter, &event) {
                    record_figures(limiter, &event, &headers);
                }
                on_event(&event, events.has_buffered_events())
            }
            Err(err) => return (Err(err), trace),
        }
    }
    (Ok(()), trace)
}

/// Keeps the `done` figures (and the headers, when `done` has no window figures) for the next
/// invocation and the app. A history problem never fails the invocation.
fn record_figures(limiter: &Limiter, done: &InvokeEvent, headers: &port_api::RateLimitHeaders) {
    let InvokeEvent::Done {
        rate_limit_usage,
        monthly_quota_usage,
        data,
    } = done
    else {
        return;
    };
    let now = SystemClock.now_ms();
    if rate_limit_usage.is_none() {
        let _ = limiter.book.record_headers(&limiter.account, headers, now);
    }
    if let Err(err) = limiter.book.record_done(
        &limiter.account,
        rate_limit_usage.as_ref(),
        monthly_quota_usage.as_ref(),
        data,
        now,
    ) {
        eprintln!("warning: the quota figures were not recorded: {err}");
    }
}

/// The limiter's wait on stderr: what it waits for, then a countdown (in place on a terminal, a
/// line every 10 s and over the last 5 s otherwise).
#[derive(Default)]
struct Countdown {
    last_secs: Option<i64>,
}

impl Countdown {
    fn show(&mut self, event: &GateEvent) {
        use std::io::IsTerminal;
        let terminal = std::io::stderr().is_terminal();
        match event {
            GateEvent::Queued {
                until_ms,
                reason,
                attempt,
                max_attempts,
            } => {
                let why = match reason {
                    WaitReason::WindowExhausted => "the rate-limit window is used up".to_string(),
                    WaitReason::BelowReserve => {
                        "the rate-limit window is down to your reserve".to_string()
                    }
                    WaitReason::RateLimited if *attempt > 0 => {
                        format!("Port answered RATE_LIMIT_ERROR; retry {attempt} of {max_attempts}")
                    }
                    WaitReason::RateLimited => "Port asked to wait (RATE_LIMIT_ERROR)".to_string(),
                };
                let at = history::format_time(*until_ms);
                eprintln!("waiting: {why}; sending at {at} UTC (Ctrl-C to cancel, --no-wait to fail instead)");
            }
            GateEvent::Tick { remaining_ms } => {
                let secs = (remaining_ms + 999) / 1000;
                if self.last_secs == Some(secs) {
                    return;
                }
                self.last_secs = Some(secs);
                if terminal {
                    eprint!("\rwaiting: {secs} s left   ");
                } else if secs % 10 == 0 || secs <= 5 {
                    eprintln!("waiting: {secs} s left");
                }
            }
            GateEvent::Sending { anyway } => {
                if terminal {
                    eprintln!();
                }
                if !anyway {
                    eprintln!("waiting: done, sending now");
                }
            }
        }
    }
}

/// The final `{"type":"result", …}` line: exactly the documented fields.
pub fn result_record(
    transcript: &Transcript,
    status: InvocationStatus,
    error: Option<&PortError>,
) -> Value {
    let tool_calls: Vec<Value> = transcript
        .tool_calls
        .iter()
        .map(|call| {
            json!({
                "id": call.id,
                "name": call.name,
                "arguments": call.arguments,
                "result": call.result,
                "complete": call.complete(),
            })
        })
        .collect();
    json!({
        "type": "result",
        "status": status,
        "invocationIdentifier": transcript.invocation_id,
        "answer": transcript.answer,
        "toolCalls": tool_calls,
        "rateLimitUsage": transcript.done_field("rateLimitUsage"),
        "monthlyQuotaUsage": transcript.done_field("monthlyQuotaUsage"),
        "unknownEvents": transcript.unknown_events,
        "error": error,
    })
}

/// How much of a tool call's arguments or result human mode keeps: enough for a one-line preview.
const PREVIEW_BYTES: usize = 1024;

/// Human mode: the answer streams to stdout; tool calls and notes go to stderr so that
/// `portdesk-cli invoke … > answer.md` captures just the answer.
struct HumanPrinter {
    out: std::io::BufWriter<std::io::Stdout>,
    answer_ends_with_newline: bool,
    wrote_answer: bool,
    calls: HashMap<String, CallPreview>,
    monthly_quota: Option<MonthlyQuotaUsage>,
}

impl Default for HumanPrinter {
    fn default() -> Self {
        Self {
            out: std::io::BufWriter::new(std::io::stdout()),
            answer_ends_with_newline: false,
            wrote_answer: false,
            calls: HashMap::new(),
            monthly_quota: None,
        }
    }
}

#[derive(Default)]
struct CallPreview {
    name: Option<String>,
    arguments: String,
    result: String,
}

impl HumanPrinter {
    fn print(&mut self, event: &InvokeEvent, more_ready: bool) {
        self.note(event);
        if !more_ready {
            let _ = self.out.flush();
        }
    }

    fn note(&mut self, event: &InvokeEvent) {
        if !matches!(event, InvokeEvent::AnswerDelta { .. }) {
            // Notes go to stderr: what the answer has so far goes out first, to keep the order.
            let _ = self.out.flush();
        }
        match event {
            InvokeEvent::AnswerDelta { delta } => {
                let _ = self.out.write_all(delta.as_bytes());
                self.wrote_answer = true;
                self.answer_ends_with_newline = delta.ends_with('\n');
            }
            InvokeEvent::ToolCallStarted { id, name } => {
                self.calls.entry(id.clone()).or_default().name = name.clone();
            }
            InvokeEvent::ToolCallArgumentsDelta { id, delta } => {
                push_capped(
                    &mut self.calls.entry(id.clone()).or_default().arguments,
                    delta,
                );
            }
            InvokeEvent::ToolResultDelta { id, delta } => {
                push_capped(&mut self.calls.entry(id.clone()).or_default().result, delta);
            }
            InvokeEvent::ToolCallComplete { id } => {
                if let Some(call) = self.calls.get(id) {
                    let name = call.name.as_deref().unwrap_or("(unnamed tool)");
                    eprintln!("▸ {name} {}", output::shorten(&call.arguments, 160));
                }
            }
            InvokeEvent::ToolResultComplete { id } => {
                if let Some(call) = self.calls.remove(id) {
                    eprintln!("  ↳ {}", output::shorten(&call.result, 160));
                }
            }
            InvokeEvent::Unknown {
                event,
                data,
                reason,
            } => match reason {
                Some(why) => eprintln!("⚠ unreadable {event} event kept as is ({why})"),
                None => eprintln!("• {event}: {}", output::shorten(data, 160)),
            },
            InvokeEvent::Done {
                monthly_quota_usage,
                ..
            } => self.monthly_quota = monthly_quota_usage.clone(),
            InvokeEvent::InvocationId { .. } => {}
        }
    }

    fn finish(&mut self, status: InvocationStatus, error: Option<&PortError>) {
        if self.wrote_answer && !self.answer_ends_with_newline {
            let _ = self.out.write_all(b"\n");
        }
        let _ = self.out.flush();
        if let Some(err) = error {
            output::print_error(err);
        }
        match status {
            InvocationStatus::Interrupted => {
                eprintln!("The answer above may be incomplete.")
            }
            InvocationStatus::Completed => {
                if let Some(MonthlyQuotaUsage {
                    remaining_quota: Some(left),
                    monthly_limit: Some(limit),
                    ..
                }) = &self.monthly_quota
                {
                    eprintln!("quota: {left} of {limit} invocations left this month");
                }
            }
            _ => {}
        }
    }
}

/// Appends `delta` while `text` is under [`PREVIEW_BYTES`], cutting on a character boundary.
fn push_capped(text: &mut String, delta: &str) {
    let room = PREVIEW_BYTES.saturating_sub(text.len());
    if room == 0 {
        return;
    }
    let mut end = delta.len().min(room);
    while !delta.is_char_boundary(end) {
        end -= 1;
    }
    text.push_str(&delta[..end]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_stay_small_and_cut_on_character_boundaries() {
        let mut text = String::new();
        push_capped(&mut text, &"é".repeat(PREVIEW_BYTES));
        assert!(text.len() <= PREVIEW_BYTES);
        assert!(text.chars().all(|c| c == 'é'));
        push_capped(&mut text, "more");
        assert!(text.len() <= PREVIEW_BYTES);
    }
}
