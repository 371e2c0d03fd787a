-- Version 1: conversations, invocations, their event log and assembled tool calls.
-- Times are milliseconds since the Unix epoch (UTC). JSON columns hold text written by Portdesk.
-- Frozen: a released migration never changes (tests/migrations.rs compares it with a fixture).

CREATE TABLE conversations (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    -- Fields an import carried that this version does not know, kept for the next export.
    extra       TEXT
);

-- Conversations newest first (the conversation list).
CREATE INDEX conversations_by_update ON conversations(updated_at);

CREATE TABLE invocations (
    id                  INTEGER PRIMARY KEY,
    uid                 TEXT NOT NULL UNIQUE,
    conversation_id     INTEGER REFERENCES conversations(id) ON DELETE CASCADE,
    profile             TEXT,
    -- NULL: the general assistant.
    agent               TEXT,
    prompt              TEXT NOT NULL,
    -- The JSON body exactly as sent to Port (never a header, so never a credential).
    request             TEXT NOT NULL,
    labels              TEXT NOT NULL DEFAULT '{}',
    tool_patterns       TEXT NOT NULL DEFAULT '[]',
    -- streaming | completed | failed | interrupted | cancelled
    status              TEXT NOT NULL,
    -- app | cli | port | import
    source              TEXT NOT NULL,
    asked_at            INTEGER NOT NULL,
    first_token_at      INTEGER,
    replied_at          INTEGER,
    port_invocation_id  TEXT,
    trace_id            TEXT,
    -- The `done` event's figures (rateLimitUsage, monthlyQuotaUsage) as received.
    quota               TEXT,
    answer              TEXT NOT NULL DEFAULT '',
    -- {code, message, ...} as port-api reported it.
    error               TEXT,
    error_code          TEXT,
    -- Which writer recorded it, so the next opener can tell a dead writer's stream from a live one.
    writer_pid          INTEGER,
    writer_token        TEXT,
    event_count         INTEGER NOT NULL DEFAULT 0,
    extra               TEXT
);

-- The list: newest first, keyset-paged on (asked_at, id).
CREATE INDEX invocations_by_time ON invocations(asked_at);
-- Filters that are first-class columns: agent and status pages stay index-ordered.
CREATE INDEX invocations_by_agent ON invocations(agent, asked_at);
CREATE INDEX invocations_by_status ON invocations(status, asked_at);
-- A conversation's invocations in order (reopen in Chat).
CREATE INDEX invocations_by_conversation ON invocations(conversation_id, asked_at);
-- Port import matches on Port's id; never two rows for one Port invocation.
CREATE UNIQUE INDEX invocations_by_port_id ON invocations(port_invocation_id)
    WHERE port_invocation_id IS NOT NULL;
-- Only live streams: what the opener checks for dead writers stays tiny.
CREATE INDEX invocations_streaming ON invocations(writer_token) WHERE status = 'streaming';

-- Labels as rows, so a label filter is an index lookup, not a JSON scan.
CREATE TABLE invocation_labels (
    invocation_id  INTEGER NOT NULL REFERENCES invocations(id) ON DELETE CASCADE,
    key            TEXT NOT NULL,
    value          TEXT NOT NULL,
    PRIMARY KEY (invocation_id, key)
) WITHOUT ROWID;
CREATE INDEX invocation_labels_by_pair ON invocation_labels(key, value);

-- The append-only log: every event as the UI got it, in arrival order.
CREATE TABLE events (
    invocation_id  INTEGER NOT NULL REFERENCES invocations(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    payload        TEXT NOT NULL,
    at             INTEGER NOT NULL,
    PRIMARY KEY (invocation_id, seq)
) WITHOUT ROWID;

-- Tool calls assembled from their chunks, with their timings.
CREATE TABLE tool_calls (
    invocation_id       INTEGER NOT NULL REFERENCES invocations(id) ON DELETE CASCADE,
    ordinal             INTEGER NOT NULL,
    call_id             TEXT NOT NULL,
    name                TEXT,
    arguments           TEXT NOT NULL DEFAULT '',
    result              TEXT,
    started_at          INTEGER,
    arguments_done_at   INTEGER,
    result_started_at   INTEGER,
    finished_at         INTEGER,
    arguments_complete  INTEGER NOT NULL DEFAULT 0,
    result_complete     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (invocation_id, ordinal)
) WITHOUT ROWID;
-- The "tool used" filter and tool-usage stats.
CREATE INDEX tool_calls_by_name ON tool_calls(name);

-- Store-wide settings shared by the app and the CLI (retention, maintenance counters).
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
