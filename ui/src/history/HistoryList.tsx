import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, type KeyboardEvent } from "react";

import { formatElapsed } from "../lib/format";
import { agentLabel, durationMs, formatWhen } from "./format";
import { statusLabel } from "./filters";
import type { HistoryRow } from "./historyList";
import { Snippet } from "./Snippet";

/** Fixed: rows are never measured, so 100,000 of them cost what 20 do. */
export const ROW_HEIGHT = 66;
/** Ask for the next page this many rows before the end. */
const PREFETCH_ROWS = 30;

const FIELD_LABEL: Record<string, string> = {
  prompt: "prompt",
  answer: "answer",
  tools: "tools",
};

interface Props {
  rows: readonly HistoryRow[];
  hasMore: boolean;
  loadingMore: boolean;
  selectedId: string | null;
  /** Changes with each new query: the list scrolls back to the top. */
  generation: number;
  now: number;
  onSelect: (id: string) => void;
  onLoadMore: () => void;
  /** Enter on a row. */
  onOpen: (id: string) => void;
}

export function HistoryList({ rows, hasMore, loadingMore, selectedId, generation, now, onSelect, onLoadMore, onOpen }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  // Tanstack's virtualizer returns fresh functions on each render; the React Compiler is told not to memoize this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: { width: 480, height: 720 },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - PREFETCH_ROWS) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, onLoadMore]);

  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [generation]);

  const selectedIndex = selectedId === null ? -1 : rows.findIndex((r) => r.summary.id === selectedId);

  const move = (index: number) => {
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    const row = rows[clamped];
    if (!row) return;
    onSelect(row.summary.id);
    virtualizer.scrollToIndex(clamped, { align: "auto" });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => {
        move(selectedIndex + 1);
      },
      ArrowUp: () => {
        move(selectedIndex <= 0 ? 0 : selectedIndex - 1);
      },
      PageDown: () => {
        move(selectedIndex + page);
      },
      PageUp: () => {
        move(selectedIndex - page);
      },
      Home: () => {
        move(0);
      },
      End: () => {
        move(rows.length - 1);
      },
      Enter: () => {
        if (selectedId !== null) onOpen(selectedId);
      },
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  return (
    <div
      ref={scroller}
      className="history-list"
      role="listbox"
      tabIndex={0}
      aria-label="Invocations"
      aria-activedescendant={selectedIndex >= 0 ? rowDomId(selectedId ?? "") : undefined}
      data-testid="history-list"
      data-count={rows.length}
      onKeyDown={onKeyDown}
    >
      <div className="history-list-inner" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rows[item.index];
          return (
            <div
              key={row ? row.summary.id : "more"}
              className="history-list-slot"
              style={{ height: item.size, transform: `translateY(${item.start}px)` }}
            >
              {row ? (
                <Row
                  row={row}
                  selected={row.summary.id === selectedId}
                  now={now}
                  onClick={() => {
                    onSelect(row.summary.id);
                  }}
                />
              ) : (
                <div className="history-row history-row-loading muted small" aria-hidden="true">
                  <span className="spinner" /> Loading more…
                </div>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function rowDomId(id: string): string {
  return `history-row-${id}`;
}

function Row({ row, selected, now, onClick }: { row: HistoryRow; selected: boolean; now: number; onClick: () => void }) {
  const { summary, snippet, field } = row;
  const took = durationMs(summary);
  return (
    <div
      id={rowDomId(summary.id)}
      role="option"
      aria-selected={selected}
      className={selected ? "history-row selected" : "history-row"}
      data-testid="history-row"
      data-id={summary.id}
      data-status={summary.status}
      onClick={onClick}
    >
      <span className={`history-status status-${summary.status}`} role="img" aria-label={statusLabel(summary.status)} />
      <div className="history-row-main">
        <div className="history-row-top">
          <span className="history-row-prompt" data-testid="history-row-prompt">
            {summary.promptPreview}
          </span>
          <time className="history-row-when" dateTime={new Date(summary.askedAt).toISOString()}>
            {formatWhen(summary.askedAt, now)}
          </time>
        </div>
        <div className="history-row-sub">
          {snippet && snippet.length > 0 ? (
            <>
              {field && field !== "prompt" ? <span className="history-row-field">{FIELD_LABEL[field] ?? field}</span> : null}
              <Snippet parts={snippet} />
            </>
          ) : (
            <>
              <span className="history-row-agent">{agentLabel(summary.agent)}</span>
              {summary.toolNames.length > 0 ? <span className="history-row-tools">{summary.toolNames.join(", ")}</span> : null}
              {took !== null ? <span>{formatElapsed(took)}</span> : null}
              {summary.status !== "completed" ? <span className={`history-row-state status-text-${summary.status}`}>{statusLabel(summary.status)}</span> : null}
            </>
          )}
        </div>
      </div>
    </div>
  );
}
