import { useEffect } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { formatCount, formatDuration, formatMonth } from "../lib/format";
import { useNow } from "../lib/useNow";
import type { QuotaResource } from "./useQuota";

export function QuotaPanel({ quota }: { quota: QuotaResource }) {
  const now = useNow();
  const { reload } = quota;
  const fetched = quota.data !== null || quota.error !== null || quota.loading;

  // The first time the panel opens, ask Port; afterwards the figures follow quotaChanged.
  useEffect(() => {
    if (!fetched) reload();
  }, [fetched, reload]);
  const usage = quota.data?.usage ?? null;
  const receivedAt = quota.data?.receivedAt ?? null;
  const limit = usage?.monthlyLimit ?? null;
  const remaining = usage?.remainingQuota ?? null;
  const used = limit !== null && remaining !== null ? Math.max(0, limit - remaining) : null;
  const share = limit !== null && limit > 0 && used !== null ? Math.min(1, used / limit) : null;
  const resetsIn =
    usage?.remainingTimeMs != null && receivedAt !== null
      ? formatDuration(Math.max(0, usage.remainingTimeMs - Math.max(0, now - receivedAt)))
      : null;

  return (
    <div className="page">
      <header className="page-header">
        <h1 className="page-title">Quota</h1>
        <button type="button" className="button" onClick={quota.reload} disabled={quota.loading}>
          {quota.loading ? "Refreshing…" : "Refresh"}
        </button>
      </header>
      <p className="page-intro muted">
        Port AI invocations of this workspace this month. Figures come from Port after every invocation and on refresh; they do
        not apply when your organisation uses its own LLM provider.
      </p>
      {quota.error ? <ErrorMessage error={quota.error} /> : null}
      {usage ? (
        <section className="card quota-card" aria-label="Monthly quota">
          <div className="quota-figure">
            <span className="quota-remaining">{remaining !== null ? formatCount(remaining) : "—"}</span>
            <span className="quota-of">
              {limit !== null ? `of ${formatCount(limit)} invocations left` : "invocations left (no monthly limit reported)"}
            </span>
          </div>
          {share !== null ? (
            <div
              className={`meter${share > 0.9 ? " meter-high" : ""}`}
              role="meter"
              aria-label="Quota used"
              aria-valuemin={0}
              aria-valuemax={limit ?? 0}
              aria-valuenow={used ?? 0}
            >
              <div className="meter-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
            </div>
          ) : null}
          <dl className="facts">
            {usage.month ? (
              <>
                <dt>Month</dt>
                <dd>{formatMonth(usage.month)}</dd>
              </>
            ) : null}
            {used !== null ? (
              <>
                <dt>Used</dt>
                <dd>{formatCount(used)}</dd>
              </>
            ) : null}
            {resetsIn ? (
              <>
                <dt>Resets in</dt>
                <dd>{resetsIn}</dd>
              </>
            ) : null}
          </dl>
        </section>
      ) : quota.loading ? (
        <p className="muted">Loading the quota…</p>
      ) : null}
    </div>
  );
}
