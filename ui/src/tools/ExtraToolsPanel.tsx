import { useState } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { BackendError, setExtraTools, type ToolSpec, type PatternCatalog } from "../lib/backend";

interface Props {
  onLoaded: (catalog: PatternCatalog) => void;
}

/** Parses the tools-file format portdesk-cli's `match --tools-file` reads: a JSON array of
 * `{name, connector}` (connector optional), or plain names. */
export function parseToolsFile(text: string): { ok: true; tools: ToolSpec[] } | { ok: false; problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!Array.isArray(value)) return { ok: false, problem: "Expected a JSON array of tools." };
  const tools: ToolSpec[] = [];
  for (const [i, item] of value.entries()) {
    if (typeof item === "string") tools.push({ name: item, connector: null });
    else if (typeof item === "object" && item !== null && typeof (item as { name?: unknown }).name === "string") {
      const { name, connector } = item as { name: string; connector?: unknown };
      tools.push({ name, connector: typeof connector === "string" && connector !== "" ? connector : null });
    } else return { ok: false, problem: `Item ${i + 1} has no "name".` };
  }
  return { ok: true, tools };
}

/** Tools to test against beside the workspace's own: another org's list, a connector to come. */
export function ExtraToolsPanel({ onLoaded }: Props) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<BackendError | null>(null);

  const load = (tools: ToolSpec[]) => {
    setError(null);
    setExtraTools(tools).then(
      (catalog) => {
        onLoaded(catalog);
        setOpen(false);
      },
      (err: unknown) => setError(BackendError.from(err)),
    );
  };
  const apply = () => {
    const parsed = parseToolsFile(text);
    if (!parsed.ok) setProblem(parsed.problem);
    else {
      setProblem(null);
      load(parsed.tools);
    }
  };

  if (!open) {
    return (
      <button type="button" className="link-button small" onClick={() => setOpen(true)} data-testid="extra-tools-open">
        Test against more tools…
      </button>
    );
  }
  return (
    <div className="extra-tools">
      <label className="field-label" htmlFor="extra-tools">
        More tools, as JSON: <code>[{"{"}"name": "jira_create_issue", "connector": "jira"{"}"}, …]</code>
      </label>
      <textarea id="extra-tools" className="input json-text" rows={4} value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} data-testid="extra-tools-text" />
      {problem ? (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      ) : null}
      {error ? <ErrorMessage error={error} compact /> : null}
      <div className="form-actions">
        <button type="button" className="button small primary" onClick={apply} data-testid="extra-tools-apply">
          Add to the catalog
        </button>
        <button type="button" className="button small" onClick={() => load([])}>
          Clear extra tools
        </button>
        <button type="button" className="button small" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
