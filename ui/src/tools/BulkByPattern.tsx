import { useState, type SyntheticEvent } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { BackendError, evaluatePatterns } from "../lib/backend";
import { CHOICES, type Choice } from "./approvalModes";

interface Props {
  /** The catalog's tool names, in the catalog's order (the engine's answer is indexed by it). */
  catalogNames: readonly string[];
  onApply: (tools: readonly string[], choice: Choice | "default") => void;
}

/** Sets every tool a pattern matches (Port's own semantics, by the Rust engine) to one mode. */
export function BulkByPattern({ catalogNames, onApply }: Props) {
  const [pattern, setPattern] = useState("");
  const [choice, setChoice] = useState<Choice | "default">("approval");
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<BackendError | null>(null);

  const apply = (event: SyntheticEvent) => {
    event.preventDefault();
    setError(null);
    evaluatePatterns({ patterns: [{ text: pattern, enabled: true }], checks: [] }).then(
      (evaluation) => {
        const report = evaluation.patterns[0];
        if (!report) return;
        if (!report.valid) {
          setNote(report.error?.message ?? "This pattern does not compile.");
          return;
        }
        const names = evaluation.matchedBy.flatMap((by, i) => {
          const name = catalogNames[i];
          return by.length > 0 && name !== undefined ? [name] : [];
        });
        onApply(names, choice);
        setNote(`${report.matches} tool${report.matches === 1 ? "" : "s"} matched.`);
      },
      (err: unknown) => setError(BackendError.from(err)),
    );
  };

  return (
    <form className="bulk-form card" onSubmit={apply} aria-label="Change many tools at once">
      <label className="field-label" htmlFor="bulk-pattern">
        Set every tool matching
      </label>
      <input id="bulk-pattern" className="input small-input mono" placeholder="^delete_.*" value={pattern} onChange={(e) => setPattern(e.target.value)} data-testid="bulk-pattern" />
      <label className="field-label" htmlFor="bulk-mode">
        to
      </label>
      <select id="bulk-mode" className="select small-select" value={choice} onChange={(e) => setChoice(e.target.value as Choice | "default")} data-testid="bulk-mode">
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
        <option value="default">Default (no saved mode)</option>
      </select>
      <button type="submit" className="button small" disabled={pattern.trim() === ""} data-testid="bulk-apply">
        Apply
      </button>
      {note ? <span className="muted small">{note}</span> : null}
      {error ? <ErrorMessage error={error} compact /> : null}
    </form>
  );
}
