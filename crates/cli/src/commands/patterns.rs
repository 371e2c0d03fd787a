//! `portdesk-cli match`: tool patterns evaluated exactly as Port does, offline.

use serde::Deserialize;
use serde_json::{json, Value};
use tool_patterns::{lint, match_tools, Catalog, MatchReport, PatternError, PatternSet, ToolSpec};

use crate::args::MatchArgs;
use crate::output::{self, CliError};

/// One entry of a tools file; `connector` may be missing or null.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ToolsFileEntry {
    name: String,
    #[serde(default)]
    connector: Option<String>,
}

pub fn run(args: &MatchArgs) -> Result<(), CliError> {
    let patterns = parse_patterns(&args.patterns)?;
    let catalog = catalog(args)?;
    let set = PatternSet::compile(&patterns);
    let report = match_tools(&set, &catalog);
    if args.json {
        output::json_line(&to_json(&report));
    } else {
        print_human(&set, &catalog, &report);
    }
    Ok(())
}

fn parse_patterns(text: &str) -> Result<Vec<String>, CliError> {
    serde_json::from_str::<Vec<String>>(text).map_err(|e| {
        CliError::usage(format!(
            "--patterns must be a JSON array of strings, like '[\"^(list|get)_.*\"]': {e}"
        ))
    })
}

fn catalog(args: &MatchArgs) -> Result<Catalog, CliError> {
    let mut specs: Vec<ToolSpec> = Vec::new();
    if let Some(path) = &args.tools_file {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CliError::usage(format!(
                "cannot read the tools file {}: {e}",
                path.display()
            ))
        })?;
        let entries: Vec<ToolsFileEntry> = serde_json::from_str(&text).map_err(|e| {
            CliError::usage(format!(
                "the tools file {} must be a JSON array of {{\"name\", \"connector\"}} objects: {e}",
                path.display()
            ))
        })?;
        specs.extend(entries.into_iter().map(|e| ToolSpec {
            name: e.name,
            connector: e.connector,
        }));
    }
    for name in &args.tools {
        let connector = args
            .connectors
            .iter()
            .filter(|c| name.starts_with(&format!("{c}_")))
            .max_by_key(|c| c.len())
            .cloned();
        specs.push(ToolSpec {
            name: name.clone(),
            connector,
        });
    }
    if specs.is_empty() {
        let mut catalog = Catalog::builtin();
        for connector in &args.connectors {
            catalog.add_connector(connector);
        }
        return Ok(catalog);
    }
    Ok(Catalog::from_specs(&specs, &args.connectors))
}

fn error_text(error: &PatternError) -> String {
    format!("{} at column {}", error.message, error.start + 1)
}

/// The documented shape: `{"tools":[{name, connector, matched, matchedBy}], "patterns":[{pattern,
/// valid, error, appliesTo, matches}]}`.
fn to_json(report: &MatchReport) -> Value {
    json!({
        "tools": report.tools.iter().map(|t| json!({
            "name": t.name,
            "connector": t.connector,
            "matched": t.matched,
            "matchedBy": t.matched_by,
        })).collect::<Vec<_>>(),
        "patterns": report.patterns.iter().map(|p| json!({
            "pattern": p.pattern,
            "valid": p.valid,
            "error": p.error.as_ref().map(error_text),
            "appliesTo": p.applies_to.label(),
            "matches": p.matches,
        })).collect::<Vec<_>>(),
    })
}

fn print_human(set: &PatternSet, catalog: &Catalog, report: &MatchReport) {
    let lints = lint(set, catalog);
    println!("Patterns");
    if report.patterns.is_empty() {
        println!("  (none: an empty set matches nothing)");
    }
    let width = report
        .patterns
        .iter()
        .map(|p| p.pattern.chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    for p in &report.patterns {
        let status = match &p.error {
            Some(e) => format!("invalid: {} (Port ignores it)", error_text(e)),
            None => format!(
                "{} match{}",
                p.matches,
                if p.matches == 1 { "" } else { "es" }
            ),
        };
        println!(
            "  #{:<3} {:<width$}  {:<10} {status}",
            p.index + 1,
            output::shorten(&p.pattern, 48),
            p.applies_to.label(),
        );
        if let Some(e) = &p.error {
            let caret = " ".repeat(e.start as usize);
            println!("        {}", p.pattern);
            println!("        {caret}^");
        }
        for l in lints.iter().filter(|l| {
            l.pattern_index == p.index && l.code != tool_patterns::LintCode::InvalidPattern
        }) {
            println!("        {:?}: {}", l.severity, l.message);
        }
    }
    let matched = report.tools.iter().filter(|t| t.matched).count();
    println!();
    println!("Tools ({matched} of {} matched)", report.tools.len());
    let width = report
        .tools
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(60);
    for t in &report.tools {
        let mark = if t.matched { "✓" } else { "·" };
        let by = t
            .matched_by
            .iter()
            .map(|i| format!("#{}", i + 1))
            .collect::<Vec<_>>()
            .join(" ");
        let connector = t
            .connector
            .as_deref()
            .map(|c| format!("[{c}] "))
            .unwrap_or_default();
        println!("  {mark} {:<width$}  {connector}{by}", t.name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_must_be_a_json_array_of_strings() {
        assert!(parse_patterns(r#"["a", "b"]"#).is_ok());
        assert!(parse_patterns("list_.*").is_err());
        assert!(parse_patterns("[1]").is_err());
    }
}
