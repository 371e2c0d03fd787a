// In-app find over the conversation. The transcript is virtualized, so the web view's own find
// cannot see turns that are off screen: the search runs over the turns' text (prompt, answer,
// tool names, arguments and results) and the view scrolls the matching turn into place, where
// its visible text is highlighted.

import type { Turn } from "./session";

/** The text of a turn that find searches, lower-cased. */
export function turnText(turn: Turn): string {
  const snapshot = turn.transcript.getSnapshot();
  const parts = [turn.prompt, snapshot.answer];
  for (const call of snapshot.toolCalls) {
    parts.push(call.name ?? "", call.arguments, call.result ?? "");
  }
  return parts.join("\n").toLowerCase();
}

/** How often `query` occurs in each turn, for the turns where it does (in order). */
export function findInTurns(turns: readonly Turn[], query: string): { index: number; count: number }[] {
  const needle = query.trim().toLowerCase();
  if (needle === "") return [];
  const hits: { index: number; count: number }[] = [];
  turns.forEach((turn, index) => {
    const text = turnText(turn);
    let count = 0;
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
    if (count > 0) hits.push({ index, count });
  });
  return hits;
}

/** Ranges of `query` in the text under `root` (case-insensitive). */
export function textRanges(root: Node, query: string): Range[] {
  const needle = query.trim().toLowerCase();
  if (needle === "") return [];
  const ranges: Range[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const text = (node.nodeValue ?? "").toLowerCase();
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      ranges.push(range);
    }
  }
  return ranges;
}

/** Paints the hits with the CSS Custom Highlight API where the web view has it (WebKit does);
 * without it the matching turn is still scrolled to and outlined. */
export function paintHighlights(all: Range[], current: Range[]): void {
  if (typeof CSS === "undefined" || !("highlights" in CSS) || typeof Highlight === "undefined") return;
  CSS.highlights.set("find", new Highlight(...all));
  CSS.highlights.set("find-current", new Highlight(...current));
}

export function clearHighlights(): void {
  if (typeof CSS === "undefined" || !("highlights" in CSS)) return;
  CSS.highlights.delete("find");
  CSS.highlights.delete("find-current");
}
