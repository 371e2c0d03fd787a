// What to tell people about an error, by its stable code. The Rust message is always shown too:
// it is written for people and never holds a secret.

import type { AppError, ErrorCode } from "./backend";
import { formatDate } from "./format";

export interface ErrorExplanation {
  /** A short headline. */
  title: string;
  /** What to do about it, when there is something to do. */
  hint: string | null;
}

type ErrorLike = Pick<AppError, "code" | "message"> & Partial<Pick<AppError, "retryAfterSecs" | "resetDate">>;

const EXPLANATIONS: Partial<Record<ErrorCode, ErrorExplanation>> = {
  auth_failed: {
    title: "Port did not accept these credentials",
    hint: "Check the client ID and secret (or the access token), and that the region matches your organisation: app.port.io is EU, app.us.port.io is US.",
  },
  permission_denied: {
    title: "Not allowed",
    hint: "Your Port user may not do this. Ask an admin of your Port organisation for access.",
  },
  rate_limited: { title: "Rate limited by Port", hint: null },
  quota_exceeded: { title: "The monthly AI quota is used up", hint: null },
  not_found: { title: "Not found", hint: "It may have been removed or renamed in Port." },
  invalid_request: { title: "The request was refused", hint: null },
  server_error: { title: "Port had a problem", hint: "Try again in a moment. If it persists, Port support can use the trace ID." },
  network: {
    title: "Could not reach Port",
    hint: "Check your network connection, VPN or proxy, and the region or base URL of the profile.",
  },
  stream_interrupted: { title: "The stream was interrupted", hint: "The answer may be incomplete; ask again to get the rest." },
  invalid_response: { title: "Port answered something Portdesk cannot read", hint: null },
  stream_malformed: {
    title: "The stream broke a limit",
    hint: "Portdesk stopped reading to protect memory; what arrived before is kept. Ask again, and tell Port support the trace ID if it repeats.",
  },
  stream_crashed: {
    title: "Portdesk hit an internal error while reading this answer",
    hint: "The run was stopped and the rest of the app is unaffected. Ask again; if it repeats, please report it.",
  },
  cancelled: { title: "Cancelled", hint: null },
  keychain_unavailable: {
    title: "The OS keychain is not available",
    hint: "Portdesk keeps secrets only in the OS keychain. On Linux, start a Secret Service (GNOME Keyring or KWallet) in your desktop session and try again; on macOS and Windows, check that you are logged in to your user session.",
  },
  keychain_locked: {
    title: "The OS keychain is locked",
    hint: "Unlock your keychain (your login keyring on Linux, e.g. in Passwords and Keys), then try again.",
  },
  keychain_failed: { title: "The OS keychain refused the operation", hint: "Try again; if it keeps failing, check your keychain app." },
  profile_not_found: { title: "No such profile", hint: "It may have been removed from another window or from portdesk-cli." },
  profile_exists: { title: "A profile with this name exists", hint: "Pick another name, or edit that profile in Settings." },
  invalid_profile: { title: "Check the profile", hint: null },
  secret_missing: {
    title: "The secret is not in the keychain",
    hint: "Edit the profile in Settings and enter the secret again.",
  },
  settings_unwritable: { title: "Portdesk could not save its files", hint: "Check the free space and permissions of Portdesk's data folder." },
  not_connected: { title: "No workspace is open", hint: "Connect your Port account or try the demo workspace." },
  demo_unavailable: { title: "The demo workspace could not start", hint: null },
  open_failed: { title: "Could not open the browser", hint: null },
  internal: { title: "Something went wrong inside Portdesk", hint: null },
  ipc_failed: { title: "Portdesk's core did not answer", hint: "Restart Portdesk; if it keeps happening, please report it." },
};

export function explainError(error: ErrorLike): ErrorExplanation {
  const known = EXPLANATIONS[error.code];
  if (error.code === "rate_limited") {
    const secs = error.retryAfterSecs;
    return {
      title: "Rate limited by Port",
      hint: secs != null ? `Try again in ${formatSeconds(secs)}.` : "Wait a little, then try again.",
    };
  }
  if (error.code === "quota_exceeded") {
    const reset = error.resetDate != null ? formatDate(error.resetDate) : null;
    return {
      title: "The monthly AI quota is used up",
      hint: reset != null ? `It resets on ${reset}.` : "It resets at the start of next month.",
    };
  }
  return known ?? { title: "Something went wrong", hint: null };
}

function formatSeconds(secs: number): string {
  if (secs < 90) return `${Math.max(1, Math.round(secs))} s`;
  return `${Math.round(secs / 60)} min`;
}
