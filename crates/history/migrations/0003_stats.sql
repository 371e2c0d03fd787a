-- Version 3: statistics without reading whole rows (invocation rows carry prompts and answers,
-- tool-call rows carry arguments and results; a scan of either reads all of that).
-- Durations and time to first token come from these three times alone.
CREATE INDEX invocations_timings ON invocations(asked_at, replied_at, first_token_at);
-- Tool usage (and the "tool used" filter): names and timings without arguments and results.
CREATE INDEX tool_calls_usage
    ON tool_calls(name, invocation_id, started_at, arguments_done_at, finished_at);
-- Covered by tool_calls_usage, whose first column it is.
DROP INDEX tool_calls_by_name;
-- The profile filter menu and the profile filter: without it both read every row.
CREATE INDEX invocations_by_profile ON invocations(profile, asked_at);
