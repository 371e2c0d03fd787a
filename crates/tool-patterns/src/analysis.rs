//! Everything the Tools panel shows for one pattern set, in one call.

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, ToolGroup};
use crate::checks::{run_checks, Check, CheckResult};
use crate::lint::{lint, Lint};
use crate::matcher::{match_tools, MatchReport};
use crate::pattern::PatternSet;
use crate::resolve::{resolve, Resolution, ResolveOptions};
use port_api::ApprovalPreferences;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AnalysisInput {
    pub patterns: Vec<String>,
    pub checks: Vec<Check>,
    pub preferences: ApprovalPreferences,
    pub options: ResolveOptions,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    pub matches: MatchReport,
    pub lints: Vec<Lint>,
    pub checks: Vec<CheckResult>,
    pub resolution: Resolution,
    pub groups: Vec<ToolGroup>,
}

/// Compiles the set once and runs matching, lints, checks and resolution on it.
pub fn analyze(input: &AnalysisInput, catalog: &Catalog) -> Analysis {
    let set = PatternSet::compile(&input.patterns);
    Analysis {
        matches: match_tools(&set, catalog),
        lints: lint(&set, catalog),
        checks: run_checks(&set, catalog, &input.checks),
        resolution: resolve(&set, catalog, &input.preferences, &input.options),
        groups: catalog.groups(),
    }
}
