// The History panel's filter: what the Rust side takes, plus the helpers the filter bar needs.

import type { HistoryFilter, HistoryStatus } from "../lib/backend";

export const NO_FILTER: HistoryFilter = {
  agent: null,
  statuses: [],
  labels: [],
  tool: null,
  profile: null,
  fromMs: null,
  toMs: null,
  conversationId: null,
};

export const STATUSES: readonly { value: HistoryStatus; label: string }[] = [
  { value: "completed", label: "Completed" },
  { value: "failed", label: "Failed" },
  { value: "interrupted", label: "Interrupted" },
  { value: "cancelled", label: "Cancelled" },
  { value: "streaming", label: "Streaming" },
];

export function statusLabel(status: HistoryStatus): string {
  return STATUSES.find((s) => s.value === status)?.label ?? status;
}

export function activeFilterCount(filter: HistoryFilter): number {
  let n = 0;
  if (filter.agent !== null) n++;
  if (filter.statuses.length > 0) n++;
  if (filter.labels.length > 0) n++;
  if (filter.tool !== null) n++;
  if (filter.profile !== null) n++;
  if (filter.fromMs !== null || filter.toMs !== null) n++;
  return n;
}

/** `YYYY-MM-DD` from a date input → the start of that local day, in epoch ms. */
export function dayStartMs(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date.getTime();
}

/** The value a date input shows for an epoch-ms day start. */
export function dayInputValue(ms: number | null): string {
  if (ms === null) return "";
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const DAY_MS = 24 * 3600 * 1000;

/** "To" in the bar is inclusive of that day; Rust's `toMs` is exclusive. */
export function dayEndMs(value: string): number | null {
  const start = dayStartMs(value);
  return start === null ? null : start + DAY_MS;
}

export function dayBeforeInputValue(toMs: number | null): string {
  return toMs === null ? "" : dayInputValue(toMs - DAY_MS);
}
