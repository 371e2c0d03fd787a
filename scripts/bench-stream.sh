#!/usr/bin/env bash
# The whole-process streaming benchmark: portdesk-cli (release) beside a Node reader on
# eventsource-parser and curl, over loopback, same bytes, same run. Prints the ratios.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_rust
ensure_build_deps
ensure_apt curl
ensure_node
reader=crates/cli/benches/node-reader
if ! cmp -s "$reader/package-lock.json" "$reader/node_modules/.portdesk-installed-lock" 2>/dev/null; then
  log "installing the Node reader's package"
  (cd "$reader" && npm ci --no-audit --no-fund)
  cp "$reader/package-lock.json" "$reader/node_modules/.portdesk-installed-lock"
fi
log "cargo bench -p portdesk-cli --bench stream_peers"
cargo bench --locked -p portdesk-cli --bench stream_peers
