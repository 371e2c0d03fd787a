// What Portdesk's CodeMirror fields share (the pattern editors, the output-schema editor): the
// content attributes that keep typing aids out of code, and a checker's verdict drawn as markers.

import { setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { Annotation } from "@codemirror/state";
import { EditorView } from "@codemirror/view";

/** Marks a change the field did not type (a text set from outside), so it is not echoed back. */
export const fromOutside = Annotation.define<boolean>();

/** Spelling, capitalising and correcting aids only get in the way in code. */
export function codeContentAttributes(attributes: Record<string, string>) {
  return EditorView.contentAttributes.of({
    spellcheck: "false",
    autocapitalize: "off",
    autocorrect: "off",
    ...attributes,
  });
}

export interface Marker {
  from: number;
  to: number;
  severity: "error" | "warning" | "info";
  message: string;
}

/** Shows a checker's markers; offsets are clamped, so a reply for an older text cannot throw. */
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
