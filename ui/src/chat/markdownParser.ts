// Where answer blocks are parsed: in a worker while an answer streams (the page's main thread
// only turns finished trees into elements), or right here when there is no worker (tests, or a
// web view that refused to start one). Trees are kept by their text, so a block is parsed once
// however often it is shown.

import type { Root } from "hast";

import { countBlockParsedInWorker } from "./figures";
import type { ParseRequest, ParseResponse } from "./markdown.worker";
import { markdownToTree } from "./markdownTree";

/** Trees kept; a long answer has a few hundred blocks, a reopened conversation a few per turn. */
const CACHE_LIMIT = 3_000;

class TreeCache {
  private readonly trees = new Map<string, Root>();

  get(text: string): Root | undefined {
    const tree = this.trees.get(text);
    if (tree !== undefined) {
      // Most recently used last, so the oldest go first.
      this.trees.delete(text);
      this.trees.set(text, tree);
    }
    return tree;
  }

  set(text: string, tree: Root): void {
    this.trees.set(text, tree);
    if (this.trees.size > CACHE_LIMIT) {
      const oldest = this.trees.keys().next();
      if (!oldest.done) this.trees.delete(oldest.value);
    }
  }
}

interface Pending {
  text: string;
  waiters: Set<() => void>;
}

export class MarkdownParser {
  private readonly cache = new TreeCache();
  private readonly pending = new Map<number, Pending>();
  private readonly byText = new Map<string, number>();
  private nextId = 1;

  /** `worker`: null to parse everything here. */
  constructor(private worker: Worker | null) {
    worker?.addEventListener("message", (event: MessageEvent<ParseResponse>) => {
      this.settle(event.data);
    });
    worker?.addEventListener("error", (event) => {
      this.giveUp(event.message);
    });
  }

  /** Whether blocks can be parsed in the background. */
  get inBackground(): boolean {
    return this.worker !== null;
  }

  /** The tree for this text, when it was parsed already. */
  tree(text: string): Root | undefined {
    return this.cache.get(text);
  }

  /** Parses here and now. */
  parseNow(text: string): Root {
    const cached = this.cache.get(text);
    if (cached !== undefined) return cached;
    const tree = markdownToTree(text);
    this.cache.set(text, tree);
    return tree;
  }

  /** Parses in the background; `ready` is called once the tree is there (or the background
   * failed, and the caller should parse now). Asking again for the same text while it is being
   * parsed adds a waiter; it is parsed once. */
  request(text: string, ready: () => void): void {
    const worker = this.worker;
    if (worker === null || this.cache.get(text) !== undefined) {
      ready();
      return;
    }
    const id = this.byText.get(text);
    if (id !== undefined) {
      this.pending.get(id)?.waiters.add(ready);
      return;
    }
    const fresh = this.nextId++;
    this.pending.set(fresh, { text, waiters: new Set([ready]) });
    this.byText.set(text, fresh);
    const message: ParseRequest = { id: fresh, text };
    worker.postMessage(message);
  }

  /** Whether this text is being parsed in the background. */
  isParsing(text: string): boolean {
    return this.byText.has(text);
  }

  private settle(response: ParseResponse): void {
    const pending = this.pending.get(response.id);
    if (pending === undefined) return;
    this.pending.delete(response.id);
    this.byText.delete(pending.text);
    if ("tree" in response) {
      this.cache.set(pending.text, response.tree);
      countBlockParsedInWorker();
    } else {
      // The worker could not parse it: parsing here will say the same, or show it as text.
      console.warn("Portdesk: markdown worker failed on a block:", response.error);
      this.cache.set(pending.text, plainTree(pending.text));
    }
    for (const ready of pending.waiters) ready();
  }

  /** The worker is gone (it failed to load, or crashed): everything is parsed here from now on,
   * starting with what was waiting. */
  private giveUp(reason: string): void {
    console.warn("Portdesk: the markdown worker stopped; answers are parsed on the page:", reason);
    this.worker?.terminate();
    this.worker = null;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    this.byText.clear();
    for (const { waiters } of waiting) for (const ready of waiters) ready();
  }
}

/** A block the parser failed on, shown as its text. */
function plainTree(text: string): Root {
  return { type: "root", children: [{ type: "element", tagName: "p", properties: {}, children: [{ type: "text", value: text }] }] };
}

function startWorker(): Worker | null {
  if (typeof Worker === "undefined") return null;
  try {
    return new Worker(new URL("./markdown.worker.ts", import.meta.url), { type: "module", name: "markdown" });
  } catch (error) {
    console.warn("Portdesk: no markdown worker; answers are parsed on the page:", error);
    return null;
  }
}

/** The app's one parser. */
export const markdownParser = new MarkdownParser(startWorker());
