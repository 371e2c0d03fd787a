//! `portdesk-cli quota`.

use port_api::{PortClient, PortError};

use crate::output;

pub async fn run(client: &PortClient, json: bool) -> Result<(), PortError> {
    let quota = client.monthly_quota().await?;
    if json {
        output::json_line(&serde_json::to_value(&quota).unwrap_or_default());
        return Ok(());
    }
    let figure = |v: Option<f64>| v.map(|n| n.to_string()).unwrap_or_else(|| "?".into());
    println!(
        "{} of {} AI invocations left in {}",
        figure(quota.remaining_quota),
        figure(quota.monthly_limit),
        quota.month.as_deref().unwrap_or("this month")
    );
    if let Some(ms) = quota.remaining_time_ms {
        let hours = (ms / 3_600_000.0).floor();
        println!(
            "resets in {} days {} hours",
            (hours / 24.0).floor(),
            hours % 24.0
        );
    }
    Ok(())
}
