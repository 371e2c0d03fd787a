//! Which tools an agent may call, exactly as Port decides it, and why.
//!
//! Port evaluates each tool pattern as `new RegExp("^" + pattern).test(toolName)`: ECMAScript
//! syntax with Annex B, no flags, anchored at the start only. A tool is available when any
//! applicable pattern matches; an empty set matches nothing; a pattern that does not compile
//! matches nothing. A pattern applies to connector `X`'s tools only when its text begins with
//! `X_`; every other pattern applies only to Port's own tools.
//!
//! Tauri-free: the desktop shell and `portdesk-cli` build on it. Every type that crosses IPC
//! derives serde and `specta::Type`.

mod analysis;
mod annex_b;
mod builtin;
mod catalog;
mod checks;
mod explain;
mod lint;
mod matcher;
mod pattern;
mod prefilter;
mod presets;
mod resolve;
mod syntax;

pub use analysis::{analyze, Analysis, AnalysisInput};
pub use builtin::{builtin_names, PORT_TOOLS_JSON};
pub use catalog::{
    Access, Catalog, CatalogInput, ConnectorTools, GroupKind, Tool, ToolGroup, ToolOrigin, ToolSpec,
};
pub use checks::{
    new_tools_under_broad_patterns, run_checks, Check, CheckResult, Expectation, NewToolAlert,
};
pub use explain::{explain, Explanation, ExplanationPart};
pub use lint::{lint, lint_matched, Lint, LintCode, Severity};
pub use matcher::{
    match_indices, match_tools, AppliesTo, MatchIndices, MatchReport, PatternReport, ToolMatch,
};
pub use pattern::{CompiledPattern, PatternError, PatternSet};
pub use presets::{presets, Preset};
pub use resolve::{
    resolve, Availability, ModeSource, OverrideError, Resolution, ResolveOptions, ResolvedTool,
};

pub use port_api::{ApprovalMode, ApprovalPreferences, ChatMode};
