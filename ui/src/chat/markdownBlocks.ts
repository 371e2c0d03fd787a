// Splits a growing markdown answer into blocks at blank lines outside code fences, so that while
// it streams only the last block is parsed again each frame; the others are memoized.
// A blank line followed by indented text (a list item's continuation) does not split.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function splitMarkdownBlocks(text: string): string[] {
  const blocks: string[] = [];
  let start = 0;
  let fence: string | null = null;
  let lineStart = 0;
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
