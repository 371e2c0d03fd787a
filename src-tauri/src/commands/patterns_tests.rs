use super::*;
use crate::catalog::build_catalog;
use crate::settings::CheckExpect;
use port_api::ApprovalPreferences;

fn workspace(extra: &[&str]) -> WorkspaceCatalog {
    let mut preferences = ApprovalPreferences::default();
    preferences.set_mode(
        "notion_notion-search",
        Some(port_api::ApprovalMode::Automatic),
    );
    let extra: Vec<ToolSpec> = extra
        .iter()
        .map(|n| ToolSpec {
            name: n.to_string(),
            connector: None,
        })
        .collect();
    WorkspaceCatalog {
        revision: 3,
        catalog: build_catalog(&preferences, &[], &extra),
        previous: Some(build_catalog(&preferences, &[], &[])),
        preferences,
        actions: Vec::new(),
        extra,
        problems: Vec::new(),
    }
}

fn input(text: &str, enabled: bool) -> PatternInput {
    PatternInput {
        text: text.into(),
        enabled,
    }
}

fn names_matched(built: &WorkspaceCatalog, evaluation: &Evaluation) -> Vec<String> {
    let tools = catalog_view(built).tools;
    tools
        .iter()
        .zip(&evaluation.matched_by)
        .filter(|(_, by)| !by.is_empty())
        .map(|(t, _)| t.name.clone())
        .collect()
}

#[test]
fn evaluation_follows_ports_rules_and_numbers_patterns_as_the_editor_does() {
    let built = workspace(&[]);
    let request = EvaluateRequest {
        patterns: vec![
            input("list_.*", false),
            input("^(get|search)_", true),
            input("notion_.*", true),
            input(".*", true),
        ],
        checks: vec![],
    };
    let evaluation = evaluate(&built, &request);
    assert_eq!(evaluation.catalog_revision, 3);
    assert_eq!(
        evaluation.matched_by.len(),
        catalog_view(&built).tools.len()
    );
    let matched = names_matched(&built, &evaluation);
    // `.*` reaches every Port tool but no connector tool; `notion_.*` reaches notion's.
    assert!(matched.contains(&"list_entities".to_string()));
    assert!(matched.contains(&"notion_notion-search".to_string()));
    // The switched-off pattern lets nothing in, but still reports what it would match.
    assert!(evaluation.matched_by.iter().all(|by| !by.contains(&0)));
    assert!(evaluation.patterns[0].matches > 0);
    assert_eq!(evaluation.patterns[2].applies_to, "notion");
    assert_eq!(evaluation.patterns[3].applies_to, "port");
    assert_eq!(evaluation.available as usize, matched.len());
}

#[test]
fn an_invalid_pattern_is_an_error_at_its_position_and_lints_land_on_the_right_row() {
    let built = workspace(&[]);
    let request = EvaluateRequest {
        patterns: vec![
            input("zzz_nothing", false),
            input("list_(", true),
            input("^notion_.*", true),
        ],
        checks: vec![],
    };
    let evaluation = evaluate(&built, &request);
    let bad = &evaluation.patterns[1];
    assert!(!bad.valid);
    let error = bad.error.as_ref().expect("an error");
    assert!(error.start <= 6 && error.end <= 7, "{error:?}");
    assert!(error.message.contains("Port would ignore"));
    assert!(bad.lints.iter().all(|l| l.code != "invalidPattern"));
    let anchored = &evaluation.patterns[2];
    assert!(
        anchored.lints.iter().any(|l| l.code == "connectorAnchor"),
        "{:?}",
        anchored.lints
    );
    // The switched-off row gets no lints of its own.
    assert!(evaluation.patterns[0].lints.is_empty());
}

#[test]
fn checks_report_the_pattern_that_let_a_tool_in_by_its_row_number() {
    let built = workspace(&[]);
    let request = EvaluateRequest {
        patterns: vec![
            input("get_.*", false),
            input("list_.*", true),
            input(".*_entity", true),
        ],
        checks: vec![
            ToolCheck {
                tool: "delete_entity".into(),
                expect: CheckExpect::NoMatch,
            },
            ToolCheck {
                tool: "list_entities".into(),
                expect: CheckExpect::Match,
            },
        ],
    };
    let evaluation = evaluate(&built, &request);
    let delete = &evaluation.checks[0];
    assert!(!delete.passed);
    assert_eq!(delete.matched_by, Some(2));
    assert!(delete.message.contains("#3"), "{}", delete.message);
    assert!(delete.in_catalog);
    assert!(evaluation.checks[1].passed);
}

#[test]
fn new_tools_under_a_broad_pattern_are_pointed_out() {
    let built = workspace(&["delete_everything", "list_widgets"]);
    let request = EvaluateRequest {
        patterns: vec![input("list_widgets", true), input("(?!zzz).*", true)],
        checks: vec![],
    };
    let evaluation = evaluate(&built, &request);
    let tools: Vec<&str> = evaluation
        .new_tools
        .iter()
        .map(|n| n.tool.as_str())
        .collect();
    assert!(tools.contains(&"delete_everything"), "{tools:?}");
    assert!(evaluation.new_tools.iter().all(|n| n.pattern == 1));
}

#[test]
fn the_catalog_is_grouped_port_families_then_connectors() {
    let built = workspace(&["run_deploy"]);
    let view = catalog_view(&built);
    let groups: Vec<&str> = view.tools.iter().map(|t| t.group.as_str()).collect();
    let first_connector = groups
        .iter()
        .position(|g| g.starts_with("Connector"))
        .expect("a connector");
    assert!(groups[..first_connector]
        .iter()
        .all(|g| !g.starts_with("Connector")));
    let deploy = view
        .tools
        .iter()
        .find(|t| t.name == "run_deploy")
        .expect("the action");
    assert_eq!(deploy.kind, ToolKind::Action);
    assert!(deploy.write);
}
