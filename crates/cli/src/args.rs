//! Command-line arguments. Global options are accepted before or after the subcommand.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "portdesk-cli",
    version,
    about = "Talk to Port AI from a terminal: invoke agents, list agents, check quota and providers.",
    after_help = "Credentials, first match wins: --token or PORT_ACCESS_TOKEN; --profile NAME; PORT_CLIENT_ID and\n\
                  PORT_CLIENT_SECRET; the default profile (save one with `portdesk-cli profile add`).\n\
                  Try it without an account: `portdesk-cli serve-mock` in one terminal, then\n\
                  `portdesk-cli --base-url http://127.0.0.1:PORT --token demo invoke \"What services do we have?\"`."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Port region of your organisation (app.port.io → eu, app.us.port.io → us).
    #[arg(long, global = true, value_parser = ["eu", "us"], conflicts_with = "base_url")]
    pub region: Option<String>,
    /// A custom API base URL (a proxy, or the demo server). Plain http only on loopback.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// A Port access token (3-hour token from Port's web app).
    #[arg(long, global = true, env = "PORT_ACCESS_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Connect with this saved profile (see `portdesk-cli profile`). --region and --base-url
    /// still override its target.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Invoke the general assistant or an agent and stream the answer.
    Invoke(Box<InvokeArgs>),
    /// List the organisation's AI agents.
    Agents(JsonFlag),
    /// Show the quota: the rate window, the month with pace and projection, and the limiter.
    Quota(JsonFlag),
    /// List LLM providers, their models and the default.
    Providers(JsonFlag),
    /// Run the Port-compatible demo server on 127.0.0.1 until interrupted.
    ServeMock(ServeMockArgs),
    /// Test tool patterns exactly as Port evaluates them (offline): which tools each matches.
    #[command(
        after_help = "Port prepends ^ to each pattern (JavaScript regex, no flags, no end anchor); a tool is available\n\
                      when any applicable pattern matches. A pattern applies to connector X's tools only when its text\n\
                      begins with X_; every other pattern applies to Port's own tools only.\n\
                      Example: portdesk-cli match --patterns '[\"^(list|get)_.*\", \"notion_.*\"]' --connector notion"
    )]
    Match(MatchArgs),
    /// Read or change your tool approval preferences saved in Port.
    #[command(subcommand)]
    Approvals(ApprovalsCommand),
    /// Manage saved connection profiles (shared with the desktop app; secrets in the OS keychain).
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Browse, search, export and manage the local history (the same file the desktop app uses).
    #[command(subcommand)]
    History(crate::history_args::HistoryCommand),
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Save a profile. Its secret is read from stdin when stdin is not a terminal, otherwise
    /// prompted for without echo; there is no option for it, so it never lands in shell history.
    #[command(
        after_help = "Target: --region eu|us (with --legacy for the getport.io hosts) or --base-url URL.\n\
                            Example: printf '%s' \"$SECRET\" | portdesk-cli profile add work --region eu --client-id ID"
    )]
    Add(ProfileAddArgs),
    /// List the saved profiles.
    List(JsonFlag),
    /// Remove a profile and its secret from the OS keychain.
    Remove(ProfileName),
    /// Check a profile: authenticate, then read the quota.
    Test(ProfileName),
    /// Use this profile when no other credentials are given.
    Default(ProfileName),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("credential").required(true).args(["client_id", "access_token"])))]
pub struct ProfileAddArgs {
    /// 1 to 64 letters, digits, spaces, '_', '.' or '-'.
    pub name: String,
    /// With --region: use the legacy getport.io host.
    #[arg(long)]
    pub legacy: bool,
    /// Authenticate with this client ID; the client secret is read from stdin or prompted for.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// Authenticate with an access token, read from stdin or prompted for.
    #[arg(long)]
    pub access_token: bool,
}

#[derive(Debug, Args)]
pub struct ProfileName {
    pub name: String,
}

#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InvokeArgs {
    /// Invoke this agent instead of the general assistant.
    #[arg(long, value_name = "ID")]
    pub agent: Option<String>,
    /// Tool-name pattern (ECMAScript regex, anchored at the start); repeat for several.
    /// General assistant only. Default: Port's read-only set.
    #[arg(long = "tools", value_name = "PATTERN")]
    pub tools: Vec<String>,
    /// Metadata kept with the invocation; repeat for several.
    #[arg(long = "label", value_name = "KEY=VALUE")]
    pub labels: Vec<String>,
    /// Per-invocation approval override; repeat for several.
    #[arg(long = "approval", value_name = "PATTERN=approval|automatic")]
    pub approvals: Vec<String>,
    /// LLM provider (requires --model).
    #[arg(long, requires = "model")]
    pub provider: Option<String>,
    /// LLM model (requires --provider).
    #[arg(long, requires = "provider")]
    pub model: Option<String>,
    /// A JSON Schema file (type "object" at the root): the answer becomes a JSON object.
    #[arg(long, value_name = "FILE")]
    pub output_schema: Option<PathBuf>,
    /// MCP connector identifier (general assistant only, at most 5); repeat for several.
    #[arg(long = "mcp-server", value_name = "ID")]
    pub mcp_servers: Vec<String>,
    /// ask, plan or build.
    #[arg(long, value_parser = ["ask", "plan", "build"])]
    pub chat_mode: Option<String>,
    /// A system prompt (general assistant only).
    #[arg(long)]
    pub system_prompt: Option<String>,
    /// One JSON object per line: each event, then a final {"type":"result",…} record.
    #[arg(long)]
    pub json: bool,
    /// Fail at once (exit status 5, nothing sent) instead of waiting when the rate limiter says
    /// the window is used up or Port asked to wait.
    #[arg(long)]
    pub no_wait: bool,
    /// Do not record this invocation in the local history (an existing history still gives the
    /// rate limiter its quota figures, and gets this invocation's).
    #[arg(long)]
    pub no_history: bool,
    /// Record it as a follow-up in this history conversation (an id from `history list`).
    #[arg(long, value_name = "ID", conflicts_with = "no_history")]
    pub conversation: Option<String>,
    /// What to ask.
    pub prompt: String,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// The pattern set as a JSON array of strings, the way Port's docs write it.
    #[arg(long, value_name = "JSON_ARRAY")]
    pub patterns: String,
    /// A connector attached to the request (decides which patterns are connector patterns);
    /// repeat for several.
    #[arg(long = "connector", value_name = "ID")]
    pub connectors: Vec<String>,
    /// A JSON array of {"name": …, "connector": … or null} tools to test.
    #[arg(long, value_name = "FILE")]
    pub tools_file: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Tool names to test (after the tools file's); default: Port's built-in tools. A name that
    /// starts with a --connector's ID and _ is that connector's tool.
    #[arg(value_name = "TOOL")]
    pub tools: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ApprovalsCommand {
    /// Show each tool's saved approval mode and the disabled tools.
    Get(JsonFlag),
    /// Change the modes of the tools you name; every other tool keeps what Port holds. Shows the
    /// change, then writes it with --yes or after you confirm.
    #[command(
        after_help = "Example: portdesk-cli approvals set --mode run_action=approval --disable delete_entity --yes"
    )]
    Set(ApprovalsSetArgs),
}

#[derive(Debug, Args)]
pub struct ApprovalsSetArgs {
    /// Save this mode for a tool; repeat for several.
    #[arg(long = "mode", value_name = "TOOL=automatic|approval")]
    pub modes: Vec<String>,
    /// Remove a tool's saved mode, so Port's default applies; repeat for several.
    #[arg(long = "default", value_name = "TOOL")]
    pub defaults: Vec<String>,
    /// Add a tool to the disabled list; repeat for several.
    #[arg(long = "disable", value_name = "TOOL")]
    pub disable: Vec<String>,
    /// Take a tool off the disabled list; repeat for several.
    #[arg(long = "enable", value_name = "TOOL")]
    pub enable: Vec<String>,
    /// Write without asking (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ServeMockArgs {
    /// Port to listen on (default: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap checks its definitions (unique names, valid groups) only when a subcommand is
    /// parsed; this checks every one up front.
    #[test]
    fn every_command_definition_is_valid() {
        super::Cli::command().debug_assert();
    }
}
