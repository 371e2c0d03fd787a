//! How ProfileStore copes with profiles.json files it did not write: unusable ones are moved
//! aside, newer ones left alone.

use super::tests::{eu, token, Fixture};

#[test]
fn unusable_files_are_moved_aside_never_deleted() {
    let cases: [&[u8]; 6] = [
        b"{not json",
        br#"{"profiles": []}"#,
        br#"{"version": 0, "profiles": []}"#,
        br#"{"version": 1, "profiles": {"a": 1}}"#,
        br#"{"version": 1, "profiles": [{"name": "a/b", "target": {"kind": "region", "region": "eu", "legacy": false}, "auth": {"kind": "accessToken"}}]}"#,
        br#"{"version": 1, "profiles": [{"name": "a", "target": {"kind": "region", "region": "eu", "legacy": false}, "auth": {"kind": "accessToken"}}, {"name": "a", "target": {"kind": "region", "region": "eu", "legacy": false}, "auth": {"kind": "accessToken"}}]}"#,
    ];
    for bytes in cases {
        let f = Fixture::new();
        f.write_file(bytes);
        assert!(f.store.list().unwrap().is_empty());
        let files = f.files();
        assert_eq!(files.len(), 1, "{files:?}");
        let backup = &files[0];
        assert!(backup.starts_with("profiles.json.corrupt-"), "{backup}");
        assert_eq!(std::fs::read(f.data_dir().join(backup)).unwrap(), bytes);
        let notice = f.store.load_notice().expect("a notice");
        assert!(notice.contains(backup.as_str()), "{notice}");
        // Work goes on with defaults, and the notice stays until the app shows it.
        f.store.add("fresh", eu(), token()).unwrap();
        assert_eq!(f.store.list().unwrap().len(), 1);
        assert!(f.store.load_notice().is_some());
    }
}

#[test]
fn the_notice_is_there_even_before_any_other_call() {
    let f = Fixture::new();
    f.write_file(b"[]");
    let notice = f.store.load_notice().expect("notice");
    assert!(notice.contains("profiles.json.corrupt-"), "{notice}");
}

#[test]
fn a_file_from_a_newer_portdesk_is_left_alone() {
    let f = Fixture::new();
    let newer =
        br#"{"version": 2, "defaultProfile": "x", "profiles": [{"name": "x", "shiny": true}]}"#;
    f.write_file(newer);
    assert!(f.store.list().unwrap().is_empty());
    assert_eq!(f.store.default_profile().unwrap(), None);
    let notice = f.store.load_notice().expect("notice");
    assert!(notice.contains("newer Portdesk (version 2"), "{notice}");
    for err in [
        f.store.add("a", eu(), token()).unwrap_err(),
        f.store.set_default("x").unwrap_err(),
        f.store.remove("x").unwrap_err(),
        f.store.update("x", eu(), None).unwrap_err(),
        f.store.connect("x").unwrap_err(),
    ] {
        assert!(
            ["settings_unwritable", "profile_not_found"].contains(&err.code.as_str()),
            "{err:?}"
        );
        assert!(err.message.contains("newer Portdesk"), "{}", err.message);
    }
    assert_eq!(
        f.store.add("a", eu(), token()).unwrap_err().code,
        "settings_unwritable"
    );
    assert!(f.secrets.entries.lock().unwrap().is_empty());
    assert_eq!(std::fs::read(f.file_path()).unwrap(), newer);
    assert_eq!(f.files(), ["profiles.json"]);

    // Once it is gone (e.g. Portdesk was updated and wrote it elsewhere), so is the notice.
    std::fs::remove_file(f.file_path()).unwrap();
    assert!(f.store.list().unwrap().is_empty());
    assert_eq!(f.store.load_notice(), None);
}

#[test]
fn a_dangling_default_is_dropped_and_unknown_fields_are_tolerated() {
    let f = Fixture::new();
    f.write_file(
        br#"{"version": 1, "defaultProfile": "gone", "extra": 1, "profiles": [{"name": "a", "target": {"kind": "custom", "baseUrl": "https://p.example"}, "auth": {"kind": "accessToken"}}]}"#,
    );
    let list = f.store.list().unwrap();
    assert_eq!(list.len(), 1);
    assert!(!list[0].is_default);
    assert_eq!(f.store.load_notice(), None);
    assert_eq!(f.store.default_profile().unwrap(), None);
}
