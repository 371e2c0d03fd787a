// The conversation's turns, virtualized: only the turns on screen (and a few around them) are in
// the DOM, so a 500-turn conversation opens and scrolls like a short one. Turns have different
// heights; each is measured once rendered (and again when it grows while streaming).
//
// The view follows the stream while it is scrolled to the bottom and stops when the user scrolls
// up; a new turn brings it back to the bottom. Only a move up lets go: the answer growing under
// the view between a scroll and its event (a block parsed in the worker can add many lines at
// once) leaves the bottom too, but is no reason to stop following.

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useRef, type ReactNode } from "react";

import { afterPaint, markTurnsPainted } from "./figures";
import { clearHighlights, paintHighlights, textRanges } from "./find";
import type { Turn } from "./session";
import { TurnView } from "./TurnView";

/** A guess for turns not yet measured; measured turns use their real height. */
const ESTIMATED_TURN_HEIGHT = 280;
/** How near the bottom counts as "at the bottom" (px). */
const PINNED_SLACK = 48;

interface Props {
  turns: readonly Turn[];
  /** Shown when there are no turns. */
  empty: ReactNode;
  onRetry: (turn: Turn) => void;
  /** In-app find: the query and the turn to bring into view (index into `turns`). */
  find: { query: string; turn: number | null } | null;
}

export function Transcript({ turns, empty, onRetry, find }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const lastScrollTop = useRef(0);
  // While following, the browser's scroll anchoring is off (chat.css): it moved the view up
  // whenever a block above the bottom was parsed into a shorter one. Once the user scrolled
  // away it is on again, so that blocks above what they read can change size without moving it.
  const setPinned = (value: boolean) => {
    pinned.current = value;
    if (scroller.current) scroller.current.style.overflowAnchor = value ? "" : "auto";
  };

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read each render, never memoized
  const virtualizer = useVirtualizer({
    count: turns.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_TURN_HEIGHT,
    getItemKey: (index) => turns[index]?.id ?? index,
    overscan: 2,
    // Tests (jsdom) have no layout; the app measures the real pane.
    initialRect: { width: 800, height: 720 },
  });
  const items = virtualizer.getVirtualItems();

  // Follow the stream (and late measurements) while pinned to the bottom. The observed element
  // exists only while there are turns.
  const hasTurns = turns.length > 0;
  useEffect(() => {
    const view = scroller.current;
    const inner = content.current;
    if (!view || !inner || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) view.scrollTop = view.scrollHeight;
    });
    observer.observe(inner);
    return () => {
      observer.disconnect();
    };
  }, [hasTurns]);

  // A new turn (or a reopened conversation) starts at the bottom.
  useLayoutEffect(() => {
    setPinned(true);
    if (turns.length > 0) virtualizer.scrollToIndex(turns.length - 1, { align: "end" });
    return afterPaint((at) => {
      markTurnsPainted(turns.length, document.querySelectorAll("article.turn").length, at);
    });
    // Only the count matters: status changes of a turn do not move the view.
  }, [turns.length]); // eslint-disable-line react-hooks/exhaustive-deps

  // Find: bring the turn into view, then highlight what is visible of the hits.
  const findTurn = find?.turn ?? null;
  useEffect(() => {
    if (findTurn === null) return;
    setPinned(false);
    virtualizer.scrollToIndex(findTurn, { align: "start" });
  }, [findTurn, virtualizer]);
  const query = find?.query ?? "";
  const rangeKey = `${items[0]?.index ?? -1}-${items.at(-1)?.index ?? -1}`;
  useEffect(() => {
    const root = content.current;
    if (!root || query.trim() === "") {
      clearHighlights();
      return;
    }
    const frame = requestAnimationFrame(() => {
      const all = textRanges(root, query);
      const current = root.querySelector(`[data-index="${findTurn ?? -1}"]`);
      paintHighlights(
        all,
        all.filter((range) => current?.contains(range.startContainer) ?? false),
      );
    });
    return () => {
      cancelAnimationFrame(frame);
    };
  }, [query, findTurn, rangeKey]);
  useEffect(() => clearHighlights, []);

  const onScroll = () => {
    const view = scroller.current;
    if (!view) return;
    const top = view.scrollTop;
    if (view.scrollHeight - top - view.clientHeight < PINNED_SLACK) setPinned(true);
    else if (top < lastScrollTop.current - 1) setPinned(false);
    lastScrollTop.current = top;
  };

  return (
    <div className="chat-scroll" ref={scroller} onScroll={onScroll} data-testid="chat-scroll">
      <div className="chat-content">
        {turns.length === 0 ? (
          empty
        ) : (
          <div
            className="turns"
            ref={content}
            style={{ height: virtualizer.getTotalSize(), position: "relative" }}
            data-count={turns.length}
          >
            {items.map((item) => {
              const turn = turns[item.index];
              if (!turn) return null;
              return (
                <div
                  key={item.key}
                  className={findTurn === item.index ? "turn-slot find-current" : "turn-slot"}
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  <TurnView turn={turn} latest={item.index === turns.length - 1} onRetry={onRetry} />
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
