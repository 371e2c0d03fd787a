import { useState } from "react";

import { parsePatternList, toJsonArray } from "./patternSet";

interface Props {
  patterns: readonly string[];
  onApply: (patterns: string[]) => void;
}

/** The set as the JSON array Port's docs and an agent's `tools` property use: copy it out, or
 * paste one in. */
export function JsonPanel({ patterns, onApply }: Props) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const json = toJsonArray(patterns);

  const openPanel = () => {
    setText(json);
    setProblem(null);
    setOpen(true);
  };
  const apply = () => {
    const parsed = parsePatternList(text);
    if (!parsed.ok) {
      setProblem(parsed.problem);
      return;
    }
    onApply(parsed.patterns);
    setOpen(false);
  };
  const copy = () => {
    navigator.clipboard.writeText(json).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      },
      () => {
        // No clipboard access: the text is there to select by hand.
        openPanel();
      },
    );
  };

  if (!open) {
    return (
      <div className="json-actions">
        <button type="button" className="button small" onClick={copy} data-testid="patterns-copy-json">
          {copied ? "Copied" : "Copy JSON"}
        </button>
        <button type="button" className="button small" onClick={openPanel} data-testid="patterns-edit-json">
          Paste or edit JSON…
        </button>
      </div>
    );
  }
  return (
    <div className="json-panel">
      <label className="field-label" htmlFor="patterns-json">
        JSON array of patterns (what goes into <code>tools</code>)
      </label>
      <textarea
        id="patterns-json"
        className="input json-text"
        rows={Math.min(10, Math.max(3, text.split("\n").length))}
        value={text}
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        data-testid="patterns-json"
      />
      {problem ? (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button small primary" onClick={apply} data-testid="patterns-json-apply">
          Replace the set
        </button>
        <button type="button" className="button small" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
