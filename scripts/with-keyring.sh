#!/usr/bin/env bash
# Runs a command against a private, real Secret Service: a fresh D-Bus session with its own
# gnome-keyring-daemon, keyring files in a throwaway directory, removed afterwards.
#
#   scripts/with-keyring.sh [--locked] -- CMD...
#
# Default: the login keyring exists and is unlocked. --locked: it exists (holding one seeded item,
# service "dev.portdesk.test.locked-seed", account "seeded") but is locked, and unlocking would need a
# prompt, which cannot appear here, so stores fail with NoStorageAccess. CMD sees
# PORTDESK_KEYRING_SESSION=unlocked|locked (the keychain test binaries refuse to run without it) and
# PORTDESK_KEYRING_ROOT (the throwaway directory, for tests that check nothing leaked into files).
#
# Needs: gnome-keyring dbus-x11 libsecret-tools (Debian/Ubuntu package names).
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
die() { printf 'with-keyring.sh: %s\n' "$*" >&2; exit 2; }

mode=unlocked
while [ $# -gt 0 ]; do
  case "$1" in
    --locked) mode=locked; shift ;;
    --) shift; break ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { usage >&2; exit 2; }

for tool in dbus-run-session dbus-send gnome-keyring-daemon secret-tool; do
  command -v "$tool" >/dev/null 2>&1 ||
    die "$tool is missing: install the packages gnome-keyring dbus-x11 libsecret-tools"
done

root="$(mktemp -d "${TMPDIR:-/tmp}/portdesk-keyring.XXXXXX")"
trap 'rm -rf "$root"' EXIT
mkdir -m 700 "$root/data" "$root/run"

# Always a private runtime dir, even when one is set: a desktop's own gnome-keyring keeps its control
# socket in $XDG_RUNTIME_DIR/keyring, and the test daemon must never find or talk to it.
export XDG_DATA_HOME="$root/data" XDG_RUNTIME_DIR="$root/run" PORTDESK_KEYRING_ROOT="$root"
# With a display, an unlock prompt would open a window (on an Xvfb, forever) instead of failing.
unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL

# Runs inside `dbus-run-session`: start_keyring PASSWORD starts the daemon, waits until it answers
# on the bus and records its pid so it is stopped by pid, not by name.
session_lib='
set -euo pipefail
bus() { dbus-send --session --print-reply=literal "$@"; }
start_keyring() {
  local out line
  out="$(printf "%s" "$1" | gnome-keyring-daemon --unlock --components=secrets)"
  while IFS= read -r line; do
    case "$line" in [A-Z_]*=*) export "${line?}" ;; esac
  done <<<"$out"
  for _ in $(seq 100); do
    if bus --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
         string:org.freedesktop.secrets 2>/dev/null | grep -q true; then
      daemon_pid="$(bus --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets |
        awk "{print \$2}")"
      trap "kill \"$daemon_pid\" 2>/dev/null || true" EXIT
      return 0
    fi
    sleep 0.1
  done
  echo "with-keyring.sh: gnome-keyring-daemon did not appear on the session bus" >&2
  exit 2
}
login_locked() {
  bus --dest=org.freedesktop.secrets /org/freedesktop/secrets/collection/login \
    org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Collection string:Locked |
    awk "{print \$3}"
}
'

password() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

if [ "$mode" = locked ]; then
  # First session: create login.keyring with one password and an item in it, so that reads of an
  # existing entry (not only writes) meet the lock in the second session.
  SEED_PASSWORD="$(password)" dbus-run-session -- bash -c "$session_lib"'
    start_keyring "$SEED_PASSWORD"
    printf "%s" "seeded-secret" |
      secret-tool store --label="Portdesk locked-keyring test seed" \
        service dev.portdesk.test.locked-seed username seeded
  ' 2> >(grep -v "Failed to set fd limit" >&2)
  [ -s "$XDG_DATA_HOME/keyrings/login.keyring" ] || die "the seed session created no login.keyring"
fi

# The second password differs from the first, so gnome-keyring finds the existing keyring locked.
export PORTDESK_KEYRING_SESSION="$mode"
set +e
KEYRING_PASSWORD="$(password)" dbus-run-session -- bash -c "$session_lib"'
  start_keyring "$KEYRING_PASSWORD"
  want=false
  if [ "$PORTDESK_KEYRING_SESSION" = locked ]; then want=true; fi
  got="$(login_locked)"
  if [ "$got" != "$want" ]; then
    echo "with-keyring.sh: expected the login keyring locked=$want, found locked=$got" >&2
    exit 2
  fi
  "$@"
' with-keyring "$@"
status=$?
set -e
exit "$status"
