//! Whole-process streaming benchmark over loopback: the same bytes from port-mock, read by
//!   - `curl -o /dev/null`: the transfer limit,
//!   - a Node 20 reader on eventsource-parser (`benches/node-reader/reader.mjs`) that assembles the
//!     answer and the tool results,
//!   - `portdesk-cli invoke` (human mode, release build), which does the same and prints them.
//!
//! Run with `scripts/bench-stream.sh` (installs the Node reader's one package, then
//! `cargo bench -p portdesk-cli --bench stream_peers`). Each peer runs RUNS times, interleaved; the
//! figures are medians of wall time, and each process's peak RSS (from wait4). Two bodies: 100,000
//! small `execution` chunks, and one 50 MB tool result in 8 KB chunks.

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use port_mock::{MockConfig, MockServer};

/// The CLI under test: this build's, or another one named by `STREAM_PEERS_CLI` (to measure a
/// before/after pair in one run of the same peers).
fn cli() -> PathBuf {
    std::env::var_os("STREAM_PEERS_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_portdesk-cli")))
}
const RUNS: usize = 5;

struct Sample {
    wall: Duration,
    peak_rss_kib: i64,
    stdout_bytes: usize,
}

/// Runs `command` to the end, counting its stdout, and reads its peak RSS from `wait4`.
// The child is reaped by `wait4` (which also gives its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn measure(mut command: Command) -> Sample {
    command.stdout(Stdio::piped()).stderr(Stdio::null());
    let started = Instant::now();
    let mut child = command.spawn().expect("spawn a peer");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut buf = vec![0u8; 64 * 1024];
    let mut stdout_bytes = 0;
    loop {
        match stdout.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => stdout_bytes += n,
        }
    }
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `usage` is a plain C struct that wait4 fills; the pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    let status = std::process::ExitStatus::from_raw(status);
    assert!(status.success(), "{command:?} exited {status}");
    Sample {
        wall,
        peak_rss_kib: usage.ru_maxrss,
        stdout_bytes,
    }
}

fn median(samples: &mut [Sample]) -> &Sample {
    samples.sort_by_key(|s| s.wall);
    &samples[samples.len() / 2]
}

fn node_reader_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/node-reader")
}

struct Peers {
    url: String,
    data_dir: tempfile::TempDir,
}

impl Peers {
    fn curl(&self, prompt: &str) -> Command {
        let mut c = Command::new("curl");
        c.args(["-sS", "--fail", "-o", "/dev/null", "-X", "POST"])
            .args(["-H", "authorization: Bearer bench"])
            .args(["-H", "content-type: application/json"])
            .args([
                "--data-binary",
                &serde_json::json!({"userPrompt": prompt, "tools": []}).to_string(),
            ])
            .arg(format!("{}/v1/ai/invoke", self.url));
        c
    }

    fn node(&self, prompt: &str) -> Command {
        let mut c = Command::new("node");
        c.arg(node_reader_dir().join("reader.mjs"))
            .args([&self.url, "bench", prompt]);
        c
    }

    fn portdesk(&self, prompt: &str) -> Command {
        let mut c = Command::new(cli());
        c.args(["--base-url", &self.url, "--token", "bench", "invoke"])
            .args(history_off())
            .arg(prompt)
            .env("PORTDESK_DATA_DIR", self.data_dir.path());
        c
    }
}

/// `--no-history` where the CLI records invocations, so the figure is the streaming path alone.
fn history_off() -> Vec<&'static str> {
    let help = Command::new(cli())
        .args(["invoke", "--help"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if help.contains("--no-history") {
        vec!["--no-history"]
    } else {
        Vec::new()
    }
}

fn body_bytes(peers: &Peers, prompt: &str) -> u64 {
    let out = peers
        .curl(prompt)
        .args(["-w", "%{size_download}"])
        .output()
        .expect("curl");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}

fn compare(peers: &Peers, label: &str, prompt: &str, runs: usize, expected_answer: usize) {
    let bytes = body_bytes(peers, prompt);
    let (mut curl, mut node, mut portdesk) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        curl.push(measure(peers.curl(prompt)));
        node.push(measure(peers.node(prompt)));
        portdesk.push(measure(peers.portdesk(prompt)));
    }
    let (curl, node, portdesk) = (median(&mut curl), median(&mut node), median(&mut portdesk));
    // Both readers print the whole answer (portdesk-cli adds one final newline).
    assert_eq!(node.stdout_bytes, expected_answer, "node's answer");
    assert_eq!(
        portdesk.stdout_bytes,
        expected_answer + 1,
        "portdesk's answer"
    );
    let ms = |s: &Sample| s.wall.as_secs_f64() * 1e3;
    let mib = |s: &Sample| s.peak_rss_kib as f64 / 1024.0;
    println!(
        "stream_peers/{label}: {:.1} MB body · curl {:.0} ms · node {:.0} ms, {:.1} MiB peak RSS · \
         portdesk-cli {:.0} ms, {:.1} MiB peak RSS",
        bytes as f64 / 1e6,
        ms(curl),
        ms(node),
        mib(node),
        ms(portdesk),
        mib(portdesk),
    );
    println!(
        "stream_peers/{label}: node / portdesk = {:.1}x (aim >= 3x), portdesk / curl = {:.1}x (aim <= 4x)",
        ms(node) / ms(portdesk),
        ms(portdesk) / ms(curl),
    );
}

fn main() {
    // `cargo test --benches` runs this without --bench: keep that a quick smoke run.
    let quick = !std::env::args().any(|a| a == "--bench");
    if !node_reader_dir()
        .join("node_modules/eventsource-parser")
        .exists()
    {
        eprintln!(
            "the Node reader's package is missing: run scripts/bench-stream.sh, which installs it"
        );
        std::process::exit(2);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime
        .block_on(MockServer::start(MockConfig::default()))
        .expect("port-mock");
    let peers = Peers {
        url: server.base_url(),
        data_dir: tempfile::tempdir().expect("temp dir"),
    };
    let (chunks, total, runs) = if quick {
        (1_000u64, 1_000_000u64, 1)
    } else {
        (100_000, 50_000_000, RUNS)
    };
    let answer_len: usize = (0..chunks).map(|i| format!("tok{i} ").len()).sum();
    compare(
        &peers,
        "answer_chunks",
        &format!("[bench-answer {chunks}]"),
        runs,
        answer_len,
    );
    let pieces = total.div_ceil(8192);
    let summary = format!("Read {total} bytes of tool output in {pieces} chunks.");
    compare(
        &peers,
        "tool_result_50mb",
        &format!("[bench-tool-result {total} 8192]"),
        runs,
        summary.len(),
    );
    runtime.block_on(server.shutdown());
}
