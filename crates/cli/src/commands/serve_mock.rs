//! `portdesk-cli serve-mock`: the Port-compatible demo server, by hand.

use port_mock::{MockConfig, MockServer};

use crate::output::CliError;

pub async fn run(port: u16) -> Result<(), CliError> {
    let config = MockConfig {
        port,
        ..MockConfig::demo()
    };
    let server = MockServer::start(config.clone())
        .await
        .map_err(|e| CliError::usage(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    // The URL alone on stdout, so scripts can read it; the explanation on stderr.
    println!("{}", server.base_url());
    eprintln!(
        "Port-compatible demo server listening on {url}\n\
         Any bearer token works, e.g.:\n  portdesk-cli --base-url {url} --token demo invoke \"What services do we have?\"\n\
         Demo client credentials: PORT_CLIENT_ID={id} PORT_CLIENT_SECRET=<the demo secret in port-mock's MockConfig>\n\
         Press Ctrl-C to stop.",
        url = server.base_url(),
        id = config.client_id,
    );
    let _ = tokio::signal::ctrl_c().await;
    server.shutdown().await;
    Ok(())
}
