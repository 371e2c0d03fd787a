import { useEffect, useMemo, useState } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { useWorkspace } from "../app/workspace";
import type { Agent, EvaluateRequest, PatternCatalog, ToolCheck } from "../lib/backend";
import type { Resource } from "../lib/useResource";
import { CatalogNotes } from "./CatalogNotes";
import { ChecksPanel } from "./ChecksPanel";
import { ExplainPanel } from "./ExplainPanel";
import { JsonPanel } from "./JsonPanel";
import { MatchResults } from "./MatchResults";
import { PatternList } from "./PatternList";
import { drafts, enabledPatterns, toInputs, type PatternDraft } from "./patternSet";
import { PresetPicker } from "./PresetPicker";
import { SaveSetBar } from "./SaveSetBar";
import { useLiveMatcher } from "./useLiveMatcher";
import { savedSetFor } from "./useToolPatternSet";

interface Props {
  catalog: Resource<PatternCatalog>;
  agents: Resource<Agent[]>;
  onRefreshCatalog: () => void;
  /** The enabled patterns as they change: the request being composed. */
  onComposed: (patterns: string[]) => void;
}

/** The live matcher: a pattern set on the left, what it lets in on the right. */
export function PatternsView({ catalog, agents, onRefreshCatalog, onComposed }: Props) {
  const { settings, agentPatternSets } = useWorkspace();
  const [target, setTarget] = useState<string | null>(null);
  const initial = savedSetFor(settings, agentPatternSets, target);
  const [list, setList] = useState<PatternDraft[]>(() => drafts(initial.patterns));
  const [checks, setChecks] = useState<ToolCheck[]>(initial.checks);
  const [selected, setSelected] = useState<number | null>(list.length > 0 ? 0 : null);
  const [focusId, setFocusId] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  /** Whether the set shown was changed since its target was picked. */
  const [edited, setEdited] = useState(false);
  const [setsSeen, setSetsSeen] = useState(agentPatternSets);

  const composed = useMemo(() => enabledPatterns(list), [list]);
  useEffect(() => {
    onComposed(composed);
  }, [composed, onComposed]);
  const request = useMemo<EvaluateRequest>(() => ({ patterns: toInputs(list), checks }), [list, checks]);
  const revision = catalog.data?.revision ?? null;
  const { evaluation, error } = useLiveMatcher(request, revision, "tools");
  const current = evaluation?.catalogRevision === revision ? evaluation : null;

  const replaceList = (next: PatternDraft[], focus: number | null = null) => {
    setList(next);
    setFocusId(focus);
    setProblem(null);
    if (selected !== null && selected >= next.length) setSelected(next.length > 0 ? next.length - 1 : null);
    if (focus !== null) {
      const at = next.findIndex((d) => d.id === focus);
      if (at !== -1) setSelected(at);
    }
  };

  const loadTarget = (agent: string | null) => {
    setTarget(agent);
    setEdited(false);
    const saved = savedSetFor(settings, agentPatternSets, agent, agents.data ?? []);
    const next = drafts(saved.patterns);
    replaceList(next);
    setChecks(saved.checks);
    setSelected(next.length > 0 ? 0 : null);
  };
  const editList = (next: PatternDraft[], focus: number | null = null) => {
    setEdited(true);
    replaceList(next, focus);
  };
  const editChecks = (next: ToolCheck[]) => {
    setEdited(true);
    setChecks(next);
  };

  // A target picked before the workspace's saved sets were read showed its set from Port; when
  // they arrive (or change), a target nobody has edited since is loaded again from them.
  if (setsSeen !== agentPatternSets) {
    setSetsSeen(agentPatternSets);
    if (target !== null && !edited) loadTarget(target);
  }

  const texts = useMemo(() => list.map((d) => d.text), [list]);
  const selectedText = selected !== null ? list[selected]?.text ?? null : null;

  return (
    <div className="patterns-view">
      <div className="patterns-left">
        <section className="card" aria-labelledby="patterns-title">
          <header className="section-header">
            <h2 className="section-title" id="patterns-title">
              Patterns
            </h2>
            <PresetPicker onApply={(patterns, mode) => {
              const added = drafts(patterns);
              editList(mode === "replace" ? added : [...list.filter((d) => d.text.trim() !== ""), ...added]);
            }} />
          </header>
          <p className="muted small">
            JavaScript regular expressions, tried against each tool's name from its start (Port adds <code>^</code>). A pattern
            reaches a connector's tools only when it begins with the connector's name and <code>_</code>.
          </p>
          <PatternList
            list={list}
            evaluation={current}
            selected={selected}
            focusId={focusId}
            onChange={editList}
            onSelect={setSelected}
            onProblem={setProblem}
          />
          {problem ? (
            <p className="form-problem" role="alert">
              {problem}
            </p>
          ) : null}
          <JsonPanel patterns={composed} onApply={(patterns) => editList(drafts(patterns))} />
        </section>
        <ExplainPanel pattern={selectedText} index={selected} report={current && selected !== null ? current.patterns[selected] ?? null : null} />
        <ChecksPanel checks={checks} results={current?.checks ?? null} onChange={editChecks} />
        <SaveSetBar
          target={target}
          agents={agents.data ?? []}
          patterns={composed}
          checks={checks}
          invalid={current?.patterns.some((p, i) => list[i]?.enabled && !p.valid) ?? false}
          onTarget={loadTarget}
        />
      </div>
      <div className="patterns-right">
        {catalog.error ? <ErrorMessage error={catalog.error} /> : null}
        {error ? <ErrorMessage error={error} compact /> : null}
        <CatalogNotes catalog={catalog} evaluation={current} patternTexts={texts} onRefresh={onRefreshCatalog} />
        <MatchResults tools={catalog.data?.tools ?? []} evaluation={current} patternTexts={texts} selected={selected} />
      </div>
    </div>
  );
}
