import { Plus } from "lucide-react";

import type { Evaluation } from "../lib/backend";
import { PatternRow } from "./PatternRow";
import { draft, move, parsePatternList, type PatternDraft } from "./patternSet";

interface Props {
  list: readonly PatternDraft[];
  evaluation: Evaluation | null;
  selected: number | null;
  focusId: number | null;
  onChange: (list: PatternDraft[], focusId?: number | null) => void;
  onSelect: (index: number) => void;
  onProblem: (problem: string) => void;
}

/** The pattern set as editable rows: add, edit inline, remove, reorder, toggle. */
export function PatternList({ list, evaluation, selected, focusId, onChange, onSelect, onProblem }: Props) {
  const reports = evaluation?.patterns.length === list.length ? evaluation.patterns : null;

  const update = (index: number, change: Partial<PatternDraft>) => {
    onChange(list.map((d, i) => (i === index ? { ...d, ...change } : d)));
  };
  const addAfter = (index: number) => {
    const added = draft("");
    const next = [...list];
    next.splice(index + 1, 0, added);
    onChange(next, added.id);
  };
  const remove = (index: number) => {
    const next = list.filter((_, i) => i !== index);
    const neighbour = next[Math.min(index, next.length - 1)];
    onChange(next, neighbour?.id ?? null);
  };
  const pasteLines = (index: number, text: string): boolean => {
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
  };

  return (
    <div className="pattern-list-editor">
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
            onChange={(text) => update(index, { text })}
            onToggle={() => update(index, { enabled: !d.enabled })}
            onRemove={() => remove(index)}
            onMove={(by) => onChange(move(list, index, index + by), d.id)}
            onSelect={() => onSelect(index)}
            onAddAfter={() => addAfter(index)}
            onPasteLines={(text) => pasteLines(index, text)}
          />
        ))}
      </ol>
      {list.length === 0 ? (
        <p className="muted small pattern-empty" data-testid="patterns-empty">
          An empty set matches nothing: with it, the assistant can call no tools.
        </p>
      ) : null}
      <button type="button" className="button small" onClick={() => addAfter(list.length - 1)} data-testid="pattern-add">
        <Plus size={14} /> Add pattern
      </button>
    </div>
  );
}
