//! The monthly AI invocation quota.

use serde::Deserialize;

use crate::client::PortClient;
use crate::error::{PortError, Result};
use crate::invoke::MonthlyQuotaUsage;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QuotaBody {
    monthly_quota_usage: Option<MonthlyQuotaUsage>,
}

impl PortClient {
    /// `GET /v1/quota/ai-invocations`. Port's figures, never hard-coded ones: the documented limits
    /// disagree between pages, and none apply when the org brings its own LLM provider.
    pub async fn monthly_quota(&self) -> Result<MonthlyQuotaUsage> {
        self.quota_status()
            .await?
            .ok_or_else(|| PortError::invalid_response("the quota answer has no monthlyQuotaUsage"))
    }

    /// `GET /v1/quota/ai-invocations`, where an answer without `monthlyQuotaUsage` is `None`:
    /// Port meters no monthly quota (an organisation on its own LLM provider).
    pub async fn quota_status(&self) -> Result<Option<MonthlyQuotaUsage>> {
        let body: QuotaBody = self.get("/v1/quota/ai-invocations").await?;
        Ok(body.monthly_quota_usage)
    }
}
