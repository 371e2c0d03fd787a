//! Command-line arguments. Global options are accepted before or after the subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "portdesk-cli",
    version,
    about = "Talk to Port AI from a terminal: invoke agents, list agents, check quota and providers.",
    after_help = "Credentials: --token or PORT_ACCESS_TOKEN, or PORT_CLIENT_ID and PORT_CLIENT_SECRET.\n\
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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Invoke the general assistant or an agent and stream the answer.
    Invoke(Box<InvokeArgs>),
    /// List the organisation's AI agents.
    Agents(JsonFlag),
    /// Show the monthly AI invocation quota.
    Quota(JsonFlag),
    /// List LLM providers, their models and the default.
    Providers(JsonFlag),
    /// Run the Port-compatible demo server on 127.0.0.1 until interrupted.
    ServeMock(ServeMockArgs),
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
    /// What to ask.
    pub prompt: String,
}

#[derive(Debug, Args)]
pub struct ServeMockArgs {
    /// Port to listen on (default: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
}
