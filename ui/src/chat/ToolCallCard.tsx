import { Check, ChevronDown, ChevronRight, TriangleAlert } from "lucide-react";
import { memo, useId, useState } from "react";

import { prettyJson } from "../lib/format";
import { isToolCallComplete, type ToolCallSnapshot } from "./transcript";

export type ToolCallState = "running" | "complete" | "incomplete";

export function toolCallState(call: ToolCallSnapshot, runEnded: boolean): ToolCallState {
  if (isToolCallComplete(call)) return "complete";
  return runEnded ? "incomplete" : "running";
}

/** Long results are shown in part until asked for; rendering 200 KB on every frame would stall. */
const PREVIEW_CHARS = 20_000;

function oneLine(text: string, max = 96): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function Payload({ label, text, streaming }: { label: string; text: string; streaming: boolean }) {
  const [showAll, setShowAll] = useState(false);
  const pretty = streaming ? null : prettyJson(text);
  const shown = pretty ?? text;
  const clipped = !showAll && shown.length > PREVIEW_CHARS;
  return (
    <section className="tool-payload">
      <h4 className="tool-payload-label">{label}</h4>
      {shown === "" ? (
        <p className="muted small">{streaming ? "Arriving…" : "Empty."}</p>
      ) : (
        <pre className="code-block">{clipped ? `${shown.slice(0, PREVIEW_CHARS)}\n…` : shown}</pre>
      )}
      {clipped ? (
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setShowAll(true);
          }}
        >
          Show all {shown.length.toLocaleString()} characters
        </button>
      ) : null}
    </section>
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
  return (
    <div className={`tool-call tool-call-${state}`} data-testid="tool-call" data-tool-name={call.name ?? ""} data-state={state}>
      <button
        type="button"
        className="tool-call-header"
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
            <Payload label="Result" text={call.result} streaming={!call.resultComplete && !runEnded} />
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
