// The answer as markdown. Model output is untrusted: raw HTML is not rendered, rehype-sanitize
// strips anything outside GitHub's safe subset, and every link goes through `openLink` (https
// only, system browser). Links into Port's app for an action run become a "Review in Port" button.
// Code is highlighted after sanitizing: the highlighter only adds spans with `hljs-*` classes to
// text that is already safe, and only for fences that name their language (guessing the language
// of every block would run every grammar on every frame of a stream).

import { Check, Copy, ExternalLink } from "lucide-react";
import { Fragment, useEffect, useMemo, useRef, useState, type ComponentPropsWithoutRef, type MouseEvent, type ReactElement } from "react";
import ReactMarkdown, { type Components, type Options } from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";

import { openLink } from "../app/openLink";
import { isPortReviewLink, safeExternalUrl } from "../lib/links";
import { rehypeCodeHighlight } from "./highlight";
import { splitMarkdownBlocks } from "./markdownBlocks";

const remarkPlugins = [remarkGfm];
const rehypePlugins: Options["rehypePlugins"] = [rehypeSanitize, rehypeCodeHighlight];

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

const components: Components = {
  a: MarkdownLink,
  img: MarkdownImage,
  pre: CodeBlock,
};

/** One block, parsed and rendered to elements. react-markdown's `Markdown` is a plain synchronous
 * function of its props, so its output can be kept per block outside React. */
function renderBlock(text: string): ReactElement {
  return ReactMarkdown({ remarkPlugins, rehypePlugins, components, skipHtml: true, children: text });
}

/** While streaming, parsing may take this long per render; blocks left over wait (as plain
 * text) for the next frame. A block costs ~5–15 ms to parse in the web view, and a fast
 * stream finishes dozens a second: parsed all at once they would freeze the page. */
const FRAME_BUDGET_MS = 12;
/** Once the stream ended, what is left is parsed in larger steps: the answer is complete sooner,
 * and the page still never freezes for the whole backlog at once. */
const CATCH_UP_BUDGET_MS = 40;
/** The open (last) block is parsed again at most this often while it grows. */
const TAIL_INTERVAL_MS = 100;

interface Rendered {
  /** Parsing in budgeted steps: while streaming, and after it until nothing is left. */
  stepping: boolean;
  /** Finished blocks by their text. */
  readonly blocks: Map<string, ReactElement>;
  /** The open block as last parsed. */
  tail: { text: string; element: ReactElement; at: number } | null;
}

function Pending({ text }: { text: string }) {
  return <p className="md-pending">{text}</p>;
}

/** The blocks as elements: finished ones from the cache or parsed now, the open one as last
 * parsed, and, while streaming, whatever the frame budget did not reach as plain text. */
function layoutBlocks(cache: Rendered, blocks: readonly string[], streaming: boolean): { shown: ReactElement[]; pending: boolean } {
  const started = performance.now();
  if (streaming) cache.stepping = true;
  const budget = streaming ? FRAME_BUDGET_MS : CATCH_UP_BUDGET_MS;
  const stepping = cache.stepping;
  // At least one block per step, so a block slower than the budget still gets parsed.
  let parsed = 0;
  const withinBudget = () => !stepping || parsed === 0 || performance.now() - started < budget;
  const parse = (block: string) => {
    parsed++;
    return renderBlock(block);
  };
  let pending = false;
  const last = blocks.length - 1;
  const shown: ReactElement[] = [];
  const used = new Map<string, ReactElement>();
  for (const [index, block] of blocks.entries()) {
    if (streaming && index === last) {
      const tail = cache.tail;
      const fresh = tail?.text === block;
      const due = tail === null || started - tail.at >= TAIL_INTERVAL_MS;
      if (!fresh && due && withinBudget()) {
        cache.tail = { text: block, element: parse(block), at: started };
      } else if (!fresh) {
        pending = true;
      }
      const element = cache.tail?.element;
      // The last parse of the open block until the next one; plain text before the first.
      shown.push(element ? <Fragment key={index}>{element}</Fragment> : <Pending key={index} text={block} />);
      continue;
    }
    let element = cache.blocks.get(block) ?? (cache.tail?.text === block ? cache.tail.element : undefined);
    if (element === undefined && withinBudget()) element = parse(block);
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
  return { shown, pending };
}

interface Props {
  text: string;
  streaming?: boolean;
  /** Told (after the commit) each time the answer is fully rendered once the stream ended. */
  onSettled?: () => void;
}

export function Markdown({ text, streaming = false, onSettled }: Props) {
  const blocks = useMemo(() => splitMarkdownBlocks(text), [text]);
  // A render cache, deliberately outside React's state: filling it is not a state change.
  const [cache] = useState<Rendered>(() => ({ stepping: false, blocks: new Map(), tail: null }));
  const [, setTick] = useState(0);
  const { shown, pending } = layoutBlocks(cache, blocks, streaming);

  const settled = !streaming && !pending;
  useEffect(() => {
    if (settled) onSettled?.();
  }, [settled, onSettled]);

  // Work left over continues next frame, also when no new text arrives.
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
