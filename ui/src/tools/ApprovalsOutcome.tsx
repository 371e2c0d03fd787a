import { AlertTriangle, CheckCircle2 } from "lucide-react";

import type { ApprovalChange, ApprovalsSaveOutcome, Preferences } from "../lib/backend";
import { describeState } from "./approvalModes";

export function ChangeList({ changes, testId = "approvals-change" }: { changes: readonly ApprovalChange[]; testId?: string }) {
  if (changes.length === 0) return <p className="muted small">No differences.</p>;
  return (
    <ul className="change-list">
      {changes.map((c) => (
        <li key={c.tool} data-testid={testId} data-tool={c.tool} data-before={c.before} data-after={c.after}>
          <code>{c.tool}</code>
          <span className={`mode-chip mode-${c.before}`}>{describeState(c.before)}</span>
          <span aria-label="becomes">→</span>
          <span className={`mode-chip mode-${c.after}`}>{describeState(c.after)}</span>
        </li>
      ))}
    </ul>
  );
}

interface Props {
  outcome: ApprovalsSaveOutcome;
  mine: Preferences;
  /** Applies the user's changes on top of Port's newer copy (theirs kept where mine did not touch). */
  onKeepMine: () => void;
  onTakeTheirs: (current: Preferences) => void;
}

/** After a save: what Port confirmed (or where it differs), or, when Port's copy changed since it
 * was loaded, both versions and the choice between them. */
export function SaveOutcomeView({ outcome, onKeepMine, onTakeTheirs }: Props) {
  if (outcome.status === "saved") {
    const confirmed = outcome.mismatches.length === 0;
    return (
      <section
        className={`card outcome ${confirmed ? "outcome-ok" : "outcome-mismatch"}`}
        role="status"
        data-testid="approvals-outcome"
        data-confirmed={confirmed}
      >
        <p className="outcome-title">
          {confirmed ? <CheckCircle2 size={16} /> : <AlertTriangle size={16} />}
          {confirmed
            ? `Saved. Port read back exactly what was sent (${outcome.changes.length} change${outcome.changes.length === 1 ? "" : "s"}).`
            : "Saved, but Port now holds something else than what was sent:"}
        </p>
        {!confirmed ? (
          <ul className="change-list">
            {outcome.mismatches.map((m) => (
              <li key={m.tool} data-testid="approvals-mismatch" data-tool={m.tool}>
                <code>{m.tool}</code> wanted <span className={`mode-chip mode-${m.wanted}`}>{describeState(m.wanted)}</span>, Port
                holds <span className={`mode-chip mode-${m.held}`}>{describeState(m.held)}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {!confirmed ? <p className="muted small">Port drops tools that no longer exist; the table shows what it holds now.</p> : null}
      </section>
    );
  }
  return (
    <section className="card outcome outcome-conflict" role="alert" data-testid="approvals-conflict">
      <p className="outcome-title">
        <AlertTriangle size={16} /> Port's copy changed since you loaded it. Nothing was saved.
      </p>
      <div className="conflict-columns">
        <div>
          <h3 className="small-title">Changed in Port meanwhile</h3>
          <ChangeList changes={outcome.theirChanges} testId="approvals-their-change" />
        </div>
      </div>
      <div className="form-actions">
        <button type="button" className="button" onClick={onKeepMine} data-testid="approvals-keep-mine">
          Apply my changes on top of Port's
        </button>
        <button type="button" className="button" onClick={() => onTakeTheirs(outcome.current)} data-testid="approvals-take-theirs">
          Take Port's and drop mine
        </button>
      </div>
    </section>
  );
}
