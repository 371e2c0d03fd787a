//! Hostile search input: whatever a person types, search answers (possibly nothing), never an
//! FTS syntax error.

use history::{
    fts_query, HistoryFilter, HistoryStore, NewInvocation, Outcome, PageRequest, Source,
};
use port_api::{InvokeEvent, InvokeRequest};
use proptest::prelude::*;

fn store_with_text() -> (tempfile::TempDir, HistoryStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = HistoryStore::open_in(dir.path()).unwrap();
    let recorder = store.recorder();
    let begun = recorder
        .begin(NewInvocation::from_request(
            &InvokeRequest::general("Quote \"this\" AND that NEAR(x y) * (unbalanced"),
            Source::Cli,
        ))
        .unwrap();
    recorder
        .append(
            &begun.id,
            &InvokeEvent::AnswerDelta {
                delta: "ünïcödé 日本語 emoji 🚀 col:umn ^caret -minus +plus".into(),
            },
        )
        .unwrap();
    recorder
        .finish(&begun.id, Outcome::from_error(None, None))
        .unwrap();
    recorder.flush().unwrap();
    (dir, store)
}

const NASTY: &[&str] = &[
    "\"",
    "\"\"",
    "\"a",
    "a\"",
    "(",
    ")",
    "((",
    "))(",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    "NEAR/2",
    "*",
    "**",
    "a*",
    "*a",
    "^",
    "^a",
    "-",
    "+",
    ":",
    "col:",
    "prompt:x",
    "{prompt answer}:x",
    "\0",
    "\u{2}",
    "\u{3}",
    "a AND",
    "OR b",
    "NOT NOT",
    "\u{feff}",
    "'",
    "''",
    "%",
    "_",
    "\\",
    "🚀",
    "日本",
    "Ⅻ",
    "١٢٣",
    "\u{0301}",
    "a\u{0301}",
];

#[test]
fn every_nasty_fragment_alone_and_combined_is_answered() {
    let (_dir, store) = store_with_text();
    let all = HistoryFilter::default();
    let page = PageRequest::first(10);
    for a in NASTY {
        for b in NASTY {
            let q = format!("{a}{b} {b}");
            store
                .search(&q, &all, &page)
                .unwrap_or_else(|e| panic!("{q:?}: {e}"));
        }
    }
    // The literal text is still findable through the quoting.
    let hits = store.search("NEAR(x", &all, &page).unwrap();
    assert_eq!(hits.items.len(), 1);
    let hits = store.search("🚀 日本語", &all, &page).unwrap();
    assert_eq!(hits.items.len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_is_a_valid_search(input in "\\PC{0,40}", nasty in proptest::sample::select(NASTY)) {
        let (_dir, store) = STORE.with(|s| s.clone());
        let _ = _dir;
        let query = format!("{input}{nasty}");
        let result = store.search(&query, &HistoryFilter::default(), &PageRequest::first(5));
        prop_assert!(result.is_ok(), "{:?}: {:?}", query, result.err().map(|e| e.to_string()));
        if let Some(fts) = fts_query(&query) {
            prop_assert!(fts.starts_with('"'));
        }
    }

    #[test]
    fn any_unicode_at_all_is_a_valid_search(input in any::<String>()) {
        let (_dir, store) = STORE.with(|s| s.clone());
        let _ = _dir;
        let result = store.search(&input, &HistoryFilter::default(), &PageRequest::first(5));
        prop_assert!(result.is_ok(), "{:?}: {:?}", input, result.err().map(|e| e.to_string()));
    }
}

thread_local! {
    static STORE: (std::rc::Rc<tempfile::TempDir>, HistoryStore) = {
        let (dir, store) = store_with_text();
        (std::rc::Rc::new(dir), store)
    };
}
