import { useEffect, useState } from "react";

import * as backend from "../lib/backend";
import type { WaitReason } from "../lib/backend";
import { useNow } from "../lib/useNow";
import { formatCountdown, waitReasonText } from "./format";

interface Queued {
  untilMs: number;
  reason: WaitReason;
  attempt: number;
  maxAttempts: number;
  /** When the event arrived: the ticking clock may be older than that. */
  receivedAt: number;
}

/** Chat's runs that wait in the limiter's queue: a live countdown, Cancel, and Send anyway. A run
 * starts by itself at the reset (Rust decides; this only shows it). */
export function QueuedInvocation() {
  const [queued, setQueued] = useState<ReadonlyMap<string, Queued>>(new Map());
  const now = useNow(250);

  useEffect(
    () =>
      backend.onRunQueueChanged((runId, event) => {
        setQueued((current) => {
          const next = new Map(current);
          if (event?.kind === "queued") {
            next.set(runId, {
              untilMs: event.untilMs,
              reason: event.reason,
              attempt: event.attempt,
              maxAttempts: event.maxAttempts,
              receivedAt: Date.now(),
            });
          } else {
            next.delete(runId);
          }
          return next;
        });
      }),
    [],
  );

  if (queued.size === 0) return null;
  return (
    <div className="queued-list">
      {[...queued.entries()].map(([runId, q]) => (
        <div key={runId} className="queued" role="status" data-testid="queued-invocation" data-run-id={runId}>
          <div className="queued-text">
            <strong>
              Queued: sends by itself in <span data-testid="queued-countdown">{formatCountdown(q.untilMs - Math.max(now, q.receivedAt))}</span>
            </strong>
            <span className="muted small">
              {waitReasonText(q.reason)}
              {q.attempt > 0 ? ` · retry ${q.attempt} of ${q.maxAttempts}` : ""} · at {new Date(q.untilMs).toLocaleTimeString()}
            </span>
          </div>
          <div className="queued-actions">
            <button type="button" className="button" data-testid="queued-cancel" onClick={() => void backend.cancel(runId)}>
              Cancel
            </button>
            <button type="button" className="button primary" data-testid="queued-send-anyway" onClick={() => void backend.quotaSendNow(runId)}>
              Send anyway
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
