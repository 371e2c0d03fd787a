import { Plus } from "lucide-react";
import { useLayoutEffect, useMemo, useRef } from "react";

import type { Evaluation } from "../lib/backend";
import { PatternRow, type RowActions } from "./PatternRow";
import { draft, move, parsePatternList, type PatternDraft } from "./patternSet";

interface Props {
  list: readonly PatternDraft[];
  evaluation: Evaluation | null;
  selected: number | null;
  focusId: number | null;
  onChange: (list: PatternDraft[], focusId?: number | null) => void;
  onSelect: (index: number) => void;
  onProblem: (problem: string) => void;
  /** Chat's request options drawer: rows without the use toggle and move buttons. */
  compact?: boolean;
}

/** The pattern set as editable rows: add, edit inline, remove, reorder, toggle. */
export function PatternList({ list, evaluation, selected, focusId, onChange, onSelect, onProblem, compact = false }: Props) {
  const reports = evaluation?.patterns.length === list.length ? evaluation.patterns : null;

  // One set of actions for every row, stable across renders, reading the newest list: rows
  // are memoized, so a keystroke in one re-renders that row, not all of them.
  const latest = useRef({ list, onChange, onSelect, onProblem });
  useLayoutEffect(() => {
    latest.current = { list, onChange, onSelect, onProblem };
  });
  const actions = useMemo<RowActions>(() => {
    const update = (index: number, change: Partial<PatternDraft>) => {
      const { list, onChange } = latest.current;
      onChange(list.map((d, i) => (i === index ? { ...d, ...change } : d)));
    };
    const addAfter = (index: number) => {
      const { list, onChange } = latest.current;
      const added = draft("");
      const next = [...list];
      next.splice(index + 1, 0, added);
      onChange(next, added.id);
    };
    return {
      change: (index, text) => {
        update(index, { text });
      },
      toggle: (index) => {
        const current = latest.current.list[index];
        if (current) update(index, { enabled: !current.enabled });
      },
      remove: (index) => {
        const { list, onChange } = latest.current;
        const next = list.filter((_, i) => i !== index);
        const neighbour = next[Math.min(index, next.length - 1)];
        onChange(next, neighbour?.id ?? null);
      },
      move: (index, by) => {
        const { list, onChange } = latest.current;
        onChange(move(list, index, index + by), list[index]?.id ?? null);
      },
      select: (index) => {
        latest.current.onSelect(index);
      },
      addAfter,
      pasteLines: (index, text) => {
        const { list, onChange, onProblem } = latest.current;
        const parsed = parsePatternList(text);
        if (!parsed.ok) {
          onProblem(parsed.problem);
          return true;
        }
        const replaced = list[index]?.text.trim() === "";
        const next = [...list];
        next.splice(replaced ? index : index + 1, replaced ? 1 : 0, ...parsed.patterns.map((p) => draft(p)));
        onChange(next);
        return true;
      },
    };
  }, []);

  return (
    <div className={compact ? "pattern-list-editor compact" : "pattern-list-editor"}>
      <ol className="pattern-rows" aria-label="Patterns">
        {list.map((d, index) => (
          <PatternRow
            key={d.id}
            index={index}
            count={list.length}
            draft={d}
            report={reports?.[index] ?? null}
            selected={selected === index}
            autoFocus={focusId === d.id}
            actions={actions}
            compact={compact}
          />
        ))}
      </ol>
      {list.length === 0 ? (
        <p className="muted small pattern-empty" data-testid="patterns-empty">
          An empty set matches nothing: with it, the assistant can call no tools.
        </p>
      ) : null}
      <button type="button" className="button small" onClick={() => {
          actions.addAfter(list.length - 1);
        }} data-testid="pattern-add">
        <Plus size={14} /> Add pattern
      </button>
    </div>
  );
}
