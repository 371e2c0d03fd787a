// Parses answer blocks off the page's main thread: a fast stream finishes dozens of blocks a
// second, ~5–15 ms of parsing each, which the page would otherwise spend between frames.

import type { Root } from "hast";

import { markdownToTree } from "./markdownTree";

export interface ParseRequest {
  id: number;
  text: string;
}

export type ParseResponse = { id: number; tree: Root } | { id: number; error: string };

// The worker's global scope; the app's TypeScript types describe a window.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ParseRequest>) => void) | null;
  postMessage(message: ParseResponse): void;
};

scope.onmessage = (event) => {
  const { id, text } = event.data;
  try {
    scope.postMessage({ id, tree: markdownToTree(text) });
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
