//! Full-text search that accepts any text a person types.
//!
//! The user's text never reaches FTS5's query syntax: each word becomes a quoted phrase (quotes
//! doubled), so `AND`, `NEAR(`, `*`, `"` and parentheses are just words, and no input can cause an
//! FTS syntax error. The last word also matches as a prefix while it is being typed.

use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection, OptionalExtension};

use crate::error::{HistoryError, Result};
use crate::filter::filter_sql;
use crate::model::{HistoryFilter, Page, PageRequest, SearchHit, SnippetPart};
use crate::query::{clamp_limit, summary_from_row, SUMMARY_COLUMNS, SUMMARY_WIDTH};

const HIT_START: char = '\u{2}';
const HIT_END: char = '\u{3}';

/// Prefix matching starts at this many characters: shorter prefixes match most of the index.
const MIN_PREFIX_CHARS: usize = 3;

/// The FTS5 query for what a person typed, or `None` when it has no searchable word.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<&str> = input
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    let last = words.len().checked_sub(1)?;
    let typing = !input.ends_with(char::is_whitespace);
    let phrases: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            // Markers are ours; a word carrying one would confuse snippet parsing.
            let clean: String = word
                .chars()
                .filter(|c| *c != HIT_START && *c != HIT_END && *c != '\0')
                .collect();
            let quoted = format!("\"{}\"", clean.replace('"', "\"\""));
            let prefix = i == last
                && typing
                && clean.chars().filter(|c| c.is_alphanumeric()).count() >= MIN_PREFIX_CHARS;
            if prefix {
                format!("{quoted}*")
            } else {
                quoted
            }
        })
        .collect();
    Some(phrases.join(" "))
}

/// Splits FTS5's snippet (with our markers) into plain-text parts.
pub(crate) fn parse_snippet(snippet: &str) -> Vec<SnippetPart> {
    let mut parts: Vec<SnippetPart> = Vec::new();
    let mut current = String::new();
    let mut hit = false;
    for c in snippet.chars() {
        if c == HIT_START || c == HIT_END {
            if !current.is_empty() {
                parts.push(SnippetPart {
                    text: std::mem::take(&mut current),
                    hit,
                });
            }
            hit = c == HIT_START;
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        parts.push(SnippetPart { text: current, hit });
    }
    parts
}

fn tools_snippet(conn: &Connection, query: &SqlValue, rowid: i64) -> Result<String> {
    Ok(conn
        .prepare_cached(
            "SELECT snippet(invocations_fts, 2, char(2), char(3), '…', 16) FROM invocations_fts
             WHERE invocations_fts MATCH ?1 AND rowid = ?2",
        )?
        .query_row(rusqlite::params![query, rowid], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

/// Matches newest recording first, keyset-paged on the index's rowid.
pub(crate) fn search(
    conn: &Connection,
    input: &str,
    filter: &HistoryFilter,
    page: &PageRequest,
) -> Result<Page<SearchHit>> {
    let Some(query) = fts_query(input) else {
        return Ok(Page {
            items: Vec::new(),
            next_cursor: None,
        });
    };
    let mut w = filter_sql(filter);
    w.clauses.insert(0, "invocations_fts MATCH ?".to_string());
    w.params.insert(0, SqlValue::Text(query));
    if let Some(cursor) = &page.cursor {
        let before: i64 = cursor
            .parse()
            .map_err(|_| HistoryError::InvalidInput(format!("not a page cursor: {cursor:?}")))?;
        w.push("f.rowid < ?", [SqlValue::Integer(before)]);
    }
    let limit = clamp_limit(page.limit);
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS},
             snippet(invocations_fts, 0, char(2), char(3), '…', 16),
             snippet(invocations_fts, 1, char(2), char(3), '…', 16)
         FROM invocations_fts f
         JOIN invocations i ON i.id = f.rowid
         LEFT JOIN conversations c ON c.id = i.conversation_id
         {} ORDER BY f.rowid DESC LIMIT {}",
        w.sql(),
        limit + 1
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(w.params.iter()))?;
    let mut items = Vec::new();
    let mut last_rowid = None;
    while let Some(row) = rows.next()? {
        if items.len() as i64 == limit {
            return Ok(Page {
                items,
                next_cursor: last_rowid.map(|id: i64| id.to_string()),
            });
        }
        let invocation = summary_from_row(row)?;
        // The prompt's match first (it is what the list shows), then the answer's, then tools'.
        let rowid: i64 = row.get(16)?;
        let prompt: String = row.get(SUMMARY_WIDTH)?;
        let answer: String = row.get(SUMMARY_WIDTH + 1)?;
        let (field, snippet) = if prompt.contains(HIT_START) {
            ("prompt", prompt)
        } else if answer.contains(HIT_START) {
            ("answer", answer)
        } else {
            // Tool results can be large: their snippet is made only for rows that need it.
            ("tools", tools_snippet(conn, &w.params[0], rowid)?)
        };
        last_rowid = Some(rowid);
        items.push(SearchHit {
            invocation,
            field: field.to_string(),
            snippet: parse_snippet(&snippet),
        });
    }
    Ok(Page {
        items,
        next_cursor: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_quoted_phrases_and_the_last_a_prefix() {
        assert_eq!(
            fts_query("deploy fail").as_deref(),
            Some("\"deploy\" \"fail\"*")
        );
        assert_eq!(
            fts_query("deploy fail ").as_deref(),
            Some("\"deploy\" \"fail\"")
        );
        assert_eq!(
            fts_query("say \"hi\" NEAR( x").as_deref(),
            Some("\"say\" \"\"\"hi\"\"\" \"NEAR(\" \"x\"")
        );
        assert_eq!(fts_query("  ( ) * \" "), None);
        assert_eq!(fts_query(""), None);
    }

    #[test]
    fn snippets_split_into_plain_parts() {
        let parts = parse_snippet("…the \u{2}deploy\u{3} of <b>x</b>");
        assert_eq!(
            parts,
            vec![
                SnippetPart {
                    text: "…the ".into(),
                    hit: false
                },
                SnippetPart {
                    text: "deploy".into(),
                    hit: true
                },
                SnippetPart {
                    text: " of <b>x</b>".into(),
                    hit: false
                },
            ]
        );
    }
}
