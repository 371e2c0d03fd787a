// The answer as markdown. Model output is untrusted: markdownTree.ts turns it into a sanitized
// tree (no raw HTML, GitHub's safe subset), and every link here goes through `openLink` (https
// only, system browser). Links into Port's app for an action run become a "Review in Port" button.
//
// The answer is split into blocks; finished blocks are parsed once and kept, the open one is
// parsed again at most every TAIL_INTERVAL_MS. While an answer streams, parsing happens in a
// worker (markdownParser.ts) and this thread only turns trees into elements.

import type { Root } from "hast";
import { toJsxRuntime, type Components } from "hast-util-to-jsx-runtime";
import { Check, Copy, ExternalLink } from "lucide-react";
import { Fragment, useEffect, useMemo, useRef, useState, type ComponentPropsWithoutRef, type MouseEvent, type ReactElement } from "react";
import { jsx, jsxs } from "react/jsx-runtime";

import { openLink } from "../app/openLink";
import { isPortReviewLink, safeExternalUrl } from "../lib/links";
import { splitGrownMarkdown } from "./markdownBlocks";
import { markdownParser } from "./markdownParser";

function MarkdownLink({ href, children, title }: ComponentPropsWithoutRef<"a">) {
  const url = safeExternalUrl(href);
  if (url === null) {
    // Not https (or not a link at all): shown, never followed.
    return (
      <span className="md-link-inert" title={href ? `Not opened: ${href}` : undefined}>
        {children}
      </span>
    );
  }
  const open = (event: MouseEvent) => {
    event.preventDefault();
    openLink(url);
  };
  if (isPortReviewLink(url)) {
    return (
      <button type="button" className="review-in-port" onClick={open} title={url}>
        Review in Port <ExternalLink size={14} aria-hidden="true" />
      </button>
    );
  }
  return (
    <a href={url} title={title ?? url} onClick={open} rel="noreferrer noopener">
      {children}
    </a>
  );
}

/** Images would load remote content (and the CSP blocks them anyway): shown as a link. */
function MarkdownImage({ src, alt }: ComponentPropsWithoutRef<"img">) {
  const url = typeof src === "string" ? safeExternalUrl(src) : null;
  const label = `Image${alt ? `: ${alt}` : ""}`;
  if (url === null) return <span className="md-link-inert">[{label}]</span>;
  return (
    <a
      href={url}
      title={url}
      onClick={(event) => {
        event.preventDefault();
        openLink(url);
      }}
    >
      [{label}]
    </a>
  );
}

/** A code block with a copy button; the copied text is what the block shows. */
function CodeBlock({ children }: ComponentPropsWithoutRef<"pre">) {
  const pre = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = () => {
    const text = pre.current?.textContent ?? "";
    navigator.clipboard.writeText(text).then(
      () => {
        setCopied("yes");
      },
      () => {
        // No clipboard access: the text is there to select by hand.
        setCopied("no");
      },
    );
  };
  return (
    <div className="md-code">
      <button
        type="button"
        className="md-copy"
        data-testid="code-copy"
        onClick={copy}
        title={copied === "no" ? "The clipboard is not available: select the text instead" : "Copy the code"}
      >
        {copied === "yes" ? <Check size={13} aria-hidden="true" /> : <Copy size={13} aria-hidden="true" />}
        {copied === "yes" ? "Copied" : "Copy"}
      </button>
      <pre ref={pre}>{children}</pre>
    </div>
  );
}

const components: Partial<Components> = {
  a: MarkdownLink,
  img: MarkdownImage,
  pre: CodeBlock,
};

/** A parsed block as elements: cheap next to parsing it. */
function toElement(tree: Root): ReactElement {
  // Its declared result is the global `JSX.Element`, which React 19's types no longer declare.
  const element: unknown = toJsxRuntime(tree, { Fragment, jsx, jsxs, components, ignoreInvalidStyle: true, passKeys: true });
  return element as ReactElement;
}

/** Without a worker, parsing may take this long per render while streaming; blocks left over
 * wait (as plain text) for the next frame. A block costs ~5–15 ms to parse in the web view, and a
 * fast stream finishes dozens a second: parsed all at once they would freeze the page. */
const FRAME_BUDGET_MS = 12;
/** Once the stream ended, what is left is parsed in larger steps: the answer is complete sooner,
 * and the page still never freezes for the whole backlog at once. */
const CATCH_UP_BUDGET_MS = 40;
/** The open (last) block is parsed again at most this often while it grows. */
const TAIL_INTERVAL_MS = 100;

interface Rendered {
  /** Parsing in steps (budgeted, or in the background): while streaming, and after it until
   * nothing is left. A turn that never streamed here (reopened from the history) is parsed
   * at once, so it never shows plain text first. */
  stepping: boolean;
  /** Finished blocks by their text. */
  readonly blocks: Map<string, ReactElement>;
  /** The open block as last parsed. */
  tail: { text: string; element: ReactElement; at: number } | null;
  /** The last split, so that a growing answer is split again only from its last block. */
  split: { text: string; blocks: readonly string[] };
}

function blocksOf(cache: Rendered, text: string): readonly string[] {
  const blocks = splitGrownMarkdown(cache.split, text);
  cache.split = { text, blocks };
  return blocks;
}

function Pending({ text }: { text: string }) {
  return <p className="md-pending">{text}</p>;
}

/** The blocks as elements: finished ones from the cache or parsed now (or asked of the worker),
 * the open one as last parsed, and whatever is not parsed yet as plain text. `ready` re-renders
 * once a block asked of the worker is back. */
function layoutBlocks(
  cache: Rendered,
  blocks: readonly string[],
  streaming: boolean,
  ready: () => void,
): { shown: ReactElement[]; pending: boolean } {
  const started = performance.now();
  if (streaming) cache.stepping = true;
  const budget = streaming ? FRAME_BUDGET_MS : CATCH_UP_BUDGET_MS;
  const stepping = cache.stepping;
  const background = stepping && markdownParser.inBackground;
  // At least one block per step, so a block slower than the budget still gets parsed.
  let parsed = 0;
  const withinBudget = () => !stepping || parsed === 0 || performance.now() - started < budget;
  /** The block's tree now, if it is parsed or may be parsed here; otherwise asked for. */
  const treeOf = (block: string, ask: boolean): Root | undefined => {
    const tree = markdownParser.tree(block);
    if (tree !== undefined) return tree;
    if (background) {
      if (ask) markdownParser.request(block, ready);
      return undefined;
    }
    if (!ask || !withinBudget()) return undefined;
    parsed++;
    return markdownParser.parseNow(block);
  };
  let pending = false;
  const last = blocks.length - 1;
  const shown: ReactElement[] = [];
  const used = new Map<string, ReactElement>();
  for (const [index, block] of blocks.entries()) {
    if (streaming && index === last) {
      const tail = cache.tail;
      if (tail?.text !== block) {
        // One parse of the open block at a time, and not more often than the interval.
        const due = (tail === null || started - tail.at >= TAIL_INTERVAL_MS) && !markdownParser.isParsing(block);
        const tree = treeOf(block, due);
        if (tree !== undefined) cache.tail = { text: block, element: toElement(tree), at: started };
        else if (!background) pending = true;
      }
      const element = cache.tail?.element;
      // The last parse of the open block until the next one; plain text before the first.
      shown.push(element ? <Fragment key={index}>{element}</Fragment> : <Pending key={index} text={block} />);
      continue;
    }
    let element = cache.blocks.get(block) ?? (cache.tail?.text === block ? cache.tail.element : undefined);
    if (element === undefined) {
      const tree = treeOf(block, true);
      if (tree !== undefined) element = toElement(tree);
    }
    if (element === undefined) {
      pending = true;
      shown.push(<Pending key={index} text={block} />);
      continue;
    }
    used.set(block, element);
    shown.push(<Fragment key={index}>{element}</Fragment>);
  }
  // Keep only what the answer still shows.
  cache.blocks.clear();
  for (const [block, element] of used) cache.blocks.set(block, element);
  if (!streaming) cache.tail = null;
  if (!streaming && !pending) cache.stepping = false;
  return { shown, pending: pending && !background };
}

interface Props {
  text: string;
  streaming?: boolean;
  /** Told (after the commit) each time the answer is fully rendered once the stream ended. */
  onSettled?: () => void;
}

export function Markdown({ text, streaming = false, onSettled }: Props) {
  // A render cache, deliberately outside React's state: filling it is not a state change.
  const [cache] = useState<Rendered>(() => ({ stepping: false, blocks: new Map(), tail: null, split: { text: "", blocks: [] } }));
  const blocks = useMemo(() => blocksOf(cache, text), [cache, text]);
  const [, setTick] = useState(0);
  // Blocks back from the worker: one re-render per frame, however many arrive.
  const [ready] = useState(() => {
    let frame: number | null = null;
    return () => {
      frame ??= requestAnimationFrame(() => {
        frame = null;
        setTick((t) => t + 1);
      });
    };
  });
  const { shown, pending } = layoutBlocks(cache, blocks, streaming, ready);

  const settled = !streaming && !pending && !cache.stepping;
  useEffect(() => {
    if (settled) onSettled?.();
  }, [settled, onSettled]);

  // Work left over here continues next frame, also when no new text arrives (the worker's
  // results come with their own re-render).
  useEffect(() => {
    if (!pending) return;
    const frame = requestAnimationFrame(() => {
      setTick((t) => t + 1);
    });
    return () => {
      cancelAnimationFrame(frame);
    };
  });

  return <div className="markdown">{shown}</div>;
}
