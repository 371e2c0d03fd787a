//! Writes `fixtures/history-v1.sqlite`: a history as version 1 of the schema left it, for the
//! migration tests. Run once when a new fixture is needed:
//! `cargo run -p history --example make_v1_fixture`. Version 1 is frozen, so this file is too.

use rusqlite::{params, Connection};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/history-v1.sqlite");
    let _ = std::fs::remove_file(&path);
    let conn = Connection::open(&path)?;
    conn.execute_batch(include_str!("../migrations/0001_initial.sql"))?;
    conn.pragma_update(None, "user_version", 1)?;
    conn.execute(
        "INSERT INTO conversations(id, uid, title, created_at, updated_at)
         VALUES (1, 'conv-v1-0001', 'Which services failed their health checks?', 1763950000000, 1763950060000)",
        [],
    )?;
    let invocations = [
        (
            1,
            "inv-v1-0001",
            Some("incident_manager"),
            "Which services failed their health checks?",
            "completed",
            1763950000000i64,
            Some(1763950004000i64),
            Some("port-inv-1"),
            "Two services failed: payments and ledger.",
            None::<&str>,
        ),
        (
            2,
            "inv-v1-0002",
            None,
            "Summarise the nebula rollout",
            "failed",
            1763950060000,
            Some(1763950061000),
            None,
            "",
            Some(
                r#"{"code":"rate_limited","message":"Rate limit exceeded","details":{"retryAfterSecs":30}}"#,
            ),
        ),
        (
            3,
            "inv-v1-0003",
            None,
            "List the open incidents for checkout",
            "streaming",
            1763950120000,
            None,
            None,
            "",
            None,
        ),
    ];
    for (id, uid, agent, prompt, status, asked, replied, port_id, answer, error) in invocations {
        conn.execute(
            "INSERT INTO invocations(id, uid, conversation_id, profile, agent, prompt, request,
                 labels, tool_patterns, status, source, asked_at, replied_at, port_invocation_id,
                 answer, error, error_code, writer_pid, writer_token, event_count)
             VALUES (?1, ?2, 1, 'work', ?3, ?4, ?5, '{\"team\":\"sre\"}', '[]', ?6, 'app', ?7, ?8,
                 ?9, ?10, ?11, ?12, 4242, '00000000-0000-4000-8000-0000000000v1', 0)",
            params![
                id,
                uid,
                agent,
                prompt,
                format!("{{\"prompt\":{prompt:?}}}"),
                status,
                asked,
                replied,
                port_id,
                answer,
                error,
                error.map(|_| "rate_limited"),
            ],
        )?;
        conn.execute(
            "INSERT INTO invocation_labels(invocation_id, key, value) VALUES (?1, 'team', 'sre')",
            [id],
        )?;
    }
    let events = [
        (
            1,
            0,
            "invocation_id",
            r#"{"type":"invocation_id","id":"port-inv-1"}"#,
        ),
        (
            1,
            1,
            "tool_call_started",
            r#"{"type":"tool_call_started","id":"c1","name":"list_entities"}"#,
        ),
        (
            1,
            2,
            "tool_call_arguments_delta",
            r#"{"type":"tool_call_arguments_delta","id":"c1","delta":"{\"blueprint\":\"service\"}"}"#,
        ),
        (
            1,
            3,
            "tool_call_complete",
            r#"{"type":"tool_call_complete","id":"c1"}"#,
        ),
        (
            1,
            4,
            "tool_result_delta",
            r#"{"type":"tool_result_delta","id":"c1","delta":"[\"payments\",\"ledger\"]"}"#,
        ),
        (
            1,
            5,
            "tool_result_complete",
            r#"{"type":"tool_result_complete","id":"c1"}"#,
        ),
        (
            1,
            6,
            "answer_delta",
            r#"{"type":"answer_delta","delta":"Two services failed: payments and ledger."}"#,
        ),
        (
            1,
            7,
            "done",
            r#"{"type":"done","rateLimitUsage":null,"monthlyQuotaUsage":null,"data":"{}"}"#,
        ),
        (
            3,
            0,
            "invocation_id",
            r#"{"type":"invocation_id","id":"port-inv-3"}"#,
        ),
        (
            3,
            1,
            "answer_delta",
            r#"{"type":"answer_delta","delta":"Checkout has one open incident"}"#,
        ),
    ];
    for (inv, seq, kind, payload) in events {
        conn.execute(
            "INSERT INTO events(invocation_id, seq, kind, payload, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                inv,
                seq,
                kind,
                payload,
                1763950000000i64 + i64::from(inv) * 60_000 + i64::from(seq) * 100
            ],
        )?;
    }
    conn.execute(
        "UPDATE invocations SET event_count = (SELECT count(*) FROM events WHERE invocation_id = invocations.id)",
        [],
    )?;
    conn.execute(
        "INSERT INTO tool_calls(invocation_id, ordinal, call_id, name, arguments, result, started_at,
             arguments_done_at, result_started_at, finished_at, arguments_complete, result_complete)
         VALUES (1, 0, 'c1', 'list_entities', '{\"blueprint\":\"service\"}', '[\"payments\",\"ledger\"]',
             1763950060100, 1763950060300, 1763950060400, 1763950060500, 1, 1)",
        [],
    )?;
    conn.execute_batch("VACUUM")?;
    println!("wrote {}", path.display());
    Ok(())
}
