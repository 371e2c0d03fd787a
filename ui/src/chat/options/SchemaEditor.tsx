// The structured-output schema in a JSON editor (CodeMirror): the text as typed is what is
// remembered, so a draft that does not parse yet is kept; its problems show as markers in place
// and in words below it.

import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { Braces } from "lucide-react";
import { useEffect, useId, useLayoutEffect, useRef } from "react";

import { showMarkers } from "../../lib/codeField";
import { parseSchema } from "../request";
import { fromOutside, schemaFieldExtensions, schemaMarkers, type SchemaProblem } from "./schemaField";

interface Props {
  text: string | null;
  /** Rust's verdict on this text (null: fine, or not checked yet). */
  rustProblem: SchemaProblem | null;
  onChange: (text: string) => void;
}

export function SchemaEditor({ text, rustProblem, onChange }: Props) {
  const parsed = parseSchema(text);
  const problem = parsed.kind === "invalid" ? parsed.message : (rustProblem?.message ?? null);
  // Text that parses (even as a schema Port would refuse) can be laid out.
  const isJson = parsed.kind === "ok" || (parsed.kind === "invalid" && parsed.pointer !== null);
  const id = useId();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The editor is created once; it reports through the latest callback.
  const latest = useRef(onChange);
  useLayoutEffect(() => {
    latest.current = onChange;
  });

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: text ?? "",
        extensions: schemaFieldExtensions(
          { "aria-labelledby": `${id}-label`, "aria-describedby": `${id}-help ${id}-status` },
          () => latest.current,
        ),
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- created once; text follows below
  }, []);

  // Text set from outside (another agent's options) replaces the editor's.
  const doc = text ?? "";
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== doc) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: doc }, annotations: fromOutside.of(true) });
    }
  }, [doc]);

  // Markers for the text on screen; unchanged ones are not dispatched again on every keystroke.
  const shown = useRef("[]");
  useEffect(() => {
    const editor = view.current;
    if (editor?.state.doc.toString() !== doc) return;
    const markers = schemaMarkers(doc, rustProblem);
    const key = JSON.stringify(markers);
    if (key === shown.current) return;
    shown.current = key;
    showMarkers(editor, markers);
  }, [doc, rustProblem]);

  // A pasted or typed one-line schema, indented; an edit like any other (Ctrl+Z takes it back).
  const format = () => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    let laidOut: string;
    try {
      laidOut = JSON.stringify(JSON.parse(current), null, 2);
    } catch {
      return;
    }
    if (laidOut !== current) {
      editor.dispatch({ changes: { from: 0, to: current.length, insert: laidOut }, userEvent: "input.format" });
    }
    editor.focus();
  };

  return (
    <section className="option-group">
      <div className="schema-head">
        <h3
          className="option-title"
          id={`${id}-label`}
          onClick={() => {
            view.current?.focus();
          }}
        >
          Structured output
        </h3>
        <button
          type="button"
          className="button ghost small"
          data-testid="opt-schema-format"
          disabled={!isJson}
          title="Indent the schema, one property a line"
          onClick={format}
        >
          <Braces size={14} aria-hidden="true" /> Format
        </button>
      </div>
      <p className="muted small" id={`${id}-help`}>
        A JSON Schema with <code>&quot;type&quot;: &quot;object&quot;</code> at the root: Port answers with a JSON
        object that fits it. Leave empty for a normal answer.
      </p>
      <div
        className={`code-field schema-field${problem !== null ? " invalid" : ""}`}
        ref={host}
        data-testid="opt-schema"
        data-invalid={problem !== null}
      />
      <div id={`${id}-status`}>
        {problem !== null ? (
          <p className="field-error small" role="alert" data-testid="opt-schema-error">
            {problem}
          </p>
        ) : parsed.kind === "ok" ? (
          <p className="muted small" data-testid="opt-schema-ok">
            A valid schema: the answer will be a JSON object.
          </p>
        ) : null}
      </div>
    </section>
  );
}
