#!/usr/bin/env bash
# Starts Portdesk. Until the desktop app lands, that is the Port-compatible demo server and a demo
# invocation streamed by portdesk-cli; the server keeps running for your own commands.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_rust
ensure_build_deps

log "building portdesk-cli"
cargo build --release --locked -p portdesk-cli
CLI="$ROOT/target/release/portdesk-cli"

url_file="$(mktemp)"
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -f "$url_file"' EXIT
"$CLI" serve-mock --port "${PORTDESK_DEMO_PORT:-0}" >"$url_file" &
server_pid=$!
for _ in $(seq 1 100); do
  [ -s "$url_file" ] && break
  sleep 0.1
done
url="$(head -n 1 "$url_file")"
if [ -z "$url" ]; then
  echo "error: the demo server did not start" >&2
  exit 1
fi

log "demo invocation against $url"
"$CLI" --base-url "$url" --token demo invoke "What services do we have, and who owns them?"

cat >&2 <<MSG

The demo server is still running at $url. Try, in another terminal:
  $CLI --base-url $url --token demo agents
  $CLI --base-url $url --token demo invoke --json "Open an incident for payments-api"
  $CLI --base-url $url --token demo quota
Press Ctrl-C to stop.
MSG
wait "$server_pid"
