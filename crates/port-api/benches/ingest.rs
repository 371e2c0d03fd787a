//! End-to-end ingest over loopback from port-mock: HTTP → SSE framing → typed events.
//!
//! Run with `cargo bench -p port-api --bench ingest`. Prints, for each case, the median of several
//! runs and the peak heap the process held during the run (client and server together: the server
//! generates its stream lazily, so nearly all of it is the client's).
//!
//! (a) 100,000 small answer chunks, in events/s.
//! (b) a 50 MB tool result in 8 KB chunks, in MB/s.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use port_api::{ApiBase, CancellationToken, Credentials, InvokeEvent, InvokeRequest, PortClient};
use port_mock::{MockConfig, MockServer};

/// Counts live heap bytes and remembers the peak.
struct PeakAlloc;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: PeakAlloc = PeakAlloc;

const RUNS: usize = 5;

struct Sample {
    elapsed: Duration,
    events: u64,
    answer_deltas: u64,
    bytes: u64,
    peak_heap: usize,
}

async fn ingest(client: &PortClient, prompt: &str) -> Sample {
    let mut request = InvokeRequest::general(prompt);
    request.tools.clear();
    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let started = Instant::now();
    let mut stream = client
        .invoke(&request, CancellationToken::new())
        .await
        .expect("invoke");
    let (mut events, mut answer_deltas, mut bytes) = (0u64, 0u64, 0u64);
    let mut done = false;
    while let Some(item) = stream.next_event().await {
        let event = item.expect("event");
        events += 1;
        match &event {
            InvokeEvent::AnswerDelta { delta } => {
                answer_deltas += 1;
                bytes += delta.len() as u64
            }
            InvokeEvent::ToolResultDelta { delta, .. } => bytes += delta.len() as u64,
            InvokeEvent::Done { .. } => done = true,
            _ => {}
        }
    }
    assert!(done, "the stream completed");
    Sample {
        elapsed: started.elapsed(),
        events,
        answer_deltas,
        bytes,
        peak_heap: PEAK.load(Ordering::Relaxed).saturating_sub(baseline),
    }
}

fn median(mut samples: Vec<Sample>) -> Sample {
    samples.sort_by_key(|s| s.elapsed);
    let peak = samples.iter().map(|s| s.peak_heap).max().unwrap_or(0);
    let mid = samples.swap_remove(RUNS / 2);
    Sample {
        peak_heap: peak,
        ..mid
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() {
    // `cargo test --benches` runs bench binaries with --bench absent; keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let server = MockServer::start(MockConfig::default())
            .await
            .expect("port-mock");
        let client = PortClient::new(
            ApiBase::custom(&server.base_url()).expect("base"),
            Credentials::access_token("bench"),
        )
        .expect("client");

        let (chunks, total, piece) = if quick {
            (1_000, 1_000_000, 8 * 1024)
        } else {
            (100_000, 50 * 1000 * 1000, 8 * 1024)
        };
        let runs = if quick { 1 } else { RUNS };

        let mut samples = Vec::new();
        for _ in 0..runs {
            samples.push(ingest(&client, &format!("[bench-answer {chunks}]")).await);
        }
        let answer = if quick { samples.remove(0) } else { median(samples) };
        let answer_events = answer.answer_deltas;
        assert_eq!(answer_events, chunks, "every answer chunk arrived");
        let events_per_sec = answer.events as f64 / answer.elapsed.as_secs_f64();
        println!(
            "ingest/answer_chunks: {} chunks ({} events) in {:.1} ms = {:.0} events/s, peak heap {:.1} MiB",
            answer_events,
            answer.events,
            answer.elapsed.as_secs_f64() * 1e3,
            events_per_sec,
            answer.peak_heap as f64 / (1024.0 * 1024.0)
        );

        let mut samples = Vec::new();
        for _ in 0..runs {
            samples.push(
                ingest(&client, &format!("[bench-tool-result {total} {piece}]")).await,
            );
        }
        let result = if quick { samples.remove(0) } else { median(samples) };
        assert!(result.bytes >= total as u64, "{} of {total} bytes", result.bytes);
        let mb = result.bytes as f64 / 1e6;
        println!(
            "ingest/tool_result: {:.1} MB in {} KB chunks in {:.1} ms = {:.0} MB/s, peak heap {:.1} MiB",
            mb,
            piece / 1024,
            result.elapsed.as_secs_f64() * 1e3,
            mb / result.elapsed.as_secs_f64(),
            result.peak_heap as f64 / (1024.0 * 1024.0)
        );
        if let Some(kib) = peak_rss_kib() {
            println!("process peak RSS (client + server): {:.1} MiB", kib as f64 / 1024.0);
        }
        server.shutdown().await;
    });
}
