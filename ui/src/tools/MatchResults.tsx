import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useMemo, useRef, useState } from "react";

import type { CatalogTool, Evaluation } from "../lib/backend";
import { groupRows, type ResultRow, type ShowFilter } from "./resultRows";

interface Props {
  tools: readonly CatalogTool[];
  evaluation: Evaluation | null;
  /** Enabled pattern texts by index, to name the pattern that matched. */
  patternTexts: readonly string[];
  selected: number | null;
}

const ROW_HEIGHT = 28;

/** Re-renders only when its inputs change: a keystroke that has not been evaluated yet leaves
 * the list alone. */
export const MatchResults = memo(function MatchResults({ tools, evaluation, patternTexts, selected }: Props) {
  const [filter, setFilter] = useState("");
  const [show, setShow] = useState<ShowFilter>("all");
  const scroller = useRef<HTMLDivElement>(null);
  const matchedBy = evaluation?.matchedBy.length === tools.length ? evaluation.matchedBy : null;

  const rows = useMemo(() => groupRows(tools, matchedBy, filter, show), [tools, matchedBy, filter, show]);
  // The virtualizer keeps its own state and re-renders through it; nothing here memoizes its functions.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // jsdom has no layout: start from a plausible viewport so tests see rows.
    initialRect: { width: 640, height: 560 },
  });

  const available = evaluation?.available ?? 0;
  return (
    <section className="card match-results" aria-labelledby="match-results-title">
      <header className="section-header">
        <h2 className="section-title" id="match-results-title">
          Tools
        </h2>
        <span className="muted small" data-testid="match-summary" data-available={available} data-total={tools.length}>
          {evaluation ? `${available} of ${tools.length} available` : "Evaluating…"}
        </span>
      </header>
      <div className="results-controls">
        <input
          className="input small-input"
          type="search"
          placeholder="Find a tool"
          aria-label="Find a tool"
          data-testid="results-filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <div className="segmented" role="radiogroup" aria-label="Show">
          {(["all", "available", "unavailable"] as const).map((value) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={show === value}
              className={show === value ? "active" : ""}
              onClick={() => setShow(value)}
            >
              {value === "all" ? "All" : value === "available" ? "Available" : "Not available"}
            </button>
          ))}
        </div>
      </div>
      <div className="results-scroll" ref={scroller} data-testid="match-results" tabIndex={0} aria-label="Tools and what matched them">
        <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {virtual.getVirtualItems().map((item) => {
            const row = rows[item.index];
            return row ? <Row key={item.key} row={row} top={item.start} patternTexts={patternTexts} selected={selected} /> : null;
          })}
        </div>
        {rows.length === 0 ? <p className="muted small results-empty">No tool fits this filter.</p> : null}
      </div>
    </section>
  );
});

function Row({ row, top, patternTexts, selected }: { row: ResultRow; top: number; patternTexts: readonly string[]; selected: number | null }) {
  const style = { transform: `translateY(${top}px)`, height: ROW_HEIGHT };
  if (row.type === "group") {
    return (
      <div className="result-row result-group" style={style} data-testid="result-group" data-group={row.group}>
        <span className="result-group-name">{row.group}</span>
        <span className="muted small">
          {row.available} of {row.total}
        </span>
      </div>
    );
  }
  const { tool, matchedBy } = row;
  const first = matchedBy[0] ?? null;
  const bySelected = selected !== null && matchedBy.includes(selected);
  return (
    <div
      className={`result-row result-tool${first !== null ? " matched" : ""}${bySelected ? " by-selected" : ""}`}
      style={style}
      data-testid="result-tool"
      data-tool={tool.name}
      data-matched={first !== null}
    >
      <span className="result-dot" aria-hidden />
      <code className="result-name">{tool.name}</code>
      {tool.write ? <span className="tag tag-write" title="Changes data in Port">write</span> : null}
      {first !== null ? (
        <span className="result-by" title={matchedBy.map((i) => `#${i + 1} ${patternTexts[i] ?? ""}`).join("\n")}>
          #{first + 1} <code>{patternTexts[first] ?? ""}</code>
          {matchedBy.length > 1 ? ` +${matchedBy.length - 1}` : ""}
        </span>
      ) : (
        <span className="result-by none">not matched</span>
      )}
    </div>
  );
}
