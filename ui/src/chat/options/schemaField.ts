// The CodeMirror 6 set-up of the output-schema editor: JSON colours, bracket matching and closing,
// and the schema's problems (a syntax error, a root that is not an object schema, Rust's verdict
// on the schema) as markers where they are.

import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { json, jsonLanguage } from "@codemirror/lang-json";
import { HighlightStyle, bracketMatching, syntaxHighlighting } from "@codemirror/language";
import { lintGutter } from "@codemirror/lint";
import type { Extension } from "@codemirror/state";
import { EditorView, keymap, placeholder } from "@codemirror/view";
import type { SyntaxNode } from "@lezer/common";
import { tags } from "@lezer/highlight";

import { codeContentAttributes, fromOutside, type Marker } from "../../lib/codeField";
import { parseSchema } from "../request";

/** Rust's objection to a schema: what, and where (a JSON pointer into the schema). */
export interface SchemaProblem {
  message: string;
  pointer: string | null;
}

/** The token colours of the Chat's code blocks (conversation.css), so JSON reads alike everywhere. */
const colours = HighlightStyle.define([
  { tag: tags.propertyName, class: "hljs-title" },
  { tag: tags.string, class: "hljs-string" },
  { tag: tags.number, class: "hljs-number" },
  { tag: [tags.bool, tags.null], class: "hljs-literal" },
]);

export function schemaFieldExtensions(
  attributes: Record<string, string>,
  onChange: () => (text: string) => void,
): Extension[] {
  return [
    history(),
    closeBrackets(),
    bracketMatching(),
    // No Tab binding: Tab leaves the editor, as it leaves every other field of the drawer.
    keymap.of([...closeBracketsKeymap, ...historyKeymap, ...defaultKeymap]),
    json(),
    syntaxHighlighting(colours),
    lintGutter(),
    EditorView.lineWrapping,
    placeholder('{\n  "type": "object",\n  "properties": { "count": { "type": "integer" } }\n}'),
    codeContentAttributes({ "aria-multiline": "true", ...attributes }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && !update.transactions.some((tr) => tr.annotation(fromOutside))) {
        onChange()(update.state.doc.toString());
      }
    }),
  ];
}

/** The schema's problems as markers: where the text stops being JSON, else where the problem
 * found by the drawer's own check (`parseSchema`) or by Rust's (`rust`) points. */
export function schemaMarkers(text: string, rust: SchemaProblem | null): Marker[] {
  const parsed = parseSchema(text);
  if (parsed.kind === "none") return [];
  const tree = jsonLanguage.parser.parse(text);
  if (parsed.kind === "invalid" && parsed.pointer === null) {
    return [{ ...syntaxErrorAt(text, tree.topNode), severity: "error", message: parsed.message }];
  }
  const problem = parsed.kind === "invalid" ? parsed : rust;
  if (problem === null) return [];
  const root = valueChildren(tree.topNode)[0];
  if (!root) return [];
  return [{ ...rangeOf(text, root, problem.pointer ?? ""), severity: "error", message: problem.message }];
}

/** The parser's first error node: JSON.parse's message has no position in WebKit. */
function syntaxErrorAt(text: string, top: SyntaxNode): { from: number; to: number } {
  const cursor = top.cursor();
  do {
    if (cursor.type.isError) return { from: cursor.from, to: cursor.to };
  } while (cursor.next());
  return { from: text.length, to: text.length };
}

const PUNCTUATION = new Set(["{", "}", "[", "]", ",", ":"]);

function valueChildren(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (!PUNCTUATION.has(child.name) && !child.type.isError) out.push(child);
  }
  return out;
}

function keyOf(text: string, name: SyntaxNode): string | null {
  try {
    const key: unknown = JSON.parse(text.slice(name.from, name.to));
    return typeof key === "string" ? key : null;
  } catch {
    return null;
  }
}

/** What to underline for a JSON pointer: a scalar value itself; an object or array by its
 * property name (or its opening bracket), so a large value is not underlined from end to end. */
function rangeOf(text: string, root: SyntaxNode, pointer: string): { from: number; to: number } {
  const tokens = pointer === "" ? [] : pointer.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node = root;
  let name: SyntaxNode | null = null;
  for (const token of tokens) {
    let next: SyntaxNode | undefined;
    let nextName: SyntaxNode | null = null;
    if (node.name === "Object") {
      for (const property of node.getChildren("Property")) {
        const key = property.getChild("PropertyName");
        if (key && keyOf(text, key) === token) {
          next = valueChildren(property).find((c) => c.name !== "PropertyName");
          nextName = key;
        }
      }
    } else if (node.name === "Array" && /^\d+$/.test(token)) {
      next = valueChildren(node)[Number(token)];
    }
    if (!next) break;
    node = next;
    name = nextName;
  }
  if (node.name !== "Object" && node.name !== "Array") return { from: node.from, to: node.to };
  if (name) return { from: name.from, to: name.to };
  return { from: node.from, to: node.from + 1 };
}
