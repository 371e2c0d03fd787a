// Splits a growing markdown answer into blocks at blank lines outside code fences, so that while
// it streams only the last block is parsed again each frame; the others are memoized.
// A blank line followed by indented text (a list item's continuation) does not split.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function splitMarkdownBlocks(text: string): string[] {
  return splitFrom(text, 0, []);
}

/** The split of a text that grew from `previous.text`: the blocks before the last are final
 * (a boundary depends only on the lines before it), so only the last block is scanned again.
 * A streaming answer costs O(new text) per frame instead of O(answer). */
export function splitGrownMarkdown(previous: { text: string; blocks: readonly string[] }, text: string): string[] {
  if (previous.blocks.length === 0 || !text.startsWith(previous.text)) return splitMarkdownBlocks(text);
  const settled = previous.blocks.slice(0, -1);
  const last = previous.blocks.at(-1) ?? "";
  return splitFrom(text, previous.text.length - last.length, settled);
}

/** Appends the blocks of `text` from `start` (a block start, outside any fence) to `blocks`. */
function splitFrom(text: string, from: number, blocks: string[]): string[] {
  let start = from;
  let fence: string | null = null;
  let lineStart = from;
  let previousBlank = false;
  while (lineStart <= text.length) {
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    const fenceMatch = FENCE.exec(line);
    if (fence === null) {
      if (previousBlank && line.trim() !== "" && !/^\s/.test(line) && lineStart > start) {
        blocks.push(text.slice(start, lineStart));
        start = lineStart;
      }
      if (fenceMatch?.[1] !== undefined) fence = fenceMatch[1];
    } else if (fenceMatch?.[1] !== undefined && fenceMatch[1].startsWith(fence.charAt(0)) && fenceMatch[1].length >= fence.length) {
      fence = null;
    }
    previousBlank = fence === null && line.trim() === "";
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  if (start < text.length) blocks.push(text.slice(start));
  return blocks;
}
