//! The engine against JavaScript itself: Node evaluates `new RegExp("^" + p).test(name)` for
//! every pattern and name, and whether the pattern compiles; the engine must agree on all of
//! it. Cases go to one Node process per batch.
//!
//! Node is required (scripts/lib.sh installs it; `PORTDESK_NODE` names another binary).

use std::io::Write;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use serde_json::{json, Value};
use tool_patterns::{builtin_names, match_tools, Catalog, CompiledPattern, PatternSet, ToolSpec};

const NODE_SCRIPT: &str = r#"
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = input.patterns.map((p) => {
  let re;
  try { re = new RegExp("^" + p); } catch (e) { return null; }
  return input.names.map((n) => re.test(n));
});
process.stdout.write(JSON.stringify(out));
"#;

fn node() -> String {
    std::env::var("PORTDESK_NODE").unwrap_or_else(|_| "node".to_owned())
}

/// Per pattern: `None` when JavaScript rejects it, else one result per name.
fn javascript(patterns: &[String], names: &[String]) -> Vec<Option<Vec<bool>>> {
    let mut child = Command::new(node())
        .args(["-e", NODE_SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("the conformance suite needs Node (`node` on PATH or PORTDESK_NODE): {e}")
        });
    let input = json!({ "patterns": patterns, "names": names }).to_string();
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write to node");
    let output = child.wait_with_output().expect("node ran");
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: Value = serde_json::from_slice(&output.stdout).expect("node printed JSON");
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| {
            v.as_array()
                .map(|results| results.iter().map(|b| b.as_bool() == Some(true)).collect())
        })
        .collect()
}

/// Every disagreement between the engine and JavaScript, described.
fn disagreements(patterns: &[String], names: &[String]) -> Vec<String> {
    let reference = javascript(patterns, names);
    let mut found = Vec::new();
    // The same names as a catalog: the matcher narrows candidates by a pattern's start and
    // answers common shapes without the regex, so the catalog path is compared too.
    let specs: Vec<ToolSpec> = names
        .iter()
        .map(|n| ToolSpec {
            name: n.clone(),
            connector: None,
        })
        .collect();
    let catalog = Catalog::from_specs(&specs, &[]);
    for (pattern, expected) in patterns.iter().zip(reference) {
        let compiled = CompiledPattern::compile(pattern);
        match expected {
            None if compiled.is_valid() => found.push(format!(
                "{pattern:?}: JavaScript rejects it, the engine accepts it"
            )),
            None => {}
            Some(_) if !compiled.is_valid() => found.push(format!(
                "{pattern:?}: JavaScript accepts it, the engine rejects it ({:?})",
                compiled.error().map(|e| e.message.clone())
            )),
            Some(results) => {
                let by_name: std::collections::HashMap<&str, bool> = names
                    .iter()
                    .map(String::as_str)
                    .zip(results.iter().copied())
                    .collect();
                for (name, js) in names.iter().zip(results) {
                    if compiled.test(name) != js {
                        found.push(format!(
                            "{pattern:?} on {name:?}: JavaScript {js}, engine {}",
                            !js
                        ));
                    }
                }
                let report = match_tools(&PatternSet::compile(&[pattern]), &catalog);
                for tool in &report.tools {
                    if let Some(&js) = by_name.get(tool.name.as_str()) {
                        if tool.matched != js {
                            found.push(format!(
                                "{pattern:?} on {:?} in a catalog: JavaScript {js}, matcher {}",
                                tool.name, tool.matched
                            ));
                        }
                    }
                }
            }
        }
    }
    found
}

fn names() -> Vec<String> {
    let mut names = builtin_names();
    names.extend(
        [
            "",
            "a",
            "A",
            "_",
            "__",
            "a_b",
            "ab",
            "aab",
            "abab",
            "list",
            "list_",
            "List_entities",
            "8",
            "08",
            "\u{8}",
            "\u{1}",
            "c",
            "\\c",
            "\\",
            "{",
            "}",
            "]",
            "a{",
            "a{2",
            "aa{2}",
            "k",
            "x",
            "x4",
            "u",
            "u00",
            "-",
            "a-b",
            "a.b",
            "a\nb",
            "\n",
            "\r",
            " ",
            "a b",
            "é",
            "é_x",
            "😀",
            "😀_tool",
            "\u{2028}",
            "notion_notion-search",
            "run_deploy_service",
            "run_github_create_issue",
            "delete_everything",
            "list_entities_x",
            "xlist_entities",
            "entity",
            "_entity",
            "upsert_entity$",
            "k<n>",
            "\u{0}",
        ]
        .iter()
        .map(|s| (*s).to_owned()),
    );
    names
}

/// Written by hand: the documented examples, the shapes people actually type, and the Annex B
/// corners where engines tend to differ.
const HAND_PATTERNS: &[&str] = &[
    // Port's docs and defaults
    "^(list|get|search|track|describe)_.*",
    "^(list|search|track|describe)_.*",
    "^run_.*",
    "run_.*github.*",
    "run_.*jira.*",
    r"(?!delete_)\w+_entity$",
    "list_.*",
    ".*docs.*",
    "search_.*",
    ".*blueprint.*",
    "^list_.*",
    "notion_.*",
    "^notion_.*",
    "notion_notion-search",
    ".*",
    "",
    "^",
    "$",
    "^$",
    // alternations: only the first alternative is anchored
    "list_.*|get_.*",
    "|x",
    "a|",
    "x|entity",
    "(list|get)_entities|upsert",
    // lookarounds
    "(?=list)",
    "(?!list)",
    "(?=list)list_entities$",
    "(?<=_)entity",
    "(?<!x)list",
    "(?<=^)list",
    "(?=a)*",
    "(?!a)+list",
    "(?=a){2}",
    "(?<=a)*",
    // classes
    "[a-z]+_[a-z]+$",
    "[^_]+_entity",
    "[]",
    "[^]",
    "[^]*",
    "[]a]",
    "[a-]",
    "[-a]",
    "[z-a]",
    r"[\w-z]",
    r"[a-\d]",
    r"[\b]",
    r"[\c_]",
    r"[\c1]",
    r"[\cA]",
    r"[\8]",
    r"[\01]",
    r"[\k]",
    "[",
    "]",
    "a]",
    // quantifiers and braces
    "a{2}",
    "a{2,}",
    "a{2,3}",
    "a{3,2}",
    "a{",
    "a{2",
    "a{,2}",
    "{",
    "}",
    "{2}",
    "a{1}?",
    "a**",
    "a*?",
    "a+?b",
    "*",
    "+a",
    "?",
    "a??",
    "x{99999999999}",
    // escapes
    r"\c",
    r"\cA",
    r"\ca",
    r"\c1",
    r"\c_",
    r"\8",
    r"\9",
    r"\1",
    r"(a)\1",
    r"(a)\2",
    r"\01",
    r"\08",
    r"\0",
    r"\00",
    r"\377",
    r"\400",
    r"\x4",
    r"\x41",
    r"\x",
    r"\u",
    r"\u0041",
    r"\u004",
    r"\u{41}",
    r"\u{1}",
    r"\k",
    r"\k<n>",
    r"(?<n>a)\k<n>",
    r"(?<n>a)\k<m>",
    r"\p{L}",
    r"\P",
    r"\q",
    r"\-",
    r"\_",
    r"\.",
    r"\/",
    "/",
    r"\",
    r"a\",
    r"\b",
    r"\B",
    r"\b*",
    r"a\B+",
    r"\b{2}",
    r"\b{",
    "$*",
    "a$?",
    "^*",
    "a^+",
    "(?<=a)?",
    "(?<!a){2}",
    r"list\b",
    r"\d",
    r"\D+",
    r"\s",
    r"\S*",
    r"\w+$",
    r"\W",
    r"\t",
    r"\n",
    r"\v",
    r"\f",
    r"\r",
    // groups and flags
    "(?i)list",
    "(?i:list)",
    "(?-i:list)",
    "(?x)",
    "(?",
    "(?:list)",
    "(?<n>list)",
    "(?<n>a)(?<n>b)",
    "(?<1>a)",
    "(?P<n>a)",
    "(",
    ")",
    "a)",
    "(a",
    "()",
    "(|)",
    "((a)|b)+",
    "(a*)*b",
    // non-ASCII
    "é",
    ".é",
    "😀",
    ".",
    "..",
    ".$",
    "..$",
    "[😀]",
    "\u{2028}",
    ".\n",
];

#[test]
fn hand_written_cases_agree_with_javascript() {
    let patterns: Vec<String> = HAND_PATTERNS.iter().map(|p| (*p).to_owned()).collect();
    let found = disagreements(&patterns, &names());
    assert!(
        found.is_empty(),
        "{} disagreements:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// Pieces that make up generated patterns: ordinary text, every kind of syntax, and pieces that
/// are only half of a construct so that many generated patterns are invalid.
const FRAGMENTS: &[&str] = &[
    "a", "b", "_", "list", "entity", "run_", "delete_", "e", "t", "-", "8", "k", "c", "x", "u",
    ".", "*", "+", "?", "{2}", "{1,}", "{0,1}", "{", "}", "{2", ",", "[a-z]", "[^_]", "[", "]",
    "[]", "[^]", "(", ")", "(?:", "(?=", "(?!", "(?<=", "(?<!", "(?<n>", "|", "^", "$", r"\d",
    r"\w", r"\s", r"\W", r"\b", r"\B", r"\c", r"\cA", r"\c1", r"\8", r"\1", r"\01", r"\0", r"\x4",
    r"\x41", r"\u00", r"\u0041", r"\k", r"\k<n>", r"\.", r"\-", r"\", "(?i)", r"\b*", "$", "(?i:",
    "\\u{", "{1}", "é", "😀", r"[\b]", r"[\c_]", "(a)", "a*", ".*", "\n",
];

fn pattern_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 1..7).prop_map(|parts| parts.concat())
}

const NAME_PIECES: &[&str] = &[
    "list", "get", "run", "_", "entity", "entities", "delete", "a", "b", "e", "t", "8", "-", "k",
    "c", "x", "u", "{", "}", "]", "\\", ".", " ", "\n", "é", "😀", "notion", "docs", "A",
];

fn name_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(NAME_PIECES), 0..6).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Batches of generated patterns, each against every name and a batch of generated names.
    #[test]
    fn generated_patterns_agree_with_javascript(
        patterns in prop::collection::vec(pattern_strategy(), 400),
        generated_names in prop::collection::vec(name_strategy(), 60),
    ) {
        let mut all_names = names();
        all_names.extend(generated_names);
        let found = disagreements(&patterns, &all_names);
        prop_assert!(found.is_empty(), "{} disagreements:\n{}", found.len(), found.join("\n"));
    }
}

/// A guard on the guard: the comparison does see a difference when there is one.
#[test]
fn the_reference_is_really_javascript() {
    let patterns = vec![
        "(?i)list".to_owned(),
        "(?=a)*".to_owned(),
        r"\c1".to_owned(),
    ];
    let names = vec!["list".to_owned(), "\\c1".to_owned()];
    let reference = javascript(&patterns, &names);
    assert_eq!(reference[0], None, "(?i) is not JavaScript");
    assert_eq!(
        reference[1],
        Some(vec![true, true]),
        "Annex B: quantified lookahead"
    );
    assert_eq!(
        reference[2],
        Some(vec![false, true]),
        "Annex B: \\c1 is a backslash, c, 1"
    );
}
