import { RotateCcw } from "lucide-react";
import { useEffect, useState, type ReactNode } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { formatCount, formatElapsed } from "../lib/format";
import type { Turn } from "./session";
import type { DoneInfo } from "./transcript";

function Figures({ done }: { done: DoneInfo | null }) {
  if (!done) return null;
  const parts: string[] = [];
  const quota = done.monthlyQuotaUsage;
  if (quota?.remainingQuota != null) {
    parts.push(
      quota.monthlyLimit != null
        ? `${formatCount(quota.remainingQuota)} of ${formatCount(quota.monthlyLimit)} invocations left this month`
        : `${formatCount(quota.remainingQuota)} invocations left this month`,
    );
  }
  const rate = done.rateLimitUsage;
  if (rate?.remainingRequests != null && rate.maxRequests != null) {
    parts.push(`${formatCount(rate.remainingRequests)}/${formatCount(rate.maxRequests)} requests left in the rate window`);
  }
  if (parts.length === 0) return null;
  return (
    <span className="run-figures" data-testid="run-quota">
      {parts.join(" · ")}
    </span>
  );
}

/** Seconds left until `until` (epoch ms), ticking once a second; 0 once past. */
function useSecondsLeft(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null || until <= Date.now()) return;
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(timer);
    };
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

function RetryBar({ turn, onRetry, onOpenSettings }: { turn: Turn; onRetry: (turn: Turn) => void; onOpenSettings?: () => void }) {
  const error = turn.error;
  // The countdown starts when the refusal arrived (wall clock), not when this mounted.
  const [until] = useState(() =>
    error?.code === "rate_limited" && error.retryAfterSecs != null ? Date.now() + error.retryAfterSecs * 1000 : null,
  );
  const left = useSecondsLeft(until);
  const auth = error?.code === "auth_failed" || error?.code === "secret_missing";
  return (
    <div className="retry-bar">
      {left > 0 ? (
        <span className="muted small" data-testid="retry-countdown" role="timer">
          The rate limit resets in {left} s
        </span>
      ) : null}
      {auth && onOpenSettings ? (
        <button type="button" className="button small" data-testid="open-profile" onClick={onOpenSettings}>
          Check the profile in Settings
        </button>
      ) : null}
      {turn.request ? (
        <button
          type="button"
          className="button small"
          data-testid="retry-button"
          onClick={() => {
            onRetry(turn);
          }}
          title="Sends the same request again, as a new invocation"
        >
          <RotateCcw size={13} aria-hidden="true" /> {left > 0 ? "Retry anyway" : "Retry"}
        </button>
      ) : null}
    </div>
  );
}

interface Props {
  turn: Turn;
  done: DoneInfo | null;
  latest: boolean;
  onRetry: (turn: Turn) => void;
  onOpenSettings?: () => void;
}

export function RunStatus({ turn, done, latest, onRetry, onOpenSettings }: Props) {
  const elapsed = turn.endedAt !== null ? formatElapsed(turn.endedAt - turn.startedAt) : null;
  let line: ReactNode;
  switch (turn.status) {
    case "streaming":
      line = (
        <>
          <span className="spinner" aria-hidden="true" /> {turn.cancelling ? "Cancelling…" : "Streaming…"}
        </>
      );
      break;
    case "completed":
      line = <>Completed{elapsed ? ` in ${elapsed}` : ""}</>;
      break;
    case "cancelled":
      line = <>Cancelled — what arrived is kept.</>;
      break;
    case "interrupted":
      line = <>Interrupted — the answer may be incomplete.</>;
      break;
    case "failed":
      line = <>Failed</>;
      break;
  }
  return (
    <div
      className={`run-status run-status-${turn.status}`}
      data-testid={latest ? "run-status" : undefined}
      data-status={turn.status}
      role="status"
    >
      <p className="run-status-line">
        {line}
        <Figures done={done} />
      </p>
      {turn.error && (turn.status === "failed" || turn.status === "interrupted") ? <ErrorMessage error={turn.error} compact /> : null}
      {!turn.restored && (turn.status === "failed" || turn.status === "interrupted") ? (
        <RetryBar turn={turn} onRetry={onRetry} onOpenSettings={onOpenSettings} />
      ) : null}
    </div>
  );
}
