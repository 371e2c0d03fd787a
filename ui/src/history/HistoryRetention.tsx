import { useEffect, useState } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { showToast } from "../app/toasts";
import * as backend from "../lib/backend";
import type { Retention } from "../lib/backend";

/** The choices offered; a store set to another number of days (by the CLI) shows it too. */
const DAY_CHOICES = [30, 90, 365];

function retentionValue(retention: Retention): string {
  return retention.kind === "forever" ? "forever" : String(retention.days);
}

function parseRetention(value: string): Retention {
  const days = Number(value);
  return value === "forever" || !Number.isInteger(days) || days <= 0 ? { kind: "forever" } : { kind: "days", days };
}

/** Settings' History card: how long invocations are kept, and deleting all of them. */
export function HistoryRetention() {
  const [retention, setRetention] = useState<Retention | null>(null);
  const [error, setError] = useState<backend.BackendError | null>(null);
  const [confirmWipe, setConfirmWipe] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    backend.historyRetention().then(
      (r) => {
        if (live) setRetention(r);
      },
      (err: unknown) => {
        if (live) setError(backend.BackendError.from(err));
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const choose = (next: Retention) => {
    setError(null);
    setBusy(true);
    backend
      .historySetRetention(next)
      .then(
        (removed) => {
          setRetention(next);
          if (removed > 0) showToast(`${removed.toLocaleString()} older invocation${removed === 1 ? " was" : "s were"} deleted.`);
        },
        (err: unknown) => {
          setError(backend.BackendError.from(err));
        },
      )
      .finally(() => {
        setBusy(false);
      });
  };

  const wipe = () => {
    setError(null);
    setBusy(true);
    backend
      .historyWipe()
      .then(
        () => {
          showToast("The local history was deleted.");
        },
        (err: unknown) => {
          setError(backend.BackendError.from(err));
        },
      )
      .finally(() => {
        setBusy(false);
        setConfirmWipe(false);
      });
  };

  const current = retention ? retentionValue(retention) : "forever";
  const choices = retention?.kind === "days" && !DAY_CHOICES.includes(retention.days) ? [...DAY_CHOICES, retention.days] : DAY_CHOICES;

  return (
    <section className="card" aria-labelledby="history-settings-title">
      <h2 className="section-title" id="history-settings-title">
        History
      </h2>
      <p className="muted small">
        Every invocation, with every event, is kept in a database on this machine — Port keeps its own copy for 30 days.
      </p>
      <div className="field-inline">
        <label htmlFor="history-retention" className="field-label">
          Keep invocations
        </label>
        <select
          id="history-retention"
          className="select"
          data-testid="history-retention"
          value={current}
          disabled={retention === null || busy}
          onChange={(event) => {
            choose(parseRetention(event.target.value));
          }}
        >
          <option value="forever">Forever</option>
          {choices.map((days) => (
            <option key={days} value={String(days)}>
              For {days} days
            </option>
          ))}
        </select>
      </div>
      <div className="field-inline">
        {confirmWipe ? (
          <>
            <span className="small">Delete every invocation in the local history? This cannot be undone.</span>
            <button type="button" className="button danger small" data-testid="history-wipe-confirm" disabled={busy} onClick={wipe}>
              Delete all
            </button>
            <button
              type="button"
              className="button ghost small"
              onClick={() => {
                setConfirmWipe(false);
              }}
            >
              Keep
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button danger-outline small"
            data-testid="history-wipe"
            onClick={() => {
              setConfirmWipe(true);
            }}
          >
            Delete all history…
          </button>
        )}
      </div>
      {error ? <ErrorMessage error={error} compact /> : null}
    </section>
  );
}
