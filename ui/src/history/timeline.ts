// An invocation's recorded events, read as a timeline: when each step happened relative to the
// question, how long each tool call took, and the time to the first answer token. Pure, so the
// arithmetic is tested without a view.

import type { InvocationRecord, RecordedEvent, ToolCall } from "../lib/backend";

export type TimelineKind = "asked" | "invocation_id" | "tool_call" | "answer" | "done" | "unknown" | "ended";

export interface TimelineEntry {
  readonly key: string;
  readonly kind: TimelineKind;
  /** Milliseconds after the question was asked. */
  readonly offsetMs: number;
  readonly title: string;
  readonly detail: string | null;
  /** Tool calls and the answer: from their first to their last event. */
  readonly durationMs: number | null;
  /** Tool calls: whether the call's arguments (and result, if one began) were complete. */
  readonly complete: boolean | null;
}

export interface TimelineFigures {
  /** From the question to the first answer token. */
  readonly firstTokenMs: number | null;
  /** From the question to the end of the run. */
  readonly totalMs: number | null;
  /** While at least one tool call was running (overlapping calls count once). */
  readonly toolTimeMs: number;
}

interface CallSpan {
  id: string;
  name: string | null;
  first: number;
  last: number;
  argumentsComplete: boolean;
  resultBegan: boolean;
  resultComplete: boolean;
}

/** The timeline, in order of first appearance. */
export function buildTimeline(detail: InvocationRecord): TimelineEntry[] {
  const asked = detail.askedAt;
  const entries: TimelineEntry[] = [
    { key: "asked", kind: "asked", offsetMs: 0, title: "Asked", detail: null, durationMs: null, complete: null },
  ];
  const calls = new Map<string, CallSpan>();
  const order: { at: number; make: () => TimelineEntry }[] = [];
  let answerFirst: number | null = null;
  let answerLast = 0;
  let answerChunks = 0;
  let answerChars = 0;

  for (const { seq, at: atMs, event } of detail.events) {
    switch (event.type) {
      case "invocation_id":
        order.push({ at: atMs, make: () => entry(`e${seq}`, "invocation_id", atMs - asked, "Port invocation id", event.id) });
        break;
      case "tool_call_started":
      case "tool_call_arguments_delta":
      case "tool_call_complete":
      case "tool_result_delta":
      case "tool_result_complete": {
        let span = calls.get(event.id);
        if (!span) {
          const created: CallSpan = {
            id: event.id,
            name: null,
            first: atMs,
            last: atMs,
            argumentsComplete: false,
            resultBegan: false,
            resultComplete: false,
          };
          span = created;
          calls.set(event.id, created);
          order.push({ at: atMs, make: () => callEntry(created, asked) });
        }
        span.last = Math.max(span.last, atMs);
        if (event.type === "tool_call_started" && span.name === null) span.name = event.name;
        if (event.type === "tool_call_complete") span.argumentsComplete = true;
        if (event.type === "tool_result_delta") span.resultBegan = true;
        if (event.type === "tool_result_complete") span.resultComplete = true;
        break;
      }
      case "answer_delta":
        answerFirst ??= atMs;
        answerLast = atMs;
        answerChunks++;
        answerChars += event.delta.length;
        if (answerChunks === 1) {
          order.push({
            at: atMs,
            make: () => ({
              key: "answer",
              kind: "answer",
              offsetMs: (answerFirst ?? atMs) - asked,
              title: "Answer",
              detail: `${answerChars.toLocaleString()} characters in ${answerChunks.toLocaleString()} chunk${answerChunks === 1 ? "" : "s"}`,
              durationMs: answerLast - (answerFirst ?? answerLast),
              complete: null,
            }),
          });
        }
        break;
      case "done":
        order.push({ at: atMs, make: () => entry(`e${seq}`, "done", atMs - asked, "Done", doneDetail(event.monthlyQuotaUsage?.remainingQuota ?? null)) });
        break;
      case "unknown":
        order.push({
          at: atMs,
          make: () => entry(`e${seq}`, "unknown", atMs - asked, `Unknown event “${event.event}”`, event.reason ?? (event.data || null)),
        });
        break;
    }
  }

  if (detail.events.length === 0) {
    // Imported from Port, or recorded without events: the assembled calls still carry timings.
    for (const call of detail.toolCalls) order.push({ at: call.startedAt ?? asked, make: () => storedCallEntry(call, asked) });
  }

  for (const item of order) entries.push(item.make());
  const ended = detail.repliedAt;
  if (ended !== null) {
    entries.push(entry("ended", "ended", ended - asked, endedTitle(detail), detail.error?.message ?? null));
  }
  return entries;
}

export function timelineFigures(detail: InvocationRecord): TimelineFigures {
  const asked = detail.askedAt;
  const firstAnswer = detail.events.find((e) => e.event.type === "answer_delta");
  const firstToken = detail.firstTokenAt ?? firstAnswer?.at ?? null;
  const spans = buildTimeline(detail)
    .filter((e) => e.kind === "tool_call" && e.durationMs !== null)
    .map((e) => [e.offsetMs, e.offsetMs + (e.durationMs ?? 0)] as const);
  const toolTimeMs = unionLength(spans);
  return {
    firstTokenMs: firstToken === null ? null : firstToken - asked,
    totalMs: detail.repliedAt === null ? null : detail.repliedAt - asked,
    toolTimeMs,
  };
}

/** The total length covered by intervals that may overlap. */
export function unionLength(spans: readonly (readonly [number, number])[]): number {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [from, to] of sorted) {
    const start = Math.max(from, end);
    if (to > start) total += to - start;
    end = Math.max(end, to);
  }
  return total;
}

/** "+0 ms", "+412 ms", "+1.42 s", "+2 min 05 s". */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? "−" : "+";
  return `${sign}${formatSpan(Math.abs(ms))}`;
}

export function formatSpan(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, "0")} s`;
}

/** A raw event as one line of JSON, for the raw view. */
export function rawEvent(event: RecordedEvent): string {
  return JSON.stringify(event.event);
}

function entry(key: string, kind: TimelineKind, offsetMs: number, title: string, detail: string | null): TimelineEntry {
  return { key, kind, offsetMs, title, detail, durationMs: null, complete: null };
}

function callEntry(span: CallSpan, asked: number): TimelineEntry {
  return {
    key: `call-${span.id}`,
    kind: "tool_call",
    offsetMs: span.first - asked,
    title: span.name ?? "tool",
    detail: null,
    durationMs: span.last - span.first,
    complete: span.argumentsComplete && (!span.resultBegan || span.resultComplete),
  };
}

function storedCallEntry(call: ToolCall, asked: number): TimelineEntry {
  const start = call.startedAt;
  const end = call.finishedAt ?? call.argumentsDoneAt;
  return {
    key: `call-${call.callId}`,
    kind: "tool_call",
    offsetMs: (start ?? asked) - asked,
    title: call.name ?? "tool",
    detail: null,
    durationMs: start !== null && end !== null ? end - start : null,
    complete: call.argumentsComplete && (call.result === null || call.resultComplete),
  };
}

function doneDetail(remaining: number | null): string | null {
  return remaining === null ? null : `${remaining.toLocaleString()} invocations left this month`;
}

function endedTitle(detail: InvocationRecord): string {
  switch (detail.status) {
    case "completed":
      return "Completed";
    case "failed":
      return "Failed";
    case "interrupted":
      return "Interrupted";
    case "cancelled":
      return "Cancelled";
    case "streaming":
      return "Still streaming";
  }
}
