#!/usr/bin/env bash
# Starts Portdesk: builds the UI and the app, then opens it — straight into the demo workspace
# when no Port account is configured yet. Extra arguments go to the app (e.g. --demo).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_rust
ensure_build_deps
build_ui

log "building Portdesk"
cargo build --locked -p portdesk --features custom-protocol -p portdesk-cli
APP="$ROOT/target/debug/portdesk"
CLI="$ROOT/target/debug/portdesk-cli"

args=("$@")
if [ "$("$CLI" profile list --json 2>/dev/null || echo '[]')" = "[]" ]; then
  log "no Port account configured: opening the demo workspace"
  args+=(--demo)
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  ensure_apt xvfb xauth
  log "no display: running Portdesk under Xvfb (headless)"
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$APP" "${args[@]}"
fi
exec "$APP" "${args[@]}"
