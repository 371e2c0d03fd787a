//! The two invoke endpoints: validation as Port's schemas do it, then faults, markers, quota,
//! and the scripted stream (or a 202 for clients that do not stream).

use std::collections::{BTreeMap, HashMap};
use std::iter;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::agents::{self, AgentInfo};
use crate::approvals::ApprovalMode;
use crate::clock;
use crate::error::{json_response, parse_body, ApiError};
use crate::faults::{limit_response, ErrorShape, Fault, Limit};
use crate::invocations::NewInvocation;
use crate::providers;
use crate::quota::Snapshot;
use crate::scenarios::{self, Context, Markers};
use crate::sse::{self, EventIter, OnEnd, Pace, SseEvent};
use crate::state::App;

const MAX_MCP_SERVERS: usize = 5;
const SLOW_MARKER_DELAY: Duration = Duration::from_millis(400);
const DISCONNECT_MARKER_EVENTS: usize = 4;
const RATE_LIMIT_MARKER_RETRY_SECS: u64 = 30;

#[derive(Deserialize)]
enum ExecutionMode {
    Automatic,
    #[serde(rename = "Approval Required")]
    ApprovalRequired,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum ChatMode {
    Ask,
    Plan,
    Build,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct McpServer {
    #[allow(dead_code)] // validated for shape only: the demo org has no MCP servers to attach
    identifier: String,
}

/// Body of `POST /v1/ai/invoke`. Port's schema says `userPrompt`; its docs send `prompt`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct GeneralRequest {
    #[serde(alias = "prompt")]
    user_prompt: String,
    #[allow(dead_code)] // the mock does not evaluate tool patterns; their shape is checked
    tools: Vec<String>,
    labels: Option<BTreeMap<String, String>>,
    provider: Option<String>,
    model: Option<String>,
    #[allow(dead_code)]
    system_prompt: Option<String>,
    execution_mode: Option<ExecutionMode>,
    tool_approval_overrides: Option<BTreeMap<String, ApprovalMode>>,
    output_schema: Option<Value>,
    mcp_servers: Option<Vec<McpServer>>,
    #[allow(dead_code)]
    chat_mode: Option<ChatMode>,
}

/// Body of `POST /v1/agent/{id}/invoke`: the agent fixes tools, prompt and execution mode.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AgentRequest {
    prompt: String,
    labels: Option<BTreeMap<String, String>>,
    provider: Option<String>,
    model: Option<String>,
    tool_approval_overrides: Option<BTreeMap<String, ApprovalMode>>,
    output_schema: Option<Value>,
    #[allow(dead_code)]
    chat_mode: Option<ChatMode>,
}

/// Both endpoints' requests, once validated.
struct Invocation {
    prompt: String,
    labels: BTreeMap<String, String>,
    model: Option<(String, String)>,
    overrides: BTreeMap<String, ApprovalMode>,
    output_schema: Option<Value>,
    automatic_by_default: bool,
    agent: Option<AgentInfo>,
}

impl Invocation {
    /// Per-invocation override, then the saved preference, then the execution mode.
    fn run_action_mode(&self, app: &App) -> ApprovalMode {
        self.overrides
            .get("run_action")
            .copied()
            .or_else(|| app.approvals.saved_mode("run_action"))
            .unwrap_or(if self.automatic_by_default {
                ApprovalMode::Automatic
            } else {
                ApprovalMode::Approval
            })
    }

    /// The request's model, else the agent's, else the org default.
    fn effective_model(&self) -> (String, String) {
        if let Some(pair) = &self.model {
            return pair.clone();
        }
        if let Some(AgentInfo {
            provider: Some(provider),
            model: Some(model),
            ..
        }) = &self.agent
        {
            return (provider.clone(), model.clone());
        }
        let (provider, model) = (providers::DEFAULT_PROVIDER, providers::DEFAULT_MODEL);
        (provider.to_owned(), model.to_owned())
    }
}

fn model_pair(
    provider: Option<String>,
    model: Option<String>,
) -> Result<Option<(String, String)>, ApiError> {
    match (provider, model) {
        (Some(provider), Some(model)) => Ok(Some((provider, model))),
        (None, None) => Ok(None),
        _ => Err(ApiError::Invalid(
            "body/provider and body/model must be given together".into(),
        )),
    }
}

fn check_schema(schema: Option<&Value>) -> Result<(), ApiError> {
    match schema {
        Some(s) if s.get("type") != Some(&json!("object")) => Err(ApiError::Invalid(
            "body/outputSchema must be a JSON Schema with \"type\": \"object\" at the root".into(),
        )),
        _ => Ok(()),
    }
}

/// Shape checks (422) come before the provider check, as Port validates the schema first.
fn finish_validation(invocation: Invocation) -> Result<Invocation, ApiError> {
    check_schema(invocation.output_schema.as_ref())?;
    if let Some((provider, model)) = &invocation.model {
        providers::check(provider, model)?;
    }
    Ok(invocation)
}

fn parse_general(body: &[u8]) -> Result<Invocation, ApiError> {
    let request: GeneralRequest = parse_body(body)?;
    if request.mcp_servers.as_ref().map_or(0, Vec::len) > MAX_MCP_SERVERS {
        return Err(ApiError::Invalid(format!(
            "body/mcpServers must NOT have more than {MAX_MCP_SERVERS} items"
        )));
    }
    finish_validation(Invocation {
        model: model_pair(request.provider, request.model)?,
        prompt: request.user_prompt,
        labels: request.labels.unwrap_or_default(),
        overrides: request.tool_approval_overrides.unwrap_or_default(),
        output_schema: request.output_schema,
        automatic_by_default: matches!(request.execution_mode, Some(ExecutionMode::Automatic)),
        agent: None,
    })
}

fn parse_agent(agent_id: &str, body: &[u8]) -> Result<Invocation, ApiError> {
    let request: AgentRequest = parse_body(body)?;
    let agent = agents::find(agent_id).ok_or_else(|| {
        ApiError::NotFound(format!(
            "Agent with identifier \"{agent_id}\" was not found"
        ))
    })?;
    if !agent.active {
        return Err(ApiError::BadRequest(format!(
            "Agent \"{agent_id}\" is inactive and cannot be invoked"
        )));
    }
    finish_validation(Invocation {
        model: model_pair(request.provider, request.model)?,
        prompt: request.prompt,
        labels: request.labels.unwrap_or_default(),
        overrides: request.tool_approval_overrides.unwrap_or_default(),
        output_schema: request.output_schema,
        automatic_by_default: agent.automatic,
        agent: Some(agent),
    })
}

type QueryParams = Result<Query<HashMap<String, String>>, QueryRejection>;

pub(crate) async fn invoke_general(
    State(app): State<App>,
    query: QueryParams,
    body: Bytes,
) -> Response {
    let fault = app.faults.pop();
    let query = match query {
        Ok(Query(query)) => query,
        Err(e) => return ApiError::BadRequest(e.body_text()).into_response(),
    };
    let explicit_id = query.get("invocation_identifier").cloned();
    serve(&app, fault, parse_general(&body), explicit_id, true)
}

pub(crate) async fn invoke_agent(
    State(app): State<App>,
    Path(agent_id): Path<String>,
    query: QueryParams,
    body: Bytes,
) -> Response {
    let fault = app.faults.pop();
    let query = match query {
        Ok(Query(query)) => query,
        Err(e) => return ApiError::BadRequest(e.body_text()).into_response(),
    };
    let explicit_id = query.get("invocation_identifier").cloned();
    // Without `stream=true`, Port answers the older way: 202 and polling.
    let streaming = query.get("stream").is_some_and(|v| v == "true");
    serve(
        &app,
        fault,
        parse_agent(&agent_id, &body),
        explicit_id,
        streaming,
    )
}

/// How this one stream deviates from a normal one, from a fault or a prompt marker.
#[derive(Default)]
struct Shaping {
    cut_after: Option<usize>,
    malformed: bool,
    unknown: bool,
    delay: Option<Duration>,
    accepted: bool,
}

impl Shaping {
    fn add_markers(&mut self, markers: &Markers) {
        if markers.disconnect {
            self.cut_after.get_or_insert(DISCONNECT_MARKER_EVENTS);
        }
        if markers.slow {
            self.delay.get_or_insert(SLOW_MARKER_DELAY);
        }
        self.malformed |= markers.malformed;
        self.unknown |= markers.unknown;
    }
}

fn serve(
    app: &App,
    fault: Option<Fault>,
    parsed: Result<Invocation, ApiError>,
    explicit_id: Option<String>,
    streaming: bool,
) -> Response {
    let mut shaping = Shaping::default();
    match fault {
        Some(Fault::RateLimited {
            shape,
            status,
            retry_after_secs,
        }) => return limit_response(&Limit::Rate { retry_after_secs }, &shape, status),
        Some(Fault::QuotaExceeded {
            shape,
            status,
            reset_date,
        }) => return limit_response(&Limit::Quota { reset_date }, &shape, status),
        Some(Fault::HttpError { status, body }) => return json_response(status, body),
        Some(Fault::RawStream {
            chunks,
            chunk_delay,
        }) => return sse::response(sse::raw_body(chunks, chunk_delay)),
        Some(Fault::DisconnectAfter { events }) => shaping.cut_after = Some(events),
        Some(Fault::MalformedData) => shaping.malformed = true,
        Some(Fault::UnknownEvents) => shaping.unknown = true,
        Some(Fault::Slow { delay }) => shaping.delay = Some(delay),
        Some(Fault::Accepted) => shaping.accepted = true,
        None => {}
    }
    let invocation = match parsed {
        Ok(invocation) => invocation,
        Err(e) => return e.into_response(),
    };
    let markers = Markers::parse(&invocation.prompt);
    if markers.rate_limit {
        let limit = Limit::Rate {
            retry_after_secs: RATE_LIMIT_MARKER_RETRY_SECS,
        };
        return limit_response(&limit, &ErrorShape::RateLimitType, 429);
    }
    if markers.quota {
        let next_month = clock::month_of(clock::now_ms()).next_start_ms;
        let limit = Limit::Quota {
            reset_date: clock::iso8601(next_month),
        };
        return limit_response(&limit, &ErrorShape::QuotaType, 403);
    }
    shaping.add_markers(&markers);

    let topic = scenarios::choose(
        &invocation.prompt,
        &markers,
        invocation.output_schema.as_ref(),
    );
    let usage = match app.quota.consume(topic.tokens_estimate(&invocation.prompt)) {
        Ok(usage) => usage,
        Err(refusal) => return refusal.into_response(),
    };
    let seq = app.next_invocation_seq();
    let id = explicit_id.unwrap_or_else(|| format!("inv_{seq:06}"));
    let pace = match (shaping.delay, topic.rate()) {
        (Some(delay), _) => Pace::Delay(delay),
        (None, Some(rate)) => Pace::Rate(rate),
        (None, None) if topic.unpaced() => Pace::Delay(Duration::ZERO),
        (None, None) => Pace::Delay(app.event_delay()),
    };
    let context = Context {
        seq,
        run_action_mode: invocation.run_action_mode(app),
    };
    let script = scenarios::script(topic, &context);
    let accepted = shaping.accepted || !streaming;
    let (provider, model) = invocation.effective_model();
    app.invocations.start(NewInvocation {
        id: id.clone(),
        prompt: invocation.prompt,
        labels: invocation.labels,
        provider,
        model,
        agent: invocation.agent.map(|a| a.identifier),
        answer: script.answer,
        accepted,
    });
    if accepted {
        let body = json!({"ok": true, "invocation": {"identifier": id}});
        return (StatusCode::ACCEPTED, Json(body)).into_response();
    }

    let events: EventIter = Box::new(
        iter::once(SseEvent::new("invocationIdentifier", id.clone()))
            .chain(script.events)
            .chain(iter::once(done_event(app, &usage, seq))),
    );
    let events = scenarios::decorate(events, shaping.malformed, shaping.unknown);
    let on_end = {
        let app = app.clone();
        OnEnd::new(move |completed| app.invocations.finish(&id, completed))
    };
    let mut response = sse::response(sse::event_body(events, pace, shaping.cut_after, on_end));
    if app.quota.own_llm_provider() {
        return response;
    }
    let headers = response.headers_mut();
    let remaining = usage.rate_limit_usage.remaining_requests;
    headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    let reset = usage.rate_reset_epoch_secs(clock::now_ms());
    headers.insert("x-ratelimit-reset", HeaderValue::from(reset));
    response
}

/// Port's docs show `done` pretty-printed over many `data:` lines; alternating with the compact
/// form makes clients meet both.
fn done_event(app: &App, usage: &Snapshot, seq: u64) -> SseEvent {
    SseEvent::new("done", app.quota.done_data(usage, seq % 2 == 1))
}
