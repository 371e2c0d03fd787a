//! `portdesk-cli profile …`: the connection profiles the desktop app uses too.

use std::io::{IsTerminal, Read};

use credentials::{ProfileStore, ProfileSummary, Secret, Target};
use port_api::Region;
use secrets::Sensitive;

use crate::args::{GlobalArgs, ProfileAddArgs, ProfileCommand};
use crate::connect;
use crate::output::{self, CliError};

pub async fn run(global: &GlobalArgs, command: &ProfileCommand) -> Result<(), CliError> {
    let store = connect::profile_store()?;
    let result = match command {
        ProfileCommand::Add(args) => add(&store, global, args),
        ProfileCommand::List(flag) => list(&store, flag.json),
        ProfileCommand::Remove(p) => remove(&store, &p.name),
        ProfileCommand::Default(p) => {
            store
                .set_default(&p.name)
                .map_err(CliError::from)
                .map(|()| {
                    println!("{} is now the default profile.", p.name);
                })
        }
        ProfileCommand::Test(p) => test(&store, &p.name).await,
    };
    connect::print_notice(&store);
    result
}

/// The profile and its secret, then what the app kept for its workspace (saved agents,
/// favourites, request options). The profile is gone even if those files cannot be deleted.
fn remove(store: &ProfileStore, name: &str) -> Result<(), CliError> {
    store.remove(name)?;
    println!("Removed profile {name} and its secret.");
    let workspace = agents::WorkspaceKey::Profile(name.to_string());
    if let Err(e) = agents::AgentStore::new(store.data_dir()).forget(&workspace) {
        eprintln!("warning: {e}");
    }
    Ok(())
}

fn add(store: &ProfileStore, global: &GlobalArgs, args: &ProfileAddArgs) -> Result<(), CliError> {
    // Everything that can be wrong with the command line is reported before asking for a secret.
    credentials::validate_profile_name(&args.name)?;
    let target = target(global, args.legacy)?;
    target.api_base()?;
    let secret = match &args.client_id {
        Some(client_id) => Secret::ClientSecret {
            client_id: client_id.clone(),
            client_secret: read_secret("client secret", &args.name)?,
        },
        None => Secret::AccessToken(read_secret("access token", &args.name)?),
    };
    let summary = store.add(&args.name, target, secret)?;
    let default = if summary.is_default {
        ", the default profile"
    } else {
        ""
    };
    println!(
        "Saved profile {} ({}, {}{default}); its secret is in the OS keychain.",
        summary.name,
        summary.target_label,
        auth_label(&summary)
    );
    Ok(())
}

fn target(global: &GlobalArgs, legacy: bool) -> Result<Target, CliError> {
    match (&global.base_url, &global.region) {
        (Some(_), _) if legacy => Err(CliError::usage(
            "--legacy applies to --region only: a --base-url is used as given",
        )),
        (Some(url), _) => Ok(Target::Custom {
            base_url: url.clone(),
        }),
        (None, Some(region)) => Ok(Target::Region {
            region: region.parse::<Region>()?,
            legacy,
        }),
        (None, None) => Err(CliError::usage(
            "a profile needs a target: --region eu|us (add --legacy for the getport.io hosts) or --base-url URL",
        )),
    }
}

/// From stdin when it is a pipe or a file (scripts), else from the terminal without echo. Only
/// the line ending is removed: the value is otherwise taken as given.
fn read_secret(what: &str, profile: &str) -> Result<Sensitive<String>, CliError> {
    let stdin = std::io::stdin();
    let value = if stdin.is_terminal() {
        rpassword::prompt_password(format!("{what} for profile {profile} (input hidden): "))
            .map_err(|e| CliError::usage(format!("could not read the {what}: {e}")))?
    } else {
        let mut value = String::new();
        stdin
            .lock()
            .read_to_string(&mut value)
            .map_err(|e| CliError::usage(format!("could not read the {what} from stdin: {e}")))?;
        let end = value.trim_end_matches(['\n', '\r']).len();
        value.truncate(end);
        value
    };
    if value.trim().is_empty() {
        return Err(CliError::usage(format!(
            "no {what} given: pipe it on stdin or type it at the prompt"
        )));
    }
    Ok(Sensitive::new(value))
}

fn list(store: &ProfileStore, json: bool) -> Result<(), CliError> {
    let profiles = store.list()?;
    if json {
        output::json_line(&serde_json::to_value(&profiles).unwrap_or_default());
        return Ok(());
    }
    if profiles.is_empty() {
        println!("No profiles yet. Save one with `portdesk-cli profile add NAME --region eu --client-id ID`.");
        return Ok(());
    }
    let width = profiles
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(0);
    for p in &profiles {
        let marker = if p.is_default { "*" } else { " " };
        let missing = if p.configured {
            ""
        } else {
            "  (secret unavailable: keychain locked, or entry missing)"
        };
        println!(
            "{marker} {:<width$}  {}  {}{missing}",
            p.name,
            p.target_label,
            auth_label(p)
        );
    }
    Ok(())
}

fn auth_label(summary: &ProfileSummary) -> String {
    match &summary.masked_client_id {
        Some(id) => format!("client ID {id}"),
        None => "access token".to_string(),
    }
}

async fn test(store: &ProfileStore, name: &str) -> Result<(), CliError> {
    let (base, credentials) = store.connect(name)?;
    let url = base.as_str().to_string();
    let report = credentials::test_connection(base, credentials).await?;
    let figure = |v: Option<f64>| v.map(|n| n.to_string()).unwrap_or_else(|| "?".into());
    println!(
        "OK: profile {name} connects to {url}; {} of {} AI invocations left this month.",
        figure(report.remaining_quota),
        figure(report.monthly_limit)
    );
    Ok(())
}
