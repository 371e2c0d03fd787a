import type { ReactNode } from "react";

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
  return <span className="run-figures">{parts.join(" · ")}</span>;
}

interface Props {
  turn: Turn;
  done: DoneInfo | null;
  latest: boolean;
}

export function RunStatus({ turn, done, latest }: Props) {
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
    </div>
  );
}
