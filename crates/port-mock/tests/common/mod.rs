// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use port_mock::{MockConfig, MockServer};
use serde_json::{json, Value};

pub async fn start() -> MockServer {
    start_with(MockConfig::default()).await
}

pub async fn start_with(config: MockConfig) -> MockServer {
    MockServer::start(config).await.expect("mock server starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client builds")
}

/// Any non-empty token that this server did not issue is accepted.
pub const ANY_TOKEN: &str = "test-token";

pub async fn get(server: &MockServer, path: &str) -> reqwest::Response {
    client()
        .get(format!("{}{path}", server.base_url()))
        .bearer_auth(ANY_TOKEN)
        .send()
        .await
        .expect("request sent")
}

pub async fn post(server: &MockServer, path: &str, body: &Value) -> reqwest::Response {
    client()
        .post(format!("{}{path}", server.base_url()))
        .bearer_auth(ANY_TOKEN)
        .json(body)
        .send()
        .await
        .expect("request sent")
}

pub async fn invoke(server: &MockServer, prompt: &str) -> reqwest::Response {
    let body = json!({"userPrompt": prompt, "tools": ["^(list|get|search|track|describe)_.*"]});
    post(server, "/v1/ai/invoke", &body).await
}

#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub data: String,
}

impl Event {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap_or_else(|e| panic!("{e}: {}", self.data))
    }
}

/// A minimal SSE parser for LF-only streams, enough for what this server writes.
pub fn parse_sse(text: &str) -> Vec<Event> {
    let mut events = Vec::new();
    let (mut name, mut data): (Option<String>, Option<String>) = (None, None);
    for line in text.split('\n') {
        if line.is_empty() {
            if let Some(data) = data.take() {
                let name = name.take().unwrap_or_else(|| "message".into());
                events.push(Event { name, data });
            }
            name = None;
        } else if let Some(value) = line.strip_prefix("event: ") {
            name = Some(value.to_owned());
        } else if let Some(value) = line.strip_prefix("data:") {
            let value = value.strip_prefix(' ').unwrap_or(value);
            match &mut data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => data = Some(value.to_owned()),
            }
        }
    }
    events
}

pub async fn events_of(response: reqwest::Response) -> Vec<Event> {
    let text = response.text().await.expect("stream body");
    parse_sse(&text)
}

/// The concatenated `execution` chunks.
pub fn answer_of(events: &[Event]) -> String {
    events
        .iter()
        .filter(|e| e.name == "execution")
        .map(|e| e.data.as_str())
        .collect()
}
