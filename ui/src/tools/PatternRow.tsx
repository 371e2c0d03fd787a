import type { KeyBinding } from "@codemirror/view";
import { ArrowDown, ArrowUp, X } from "lucide-react";
import { memo, useEffect, useLayoutEffect, useRef } from "react";

import type { PatternReport } from "../lib/backend";
import type { Marker } from "../lib/codeField";
import { useCodeField } from "../lib/useCodeField";
import { patternFieldExtensions, type FieldCallbacks } from "./patternField";
import type { PatternDraft } from "./patternSet";

/** What a row can do to the list, by its index; one stable object for all rows. */
export interface RowActions {
  change: (index: number, text: string) => void;
  toggle: (index: number) => void;
  remove: (index: number) => void;
  move: (index: number, by: -1 | 1) => void;
  select: (index: number) => void;
  addAfter: (index: number) => void;
  pasteLines: (index: number, text: string) => boolean;
}

interface Props {
  index: number;
  count: number;
  draft: PatternDraft;
  report: PatternReport | null;
  selected: boolean;
  autoFocus: boolean;
  actions: RowActions;
  /** A narrow place (Chat's request options): no use toggle or move buttons (Alt+arrows still
   * move), and a blank row is a draft that is not sent rather than a pattern that matches all. */
  compact: boolean;
}

function rowStatus(draft: PatternDraft, report: PatternReport | null, blank: boolean): string {
  if (blank) return "empty";
  if (!draft.enabled) return "off";
  if (report === null) return "pending";
  if (!report.valid) return "invalid";
  return report.lints.length > 0 ? "lint" : "ok";
}

function markersOf(report: PatternReport | null): Marker[] {
  if (!report) return [];
  const all = report.error ? [report.error, ...report.lints] : report.lints;
  return all.map((m) => ({ from: m.start, to: m.end, severity: m.severity, message: m.message }));
}

/** Each evaluation brings new report objects; a row whose report reads the same stays as it is. */
function sameRow(a: Props, b: Props): boolean {
  return (
    a.index === b.index &&
    a.count === b.count &&
    a.draft === b.draft &&
    a.selected === b.selected &&
    a.autoFocus === b.autoFocus &&
    a.actions === b.actions &&
    a.compact === b.compact &&
    (a.report === b.report || JSON.stringify(a.report) === JSON.stringify(b.report))
  );
}

/** Memoized: the actions are stable, so a row renders again only when its own data changes. */
export const PatternRow = memo(function PatternRow(props: Props) {
  const { index, count, draft, report, selected, autoFocus, actions, compact } = props;
  // The editor is made once; its callbacks read the latest props through this ref.
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });

  const { host, view } = useCodeField(draft.text, markersOf(report), () => {
    const keys: KeyBinding[] = [
      { key: "Enter", run: () => (latest.current.actions.addAfter(latest.current.index), true) },
      { key: "Alt-ArrowUp", run: () => (latest.current.actions.move(latest.current.index, -1), true) },
      { key: "Alt-ArrowDown", run: () => (latest.current.actions.move(latest.current.index, 1), true) },
      {
        key: "Backspace",
        run: (v) => {
          if (v.state.doc.length > 0 || latest.current.count <= 1) return false;
          latest.current.actions.remove(latest.current.index);
          return true;
        },
      },
    ];
    const callbacks = (): FieldCallbacks => ({
      onChange: (text) => {
        latest.current.actions.change(latest.current.index, text);
      },
      onFocus: () => {
        latest.current.actions.select(latest.current.index);
      },
      onPasteLines: (text) => latest.current.actions.pasteLines(latest.current.index, text),
      keys,
    });
    return patternFieldExtensions(`Pattern ${latest.current.index + 1}`, callbacks, latest.current.compact);
  });

  useEffect(() => {
    if (autoFocus) view.current?.focus();
  }, [autoFocus, view]);

  const blank = compact && draft.text.trim() === "";
  const status = rowStatus(draft, report, blank);
  const firstProblem = blank ? null : (report?.error ?? report?.lints[0] ?? null);

  return (
    <li
      className={`pattern-row${selected ? " selected" : ""}${draft.enabled ? "" : " disabled"}`}
      data-testid="pattern-row"
      data-status={status}
      data-index={index}
      onMouseDown={() => {
        actions.select(index);
      }}
    >
      <div className="pattern-row-main">
        {compact ? null : (
          <input
            type="checkbox"
            className="pattern-toggle"
            checked={draft.enabled}
            onChange={() => {
              actions.toggle(index);
            }}
            aria-label={`Use pattern ${index + 1}`}
            title={draft.enabled ? "In use: uncheck to try the set without it" : "Not in use"}
            data-testid="pattern-toggle"
          />
        )}
        <div className="pattern-field code-field" ref={host} data-testid="pattern-input" />
        <span
          className={`pattern-count${report?.matches === 0 && draft.enabled ? " zero" : ""}`}
          data-testid="pattern-count"
          title={report && !blank ? `Matches ${report.matches} tool${report.matches === 1 ? "" : "s"} (${report.appliesTo === "port" ? "Port's own tools" : `connector ${report.appliesTo}`})` : undefined}
        >
          {blank ? "" : report ? (report.valid ? report.matches : "—") : "…"}
        </span>
        <div className="pattern-actions">
          {compact ? null : (
            <>
              <button type="button" className="icon-button" aria-label={`Move pattern ${index + 1} up`} disabled={index === 0} onClick={() => {
                  actions.move(index, -1);
                }}>
                <ArrowUp size={14} />
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Move pattern ${index + 1} down`}
                disabled={index === count - 1}
                onClick={() => {
                  actions.move(index, 1);
                }}
              >
                <ArrowDown size={14} />
              </button>
            </>
          )}
          <button type="button" className="icon-button" aria-label={`Remove pattern ${index + 1}`} onClick={() => {
              actions.remove(index);
            }}
            data-testid="pattern-remove"
          >
            <X size={14} />
          </button>
        </div>
      </div>
      {firstProblem && draft.enabled ? (
        <p className={`pattern-problem ${firstProblem.severity}`} data-testid="pattern-problem" data-code={firstProblem.code}>
          {firstProblem.message}
          {report && report.lints.length + (report.error ? 1 : 0) > 1 ? ` (+${report.lints.length + (report.error ? 1 : 0) - 1} more)` : ""}
        </p>
      ) : null}
    </li>
  );
}, sameRow);
