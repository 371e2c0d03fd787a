import { Check, ChevronDown, ChevronRight, TriangleAlert } from "lucide-react";
import { memo, useId, useMemo, useState } from "react";

import { formatElapsed } from "../lib/format";
import { JsonTree, parseJson } from "./JsonTree";
import { isToolCallComplete, type ToolCallSnapshot } from "./transcript";

export type ToolCallState = "running" | "complete" | "incomplete";

export function toolCallState(call: ToolCallSnapshot, runEnded: boolean): ToolCallState {
  if (isToolCallComplete(call)) return "complete";
  return runEnded ? "incomplete" : "running";
}

/** Long payloads are shown in part until asked for; rendering 200 KB on every frame would stall. */
const PREVIEW_CHARS = 20_000;
/** Results larger than this start folded: opening them is a choice. */
const LARGE_RESULT_CHARS = 4_000;

function oneLine(text: string, max = 96): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The size of a payload as people read it: UTF-8 bytes. */
export function formatSize(text: string): string {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function RawText({ text }: { text: string }) {
  const [showAll, setShowAll] = useState(false);
  const clipped = !showAll && text.length > PREVIEW_CHARS;
  return (
    <>
      <pre className="code-block" data-testid="payload-raw">
        {clipped ? `${text.slice(0, PREVIEW_CHARS)}\n…` : text}
      </pre>
      {clipped ? (
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setShowAll(true);
          }}
        >
          Show all {text.length.toLocaleString()} characters
        </button>
      ) : null}
    </>
  );
}

/** A payload as a JSON tree (when it is JSON and complete) or as raw text, with a toggle. */
function Payload({ label, text, streaming }: { label: string; text: string; streaming: boolean }) {
  const [raw, setRaw] = useState(false);
  const parsed = useMemo(() => (streaming ? undefined : parseJson(text)), [streaming, text]);
  return (
    <section className="tool-payload" data-testid={`payload-${label.toLowerCase()}`}>
      <header className="tool-payload-head">
        <h4 className="tool-payload-label">{label}</h4>
        {parsed !== undefined ? (
          <button
            type="button"
            className="link-button small"
            data-testid="payload-raw-toggle"
            onClick={() => {
              setRaw((r) => !r);
            }}
          >
            {raw ? "Show as tree" : "Show raw"}
          </button>
        ) : null}
      </header>
      {text === "" ? (
        <p className="muted small">{streaming ? "Arriving…" : "Empty."}</p>
      ) : parsed !== undefined && !raw ? (
        <JsonTree value={parsed} testId="json-tree" />
      ) : (
        <RawText text={text} />
      )}
    </section>
  );
}

/** The result folds separately: large ones start folded and render only when opened. */
function ResultSection({ call, runEnded }: { call: ToolCallSnapshot; runEnded: boolean }) {
  const result = call.result ?? "";
  const [open, setOpen] = useState(result.length <= LARGE_RESULT_CHARS);
  const streaming = !call.resultComplete && !runEnded;
  return (
    <div className="tool-result">
      <button
        type="button"
        className="link-button tool-result-toggle"
        data-testid="result-toggle"
        aria-expanded={open}
        onClick={() => {
          setOpen((o) => !o);
        }}
      >
        {open ? <ChevronDown size={12} aria-hidden="true" /> : <ChevronRight size={12} aria-hidden="true" />}
        Result · <span data-testid="result-size">{formatSize(result)}</span>
        {streaming ? " so far" : ""}
      </button>
      {open ? <Payload label="Result" text={result} streaming={streaming} /> : null}
    </div>
  );
}

const STATE_LABEL: Record<ToolCallState, string> = {
  running: "Running",
  complete: "Complete",
  incomplete: "Incomplete",
};

export const ToolCallCard = memo(function ToolCallCard({ call, runEnded }: { call: ToolCallSnapshot; runEnded: boolean }) {
  const [open, setOpen] = useState(false);
  const bodyId = useId();
  const state = toolCallState(call, runEnded);
  const name = call.name ?? "tool";
  const duration = call.startedAt !== null && call.endedAt !== null ? formatElapsed(Math.max(0, call.endedAt - call.startedAt)) : null;
  return (
    <div className={`tool-call tool-call-${state}`} data-testid="tool-call" data-tool-name={call.name ?? ""} data-state={state}>
      <button
        type="button"
        className="tool-call-header"
        data-testid="tool-call-toggle"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => {
          setOpen((o) => !o);
        }}
      >
        <span className={`status-dot status-${state}`} role="img" aria-label={STATE_LABEL[state]}>
          {state === "running" ? (
            <span className="spinner" />
          ) : state === "complete" ? (
            <Check size={12} strokeWidth={3} aria-hidden="true" />
          ) : (
            <TriangleAlert size={12} strokeWidth={2.5} aria-hidden="true" />
          )}
        </span>
        <span className="tool-name">{name}</span>
        <span className="tool-summary">{oneLine(call.arguments)}</span>
        {state === "incomplete" ? (
          <span className="badge badge-warning" data-testid="tool-incomplete">
            incomplete
          </span>
        ) : null}
        {call.result !== null ? <span className="tool-meta muted small">{formatSize(call.result)}</span> : null}
        {duration !== null ? (
          <span className="tool-meta muted small" data-testid="tool-call-duration">
            {duration}
          </span>
        ) : null}
        {open ? (
          <ChevronDown className="chevron" size={14} aria-hidden="true" />
        ) : (
          <ChevronRight className="chevron" size={14} aria-hidden="true" />
        )}
      </button>
      {open ? (
        <div className="tool-call-body" id={bodyId}>
          <Payload label="Arguments" text={call.arguments} streaming={!call.argumentsComplete && !runEnded} />
          {call.result !== null ? (
            <ResultSection call={call} runEnded={runEnded} />
          ) : (
            <p className="muted small">{runEnded ? "No result arrived." : "Waiting for the result…"}</p>
          )}
          {state === "incomplete" ? (
            <p className="warning small">The run ended before this call finished: what is shown may be partial.</p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
});
