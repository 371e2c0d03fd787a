//! `portdesk-cli`: Portdesk's core from a terminal.

mod args;
mod commands;
mod connect;
mod history_args;
mod output;

use std::process::ExitCode;

use clap::Parser;
use port_api::invoke::InvocationStatus;
use port_api::CancellationToken;

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
            let client = connect::client(&cli.global)?;
            let cancel = CancellationToken::new();
            let on_interrupt = cancel.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    on_interrupt.cancel();
                }
            });
            let recording = commands::invoke::Recording::start(&args, &cli.global, &request).await;
            let status =
                commands::invoke::run(&client, &request, args.json, cancel, recording).await;
            Ok(match status {
                InvocationStatus::Completed => 0,
                InvocationStatus::Failed => 1,
                InvocationStatus::Interrupted => 3,
                InvocationStatus::Cancelled => 130,
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
            let client = connect::client(&cli.global)?;
            commands::quota::run(&client, flag.json).await?;
            Ok(0)
        }
        Command::Providers(flag) => {
            let client = connect::client(&cli.global)?;
            commands::providers::run(&client, flag.json).await?;
            Ok(0)
        }
    }
}
