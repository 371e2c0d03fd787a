// The structured-output schema in a JSON editor (CodeMirror): the text as typed is what is
// remembered, so a draft that does not parse yet is kept; its problems show as markers in place
// and in words below it.

import { Compartment } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { Braces } from "lucide-react";
import { useEffect, useId, useLayoutEffect, useMemo, useRef } from "react";

import { useCodeField } from "../../lib/useCodeField";
import { parseSchema } from "../request";
import { schemaFieldExtensions, schemaMarkers, type SchemaProblem } from "./schemaField";

/** The editor's `aria-invalid`, set as the verdict changes. */
const invalidAttribute = new Compartment();
const ariaInvalid = (invalid: boolean) => EditorView.contentAttributes.of({ "aria-invalid": String(invalid) });

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
  // The editor is made once; it reports through the latest callback.
  const latest = useRef(onChange);
  useLayoutEffect(() => {
    latest.current = onChange;
  });
  const doc = text ?? "";
  // Parsed again only when the text or Rust's verdict changes, not on every render of the Chat.
  const markers = useMemo(() => schemaMarkers(doc, rustProblem), [doc, rustProblem]);
  const invalid = problem !== null;
  const { host, view } = useCodeField(doc, markers, () => [
    ...schemaFieldExtensions(
      { "aria-labelledby": `${id}-label`, "aria-describedby": `${id}-help ${id}-status` },
      () => latest.current,
    ),
    invalidAttribute.of(ariaInvalid(invalid)),
  ]);
  useEffect(() => {
    view.current?.dispatch({ effects: invalidAttribute.reconfigure(ariaInvalid(invalid)) });
  }, [invalid, view]);

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
      <div className="section-header">
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
        className={`code-field schema-field${invalid ? " invalid" : ""}`}
        ref={host}
        data-testid="opt-schema"
        data-invalid={invalid}
      />
      <div id={`${id}-status`}>
        {invalid ? (
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
