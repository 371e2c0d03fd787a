// The CodeMirror 6 set-up of one pattern: a single line, regex colours, and the engine's errors
// and lints as markers at their position.

import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { EditorState, RangeSetBuilder, type Extension } from "@codemirror/state";
import {
  Decoration,
  EditorView,
  ViewPlugin,
  keymap,
  placeholder,
  type DecorationSet,
  type KeyBinding,
  type ViewUpdate,
} from "@codemirror/view";

import { codeContentAttributes } from "../lib/codeField";
import { tokenize, type TokenKind } from "./regexTokens";

const MARKS: Record<TokenKind, Decoration> = {
  escape: Decoration.mark({ class: "rx-escape" }),
  class: Decoration.mark({ class: "rx-class" }),
  group: Decoration.mark({ class: "rx-group" }),
  quantifier: Decoration.mark({ class: "rx-quantifier" }),
  anchor: Decoration.mark({ class: "rx-anchor" }),
  alternation: Decoration.mark({ class: "rx-alternation" }),
  dot: Decoration.mark({ class: "rx-dot" }),
  literal: Decoration.mark({ class: "rx-literal" }),
};

function decorate(view: EditorView): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (const token of tokenize(view.state.doc.toString())) {
    if (token.kind !== "literal") builder.add(token.from, token.to, MARKS[token.kind]);
  }
  return builder.finish();
}

const regexColours = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = decorate(view);
    }
    update(update: ViewUpdate) {
      if (update.docChanged) this.decorations = decorate(update.view);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

/** A pattern is one line: a typed or pasted newline never enters the text. */
const singleLine = EditorState.transactionFilter.of((tr) => (tr.newDoc.lines > 1 ? [] : tr));

export interface FieldCallbacks {
  onChange: (text: string) => void;
  onFocus: () => void;
  /** Pasted text with several lines (or a JSON array): the list decides what to do with it. */
  onPasteLines: (text: string) => boolean;
  keys: readonly KeyBinding[];
}

/** `wrap`: a long pattern wraps onto more lines instead of scrolling out of a narrow field (the
 * text stays one line: it is one pattern). */
export function patternFieldExtensions(label: string, callbacks: () => FieldCallbacks, wrap = false): Extension[] {
  return [
    ...(wrap ? [EditorView.lineWrapping] : []),
    history(),
    keymap.of([
      // The list's own keys (Enter adds, Alt+arrows move, …) come before the editor's.
      ...callbacks().keys,
      ...historyKeymap,
      ...defaultKeymap,
    ]),
    singleLine,
    regexColours,
    placeholder("e.g. ^(list|get)_.*  or  notion_.*"),
    codeContentAttributes({ "aria-label": label, "aria-multiline": "false" }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) callbacks().onChange(update.state.doc.toString());
      if (update.focusChanged && update.view.hasFocus) callbacks().onFocus();
    }),
    EditorView.domEventHandlers({
      paste(event) {
        const text = event.clipboardData?.getData("text/plain") ?? "";
        if (text.includes("\n") || text.trim().startsWith("[")) {
          if (callbacks().onPasteLines(text)) {
            event.preventDefault();
            return true;
          }
        }
        return false;
      },
    }),
  ];
}
