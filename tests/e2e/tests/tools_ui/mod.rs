//! What the Tools panel's E2E tests share: opening the panel, typing into the pattern editors
//! (CodeMirror) with real key presses, and reading what the matcher shows.
// Each test file uses its own part of these.
#![allow(dead_code)]

use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::Locator;
use portdesk_e2e::{App, Result};
use serde_json::json;

pub const WAIT: Duration = Duration::from_secs(20);
pub const BACKSPACE: char = '\u{E003}';
pub const END: char = '\u{E010}';
pub const CONTROL: char = '\u{E009}';

pub async fn open_tools(app: &App) -> Result<()> {
    app.click("nav-tools").await?;
    app.wait_until("the matcher's first result", WAIT, || async {
        let text = app.text("match-summary").await?;
        Ok(text.contains(" available").then_some(()))
    })
    .await
}

/// Focuses the CodeMirror editor of pattern row `row`, caret at the end; returns its length.
pub async fn focus_editor(app: &App, row: usize) -> Result<usize> {
    let length = app
        .client
        .execute(
            "const c = document.querySelector(`[data-testid=\"pattern-row\"][data-index=\"${arguments[0]}\"] .cm-content`);\
             if (!c) return null;\
             c.focus();\
             const line = c.querySelector('.cm-line').cloneNode(true);\
             line.querySelectorAll('.cm-placeholder, .cm-widgetBuffer').forEach(p => p.remove());\
             return line.textContent.length;",
            vec![json!(row)],
        )
        .await?;
    let length = length
        .as_u64()
        .ok_or(format!("no editor in pattern row {row}"))?;
    // Ctrl+End: the end of the pattern, also where a narrow field wraps it (End stops at the
    // end of the visual line).
    let doc_end = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: CONTROL })
        .then(KeyAction::Down { value: END })
        .then(KeyAction::Up { value: END })
        .then(KeyAction::Up { value: CONTROL });
    app.client.perform_actions(doc_end).await?;
    Ok(length as usize)
}

/// Key presses to whatever has the focus.
pub async fn press(app: &App, keys: &str) -> Result<()> {
    app.press(keys).await
}

/// Empties row `row` with real key presses, then types `text` into it.
pub async fn retype(app: &App, row: usize, text: &str) -> Result<()> {
    let length = focus_editor(app, row).await?;
    // Exactly the text's length: a Backspace in an empty row removes the row.
    let clear: String = std::iter::repeat_n(BACKSPACE, length).collect();
    press(app, &clear).await?;
    press(app, text).await
}

pub async fn row_status(app: &App, row: usize) -> Result<Option<String>> {
    let value = app
        .client
        .execute(
            "const r = document.querySelector(`[data-testid=\"pattern-row\"][data-index=\"${arguments[0]}\"]`);\
             return r ? r.dataset.status : null;",
            vec![json!(row)],
        )
        .await?;
    Ok(value.as_str().map(str::to_string))
}

pub async fn wait_row_status(app: &App, row: usize, wanted: &str) -> Result<()> {
    let waited = app
        .wait_until(&format!("pattern {row} to be {wanted}"), WAIT, || async {
            Ok((row_status(app, row).await?.as_deref() == Some(wanted)).then_some(()))
        })
        .await;
    if waited.is_err() {
        let rows = app
            .eval("return [...document.querySelectorAll('[data-testid=\"pattern-row\"]')].map(r => r.dataset.status + ' ' + r.innerText);")
            .await?;
        return Err(format!(
            "{}; the rows: {rows}",
            waited.err().map(|e| e.to_string()).unwrap_or_default()
        )
        .into());
    }
    Ok(())
}

/// The names of the tools shown as let in (the visible part of the virtual list).
pub async fn matched_tools(app: &App) -> Result<Vec<String>> {
    let value = app
        .eval(
            "return [...document.querySelectorAll('[data-testid=\"result-tool\"][data-matched=\"true\"]')]\
             .map(e => e.dataset.tool);",
        )
        .await?;
    Ok(value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// Sets a textarea's value the way typing does, so React sees it (a 5,000-entry list is too long
/// to send key by key).
pub async fn fill_textarea(app: &App, testid: &str, text: &str) -> Result<()> {
    app.wait_for(testid, WAIT).await?;
    app.client
        .execute(
            "const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);\
             const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;\
             set.call(e, arguments[1]);\
             e.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(testid), json!(text)],
        )
        .await?;
    Ok(())
}

/// Types at the end of row `row` without clearing it.
pub async fn field_type(app: &App, row: usize, text: &str) -> Result<()> {
    focus_editor(app, row).await?;
    press(app, text).await
}

pub async fn css_click(app: &App, css: &str) -> Result<()> {
    eprintln!("e2e: click {css}");
    app.client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await?
        .click()
        .await?;
    Ok(())
}
