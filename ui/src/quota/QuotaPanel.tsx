import { useEffect, useState } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import * as backend from "../lib/backend";
import type { AppError, MonthlyFigures, QuotaFigures, WindowFigures } from "../lib/backend";
import { formatMonth } from "../lib/format";
import { useNow } from "../lib/useNow";
import { decisionText, figure, formatAgo, formatCountdown, formatDay } from "./format";
import { Thresholds } from "./Thresholds";
import { UsageCharts } from "./UsageCharts";
import type { QuotaState } from "./useQuotaFigures";

function Gauge({ label, left, max, unit, testId }: { label: string; left: number | null; max: number | null; unit: string; testId: string }) {
  const share = left != null && max != null && max > 0 ? Math.min(1, Math.max(0, left / max)) : null;
  return (
    <div className="gauge" data-testid={testId} data-left={left ?? ""} data-max={max ?? ""}>
      <div className="gauge-head">
        <span className="gauge-label">{label}</span>
        <span className="gauge-figure">
          <strong>{figure(left)}</strong> {max != null ? `of ${figure(max)} ` : ""}
          {unit} left
        </span>
      </div>
      {share !== null ? (
        <div className={`meter${share < 0.1 ? " meter-high" : ""}`} role="meter" aria-label={`${label} left`} aria-valuemin={0} aria-valuemax={max ?? 0} aria-valuenow={left ?? 0}>
          <div className="meter-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
        </div>
      ) : null}
    </div>
  );
}

function WindowCard({ window: w, now }: { window: WindowFigures | null; now: number }) {
  return (
    <section className="card quota-card" aria-label="Rate-limit window" data-testid="quota-window">
      <h2 className="card-title">Rate-limit window</h2>
      {w ? (
        <>
          <Gauge label="LLM calls" left={w.remainingRequests} max={w.maxRequests} unit="calls" testId="gauge-calls" />
          <Gauge label="Tokens" left={w.remainingTokens} max={w.maxTokens} unit="tokens" testId="gauge-tokens" />
          <p className="quota-meta muted small">
            {w.resetAtMs == null ? (
              "Reset time not reported."
            ) : w.resetAtMs <= now ? (
              <span data-testid="window-reset">The window has reset: a full one is available.</span>
            ) : (
              <span data-testid="window-reset">Resets in {formatCountdown(w.resetAtMs - now)}</span>
            )}
            {" · "}
            <span data-testid="window-updated">updated {formatAgo(now - w.readAtMs)}</span>
          </p>
        </>
      ) : (
        <p className="muted">No figures yet: Port reports them with every invocation.</p>
      )}
    </section>
  );
}

function MonthlyCard({ monthly: m, now }: { monthly: MonthlyFigures | null; now: number }) {
  if (!m) {
    return (
      <section className="card quota-card" aria-label="Monthly quota">
        <h2 className="card-title">Monthly quota</h2>
        <p className="muted">No monthly figures yet.</p>
      </section>
    );
  }
  const share = m.limit != null && m.limit > 0 && m.used != null ? Math.min(1, m.used / m.limit) : null;
  const pace = m.pace;
  const p = m.projection;
  return (
    <section className="card quota-card" aria-label="Monthly quota" data-testid="quota-monthly">
      <h2 className="card-title">Monthly quota{m.month ? ` · ${formatMonth(m.month)}` : ""}</h2>
      <div className="quota-figure">
        <span className="quota-remaining" data-testid="monthly-remaining">
          {figure(m.remaining)}
        </span>
        <span className="quota-of">{m.limit != null ? `of ${figure(m.limit)} invocations left` : "invocations left (no monthly limit reported)"}</span>
      </div>
      {share !== null ? (
        <div className={`meter${share > 0.9 ? " meter-high" : ""}`} role="meter" aria-label="Quota used" aria-valuemin={0} aria-valuemax={m.limit ?? 0} aria-valuenow={m.used ?? 0}>
          <div className="meter-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
        </div>
      ) : null}
      <dl className="facts">
        {m.used != null ? (
          <>
            <dt>Used</dt>
            <dd>{figure(m.used)}</dd>
          </>
        ) : null}
        {m.daysLeft != null ? (
          <>
            <dt>Days left</dt>
            <dd data-testid="monthly-days-left">
              {m.daysLeft.toFixed(1)} (resets {m.resetAtMs != null ? formatDay(m.resetAtMs) : "at month end"})
            </dd>
          </>
        ) : null}
        {pace ? (
          <>
            <dt>Pace</dt>
            <dd data-testid="monthly-pace">
              {figure(pace.used)} used; an even spread would have used {figure(pace.expectedUsed)} by now (
              {pace.ratio > 1.1 ? "faster than even" : pace.ratio < 0.9 ? "slower than even" : "on pace"}, {pace.ratio.toFixed(2)}×)
            </dd>
          </>
        ) : null}
        <dt>Projection</dt>
        <dd data-testid="monthly-projection">
          {p
            ? p.earliestMs == null
              ? `Not running out at this rate (from ${p.historyDays.toFixed(1)} days of history)`
              : `Runs out ${p.latestMs != null && formatDay(p.latestMs) !== formatDay(p.earliestMs) ? `between ${formatDay(p.earliestMs)} and ${formatDay(p.latestMs)}` : `around ${formatDay(p.earliestMs)}`}${p.beforeReset ? ", before the reset" : ""} (from ${p.historyDays.toFixed(1)} days of history)`
            : "Shown after 2 days of history"}
        </dd>
      </dl>
      <p className="quota-meta muted small">updated {formatAgo(now - m.readAtMs)}</p>
    </section>
  );
}

/** The open workspace's figures, or another profile's from the history. */
function useProfileFigures(open: QuotaState, selected: string | null): { figures: QuotaFigures | null; error: AppError | null } {
  const [other, setOther] = useState<{ figures: QuotaFigures | null; error: AppError | null }>({ figures: null, error: null });
  useEffect(() => {
    if (selected === null) return;
    let alive = true;
    backend.quotaFigures(selected).then(
      (figures) => {
        if (alive) setOther({ figures, error: null });
      },
      (e: unknown) => {
        if (alive) setOther({ figures: null, error: backend.BackendError.from(e).toAppError() });
      },
    );
    return () => {
      alive = false;
    };
  }, [selected]);
  return selected === null ? { figures: open.figures, error: open.error } : other;
}

export function QuotaPanel({ quota }: { quota: QuotaState }) {
  const now = useNow(1000);
  const [profiles, setProfiles] = useState<string[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const { figures, error } = useProfileFigures(quota, selected);

  useEffect(() => {
    let alive = true;
    backend.quotaProfiles().then(
      (list) => {
        if (alive) setProfiles(list);
      },
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [quota.figures]);

  const openProfile = quota.figures?.profile ?? null;
  return (
    <div className="page quota-page" data-testid="quota-panel">
      <header className="page-header">
        <h1 className="page-title">Quota</h1>
        {profiles.length > 1 ? (
          <label className="quota-profile">
            <span className="muted small">Profile</span>
            <select
              className="select"
              data-testid="quota-profile"
              value={selected ?? openProfile ?? ""}
              onChange={(e) => {
                setSelected(e.target.value === openProfile ? null : e.target.value);
              }}
            >
              {profiles.map((p) => (
                <option key={p} value={p}>
                  {p}
                  {p === openProfile ? " (open)" : ""}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="button" className="button" data-testid="quota-refresh" onClick={quota.refresh} disabled={quota.refreshing}>
          {quota.refreshing ? "Refreshing…" : "Refresh"}
        </button>
      </header>
      <p className="page-intro muted">
        Port's own figures: the rate-limit window after every invocation, the monthly quota on start, after invocations and every few minutes. The
        app and portdesk-cli share them, and the limiter holds invocations back before Port refuses them.
      </p>
      {error ? <ErrorMessage error={error} /> : null}
      {figures?.ownProvider ? (
        <section className="card quota-card" data-testid="quota-own-provider">
          <h2 className="card-title">Your own LLM provider: no Port limits</h2>
          <p>Your organisation uses its own LLM provider, so Port applies no rate limits and no monthly quota. There is nothing to watch here.</p>
        </section>
      ) : figures ? (
        <>
          <div className="quota-grid">
            <WindowCard window={figures.window} now={now} />
            <MonthlyCard monthly={figures.monthly} now={now} />
          </div>
          <p className="quota-decision" data-testid="quota-decision" data-kind={figures.decision.kind}>
            <strong>Limiter:</strong> {decisionText(figures.decision, now)}
          </p>
        </>
      ) : (
        <p className="muted">Loading the figures…</p>
      )}
      <Thresholds />
      <UsageCharts profile={selected} version={figures?.window?.readAtMs ?? figures?.monthly?.readAtMs ?? 0} />
    </div>
  );
}
