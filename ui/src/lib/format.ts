// Small formatting helpers for figures the UI shows.

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatCount(value: number): string {
  return numberFormat.format(value);
}

/** An ISO date (or date-time) as a readable date; the input itself when it does not parse. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
}

/** "2025-11" → "November 2025"; anything else as is. */
export function formatMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, 1);
  return date.toLocaleDateString(undefined, { year: "numeric", month: "long" });
}

/** A duration in ms, roughly (to the nearest unit): "3 days", "5 hours", "12 minutes". */
export function formatDuration(ms: number): string {
  const minute = 60_000;
  const hour = 60 * minute;
  const day = 24 * hour;
  if (ms < minute) return "less than a minute";
  if (ms < hour) return plural(Math.round(ms / minute), "minute");
  if (ms < day) return plural(Math.round(ms / hour), "hour");
  return plural(Math.round(ms / day), "day");
}

/** Elapsed time of a run: "840 ms", "3.2 s", "1 min 12 s". */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** JSON text pretty-printed when it parses, else null. */
export function prettyJson(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === "" || !(trimmed.startsWith("{") || trimmed.startsWith("["))) return null;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return null;
  }
}
