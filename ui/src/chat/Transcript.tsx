// The conversation's turns, virtualized: only the turns on screen (and a few around them) are in
// the DOM, so a 500-turn conversation opens and scrolls like a short one. Turns have different
// heights; each is measured once rendered (and again when it grows while streaming).
//
// The view follows the stream while it is at the bottom and stops when the user scrolls up
// (follow.ts decides); a new turn brings it back to the bottom.

import { useVirtualizer } from "@tanstack/react-virtual";
import { ArrowDown } from "lucide-react";
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";

import { afterPaint, markTurnsPainted } from "./figures";
import { clearHighlights, paintHighlights, textRanges } from "./find";
import { Follow, PINNED_SLACK } from "./follow";
import type { Turn } from "./session";
import { TurnView } from "./TurnView";

/** A guess for turns not yet measured; measured turns use their real height. */
const ESTIMATED_TURN_HEIGHT = 280;

// While following, the browser's scroll anchoring is off (chat.css): it moved the view up whenever
// a block above the bottom was parsed into a shorter one. Once the user scrolled away it is on
// again, so that blocks above what they read can change size without moving it.
// Called on every scroll event while a stream is followed: writes the style only when it changes.
function showPinned(view: HTMLElement | null, follow: Follow) {
  const anchoring = follow.pinned ? "" : "auto";
  if (view && view.style.overflowAnchor !== anchoring) view.style.overflowAnchor = anchoring;
}

/** Scrolled away from the end, with more below than the slack: "Jump to latest" is offered. */
function awayFromEnd(view: HTMLElement, follow: Follow): boolean {
  return !follow.pinned && view.scrollHeight - view.scrollTop - view.clientHeight >= PINNED_SLACK;
}

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
  const [follow] = useState(() => new Follow());
  const [away, setAway] = useState(false);
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
      if (follow.pinned) view.scrollTop = view.scrollHeight;
      else setAway(awayFromEnd(view, follow));
    });
    observer.observe(inner);
    return () => {
      observer.disconnect();
    };
  }, [hasTurns, follow]);

  // What the user does to scroll, as it happens: a move up lets go only while they scroll.
  useEffect(() => {
    const view = scroller.current;
    if (!view) return;
    const onWheel = (event: WheelEvent) => {
      follow.wheel(event.deltaY, performance.now());
      showPinned(view, follow);
    };
    const onKey = (event: KeyboardEvent) => {
      // Keys typed into a field move its caret, not the view.
      const { target } = event;
      if (target instanceof Element && target.closest("input, textarea, select, [contenteditable='true']")) return;
      follow.key(event.key, event.shiftKey, performance.now());
      showPinned(view, follow);
    };
    // Only the scrollbar (the view itself is the target): a press on a card's toggle that
    // shortens the answer is not a scroll.
    const onPointerDown = (event: PointerEvent) => {
      if (event.target === view) follow.hold(true);
    };
    const onTouchStart = () => {
      follow.hold(true);
    };
    const letGo = () => {
      follow.hold(false);
    };
    const options = { passive: true };
    view.addEventListener("wheel", onWheel, options);
    view.addEventListener("keydown", onKey);
    view.addEventListener("pointerdown", onPointerDown);
    view.addEventListener("touchstart", onTouchStart, options);
    window.addEventListener("pointerup", letGo);
    window.addEventListener("pointercancel", letGo);
    window.addEventListener("touchend", letGo);
    window.addEventListener("touchcancel", letGo);
    return () => {
      view.removeEventListener("wheel", onWheel);
      view.removeEventListener("keydown", onKey);
      view.removeEventListener("pointerdown", onPointerDown);
      view.removeEventListener("touchstart", onTouchStart);
      window.removeEventListener("pointerup", letGo);
      window.removeEventListener("pointercancel", letGo);
      window.removeEventListener("touchend", letGo);
      window.removeEventListener("touchcancel", letGo);
    };
  }, [follow]);

  // A new turn (or a reopened conversation) starts at the bottom.
  useLayoutEffect(() => {
    follow.pin();
    showPinned(scroller.current, follow);
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
    follow.release();
    showPinned(scroller.current, follow);
    virtualizer.scrollToIndex(findTurn, { align: "start" });
  }, [findTurn, virtualizer, follow]);
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
    const verdict = follow.scrolled(
      { top: view.scrollTop, scrollHeight: view.scrollHeight, clientHeight: view.clientHeight },
      performance.now(),
    );
    if (verdict === "stick") view.scrollTop = view.scrollHeight;
    showPinned(view, follow);
    setAway(awayFromEnd(view, follow));
  };

  const jumpToLatest = () => {
    const view = scroller.current;
    if (!view) return;
    follow.pin();
    showPinned(view, follow);
    view.scrollTop = view.scrollHeight;
    setAway(false);
  };

  return (
    // Focusable, so the keyboard can scroll it (and page up to let go of the stream).
    <div
      className="chat-scroll"
      ref={scroller}
      onScroll={onScroll}
      tabIndex={0}
      aria-label="Conversation"
      data-testid="chat-scroll"
    >
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
        {away && (
          // A dock of no height at the bottom of the view: the button floats over the text.
          <div className="jump-latest-dock">
            <button
              type="button"
              className="jump-latest"
              onClick={jumpToLatest}
              data-testid="jump-to-latest"
            >
              <ArrowDown size={14} aria-hidden />
              Jump to latest
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
