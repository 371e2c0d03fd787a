#!/usr/bin/env bash
# Fuzzes the invocation stream's byte path (SSE framing + decoding, with random read sizes) for a
# bounded time; never part of every CI run. Every crash it finds is saved under
# crates/port-api/fuzz/artifacts/ and must become a test in crates/port-api/tests/fuzz_regressions.rs.
#
#   scripts/fuzz-stream.sh [SECONDS]      (default 300)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

seconds="${1:-300}"
ensure_rust
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  log "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
# cargo fuzz passes a few -Z flags (sanitizer coverage); the machine has only the stable
# toolchain, which accepts them with RUSTC_BOOTSTRAP. The address sanitizer is left off: the
# code under test is safe Rust, and what we look for is panics and chunking differences.
export RUSTC_BOOTSTRAP=1
cd crates/port-api/fuzz
# corpus/ is the fuzzer's working set (ignored by git); seeds/ and regressions/ are committed.
mkdir -p corpus/stream_bytes
log "fuzzing stream_bytes for ${seconds} s"
cargo fuzz run --sanitizer none stream_bytes corpus/stream_bytes seeds/stream_bytes \
  regressions/stream_bytes -- -max_total_time="$seconds" -max_len=8192
