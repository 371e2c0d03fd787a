import { Check, X } from "lucide-react";
import { useState, type SyntheticEvent } from "react";

import type { CheckExpect, CheckResult, ToolCheck } from "../lib/backend";

interface Props {
  checks: readonly ToolCheck[];
  results: readonly CheckResult[] | null;
  onChange: (checks: ToolCheck[]) => void;
}

/** Unit tests for the set: tool names that must (or must not) be let in, re-run on every edit
 * and whenever the workspace's tools change. */
export function ChecksPanel({ checks, results, onChange }: Props) {
  const [tool, setTool] = useState("");
  const [expect, setExpect] = useState<CheckExpect>("match");
  const failed = results?.filter((r) => !r.passed).length ?? 0;

  const add = (event: SyntheticEvent) => {
    event.preventDefault();
    const name = tool.trim();
    if (name === "") return;
    onChange([...checks.filter((c) => c.tool !== name), { tool: name, expect }]);
    setTool("");
  };

  return (
    <section className="card checks" aria-labelledby="checks-title">
      <header className="section-header">
        <h2 className="section-title" id="checks-title">
          Checks
        </h2>
        {results && checks.length > 0 ? (
          <span className={`badge ${failed > 0 ? "badge-fail" : "badge-ok"}`} data-testid="checks-summary" data-failed={failed}>
            {failed > 0 ? `${failed} failing` : "all pass"}
          </span>
        ) : null}
      </header>
      {checks.length > 0 ? (
        <ul className="check-list">
          {checks.map((check, i) => {
            const result = results?.find((r) => r.tool === check.tool && r.expect === check.expect) ?? null;
            return (
              <li key={`${check.tool}|${check.expect}`} className={`check ${result ? (result.passed ? "pass" : "fail") : ""}`} data-testid="check" data-passed={result?.passed}>
                <span className="check-icon" aria-hidden>
                  {result ? result.passed ? <Check size={14} /> : <X size={14} /> : null}
                </span>
                <code>{check.tool}</code>
                <span className="muted small">{check.expect === "match" ? "must be let in" : "must stay out"}</span>
                {result && !result.passed ? (
                  <span className="small check-why">
                    {!result.inCatalog ? "not a tool of this workspace; " : ""}
                    {result.matchedBy !== null ? `let in by pattern ${result.matchedBy + 1}` : "no pattern lets it in"}
                  </span>
                ) : null}
                <button type="button" className="icon-button" aria-label={`Remove the check on ${check.tool}`} onClick={() => onChange(checks.filter((_, j) => j !== i))}>
                  <X size={14} />
                </button>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="muted small">Pin down what this set must let in or keep out, e.g. <code>delete_entity</code> must stay out.</p>
      )}
      <form className="check-form" onSubmit={add}>
        <input className="input small-input" placeholder="Tool name" aria-label="Tool name to check" value={tool} onChange={(e) => setTool(e.target.value)} data-testid="check-tool" />
        <select className="select small-select" aria-label="Expectation" value={expect} onChange={(e) => setExpect(e.target.value as CheckExpect)} data-testid="check-expect">
          <option value="match">must match</option>
          <option value="noMatch">must not match</option>
        </select>
        <button type="submit" className="button small" data-testid="check-add">
          Add check
        </button>
      </form>
    </section>
  );
}
