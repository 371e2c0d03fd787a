// The answer to a request with an output schema: a JSON tree, and whether it fits the schema it
// was asked for (checked in Rust with the same validator that checked the schema).

import { useEffect, useState } from "react";

import * as backend from "../../lib/backend";
import type { JsonValue, SchemaCheck } from "../../lib/backend";
import { JsonTree, parseJson } from "../JsonTree";

export function StructuredAnswer({ schema, answer, latest }: { schema: JsonValue; answer: string; latest: boolean }) {
  const value = parseJson(answer);
  const [check, setCheck] = useState<SchemaCheck | "checking">("checking");

  useEffect(() => {
    if (value === undefined) return;
    let live = true;
    backend.checkStructuredAnswer(schema, value).then(
      (result) => {
        if (live) setCheck(result);
      },
      (error: unknown) => {
        if (live) setCheck({ ok: false, error: `could not check it: ${backend.BackendError.from(error).message}`, pointer: null });
      },
    );
    return () => {
      live = false;
    };
    // `value` is derived from `answer`; re-check only when the text changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [schema, answer]);

  const testId = latest ? "structured-answer" : undefined;
  if (value === undefined) {
    return (
      <div className="structured-answer" data-testid={testId}>
        <p className="field-error small" data-testid={latest ? "structured-check" : undefined}>
          The answer is not JSON, though a structured answer was asked for.
        </p>
      </div>
    );
  }
  return (
    <div className="structured-answer" data-testid={testId}>
      <p
        className={check !== "checking" && check.ok ? "structured-check ok small" : "structured-check small"}
        data-testid={latest ? "structured-check" : undefined}
        data-ok={check === "checking" ? undefined : String(check.ok)}
      >
        {check === "checking"
          ? "Checking against the schema…"
          : check.ok
            ? "✓ Valid against the schema it was asked for"
            : `✗ Does not match the schema: ${check.error ?? "unknown problem"}`}
      </p>
      <JsonTree value={value} testId={latest ? "structured-tree" : undefined} />
    </div>
  );
}
