//! A conversation as Markdown: readable on its own, pasteable into an issue or a doc.

use crate::model::{ConversationDetail, InvocationDetail};
use crate::time::iso;

/// Tool results longer than this are cut in the Markdown (the JSON export keeps them whole).
const RESULT_CHARS: usize = 4_000;

/// A code fence longer than any run of backticks inside `text`, so the text cannot close it.
fn fence_for(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

fn code_block(out: &mut String, lang: &str, text: &str) {
    let fence = fence_for(text);
    out.push_str(&format!("{fence}{lang}\n{text}\n{fence}\n\n"));
}

fn quote(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn invocation(out: &mut String, n: usize, inv: &InvocationDetail) {
    let who = inv.agent.as_deref().unwrap_or("General assistant");
    out.push_str(&format!(
        "## {n}. {who} · {} · {}\n\n",
        iso(inv.asked_at),
        inv.status
    ));
    if let Some(id) = &inv.port_invocation_id {
        out.push_str(&format!("Port invocation `{id}`"));
        if let Some(trace) = &inv.trace_id {
            out.push_str(&format!(" · trace id `{trace}`"));
        }
        out.push_str("\n\n");
    }
    out.push_str(&quote(&inv.prompt));
    out.push_str("\n\n");
    for call in &inv.tool_calls {
        let name = call.name.as_deref().unwrap_or("(unnamed tool)");
        let took = call
            .duration_ms()
            .map(|ms| format!(" · {ms} ms"))
            .unwrap_or_default();
        let partial = if call.arguments_complete && (call.result.is_none() || call.result_complete)
        {
            ""
        } else {
            " · incomplete"
        };
        out.push_str(&format!("**Tool call** `{name}`{took}{partial}\n\n"));
        code_block(out, "json", &call.arguments);
        if let Some(result) = &call.result {
            let shown: String = result.chars().take(RESULT_CHARS).collect();
            code_block(out, "", &shown);
            if shown.len() < result.len() {
                out.push_str(&format!(
                    "_Result cut at {RESULT_CHARS} characters of {}._\n\n",
                    result.chars().count()
                ));
            }
        }
    }
    if !inv.answer.is_empty() {
        out.push_str(&inv.answer);
        out.push_str("\n\n");
    }
    if let Some(err) = &inv.error {
        out.push_str(&format!("**Error** `{}`: {}\n\n", err.code, err.message));
    }
}

pub(crate) fn markdown(detail: &ConversationDetail) -> String {
    let c = &detail.conversation;
    let mut out = format!(
        "# {}\n\n_Exported from Portdesk · {} invocation{} · started {}_\n\n\
         _Port has no thread id: each message below was its own invocation._\n\n",
        c.title.replace('\n', " "),
        detail.invocations.len(),
        if detail.invocations.len() == 1 {
            ""
        } else {
            "s"
        },
        iso(c.created_at)
    );
    for (n, inv) in detail.invocations.iter().enumerate() {
        invocation(&mut out, n + 1, inv);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_outgrow_backticks_in_the_text() {
        assert_eq!(fence_for("plain"), "```");
        assert_eq!(fence_for("a ```` b"), "`````");
    }

    #[test]
    fn quotes_every_line() {
        assert_eq!(quote("a\n\nb"), "> a\n>\n> b");
    }
}
