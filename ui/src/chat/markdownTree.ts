// Markdown text to a sanitized, highlighted HTML tree (hast): the expensive half of showing an
// answer, and the half that needs no DOM, so it can run in a worker (markdown.worker.ts) while
// the page only turns finished trees into elements.
//
// Model output is untrusted. Raw HTML in it never becomes elements: rehype-sanitize keeps only
// GitHub's safe subset (and only its URL protocols), and whatever raw HTML is left is dropped
// (what react-markdown's `skipHtml` did). Code is highlighted after sanitizing, which only adds
// spans with `hljs-*` classes to text that is already safe.

import type { Element, ElementContent, Root, RootContent } from "hast";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";

import { rehypeCodeHighlight } from "./highlight";

// Built once: building a processor per block attached every plugin (and GFM's parser
// extensions) again for each one.
const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeSanitize)
  .use(rehypeCodeHighlight)
  .freeze();

/** Drops raw HTML and source positions (nothing reads them, and they double what a worker
 * posts back). */
function strip(node: Root | Element): void {
  delete node.position;
  const kept: (RootContent | ElementContent)[] = [];
  for (const child of node.children) {
    if (child.type === "raw") continue;
    delete child.position;
    if (child.type === "element") strip(child);
    kept.push(child);
  }
  node.children = kept;
}

/** One markdown text as a safe tree. */
export function markdownToTree(text: string): Root {
  const tree = processor.runSync(processor.parse(text));
  strip(tree);
  return tree;
}
