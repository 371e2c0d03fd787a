// How the History panel names things.

import type { InvocationSummary } from "../lib/backend";

export const GENERAL_ASSISTANT_LABEL = "General assistant";

export function agentLabel(agent: string | null): string {
  return agent === null || agent === "" ? GENERAL_ASSISTANT_LABEL : agent;
}

// Built once: a formatter per call (toLocaleTimeString and friends) costs far more than the
// formatting itself, and every list row formats a date.
const TIME = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const DAY = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const DAY_YEAR = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** "Just now", "5 min ago", "14:02" (today), "Yesterday 09:14", "3 Nov 2025, 09:14". */
export function formatWhen(ms: number, now: number = Date.now()): string {
  const diff = now - ms;
  if (diff >= 0 && diff < 60_000) return "Just now";
  if (diff >= 0 && diff < 3_600_000) return `${Math.floor(diff / 60_000)} min ago`;
  const date = new Date(ms);
  const today = new Date(now);
  const time = TIME.format(date);
  if (sameDay(date, today)) return time;
  const yesterday = new Date(now - 24 * 3600 * 1000);
  if (sameDay(date, yesterday)) return `Yesterday ${time}`;
  const day = (date.getFullYear() === today.getFullYear() ? DAY : DAY_YEAR).format(date);
  return `${day}, ${time}`;
}

export function formatFullDate(ms: number): string {
  return FULL.format(new Date(ms));
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

export function durationMs(summary: InvocationSummary): number | null {
  return summary.repliedAt === null ? null : summary.repliedAt - summary.askedAt;
}
