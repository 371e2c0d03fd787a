//! The user's thresholds and the limiter's reserve, kept in the history database so the app and
//! the CLI honour the same ones.

use serde::{Deserialize, Serialize};

use crate::Policy;

/// Thresholds are percentages of the limit left; `None` turns an alert off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct QuotaPreferences {
    /// Alert when this share of the window's LLM calls or fewer is left.
    pub warn_requests_percent: Option<f64>,
    /// Alert when this share of the window's tokens or fewer is left.
    pub warn_tokens_percent: Option<f64>,
    /// Alert when this share of the monthly quota or fewer is left.
    pub warn_monthly_percent: Option<f64>,
    /// The limiter holds invocations back when this many calls or fewer are left.
    pub reserve_requests: f64,
    /// … or this many tokens or fewer.
    pub reserve_tokens: f64,
    /// `RATE_LIMIT_ERROR` retries before giving up.
    pub max_retries: u32,
}

impl Default for QuotaPreferences {
    fn default() -> Self {
        Self {
            warn_requests_percent: Some(10.0),
            warn_tokens_percent: Some(10.0),
            warn_monthly_percent: Some(20.0),
            reserve_requests: 0.0,
            reserve_tokens: 0.0,
            max_retries: Policy::default().max_retries,
        }
    }
}

impl QuotaPreferences {
    pub fn policy(&self) -> Policy {
        Policy {
            reserve_requests: self.reserve_requests.max(0.0),
            reserve_tokens: self.reserve_tokens.max(0.0),
            // A retry loop without end is what the SDKs get wrong.
            max_retries: self.max_retries.min(10),
        }
    }

    /// Why these preferences cannot be saved, if they cannot.
    pub fn problem(&self) -> Option<String> {
        let percents = [
            ("calls", self.warn_requests_percent),
            ("tokens", self.warn_tokens_percent),
            ("monthly", self.warn_monthly_percent),
        ];
        for (name, value) in percents {
            if let Some(v) = value {
                if !(0.0..=100.0).contains(&v) || !v.is_finite() {
                    return Some(format!("the {name} threshold must be between 0 and 100 %"));
                }
            }
        }
        if !self.reserve_requests.is_finite() || self.reserve_requests < 0.0 {
            return Some("the reserve of calls cannot be negative".into());
        }
        if !self.reserve_tokens.is_finite() || self.reserve_tokens < 0.0 {
            return Some("the reserve of tokens cannot be negative".into());
        }
        if self.max_retries > 10 {
            return Some("at most 10 retries".into());
        }
        None
    }
}
