//! Portdesk's desktop shell: a thin Tauri layer over the Tauri-free crates.

mod bridge;
mod catalog;
mod commands;
mod connection;
mod error;
mod events;
mod limiter;
mod recording;
pub mod rendering;
mod runs;
mod settings;
mod state;

use std::time::Instant;

use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};
use tauri_specta::{collect_commands, collect_events};

pub use error::AppError;

/// Every command and event the UI may use; `ui/src/lib/bindings.ts` is generated from this.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            commands::app::app_ready,
            commands::app::set_compositing,
            commands::workspace::workspace_status,
            commands::workspace::connect_demo,
            commands::workspace::connect_profile,
            commands::workspace::disconnect,
            commands::agents::list_agents,
            commands::agents::cached_agents,
            commands::agents::refresh_agents,
            commands::agents::agent_prefs,
            commands::agents::set_agent_favourite,
            commands::agents::note_agent_used,
            commands::agents::request_options,
            commands::agents::save_request_options,
            commands::agents::agent_pattern_sets,
            commands::agents::save_agent_pattern_set,
            commands::invoke::invoke,
            commands::invoke::cancel,
            commands::quota::get_quota,
            commands::quota::quota_figures,
            commands::quota::refresh_quota,
            commands::quota::quota_profiles,
            commands::quota::quota_usage,
            commands::quota::quota_export_csv,
            commands::quota::quota_preferences,
            commands::quota::set_quota_preferences,
            commands::quota::quota_send_now,
            commands::history::history_list,
            commands::history::history_search,
            commands::history::history_show,
            commands::history::history_conversation,
            commands::history::history_stats,
            commands::history::history_facets,
            commands::history::history_export,
            commands::history::history_delete,
            commands::history::history_wipe,
            commands::history::history_retention,
            commands::history::history_set_retention,
            commands::credentials::list_profiles,
            commands::credentials::add_profile,
            commands::credentials::update_profile,
            commands::credentials::remove_profile,
            commands::credentials::set_default_profile,
            commands::credentials::test_profile,
            commands::credentials::test_credentials,
            commands::settings::get_settings,
            commands::settings::update_settings,
            commands::providers::llm_providers,
            commands::structured_output::check_output_schema,
            commands::structured_output::check_structured_answer,
            commands::links::open_external,
            commands::patterns::pattern_catalog,
            commands::patterns::set_extra_tools,
            commands::patterns::evaluate_patterns,
            commands::patterns::explain_pattern,
            commands::patterns::pattern_presets,
            commands::patterns::save_default_pattern_set,
            commands::approvals::load_approvals,
            commands::approvals::preview_approvals,
            commands::approvals::save_approvals,
            commands::resolution::resolve_tools,
        ])
        .events(collect_events![
            events::QuotaChanged,
            events::SettingsChanged,
            events::ConnectionChanged,
            events::HistoryChanged,
            events::QuotaFiguresChanged,
            events::QuotaAlertRaised,
            events::RunQueueChanged,
        ])
}

/// Starts the app. `--demo` opens the demo workspace straight away.
pub fn run() {
    let started = Instant::now();
    let demo = std::env::args().any(|a| a == "--demo");
    let builder = specta_builder();
    let mut context = tauri::generate_context!();
    // Dev builds keep their own identifier, so they never touch a user's real data or secrets.
    context.config_mut().identifier = secrets::build_identifier().to_string();

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_opener::init())
        // Quota alerts are shown from Rust; the web view gets no notification permission.
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let handle = app.handle().clone();
            let data_dir = credentials::data_dir();
            std::fs::create_dir_all(&data_dir)?;
            // No keychain access happens here: a missing or locked keychain surfaces on use.
            let keychain = secrets::Keychain::for_this_build()?;
            let profiles = credentials::ProfileStore::open(&data_dir, keychain);
            let settings = settings::SettingsStore::open(&handle, &data_dir)?;
            // A history that cannot open (a newer version's file, a corrupt one) is left
            // untouched and reported; the rest of the app works on.
            let history = history::HistoryStore::open_in(&data_dir).map_err(AppError::from);
            let agents = agents::AgentStore::new(&data_dir);
            let state = state::AppState::new(profiles, settings, history, agents, started);
            open_initial_workspace(&state, demo);
            app.manage(state);
            app.manage(limiter::QueuedRuns::default());
            let rendering = rendering::Rendering::for_this_machine();
            app.manage(rendering);

            let mut window =
                WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
                    .title("Portdesk")
                    .inner_size(1200.0, 800.0)
                    .min_inner_size(720.0, 480.0);
            if std::env::var_os("PORTDESK_DATA_DIR").is_some() {
                // Tests isolate everything, the web view's own storage included.
                window = window.data_directory(data_dir.join("webview"));
            }
            let window = window.build()?;
            // Off from the first paint; a panel that needs it turns it on. What WebKit answers
            // is only for a panel that asks.
            drop(rendering.set_compositing(&window, false)?);
            Ok(())
        })
        .run(context);
    if let Err(err) = result {
        eprintln!("Portdesk could not start: {err}");
        std::process::exit(1);
    }
}

/// `--demo`, else the default profile if there is one, else nothing (the UI onboards).
fn open_initial_workspace(state: &state::AppState, demo: bool) {
    let connection = if demo {
        tauri::async_runtime::block_on(connection::Connection::demo()).ok()
    } else {
        state
            .profiles
            .default_profile()
            .ok()
            .flatten()
            .and_then(|name| commands::workspace::open_profile(&state.profiles, &name).ok())
    };
    state.replace_connection(connection);
}

#[cfg(test)]
mod tests {
    use specta_typescript::{BigIntExportBehavior, Typescript};

    /// Regenerates the UI's bindings; CI fails when the committed file differs (`git diff`).
    #[test]
    fn export_bindings() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/bindings.ts");
        super::specta_builder()
            .export(
                Typescript::default()
                    .bigint(BigIntExportBehavior::Number)
                    .header("// Generated by `cargo test -p portdesk export_bindings`. Do not edit.\n/* eslint-disable */\n"),
                path,
            )
            .expect("export the bindings");
        let text = std::fs::read_to_string(path).expect("read the bindings");
        assert!(
            text.contains("async invoke("),
            "the invoke command is exported"
        );
        assert!(text.contains("quotaChanged"), "events are exported");
    }
}
