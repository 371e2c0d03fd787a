// The CodeMirror 6 set-up of one pattern: a single line, regex colours, and the engine's errors
// and lints as markers at their position.

import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { setDiagnostics, type Diagnostic } from "@codemirror/lint";
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

export function patternFieldExtensions(label: string, callbacks: () => FieldCallbacks): Extension[] {
  return [
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
    EditorView.contentAttributes.of({
      "aria-label": label,
      "aria-multiline": "false",
      spellcheck: "false",
      autocapitalize: "off",
      autocorrect: "off",
    }),
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

export interface Marker {
  from: number;
  to: number;
  severity: "error" | "warning" | "info";
  message: string;
}

/** Shows the engine's markers; offsets are clamped, so a reply for an older text cannot throw. */
export function showMarkers(view: EditorView, markers: readonly Marker[]): void {
  const length = view.state.doc.length;
  const diagnostics: Diagnostic[] = markers.map((m) => {
    const from = Math.max(0, Math.min(m.from, length));
    // A zero-width marker (an error at the end) still needs one visible character to underline.
    let to = Math.max(from, Math.min(m.to, length));
    let start = from;
    if (to === start) {
      if (to < length) to = start + 1;
      else if (start > 0) start -= 1;
    }
    return { from: start, to, severity: m.severity, message: m.message };
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}
