//! The local history over IPC: list, search, show, stats, export, delete, retention. The store
//! is opened once at start-up (see `state.rs`); every call runs off the async runtime, since
//! SQLite blocks.

mod export;
pub mod request;
pub mod types;

use history::{
    Facets, HistoryFilter, HistoryStats, HistoryStore, InvocationSummary, Page, PageRequest,
    Retention, SearchHit,
};
use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::commands::credentials::blocking;
use crate::error::AppError;
use crate::events::HistoryChanged;
use crate::state::AppState;
pub use types::{ConversationRecord, DeleteTarget, ExportRequest, InvocationRecord};

/// A page never holds more than this many rows, whatever the UI asks.
const MAX_PAGE: u32 = PageRequest::MAX_LIMIT;

/// Runs `work` on a blocking thread with the store, or fails with why there is no store.
async fn with_store<T: Send + 'static>(
    state: &State<'_, AppState>,
    work: impl FnOnce(HistoryStore) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let store = state.history()?;
    blocking(move || work(store)).await
}

fn page(cursor: Option<String>, limit: u32) -> PageRequest {
    PageRequest {
        limit: limit.clamp(1, MAX_PAGE),
        cursor,
    }
}

fn changed(app: &AppHandle, invocation_id: Option<String>) {
    let _ = HistoryChanged { invocation_id }.emit(app);
}

/// Newest first, one keyset page at a time; pass the previous page's `nextCursor` for the next.
#[tauri::command]
#[specta::specta]
pub async fn history_list(
    state: State<'_, AppState>,
    filter: HistoryFilter,
    cursor: Option<String>,
    limit: u32,
) -> Result<Page<InvocationSummary>, AppError> {
    with_store(&state, move |s| Ok(s.list(&filter, &page(cursor, limit))?)).await
}

/// Full-text search over prompts, answers and tool calls, best matches first, with highlighted
/// snippets. Any text is a valid query: it is never read as search syntax.
#[tauri::command]
#[specta::specta]
pub async fn history_search(
    state: State<'_, AppState>,
    query: String,
    filter: HistoryFilter,
    cursor: Option<String>,
    limit: u32,
) -> Result<Page<SearchHit>, AppError> {
    with_store(&state, move |s| {
        Ok(s.search(&query, &filter, &page(cursor, limit))?)
    })
    .await
}

/// One invocation with its answer, tool calls and every event.
#[tauri::command]
#[specta::specta]
pub async fn history_show(
    state: State<'_, AppState>,
    id: String,
) -> Result<InvocationRecord, AppError> {
    with_store(&state, move |s| Ok(s.show(&id)?.into())).await
}

/// A conversation's invocations, oldest first, to reopen it in Chat.
#[tauri::command]
#[specta::specta]
pub async fn history_conversation(
    state: State<'_, AppState>,
    id: String,
) -> Result<ConversationRecord, AppError> {
    with_store(&state, move |s| {
        let detail = s.conversation(&id)?;
        Ok(ConversationRecord {
            conversation: detail.conversation,
            invocations: detail.invocations.into_iter().map(Into::into).collect(),
        })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn history_stats(
    state: State<'_, AppState>,
    filter: HistoryFilter,
) -> Result<HistoryStats, AppError> {
    with_store(&state, move |s| Ok(s.stats(&filter)?)).await
}

/// The values the filter menus offer.
#[tauri::command]
#[specta::specta]
pub async fn history_facets(state: State<'_, AppState>) -> Result<Facets, AppError> {
    with_store(&state, |s| Ok(s.facets()?)).await
}

/// Writes an export to `path`, or to a new file in the Downloads folder when `path` is null.
/// Resolves with the path written.
#[tauri::command]
#[specta::specta]
pub async fn history_export(
    state: State<'_, AppState>,
    request: ExportRequest,
    path: Option<String>,
) -> Result<Option<String>, AppError> {
    with_store(&state, move |s| {
        let written = export::write(&s, &request, path.map(Into::into))?;
        Ok(Some(written.display().to_string()))
    })
    .await
}

/// Deletes an invocation or a whole conversation; resolves with how many invocations went.
#[tauri::command]
#[specta::specta]
pub async fn history_delete(
    app: AppHandle,
    state: State<'_, AppState>,
    target: DeleteTarget,
) -> Result<u32, AppError> {
    let removed = with_store(&state, move |s| match target {
        DeleteTarget::Invocation { id } => Ok(u32::from(s.delete_invocation(&id)?)),
        DeleteTarget::Conversation { id } => Ok(s.delete_conversation(&id)?),
    })
    .await?;
    changed(&app, None);
    Ok(removed)
}

/// Deletes every invocation (but those still streaming), with the search index.
#[tauri::command]
#[specta::specta]
pub async fn history_wipe(app: AppHandle, state: State<'_, AppState>) -> Result<u32, AppError> {
    let removed = with_store(&state, |s| Ok(s.wipe()?)).await?;
    changed(&app, None);
    Ok(removed)
}

/// How long invocations are kept.
#[tauri::command]
#[specta::specta]
pub async fn history_retention(state: State<'_, AppState>) -> Result<Retention, AppError> {
    with_store(&state, |s| Ok(s.retention()?)).await
}

/// Sets how long invocations are kept and applies it now; resolves with how many were removed.
#[tauri::command]
#[specta::specta]
pub async fn history_set_retention(
    app: AppHandle,
    state: State<'_, AppState>,
    retention: Retention,
) -> Result<u32, AppError> {
    let removed = with_store(&state, move |s| Ok(s.set_retention(retention)?)).await?;
    changed(&app, None);
    Ok(removed)
}
