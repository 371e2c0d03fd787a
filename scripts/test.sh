#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, then formatting, lints and
# every test. CI runs exactly this (through .ci/run).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_rust
ensure_build_deps

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

log "cargo test (unit, integration over loopback, property tests, bench binaries in quick mode)"
cargo test --workspace --all-targets --locked

log "all green"
