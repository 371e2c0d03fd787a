// How quota figures read: real units, live countdowns, the limiter's decision in words.

import type { Decision, WaitReason } from "../lib/backend";

// Grouped as the CLI and Rust's messages group them, whatever locale the web view resolves (under
// a bare "C" locale WebKit groups nothing, and 491382 tokens is hard to read).
const counts = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A countdown: "1:05:09", "4:02", "0:07". */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** "12 s ago", "3 min ago", "2 h ago". */
export function formatAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

export function figure(value: number | null | undefined): string {
  return value == null ? "—" : counts.format(value);
}

export function waitReasonText(reason: WaitReason): string {
  switch (reason) {
    case "windowExhausted":
      return "The rate-limit window is used up";
    case "belowReserve":
      return "The rate-limit window is down to the reserve you keep";
    case "rateLimited":
      return "Port answered RATE_LIMIT_ERROR";
  }
}

/** A day in the UI's locale, from ms since the epoch. */
export function formatDay(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function decisionText(decision: Decision, now: number): string {
  switch (decision.kind) {
    case "go":
      return "Invocations go now.";
    case "wait":
      return `${waitReasonText(decision.reason)}: new invocations wait ${formatCountdown(decision.untilMs - now)}, then start by themselves.`;
    case "blocked":
      return `Blocked until ${decision.resetDate ?? (decision.untilMs != null ? formatDay(decision.untilMs) : "the quota resets")}: ${decision.message}. Nothing is sent, nothing retries.`;
  }
}
