import { useEffect, useMemo, useState } from "react";

import { showToast } from "../app/toasts";
import * as backend from "../lib/backend";
import type { UsageBucket } from "../lib/backend";

const DAYS = 30;
const DAY_MS = 86_400_000;

/** Plain SVG and HTML bars: three small bar charts do not need a chart library's weight. */
function DayChart({ buckets, today }: { buckets: UsageBucket[]; today: number }) {
  const days = useMemo(() => {
    const counts = new Map<string, number>();
    for (const b of buckets) counts.set(b.day, (counts.get(b.day) ?? 0) + b.count);
    return Array.from({ length: DAYS }, (_, i) => {
      const day = new Date(today - (DAYS - 1 - i) * DAY_MS).toISOString().slice(0, 10);
      return { day, count: counts.get(day) ?? 0 };
    });
  }, [buckets, today]);
  const max = Math.max(1, ...days.map((d) => d.count));
  const width = 600;
  const height = 120;
  const bar = width / DAYS;
  return (
    <figure className="quota-chart" data-testid="chart-per-day">
      <figcaption className="muted small">Invocations per day, last {DAYS} days (most in a day: {max})</figcaption>
      <svg viewBox={`0 0 ${width} ${height + 16}`} role="img" aria-label="Invocations per day">
        {days.map((d, i) => {
          const h = (d.count / max) * height;
          return (
            <rect key={d.day} x={i * bar + 2} y={height - h} width={bar - 4} height={h} className="quota-bar" data-count={d.count}>
              <title>
                {d.day}: {d.count}
              </title>
            </rect>
          );
        })}
        <line x1={0} y1={height} x2={width} y2={height} className="quota-axis" />
        <text x={0} y={height + 13} className="quota-tick">
          {days[0]?.day}
        </text>
        <text x={width} y={height + 13} className="quota-tick" textAnchor="end">
          {days[DAYS - 1]?.day}
        </text>
      </svg>
    </figure>
  );
}

function Bars({ title, rows, testId }: { title: string; rows: [string, number][]; testId: string }) {
  const max = Math.max(1, ...rows.map(([, n]) => n));
  return (
    <figure className="quota-chart" data-testid={testId}>
      <figcaption className="muted small">{title}</figcaption>
      {rows.length === 0 ? <p className="muted small">No invocations yet.</p> : null}
      <ul className="quota-bars">
        {rows.map(([label, n]) => (
          <li key={label} className="quota-bars-row">
            <span className="quota-bars-label">{label}</span>
            <span className="quota-bars-track">
              <span className="quota-bars-fill" style={{ width: `${(n / max) * 100}%` }} />
            </span>
            <span className="quota-bars-count">{n}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

function totals(buckets: UsageBucket[], key: (b: UsageBucket) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const b of buckets) m.set(key(b), (m.get(key(b)) ?? 0) + b.count);
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}

/** Invocations per day, agent and chat mode from the local history, with CSV export. `version`
 * changes when new figures arrive, which is after an invocation. */
export function UsageCharts({ profile, version }: { profile: string | null; version: number }) {
  const [usage, setUsage] = useState<{ buckets: UsageBucket[]; at: number }>({ buckets: [], at: 0 });
  const buckets = usage.buckets;
  useEffect(() => {
    let alive = true;
    backend.quotaUsage(profile, DAYS).then(
      (b) => {
        if (alive) setUsage({ buckets: b, at: Date.now() });
      },
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [profile, version]);

  const exportCsv = () => {
    backend.quotaExportCsv(profile, DAYS).then(
      (path) => {
        showToast(`Usage exported to ${path}`, "info");
      },
      (e: unknown) => {
        showToast(`Could not export: ${backend.BackendError.from(e).message}`, "error");
      },
    );
  };
  return (
    <section className="card quota-card" aria-label="Usage" data-testid="quota-usage">
      <div className="quota-usage-head">
        <h2 className="card-title">Usage from the history</h2>
        <button type="button" className="button small" data-testid="quota-export-csv" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      {usage.at > 0 ? <DayChart buckets={buckets} today={usage.at} /> : null}
      <div className="quota-grid">
        <Bars title="Per agent" testId="chart-per-agent" rows={totals(buckets, (b) => b.agent ?? "General assistant")} />
        <Bars title="Per chat mode" testId="chart-per-mode" rows={totals(buckets, (b) => b.chatMode ?? "default")} />
      </div>
    </section>
  );
}
