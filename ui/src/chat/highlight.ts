// Syntax colours for fenced code in answers, as a rehype step after sanitizing: it only splits
// the text of `<pre><code class="language-x">` into spans with `hljs-*` classes.
//
// Written here rather than taken from rehype-highlight: that plugin registers every grammar
// again each time a processor is built, which made each block of a streaming answer cost ~10 ms
// more when a processor was built per block. One highlighter serves every parse here.

import type { Element, ElementContent, Root, RootContent } from "hast";
import { common, createLowlight } from "lowlight";

const lowlight = createLowlight(common);

function languageOf(code: Element): string | null {
  const classes = code.properties.className;
  if (!Array.isArray(classes)) return null;
  for (const name of classes) {
    if (typeof name === "string" && name.startsWith("language-")) return name.slice("language-".length);
  }
  return null;
}

function textOf(nodes: readonly ElementContent[]): string {
  return nodes.map((node) => (node.type === "text" ? node.value : node.type === "element" ? textOf(node.children) : "")).join("");
}

function visit(node: Root | Element): void {
  for (const child of node.children as (RootContent | ElementContent)[]) {
    if (child.type !== "element") continue;
    if (child.tagName === "pre") {
      for (const code of child.children) {
        if (code.type !== "element" || code.tagName !== "code") continue;
        const language = languageOf(code);
        if (language === null || !lowlight.registered(language)) continue;
        const highlighted = lowlight.highlight(language, textOf(code.children));
        code.children = highlighted.children as ElementContent[];
        code.properties.className = [...(Array.isArray(code.properties.className) ? code.properties.className : []), "hljs"];
      }
      continue;
    }
    visit(child);
  }
}

/** The rehype plugin: highlights fenced code whose language is known; leaves the rest alone. */
export function rehypeCodeHighlight() {
  return (tree: Root) => {
    visit(tree);
  };
}
