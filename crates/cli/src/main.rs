//! `portdesk-cli`: Portdesk's core from a terminal.

mod args;
mod commands;
mod connect;
mod history_args;
mod output;

use std::process::ExitCode;

use clap::Parser;
use port_api::invoke::InvocationStatus;
use port_api::{CancellationToken, ErrorCode};

use args::{Cli, Command};
use output::CliError;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            err.print();
            ExitCode::from(err.exit_code())
        }
    }
}

async fn run(cli: Cli) -> Result<u8, CliError> {
    match cli.command {
        Command::ServeMock(args) => commands::serve_mock::run(args.port).await.map(|_| 0),
        Command::Profile(command) => commands::profile::run(&cli.global, &command)
            .await
            .map(|()| 0),
        Command::Invoke(args) => {
            let request = commands::invoke::request_from(&args)?;
            let (client, profile) = connect::client_and_profile(&cli.global)?;
            let cancel = CancellationToken::new();
            let on_interrupt = cancel.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    on_interrupt.cancel();
                }
            });
            // One store for the recording and the limiter; without one the invocation goes
            // ahead unrecorded and unlimited (Port still enforces its limits).
            // --no-history never creates the file; an existing one still lends the limiter
            // its figures (they are not this invocation's content).
            let exists = credentials::data_dir().join(history::FILE_NAME).exists();
            let store = match (args.no_history && !exists).then_some(()) {
                Some(()) => None,
                None => match commands::history::open_store() {
                    Ok(store) => Some(store),
                    Err(err) => {
                        eprintln!(
                            "warning: no history (not recorded, no shared rate limiter): {err}"
                        );
                        None
                    }
                },
            };
            let recording =
                commands::invoke::Recording::start(&args, &cli.global, &request, store.as_ref())
                    .await;
            let limiter = store.map(|store| commands::invoke::Limiter {
                book: quota::QuotaBook::new(store),
                account: quota::account_for(profile.as_deref(), client.base().as_str()),
                wait: !args.no_wait,
            });
            let (status, code) = commands::invoke::run(
                &client,
                &request,
                args.json,
                cancel,
                recording,
                limiter.as_ref(),
            )
            .await;
            Ok(match (status, code) {
                (InvocationStatus::Completed, _) => 0,
                (
                    InvocationStatus::Failed,
                    Some(ErrorCode::RateLimited | ErrorCode::QuotaExceeded),
                ) => 5,
                (InvocationStatus::Failed, _) => 1,
                (InvocationStatus::Interrupted, _) => 3,
                (InvocationStatus::Cancelled, _) => 130,
            })
        }
        Command::Match(args) => commands::patterns::run(&args).map(|()| 0),
        Command::Approvals(command) => {
            let client = connect::client(&cli.global)?;
            commands::approvals::run(&client, &command).await
        }
        Command::History(command) => commands::history::run(&command, &cli.global).await,
        Command::Agents(flag) => {
            let client = connect::client(&cli.global)?;
            commands::agents::run(&client, flag.json).await?;
            Ok(0)
        }
        Command::Quota(flag) => {
            let (client, profile) = connect::client_and_profile(&cli.global)?;
            let account = quota::account_for(profile.as_deref(), client.base().as_str());
            commands::quota::run(&client, &account, flag.json).await?;
            Ok(0)
        }
        Command::Providers(flag) => {
            let client = connect::client(&cli.global)?;
            commands::providers::run(&client, flag.json).await?;
            Ok(0)
        }
    }
}
