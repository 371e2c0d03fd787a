import { useState } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { useWorkspace } from "../app/workspace";
import { BackendError, saveDefaultPatternSet, type Agent, type ToolCheck } from "../lib/backend";
import { useToolPatternSet } from "./useToolPatternSet";

interface Props {
  target: string | null;
  agents: readonly Agent[];
  patterns: string[];
  checks: ToolCheck[];
  invalid: boolean;
  onTarget: (agent: string | null) => void;
}

function same(a: readonly unknown[], b: readonly unknown[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Which saved set is being edited (the default for new requests, or one agent's) and saving it. */
export function SaveSetBar({ target, agents, patterns, checks, invalid, onTarget }: Props) {
  const { saveAgentPatternSet } = useWorkspace();
  const [error, setError] = useState<BackendError | null>(null);
  const [saving, setSaving] = useState(false);
  const saved = useToolPatternSet(target, agents);
  const dirty = saved.source === "port-agent" || !same(saved.patterns, patterns) || !same(saved.checks, checks);

  const save = () => {
    setSaving(true);
    setError(null);
    // The default is one for every workspace; an agent's set is the open workspace's own.
    const done = target === null ? saveDefaultPatternSet({ patterns, checks }) : saveAgentPatternSet(target, { patterns, checks });
    done
      .catch((err: unknown) => setError(BackendError.from(err)))
      .finally(() => setSaving(false));
  };

  return (
    <section className="card save-set" aria-label="Save the set">
      <div className="save-set-row">
        <label className="field-label" htmlFor="pattern-set-target">
          Set for
        </label>
        <select
          id="pattern-set-target"
          className="select small-select"
          value={target ?? ""}
          onChange={(e) => onTarget(e.target.value === "" ? null : e.target.value)}
          data-testid="pattern-set-target"
        >
          <option value="">New general-assistant requests (default)</option>
          {agents.map((a) => (
            <option key={a.identifier} value={a.identifier}>
              Agent: {a.title ?? a.identifier}
            </option>
          ))}
        </select>
        <span className="grow" />
        <span className="muted small" data-testid="pattern-set-state">
          {dirty ? "Unsaved changes" : "Saved"}
        </span>
        <button type="button" className="button primary small" onClick={save} disabled={!dirty || saving} data-testid="pattern-set-save">
          {saving ? "Saving…" : target === null ? "Save as default" : "Save for this agent"}
        </button>
      </div>
      {invalid ? <p className="warning small">A pattern in this set does not compile: Port would ignore it.</p> : null}
      {saved.source === "port-agent" ? (
        <p className="muted small">Showing this agent's tools as set in Port. Saving keeps a copy in Portdesk for requests you compose.</p>
      ) : null}
      {error ? <ErrorMessage error={error} compact /> : null}
    </section>
  );
}
