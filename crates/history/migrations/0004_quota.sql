-- Version 4: quota figures and the client-side rate limiter, shared by the app and the CLI.
-- Times are milliseconds since the Unix epoch (UTC). `profile` is the quota account: a profile's
-- name, "demo", or the API base URL when no profile was used.

-- Every set of figures Port reported (a `done`, the quota endpoint, x-ratelimit-* headers), with
-- when it was read. NULL columns: Port did not report that figure.
CREATE TABLE quota_snapshots (
    id                  INTEGER PRIMARY KEY,
    profile             TEXT NOT NULL,
    read_at             INTEGER NOT NULL,
    -- done | endpoint | headers
    source              TEXT NOT NULL,
    max_requests        REAL,
    remaining_requests  REAL,
    max_tokens          REAL,
    remaining_tokens    REAL,
    window_reset_at     INTEGER,
    monthly_limit       REAL,
    remaining_quota     REAL,
    month               TEXT,
    month_reset_at      INTEGER,
    -- The figures exactly as received, so fields this version does not know are kept.
    raw                 TEXT
);
-- The limiter and the panel read a profile's newest figures, and the month's series for the
-- projection: both are a backwards range scan of this index.
CREATE INDEX quota_snapshots_by_profile ON quota_snapshots(profile, read_at);

-- What the limiter learnt from Port's refusals: one row per profile, replaced on each refusal and
-- removed once a request goes through.
CREATE TABLE quota_limiter (
    profile     TEXT PRIMARY KEY,
    -- rate_limited | quota_exceeded
    kind        TEXT NOT NULL,
    until       INTEGER NOT NULL,
    reset_date  TEXT,
    message     TEXT,
    set_at      INTEGER NOT NULL
) WITHOUT ROWID;

-- The user's quota preferences (thresholds, reserve) as one JSON document.
CREATE TABLE quota_preferences (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;

-- Threshold alerts already shown, so each fires once per window (or month).
CREATE TABLE quota_alerts (
    profile     TEXT NOT NULL,
    metric      TEXT NOT NULL,
    window_key  TEXT NOT NULL,
    fired_at    INTEGER NOT NULL,
    PRIMARY KEY (profile, metric, window_key)
) WITHOUT ROWID;
