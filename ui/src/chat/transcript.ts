// The assembled state of one run, folded from its events OUTSIDE React: strings concatenated
// exactly, tool calls by id in first-appearance order (the same rules as port-api's
// `Transcript`). Readers see immutable snapshots, committed at most once per animation frame,
// so a fast stream costs one render per frame however many deltas arrive.

import type { InvokeEvent, MonthlyQuotaUsage, RateLimitUsage } from "../lib/backend";

export interface ToolCallSnapshot {
  readonly id: string;
  readonly name: string | null;
  /** The argument chunks concatenated exactly (a JSON string when complete). */
  readonly arguments: string;
  /** The result chunks concatenated exactly; null when no result began. */
  readonly result: string | null;
  readonly argumentsComplete: boolean;
  readonly resultComplete: boolean;
  /** When the call appeared and when it completed (epoch ms), for its duration. */
  readonly startedAt: number | null;
  readonly endedAt: number | null;
}

export interface DoneInfo {
  readonly rateLimitUsage: RateLimitUsage | null;
  readonly monthlyQuotaUsage: MonthlyQuotaUsage | null;
}

export interface UnknownEventSnapshot {
  readonly event: string;
  readonly data: string;
  readonly reason: string | null;
}

export interface TranscriptSnapshot {
  readonly invocationId: string | null;
  readonly answer: string;
  readonly toolCalls: readonly ToolCallSnapshot[];
  readonly done: DoneInfo | null;
  readonly unknownEvents: readonly UnknownEventSnapshot[];
  /** How many events were folded in; changes with every commit that has news. */
  readonly eventCount: number;
}

/** Complete when its arguments were, and its result too if one began (as in port-api). */
export function isToolCallComplete(call: ToolCallSnapshot): boolean {
  return call.argumentsComplete && (call.result === null || call.resultComplete);
}

/** How commits are scheduled: once per animation frame in the app, by hand in tests. */
export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
  /** The clock (ms) commits are paced by; `performance.now()` when absent. */
  now?: () => number;
}

export const animationFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => {
    cancelAnimationFrame(handle);
  },
};

interface MutableCall {
  id: string;
  name: string | null;
  arguments: string;
  result: string | null;
  argumentsComplete: boolean;
  resultComplete: boolean;
  startedAt: number | null;
  endedAt: number | null;
  /** The last committed snapshot of this call, reused while nothing changed. */
  snapshot: ToolCallSnapshot | null;
}

const EMPTY: TranscriptSnapshot = {
  invocationId: null,
  answer: "",
  toolCalls: [],
  done: null,
  unknownEvents: [],
  eventCount: 0,
};

/** See `schedule`. */
const LONG_ANSWER_CHARS = 20_000;
const SLOW_COMMIT_MS = 48;

export class TranscriptStore {
  private invocationId: string | null = null;
  private answer = "";
  private readonly calls: MutableCall[] = [];
  private readonly index = new Map<string, number>();
  private readonly dirtyCalls = new Set<MutableCall>();
  private callsChanged = false;
  private done: DoneInfo | null = null;
  private readonly unknownEvents: UnknownEventSnapshot[] = [];
  private eventCount = 0;
  /** The time of the event being folded in. */
  private at = 0;

  private snapshot: TranscriptSnapshot = EMPTY;
  private readonly listeners = new Set<() => void>();
  private pendingFrame: number | null = null;
  private lastCommitAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly frames: FrameScheduler = animationFrames) {}

  /** Folds one event in; readers hear about it at the next frame. `at` (epoch ms) is when it
   * happened, for events replayed from the history; live events happen now. */
  apply(event: InvokeEvent, at: number = Date.now()): void {
    this.eventCount++;
    this.at = at;
    switch (event.type) {
      case "invocation_id":
        this.invocationId = event.id;
        break;
      case "tool_call_started": {
        const call = this.call(event.id);
        if (call.name === null && event.name != null) call.name = event.name;
        break;
      }
      case "tool_call_arguments_delta":
        this.call(event.id).arguments += event.delta;
        break;
      case "tool_call_complete": {
        const call = this.call(event.id);
        call.argumentsComplete = true;
        if (call.result === null) call.endedAt = at;
        break;
      }
      case "tool_result_delta": {
        const call = this.call(event.id);
        if (call.result === null) call.endedAt = null;
        call.result = (call.result ?? "") + event.delta;
        break;
      }
      case "tool_result_complete": {
        const call = this.call(event.id);
        call.resultComplete = true;
        call.endedAt = at;
        break;
      }
      case "answer_delta":
        this.answer += event.delta;
        break;
      case "done":
        this.done = {
          rateLimitUsage: event.rateLimitUsage ?? null,
          monthlyQuotaUsage: event.monthlyQuotaUsage ?? null,
        };
        break;
      case "unknown":
        this.unknownEvents.push({ event: event.event, data: event.data, reason: event.reason ?? null });
        break;
    }
    this.schedule();
  }

  /** Commits now (e.g. when the run ends) instead of at the next frame. */
  flush(): void {
    if (this.pendingFrame !== null) {
      this.frames.cancel(this.pendingFrame);
      this.pendingFrame = null;
    }
    this.commit();
  }

  /** Stops a pending commit (the view is going away). */
  dispose(): void {
    if (this.pendingFrame !== null) {
      this.frames.cancel(this.pendingFrame);
      this.pendingFrame = null;
    }
    this.listeners.clear();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = (): TranscriptSnapshot => this.snapshot;

  private call(id: string): MutableCall {
    const at = this.index.get(id);
    let call = at === undefined ? undefined : this.calls[at];
    if (call === undefined) {
      call = {
        id,
        name: null,
        arguments: "",
        result: null,
        argumentsComplete: false,
        resultComplete: false,
        startedAt: this.at,
        endedAt: null,
        snapshot: null,
      };
      this.index.set(id, this.calls.length);
      this.calls.push(call);
      this.callsChanged = true;
    }
    this.dirtyCalls.add(call);
    return call;
  }

  private schedule(): void {
    if (this.pendingFrame !== null) return;
    this.pendingFrame = this.frames.request(() => {
      this.pendingFrame = null;
      // A long answer costs more to show on each commit: past LONG_ANSWER_CHARS, commits come
      // at most every SLOW_COMMIT_MS, which leaves the page time for input and parsing.
      if (this.answer.length > LONG_ANSWER_CHARS && this.now() - this.lastCommitAt < SLOW_COMMIT_MS) {
        this.schedule();
        return;
      }
      this.commit();
    });
  }

  private now(): number {
    return this.frames.now ? this.frames.now() : performance.now();
  }

  private commit(): void {
    if (this.snapshot.eventCount === this.eventCount) return;
    this.lastCommitAt = this.now();
    let toolCalls = this.snapshot.toolCalls;
    if (this.callsChanged || this.dirtyCalls.size > 0) {
      for (const call of this.dirtyCalls) call.snapshot = snapshotOf(call);
      // Unchanged calls keep their snapshot object, so their views can skip rendering.
      toolCalls = this.calls.map((call) => (call.snapshot ??= snapshotOf(call)));
      this.dirtyCalls.clear();
      this.callsChanged = false;
    }
    this.snapshot = {
      invocationId: this.invocationId,
      answer: this.answer,
      toolCalls,
      done: this.done,
      unknownEvents:
        this.unknownEvents.length === this.snapshot.unknownEvents.length
          ? this.snapshot.unknownEvents
          : [...this.unknownEvents],
      eventCount: this.eventCount,
    };
    for (const listener of [...this.listeners]) listener();
  }
}

function snapshotOf(call: MutableCall): ToolCallSnapshot {
  return {
    id: call.id,
    name: call.name,
    arguments: call.arguments,
    result: call.result,
    argumentsComplete: call.argumentsComplete,
    resultComplete: call.resultComplete,
    startedAt: call.startedAt,
    endedAt: call.endedAt,
  };
}
