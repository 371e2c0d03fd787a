//! Arguments of `portdesk-cli history …`.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Subcommand};

/// The global `--profile NAME` filters by connection profile here (and names the profile that
/// `import-port` connects with and records).
#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// List invocations, newest first (one page; --cursor for the next).
    List(ListArgs),
    /// Full-text search over prompts, answers and tool calls. Any text is a valid query.
    Search(SearchArgs),
    /// One invocation with its answer, tool calls and event log.
    Show(ShowArgs),
    /// Export a conversation (Markdown or JSON) or the history (JSON, JSON lines or CSV).
    Export(ExportArgs),
    /// Import a Portdesk JSON export (document or JSON lines); already present invocations are skipped.
    Import(ImportArgs),
    /// Invocations per day, per agent and per status; tool usage; durations.
    Stats(StatsArgs),
    /// Delete an invocation, a conversation, or everything.
    Delete(DeleteArgs),
    /// Merge Port's own invocation records (kept by Port for 30 days), without duplicates.
    ImportPort(JsonOnly),
    /// Show or set how long invocations are kept.
    Retention(RetentionArgs),
    /// Fill the history with N synthetic invocations (benchmarks, open-time measurements).
    #[command(hide = true)]
    SeedBench(SeedArgs),
}

#[derive(Debug, Args, Default)]
pub struct FilterArgs {
    /// Only this agent.
    #[arg(long, value_name = "ID", conflicts_with = "general")]
    pub agent: Option<String>,
    /// Only the general assistant.
    #[arg(long)]
    pub general: bool,
    /// Only these statuses; repeat for several.
    #[arg(long = "status", value_name = "STATUS",
          value_parser = ["streaming", "completed", "failed", "interrupted", "cancelled"])]
    pub statuses: Vec<String>,
    /// Only invocations with this label (KEY=VALUE, or KEY for any value); repeat for several.
    #[arg(long = "label", value_name = "KEY[=VALUE]")]
    pub labels: Vec<String>,
    /// Only invocations that called this tool.
    #[arg(long, value_name = "NAME")]
    pub tool: Option<String>,
    /// Asked on or after this date (YYYY-MM-DD, UTC) or time (RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Asked on or before this date (inclusive) or before this time.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only this conversation.
    #[arg(long, value_name = "ID")]
    pub in_conversation: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// At most this many (1–500).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Continue after the page that printed this cursor.
    #[arg(long)]
    pub cursor: Option<String>,
    /// One JSON object per invocation, one per line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for: words (the last one also as a prefix); quotes and operators are words.
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
    #[arg(long)]
    pub cursor: Option<String>,
    /// One JSON object per match, one per line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// json (imports back), jsonl or csv for the history; md or json for a conversation.
    #[arg(long, value_parser = ["json", "jsonl", "csv", "md", "markdown"], default_value = "json")]
    pub format: String,
    /// Export this conversation only.
    #[arg(long, value_name = "ID")]
    pub conversation: Option<String>,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Write here instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The same as --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A file written by `history export --format json|jsonl`; `-` reads stdin.
    pub file: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("target").required(true).args(["id", "conversation", "all"])))]
pub struct DeleteArgs {
    /// The invocation to delete.
    pub id: Option<String>,
    /// Delete this conversation and its invocations.
    #[arg(long, value_name = "ID")]
    pub conversation: Option<String>,
    /// Delete every invocation (with --yes).
    #[arg(long, requires = "yes")]
    pub all: bool,
    /// Confirm --all.
    #[arg(long)]
    pub yes: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct JsonOnly {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("keep").args(["days", "forever"])))]
pub struct RetentionArgs {
    /// Keep invocations this many days (older ones are deleted now and on every open).
    #[arg(long)]
    pub days: Option<u32>,
    /// Keep everything (the default).
    #[arg(long)]
    pub forever: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// How many invocations.
    pub count: usize,
    /// Events per invocation.
    #[arg(long, default_value_t = 20)]
    pub events: usize,
}
