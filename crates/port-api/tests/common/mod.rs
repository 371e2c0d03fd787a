//! Shared helpers: a port-mock server on loopback and a client pointed at it.

#![allow(dead_code)]

use std::time::Duration;

use port_api::{
    ApiBase, CancellationToken, ClientOptions, Credentials, InvokeEvent, InvokeRequest, PortClient,
    PortError, Transcript,
};
use port_mock::{MockConfig, MockServer};

pub async fn server() -> MockServer {
    MockServer::start(MockConfig::default())
        .await
        .expect("start port-mock")
}

pub fn options() -> ClientOptions {
    ClientOptions {
        poll_interval: Duration::from_millis(20),
        ..ClientOptions::default()
    }
}

pub fn token_client(server: &MockServer, token: &str) -> PortClient {
    let base = ApiBase::custom(&server.base_url()).expect("base url");
    PortClient::with_options(base, Credentials::access_token(token), options()).expect("client")
}

pub fn secret_client(server: &MockServer) -> PortClient {
    let config = MockConfig::default();
    let base = ApiBase::custom(&server.base_url()).expect("base url");
    PortClient::with_options(
        base,
        Credentials::client_secret(config.client_id, config.client_secret),
        options(),
    )
    .expect("client")
}

/// Everything one invocation produced: its events in order, how it ended, and the assembly.
pub struct Run {
    pub events: Vec<InvokeEvent>,
    pub error: Option<PortError>,
    pub transcript: Transcript,
}

pub async fn run(client: &PortClient, request: &InvokeRequest) -> Run {
    run_with(client, request, CancellationToken::new()).await
}

pub async fn run_with(
    client: &PortClient,
    request: &InvokeRequest,
    cancel: CancellationToken,
) -> Run {
    let mut events = Vec::new();
    let mut transcript = Transcript::new();
    let error = match client.invoke(request, cancel).await {
        Err(err) => Some(err),
        Ok(mut stream) => {
            let mut error = None;
            while let Some(item) = stream.next_event().await {
                match item {
                    Ok(event) => {
                        transcript.apply(&event);
                        events.push(event);
                    }
                    Err(err) => error = Some(err),
                }
            }
            error
        }
    };
    Run {
        events,
        error,
        transcript,
    }
}

pub fn general(prompt: &str) -> InvokeRequest {
    InvokeRequest::general(prompt)
}

/// The body of the last invocation request the server received.
pub fn last_invoke_body(server: &MockServer) -> serde_json::Value {
    server
        .requests()
        .iter()
        .rev()
        .find(|r| r.method == "POST" && r.path.ends_with("/invoke"))
        .and_then(|r| r.json())
        .expect("an invocation request was recorded")
}
