# Shared by scripts/run.sh and scripts/test.sh: install what is missing, idempotently.
# Sourced, not executed.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=""
# apt-get only when a package is really missing, so a second run does nothing.
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then return 0; fi
  log "installing system packages: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    if [ -x "$HOME/.cargo/bin/cargo" ]; then
      export PATH="$HOME/.cargo/bin:$PATH"
    else
      echo "error: Rust is not installed. Install it with rustup (https://rustup.rs), then run this again." >&2
      exit 1
    fi
  fi
  for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
      if command -v rustup >/dev/null 2>&1; then
        log "adding the $component component"
        rustup component add "$component"
      else
        echo "error: cargo $component is missing and rustup is not available to add it." >&2
        exit 1
      fi
    fi
  done
}

# What building the workspace and the desktop app needs from the system.
ensure_build_deps() {
  ensure_apt build-essential pkg-config libssl-dev \
    libwebkit2gtk-4.1-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev
}

# Node for the UI; Debian's packages when the machine has none.
ensure_node() {
  if ! command -v npm >/dev/null 2>&1; then
    ensure_apt nodejs npm
  fi
}

# npm ci only when the lock file changed since the last install (a copy of it is the stamp).
ensure_ui_deps() {
  ensure_node
  local stamp=ui/node_modules/.portdesk-installed-lock
  if ! cmp -s ui/package-lock.json "$stamp" 2>/dev/null; then
    log "installing the UI's npm packages"
    (cd ui && npm ci --no-audit --no-fund)
    cp ui/package-lock.json "$stamp"
  fi
}

build_ui() {
  ensure_ui_deps
  log "building the UI"
  (cd ui && npm run build)
}
