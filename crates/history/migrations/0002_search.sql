-- Version 2: full-text search over prompts, answers and tool calls (names, arguments, results),
-- back-filled from the invocations already recorded. The index keeps its own copy of the text so
-- that snippets work; `rowid` is the invocation's id.
CREATE VIRTUAL TABLE invocations_fts USING fts5(
    prompt,
    answer,
    tools,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO invocations_fts(rowid, prompt, answer, tools)
SELECT i.id, i.prompt, i.answer,
       coalesce((SELECT group_concat(
                     coalesce(t.name, '') || char(10) || t.arguments || char(10)
                     || substr(coalesce(t.result, ''), 1, 262144),
                     char(10))
                 FROM tool_calls t WHERE t.invocation_id = i.id), '')
FROM invocations i
WHERE i.status <> 'streaming';
