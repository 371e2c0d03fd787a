//! The agent cache on a real file, filled over real HTTP from port-mock playing the demo org.

use agents::{now_ms, AgentStore, WorkspaceKey, CACHE_FORMAT};
use port_api::{ApiBase, Credentials, PortClient};
use port_mock::{MockConfig, MockServer};

const SECRET: &str = "cache-test-client-secret-4f1c";

fn config() -> MockConfig {
    MockConfig {
        client_id: "cache-test-client".into(),
        client_secret: SECRET.into(),
        ..MockConfig::default()
    }
}

fn client(url: &str) -> PortClient {
    PortClient::new(
        ApiBase::custom(url).expect("a base URL"),
        Credentials::client_secret("cache-test-client", SECRET),
    )
    .expect("a client")
}

fn work() -> WorkspaceKey {
    WorkspaceKey::Profile("work".into())
}

#[tokio::test]
async fn fetched_agents_are_saved_without_secrets_and_served_when_port_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let server = MockServer::start(config()).await.unwrap();
    let url = server.base_url();
    let store = AgentStore::new(dir.path());

    // Never fetched: an empty snapshot, no notice, no refresh time.
    let empty = store.load(&work(), Some(&url));
    assert!(empty.agents.is_empty() && empty.fetched_at_ms.is_none() && empty.notice.is_none());

    let fetched = client(&url).list_agents().await.unwrap();
    assert!(
        fetched.len() >= 5,
        "the demo org's agents: {}",
        fetched.len()
    );
    let at = now_ms();
    store.save(&work(), &url, &fetched, at).unwrap();

    // The token the client was given, as the server saw it.
    let token = server
        .requests()
        .iter()
        .find_map(|r| {
            r.header("authorization")
                .map(|h| h.trim_start_matches("Bearer ").to_string())
        })
        .expect("an authorised request");
    assert!(token.len() > 6, "{token}");
    let file = std::fs::read_dir(store.dir())
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(".cache.json"))
        .expect("a cache file");
    let text = std::fs::read_to_string(file.path()).unwrap();
    for secret in [
        SECRET,
        token.as_str(),
        "Bearer",
        "clientSecret",
        "accessToken",
    ] {
        assert!(!text.contains(secret), "the cache holds {secret:?}");
    }
    assert!(text.contains("service_explorer"), "the agents are in it");

    // Port goes away: the saved list is still there, with its refresh time.
    server.shutdown().await;
    let offline = client(&url).list_agents().await;
    assert!(offline.is_err(), "port-mock is stopped");
    let cached = store.load(&work(), Some(&url));
    assert_eq!(cached.agents, fetched);
    assert_eq!(cached.fetched_at_ms, Some(at as f64));
    assert!(cached.notice.is_none());
}

#[test]
fn each_workspace_has_its_own_cache_and_a_moved_profile_shows_nothing_stale() {
    let dir = tempfile::tempdir().unwrap();
    let store = AgentStore::new(dir.path());
    let agent = port_api::Agent::from_entity(&serde_json::json!({"identifier": "ops"})).unwrap();
    store
        .save(
            &work(),
            "http://127.0.0.1:1/",
            std::slice::from_ref(&agent),
            1,
        )
        .unwrap();
    assert!(store.load(&WorkspaceKey::Demo, None).agents.is_empty());
    assert!(store
        .load(&WorkspaceKey::Profile("other".into()), None)
        .agents
        .is_empty());
    assert_eq!(
        store.load(&work(), Some("http://127.0.0.1:1")).agents.len(),
        1
    );
    // The profile now points at another org.
    let moved = store.load(&work(), Some("https://api.port.io"));
    assert!(moved.agents.is_empty() && moved.notice.is_none());
}

fn cache_file(store: &AgentStore) -> std::path::PathBuf {
    store
        .dir()
        .join(format!("{}.cache.json", work().file_stem()))
}

#[test]
fn a_corrupt_cache_is_reported_moved_aside_and_replaced_by_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let store = AgentStore::new(dir.path());
    std::fs::create_dir_all(store.dir()).unwrap();
    let path = cache_file(&store);
    for garbage in [
        &b"{ not json"[..],
        b"\xff\xfe\x00garbage",
        b"[]",
        br#"{"format": 1, "agents": "nope", "fetchedAtMs": 3}"#,
        br#"{"agents": []}"#,
    ] {
        std::fs::write(&path, garbage).unwrap();
        let snapshot = store.load(&work(), None);
        let notice = snapshot.notice.expect("a notice");
        assert!(notice.contains("fetched from Port again"), "{notice}");
        assert!(snapshot.agents.is_empty());
        assert!(!path.exists(), "moved aside");
        let backup = path.with_file_name(format!(
            "{}.unreadable",
            path.file_name().unwrap().to_string_lossy()
        ));
        assert_eq!(std::fs::read(&backup).unwrap(), garbage, "kept as it was");
    }
    store.save(&work(), "http://x", &[], 5).unwrap();
    let fresh = store.load(&work(), None);
    assert_eq!(fresh.fetched_at_ms, Some(5.0));
    assert!(fresh.notice.is_none());
}

#[test]
fn a_cache_from_a_newer_portdesk_is_not_read_and_is_left_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = AgentStore::new(dir.path());
    std::fs::create_dir_all(store.dir()).unwrap();
    let path = cache_file(&store);
    let newer = serde_json::json!({
        "format": CACHE_FORMAT + 1,
        "agentsByTeam": {"platform": []},
        "fetchedAtMs": 1
    })
    .to_string();
    std::fs::write(&path, &newer).unwrap();
    let snapshot = store.load(&work(), None);
    let notice = snapshot.notice.expect("a notice");
    assert!(notice.contains("newer Portdesk"), "{notice}");
    assert!(snapshot.agents.is_empty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), newer, "untouched");
}

#[test]
fn favourites_and_recents_persist_per_workspace_and_keep_unknown_fields() {
    let dir = tempfile::tempdir().unwrap();
    let store = AgentStore::new(dir.path());
    store.prefs().set_favourite(&work(), "ops", true).unwrap();
    store.prefs().set_favourite(&work(), "ops", true).unwrap();
    store.prefs().set_favourite(&work(), "sre", true).unwrap();
    for used in ["a", "b", "a", "c", "d", "e", "f", "g", "h", "i"] {
        store.prefs().note_used(&work(), used).unwrap();
    }
    // A new store on the same directory: what a restarted app sees.
    let reopened = AgentStore::new(dir.path());
    let prefs = reopened.prefs().get(&work());
    assert_eq!(prefs.favourites, vec!["ops", "sre"]);
    assert_eq!(prefs.recent.len(), agents::RECENT_LIMIT);
    assert_eq!(prefs.recent[0], "i");
    assert!(
        !prefs.recent.iter().any(|r| r == "b"),
        "the oldest was pushed out"
    );
    assert_eq!(
        prefs.recent.iter().filter(|r| *r == "a").count(),
        1,
        "no duplicates"
    );
    assert!(reopened
        .prefs()
        .get(&WorkspaceKey::Demo)
        .favourites
        .is_empty());
    reopened
        .prefs()
        .set_favourite(&work(), "ops", false)
        .unwrap();
    assert_eq!(reopened.prefs().get(&work()).favourites, vec!["sre"]);

    // A newer version's field survives this version's write.
    let path = store
        .dir()
        .join(format!("{}.prefs.json", work().file_stem()));
    let mut value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    value["pinnedOrder"] = serde_json::json!(["sre"]);
    std::fs::write(&path, value.to_string()).unwrap();
    store.prefs().note_used(&work(), "ops").unwrap();
    let after: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(after["pinnedOrder"], serde_json::json!(["sre"]));
    assert_eq!(after["recent"][0], "ops");
}

#[test]
fn corrupt_favourites_start_empty_with_a_notice_and_the_file_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = AgentStore::new(dir.path());
    std::fs::create_dir_all(store.dir()).unwrap();
    let path = store
        .dir()
        .join(format!("{}.prefs.json", work().file_stem()));
    std::fs::write(&path, b"{\"favourites\": 7}").unwrap();
    let prefs = store.prefs().get(&work());
    assert!(prefs.favourites.is_empty());
    assert!(prefs
        .notice
        .expect("a notice")
        .contains("could not be read"));
    let backup = path.with_file_name(format!(
        "{}.unreadable",
        path.file_name().unwrap().to_string_lossy()
    ));
    assert_eq!(std::fs::read(backup).unwrap(), b"{\"favourites\": 7}");
}
