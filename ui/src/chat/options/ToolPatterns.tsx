// The general assistant's tool patterns for the next request: the Tools panel's pattern rows
// (CodeMirror, regex colours, the Rust engine's verdict per row), compact for the drawer, with how
// many of the known tools the set lets in. It loads with CodeMirror, in its own chunk.

import { RotateCcw } from "lucide-react";
import { useId, useMemo, useState } from "react";

import type { EvaluateRequest } from "../../lib/backend";
import { PatternList } from "../../tools/PatternList";
import { drafts, type PatternDraft } from "../../tools/patternSet";
import { useLiveMatcher } from "../../tools/useLiveMatcher";
import { invalidPatterns, sentPatterns } from "../request";
import type { Loaded } from "./RequestOptionsDrawer";

interface Props {
  /** null: the saved default set applies. */
  tools: string[] | null;
  savedTools: readonly string[];
  /** The tool catalog's revision: the rows are checked once it is read. */
  catalog: Loaded<number>;
  onChange: (tools: string[] | null) => void;
}

const isBlank = (d: PatternDraft) => d.text.trim() === "";

export function ToolPatterns({ tools, savedTools, catalog, onChange }: Props) {
  const catalogRevision = catalog.state === "ok" ? catalog.data : null;
  const id = useId();
  const shown = tools ?? savedTools;
  const shownKey = JSON.stringify(sentPatterns(shown));
  // The rows being edited, and the set they were last in step with. A blank row is a draft the
  // request does not carry; a set changed from outside (the reset, the saved default) replaces them.
  const [rows, setRows] = useState(() => ({ key: shownKey, list: drafts(shown) }));
  const [focusId, setFocusId] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (rows.key !== shownKey) {
    const mine = JSON.stringify(sentPatterns(rows.list.map((d) => d.text)));
    setRows({ key: shownKey, list: mine === shownKey ? rows.list : drafts(shown) });
  }
  const list = rows.list;

  const edit = (next: PatternDraft[], focus: number | null = null) => {
    const sent = sentPatterns(next.map((d) => d.text));
    setRows({ key: JSON.stringify(sent), list: next });
    setFocusId(focus);
    setProblem(null);
    onChange(sent);
  };

  // Blank rows are evaluated switched off: they let nothing in, as they are not sent.
  const request = useMemo<EvaluateRequest>(
    () => ({ patterns: list.map((d) => ({ text: d.text, enabled: !isBlank(d) })), checks: [] }),
    [list],
  );
  const { evaluation, error } = useLiveMatcher(request, catalogRevision, "chat-drawer");
  const current = evaluation?.catalogRevision === catalogRevision ? evaluation : null;
  const invalid = current?.patterns.length === list.length ? invalidPatterns(list.map((d) => d.text), current) : [];

  return (
    <section className="option-group" aria-labelledby={`${id}-title`}>
      <h3 className="option-title" id={`${id}-title`}>
        Tool patterns
      </h3>
      <p className="muted small" data-testid="opt-tools-source">
        {tools === null ? "Your saved default set (Tools panel)." : "Changed for the general assistant here."} One
        pattern a row; no patterns: no tools.
      </p>
      <div data-testid="opt-tools" data-invalid={invalid.length > 0}>
        <PatternList
          list={list}
          evaluation={current}
          selected={null}
          focusId={focusId}
          onChange={edit}
          onSelect={() => undefined}
          onProblem={setProblem}
          compact
        />
      </div>
      {problem ? (
        <p className="field-error small" role="alert">
          {problem}
        </p>
      ) : null}
      <p className="muted small" data-testid="opt-tools-count" aria-live="polite">
        {current
          ? `${current.available} of ${current.matchedBy.length} known tools`
          : catalog.state === "error" || error
            ? `Not checked against the known tools: ${catalog.state === "error" ? catalog.message : (error?.message ?? "")}`
            : "Checking against the known tools…"}
      </p>
      {invalid.length > 0 ? (
        <p className="field-error small" role="alert" data-testid="opt-tools-invalid">
          {invalid.length === 1 ? `Pattern ${String(invalid[0]?.position)} is` : `${invalid.length} patterns are`} not valid: Port
          would ignore {invalid.length === 1 ? "it" : "them"}, so Send is refused until fixed or removed.
        </p>
      ) : null}
      {tools !== null ? (
        <button
          type="button"
          className="button ghost small"
          data-testid="opt-tools-reset"
          onClick={() => {
            onChange(null);
          }}
        >
          <RotateCcw size={14} aria-hidden="true" /> Back to the saved set
        </button>
      ) : null}
    </section>
  );
}
