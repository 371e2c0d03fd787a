// Driving a CodeMirror field in component tests: jsdom hosts the editor, but has no layout for
// typing into it, so text goes in as the editor's own change (what typing dispatches).

import { forEachDiagnostic } from "@codemirror/lint";
import { EditorView } from "@codemirror/view";
import { act } from "@testing-library/react";

export function editorIn(host: Element | undefined): EditorView {
  const content = host?.querySelector(".cm-content");
  const view = content instanceof HTMLElement ? EditorView.findFromDOM(content) : null;
  if (!view) throw new Error("no editor here");
  return view;
}

/** Replaces the field's text, as typing does. */
export function replaceText(host: Element | undefined, text: string): void {
  const view = editorIn(host);
  act(() => {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: "input.type" });
  });
}

/** The markers the field shows, with the text each one underlines. */
export function markersIn(host: Element | undefined): { text: string; severity: string; message: string }[] {
  const view = editorIn(host);
  const out: { text: string; severity: string; message: string }[] = [];
  forEachDiagnostic(view.state, (d, from, to) => {
    out.push({ text: view.state.sliceDoc(from, to), severity: d.severity, message: d.message });
  });
  return out;
}
