//! Anything a user can type or paste: nothing panics, and what the engine reports stays
//! consistent with itself.

use proptest::prelude::*;
use tool_patterns::{explain, lint, match_tools, Catalog, CompiledPattern, PatternSet};

fn catalog() -> Catalog {
    let mut catalog = Catalog::builtin();
    catalog.add_connector_tool("notion", "notion-search");
    catalog.add_actions(["deploy_service", "é_unicode"]);
    catalog
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_text_compiles_explains_and_lints_without_panicking(text in "\\PC{0,24}|[\\\\()\\[\\]{}?*+|^$.a-z_0-9<>=!:-]{0,24}") {
        let compiled = CompiledPattern::compile(&text);
        let utf16_len = u32::try_from(text.encode_utf16().count()).unwrap_or(u32::MAX);
        if let Some(error) = compiled.error() {
            prop_assert!(error.start <= error.end && error.end <= utf16_len);
            prop_assert!(!compiled.test("list_entities"), "an invalid pattern matches nothing");
        }
        let explanation = explain(&text, &["notion".to_owned()]);
        prop_assert!(!explanation.summary.is_empty());
        for part in &explanation.parts {
            prop_assert!(part.start <= part.end && part.end <= utf16_len);
        }
        let set = PatternSet::compile(std::slice::from_ref(&text));
        for l in lint(&set, &catalog()) {
            if let (Some(start), Some(end)) = (l.start, l.end) {
                prop_assert!(start <= end && end <= utf16_len, "{:?}", l);
            }
        }
        let report = match_tools(&set, &catalog());
        prop_assert_eq!(report.patterns[0].matches as usize, report.tools.iter().filter(|t| t.matched).count());
    }
}

fn pattern_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(
            &[
                "list", "_", "(", ")", "|", "get", ".*", "a", "?", "^", "$", "[a-z]", "run_",
                "(?:", "e",
            ][..],
        ),
        0..6,
    )
    .prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The catalog-wide matcher (binary search for prefix patterns) agrees with testing each
    /// name on its own.
    #[test]
    fn indexed_matching_agrees_with_testing_each_name(
        patterns in prop::collection::vec(pattern_text(), 1..6),
        names in prop::collection::vec("(list|get|run|a|e)?_?[a-z_]{0,6}", 0..30),
    ) {
        let mut catalog = Catalog::builtin();
        for name in &names {
            catalog.add_spec(&tool_patterns::ToolSpec { name: name.clone(), connector: None }, tool_patterns::ToolOrigin::Manual);
        }
        let set = PatternSet::compile(&patterns);
        let report = match_tools(&set, &catalog);
        for tool in &report.tools {
            let expected: Vec<u32> = set
                .iter()
                .enumerate()
                .filter(|(_, p)| p.test(&tool.name))
                .map(|(i, _)| i as u32)
                .collect();
            prop_assert_eq!(&tool.matched_by, &expected, "{}", tool.name);
        }
    }
}
