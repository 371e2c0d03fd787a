import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import {
  BackendError,
  loadApprovals,
  previewApprovals,
  saveApprovals,
  type ApprovalChange,
  type ApprovalsSaveOutcome,
  type ApprovalsSnapshot,
  type Preferences,
} from "../lib/backend";
import { ApprovalsTable } from "./ApprovalsTable";
import { BulkByPattern } from "./BulkByPattern";
import { samePreferences, withChoiceForAll, type Choice } from "./approvalModes";
import { ChangeList, SaveOutcomeView } from "./ApprovalsOutcome";

type Phase =
  | { kind: "editing" }
  | { kind: "previewing"; changes: ApprovalChange[] }
  | { kind: "saving" }
  | { kind: "done"; outcome: ApprovalsSaveOutcome & { status: "saved" } }
  | { kind: "conflict"; outcome: ApprovalsSaveOutcome & { status: "conflict" } };

/** Port's saved approval preferences: edit a copy, preview the diff, save, confirm by re-reading. */
export function ApprovalsView({ catalogNames }: { catalogNames: readonly string[] }) {
  const [snapshot, setSnapshot] = useState<ApprovalsSnapshot | null>(null);
  const [base, setBase] = useState<Preferences | null>(null);
  const [desired, setDesired] = useState<Preferences | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "editing" });
  const [error, setError] = useState<BackendError | null>(null);
  const [loading, setLoading] = useState(true);

  const fetchSnapshot = useCallback(() => {
    loadApprovals().then(
      (s) => {
        setSnapshot(s);
        setBase(s.preferences);
        setDesired(s.preferences);
        setPhase({ kind: "editing" });
        setLoading(false);
      },
      (err: unknown) => {
        setError(BackendError.from(err));
        setLoading(false);
      },
    );
  }, []);
  useEffect(fetchSnapshot, [fetchSnapshot]);
  const load = () => {
    setLoading(true);
    setError(null);
    fetchSnapshot();
  };

  // The diff, the confirmation and a conflict appear below the table: bring them into view.
  const below = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (phase.kind !== "editing" && phase.kind !== "saving") below.current?.scrollIntoView({ block: "nearest" });
  }, [phase.kind]);

  const tools = useMemo(() => snapshot?.tools ?? [], [snapshot]);
  const dirty = base !== null && desired !== null && !samePreferences(base, desired);

  const preview = () => {
    if (!base || !desired) return;
    setError(null);
    previewApprovals(base, desired).then(
      (changes) => setPhase({ kind: "previewing", changes }),
      (err: unknown) => setError(BackendError.from(err)),
    );
  };

  const save = (from: Preferences, force: boolean) => {
    if (!desired) return;
    setPhase({ kind: "saving" });
    setError(null);
    saveApprovals(from, desired, force).then(
      (outcome) => {
        if (outcome.status === "saved") {
          setBase(outcome.held);
          setDesired(outcome.held);
          setPhase({ kind: "done", outcome });
        } else setPhase({ kind: "conflict", outcome });
      },
      (err: unknown) => {
        setError(BackendError.from(err));
        setPhase({ kind: "editing" });
      },
    );
  };

  const bulk = (names: readonly string[], choice: Choice | "default") => {
    if (!desired) return;
    const known = new Set(tools.map((t) => t.name));
    setDesired(withChoiceForAll(desired, names.filter((n) => known.has(n)), choice));
    setPhase({ kind: "editing" });
  };

  return (
    <div className="approvals-view">
      <p className="page-intro muted">
        Which of your tools run on their own, which wait for your approval in Port, and which are off. Saved in Port for your
        user (<code>/v1/ai/tool-approval-preferences</code>); a request's own overrides still come first.
      </p>
      {error ? <ErrorMessage error={error} testId="approvals-error" /> : null}
      {loading && !snapshot ? <p className="muted">Reading your preferences from Port…</p> : null}
      {snapshot && base && desired ? (
        <>
          <BulkByPattern catalogNames={catalogNames} onApply={bulk} />
          <ApprovalsTable
            tools={tools}
            base={base}
            desired={desired}
            onChange={(next) => {
              setDesired(next);
              if (phase.kind !== "saving") setPhase({ kind: "editing" });
            }}
          />
          <div className="approvals-actions">
            <span className="muted small" data-testid="approvals-state">
              {dirty ? "Unsaved changes" : "Matches what Port holds"}
            </span>
            <span className="grow" />
            <button type="button" className="button small" onClick={load} disabled={phase.kind === "saving"}>
              Reload from Port
            </button>
            <button type="button" className="button small" onClick={() => setDesired(base)} disabled={!dirty}>
              Discard changes
            </button>
            <button type="button" className="button primary small" onClick={preview} disabled={!dirty || phase.kind === "saving"} data-testid="approvals-review">
              Review changes…
            </button>
          </div>
          <div ref={below} className="approvals-below">
          {phase.kind === "previewing" ? (
            <section className="card diff-card" aria-labelledby="diff-title" data-testid="approvals-diff">
              <h2 className="section-title" id="diff-title">
                {phase.changes.length} change{phase.changes.length === 1 ? "" : "s"} to save to Port
              </h2>
              <ChangeList changes={phase.changes} />
              <div className="form-actions">
                <button type="button" className="button primary" onClick={() => save(base, false)} data-testid="approvals-save">
                  Save to Port
                </button>
                <button type="button" className="button" onClick={() => setPhase({ kind: "editing" })}>
                  Keep editing
                </button>
              </div>
            </section>
          ) : null}
          {phase.kind === "saving" ? <p className="muted small">Saving, then reading back what Port holds…</p> : null}
          {phase.kind === "done" || phase.kind === "conflict" ? (
            <SaveOutcomeView
              outcome={phase.outcome}
              mine={desired}
              onKeepMine={() => save(base, true)}
              onTakeTheirs={(current) => {
                setBase(current);
                setDesired(current);
                setPhase({ kind: "editing" });
              }}
            />
          ) : null}
          </div>
        </>
      ) : null}
    </div>
  );
}
