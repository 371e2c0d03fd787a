//! A Port-compatible local server for tests, benchmarks, end-to-end runs and the demo mode.
//!
//! It speaks the wire contract in `PORT-API.md`: access tokens, the two invoke endpoints with
//! scripted SSE streams chosen from the prompt, agents and invocation entities, quota, approval
//! preferences, self-service actions and LLM providers. Tests steer it with one-shot faults and read back every request.
//!
//! The prompt picks the script (case-insensitive): "incident", "deploy" or "action" draft a
//! self-service action run that needs review; anything else gets a catalog overview. Markers
//! for tests, demos and benchmarks:
//!
//! | marker | effect |
//! |---|---|
//! | `[slow]` | 400 ms between events |
//! | `[long]` | an answer in about 200 chunks |
//! | `[schema]` | a JSON answer (as does a request with `outputSchema`) |
//! | `[disconnect]` | the connection is cut after 4 events, without `done` |
//! | `[malformed]` | a `tool_call` and the `done` whose data is not JSON |
//! | `[unknown]` | old event names: `agentSelection`, `plan`, `checkIfActionRequested` |
//! | `[rate-limit]` | 429 `RATE_LIMIT_ERROR` |
//! | `[quota]` | 403 `QUOTA_ERROR` |
//!
//! Quota: figures fall with each invocation (`MockConfig` sets the limits; a used-up window or
//! month refuses with Port's error bodies), `MockServer::script_quota` scripts the figures of the
//! next `done` events, and `MockConfig::own_llm_provider` plays an org Port meters nothing for.
//! | `[bench-answer N]` | N short `execution` chunks, never paced |
//! | `[bench-chat N RATE]` | a markdown answer in N chunks at RATE a second, a tool call every 1,000 chunks |
//! | `[xss]` | an answer full of script, event-handler, iframe, `javascript:` and `data:` markup |
//! | `[bench-tool-result BYTES CHUNK]` | one tool result of BYTES content bytes in CHUNK-byte pieces, never paced |

mod actions;
mod agents;
mod approvals;
mod auth;
mod clock;
mod config;
mod entities;
mod error;
mod faults;
mod invocations;
mod invoke;
mod org;
mod providers;
mod quota;
mod recorder;
mod scenarios;
mod server;
mod sse;
mod state;

pub use config::MockConfig;
pub use faults::{ErrorShape, Fault};
pub use recorder::RecordedRequest;
pub use server::MockServer;
