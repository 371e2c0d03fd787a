#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, then formatting, lints, unit
# and integration tests, keychain tests against a real Secret Service, and end-to-end tests of the
# built app under Xvfb. CI runs exactly this (through .ci/run).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_rust
ensure_build_deps
ensure_apt xvfb xauth webkit2gtk-driver gnome-keyring dbus-x11 libsecret-tools fonts-noto-color-emoji
if ! command -v tauri-driver >/dev/null 2>&1; then
  log "installing tauri-driver"
  cargo install tauri-driver --locked
fi

log "UI: typecheck, lint, unit tests, build"
ensure_ui_deps
(cd ui && npm run typecheck && npm run lint && npm test)
build_ui

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p portdesk-e2e -p secrets -p credentials -p portdesk-cli --all-targets --locked \
  --features portdesk-e2e/e2e,secrets/keyring-tests,credentials/keyring-tests,portdesk-cli/keyring-tests -- -D warnings

log "cargo test (unit, integration over loopback, property tests, bench binaries in quick mode)"
cargo test --workspace --exclude portdesk-e2e --locked

# The bindings test above regenerated ui/src/lib/bindings.ts: it must match what is committed.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if ! git diff --exit-code -- ui/src/lib/bindings.ts; then
    echo "error: ui/src/lib/bindings.ts drifted from the Rust commands: commit the regenerated file" >&2
    exit 1
  fi
fi

log "keychain tests against a real Secret Service (unlocked, then locked)"
scripts/with-keyring.sh -- cargo test --locked -p secrets -p credentials -p portdesk-cli \
  --features secrets/keyring-tests,credentials/keyring-tests,portdesk-cli/keyring-tests \
  --test keychain --test profiles_keychain
scripts/with-keyring.sh --locked -- cargo test --locked -p secrets --features keyring-tests --test keychain_locked

log "end-to-end: the built app over WebDriver under Xvfb"
cargo build --locked -p portdesk --features custom-protocol
cargo build --locked -p portdesk-cli
scripts/with-keyring.sh -- xvfb-run -a -s "-screen 0 1280x800x24" \
  cargo test --locked -p portdesk-e2e --features e2e -- --test-threads=1 --nocapture

log "all green"
