//! The HTTP server: routes, the gate every request passes (trace id, recording, body limit,
//! path faults, auth), and the handle tests and the CLI hold.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use bytes::BytesMut;
use futures_util::StreamExt;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::MockConfig;
use crate::error::ApiError;
use crate::faults::Fault;
use crate::recorder::RecordedRequest;
use crate::state::{App, AppState};
use crate::{actions, approvals, auth, entities, invocations, invoke, providers, quota};

/// Port rejects request bodies over 1 MiB.
const BODY_LIMIT: usize = 1 << 20;

/// How much of an oversized body is still read (and dropped) so the client gets to read the
/// 413 instead of a reset connection.
const DRAIN_LIMIT: usize = 16 << 20;

/// Open streams get this long to finish on shutdown before the server task is aborted.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

const TOKEN_PATH: &str = "/v1/auth/access_token";

/// A running mock server; dropping it stops the server.
pub struct MockServer {
    addr: SocketAddr,
    state: App,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Binds 127.0.0.1:`config.port` (0 = ephemeral) and serves in a spawned tokio task.
    pub async fn start(config: MockConfig) -> std::io::Result<MockServer> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(AppState::new(config));
        let app = router(state.clone());
        let (shutdown, signal) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serving = axum::serve(listener, app).with_graceful_shutdown(async move {
                // A dropped sender means the handle is gone: stop as well.
                let _ = signal.await;
            });
            // Accept errors are retried inside axum; an error here means the listener is gone,
            // and the handle's owner notices through failing requests.
            let _ = serving.await;
        });
        Ok(MockServer {
            addr,
            state,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in order, including rejected ones.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.recorder.snapshot()
    }

    pub fn clear_requests(&self) {
        self.state.recorder.clear();
    }

    /// Queues a one-shot fault for the next invocation request.
    pub fn push_fault(&self, fault: Fault) {
        self.state.faults.push(fault);
    }

    /// One-shot: the next request whose path equals `path` gets this status and JSON body.
    pub fn push_path_fault(&self, path: &str, status: u16, body: serde_json::Value) {
        self.state.faults.push_path(path, status, body);
    }

    /// Delay between SSE events of streams started from now on.
    pub fn set_event_delay(&self, delay: Duration) {
        self.state.set_event_delay(delay);
    }

    /// Every token issued so far expires now; asking for a token again issues a new one.
    pub fn expire_tokens(&self) {
        self.state.tokens.expire_all();
    }

    /// This raw bearer token is rejected with 401 from now on.
    pub fn revoke_token(&self, token: &str) {
        self.state.tokens.revoke(token);
    }

    /// Plays a newer Port for the approval preferences: `body` (`toolOverrides`,
    /// `disabledTools` and any other top-level fields) is stored as is, and the modes and
    /// fields it uses are accepted on PUT from then on.
    pub fn seed_newer_approval_preferences(&self, body: serde_json::Value) {
        self.state.approvals.seed_newer(&body);
    }

    /// Scripts the figures of the next `done` events, one JSON object each (`rateLimitUsage`,
    /// `monthlyQuotaUsage`, or anything else to send instead): falling figures, an exhausted
    /// window, a month that resets. Invocations after the script get the counted figures again.
    pub fn script_quota(&self, figures: impl IntoIterator<Item = serde_json::Value>) {
        self.state.quota.script(figures);
    }

    /// Invocations that started (streamed or accepted); refused ones do not count.
    pub fn invocation_count(&self) -> u64 {
        self.state.invocation_count()
    }

    /// Stops accepting connections and lets open ones finish, for at most a second.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

fn router(state: App) -> Router {
    let routes = Router::new()
        .route(TOKEN_PATH, post(auth::access_token))
        .route("/v1/ai/invoke", post(invoke::invoke_general))
        .route("/v1/ai/invoke/{id}", get(invocations::get_invocation))
        .route("/v1/agent/{agent}/invoke", post(invoke::invoke_agent))
        .route("/v1/blueprints/{blueprint}/entities", get(entities::list))
        .route(
            "/v1/blueprints/{blueprint}/entities/search",
            post(entities::search),
        )
        .route("/v1/quota/ai-invocations", get(quota::get_quota))
        .route(
            "/v1/ai/tool-approval-preferences",
            get(approvals::get_preferences).put(approvals::put_preferences),
        )
        .route("/v1/actions", get(actions::list))
        .route("/v1/llm-providers", get(providers::list))
        .route("/v1/llm-providers/defaults", get(providers::defaults))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    routes
        .layer(middleware::from_fn_with_state(state.clone(), gate))
        .with_state(state)
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::NotFound(format!("Route {method} {} not found", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!("Method {method} is not allowed on {}", uri.path()))
}

enum BodyRead {
    Complete(Bytes),
    TooLarge(Bytes),
    Broken,
}

/// Reads the whole body, keeping at most [`BODY_LIMIT`] bytes of it.
async fn read_body(body: Body) -> BodyRead {
    let mut stream = body.into_data_stream();
    let mut kept = BytesMut::new();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return BodyRead::Broken;
        };
        total = total.saturating_add(chunk.len());
        if total <= BODY_LIMIT {
            kept.extend_from_slice(&chunk);
        } else if total > DRAIN_LIMIT {
            break;
        }
    }
    if total > BODY_LIMIT {
        BodyRead::TooLarge(kept.freeze())
    } else {
        BodyRead::Complete(kept.freeze())
    }
}

fn record(app: &App, parts: &Parts, body: &[u8]) {
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    app.recorder.record(RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers,
        body: String::from_utf8_lossy(body).into_owned(),
    });
}

async fn gate(State(app): State<App>, request: Request, next: Next) -> Response {
    let trace_id = app.next_trace_id();
    let (parts, body) = request.into_parts();
    let read = read_body(body).await;
    let mut response = match read {
        BodyRead::Complete(bytes) => {
            record(&app, &parts, &bytes);
            match app.faults.take_path(parts.uri.path()) {
                Some(faulted) => faulted,
                None => {
                    let public = parts.method == Method::POST && parts.uri.path() == TOKEN_PATH;
                    match auth::authorize(&app, &parts.headers) {
                        Err(e) if !public => e.into_response(),
                        _ => {
                            next.run(Request::from_parts(parts, Body::from(bytes)))
                                .await
                        }
                    }
                }
            }
        }
        BodyRead::TooLarge(prefix) => {
            record(&app, &parts, &prefix);
            ApiError::PayloadTooLarge.into_response()
        }
        BodyRead::Broken => {
            record(&app, &parts, &[]);
            ApiError::BadRequest("the request body could not be read".into()).into_response()
        }
    };
    if let Ok(value) = HeaderValue::try_from(trace_id) {
        response.headers_mut().insert("x-trace-id", value);
    }
    response
}
