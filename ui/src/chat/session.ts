// The turns of the Chat view, as an external store: each turn owns a TranscriptStore fed by its
// run's channel. Turn status changes are rare (start, end), so the turn list is replaced on each;
// the streaming content lives in the transcripts and commits once per frame.

import * as backend from "../lib/backend";
import type { AppError, InvocationStatus, InvokeRequest, RunHandle, InvokeOptions } from "../lib/backend";
import { TranscriptStore, type FrameScheduler, animationFrames } from "./transcript";

export type TurnStatus = "streaming" | InvocationStatus;

export interface Turn {
  /** The run id. */
  readonly id: string;
  readonly agent: string | null;
  /** "General assistant" or the agent's title, as it was when sent. */
  readonly agentLabel: string;
  readonly prompt: string;
  readonly transcript: TranscriptStore;
  readonly status: TurnStatus;
  readonly error: AppError | null;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly cancelling: boolean;
}

export type InvokeFn = (request: InvokeRequest, options: InvokeOptions) => RunHandle;

export class ChatSession {
  private turns: readonly Turn[] = [];
  private readonly runs = new Map<string, RunHandle>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly invoke: InvokeFn = backend.invoke,
    private readonly frames: FrameScheduler = animationFrames,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = (): readonly Turn[] => this.turns;

  /** Starts a run and appends its turn. */
  send(request: InvokeRequest, agentLabel: string): Turn {
    const transcript = new TranscriptStore(this.frames);
    const handle = this.invoke(request, { onEvent: (event) => transcript.apply(event) });
    const turn: Turn = {
      id: handle.runId,
      agent: request.agent,
      agentLabel,
      prompt: request.prompt,
      transcript,
      status: "streaming",
      error: null,
      startedAt: performance.now(),
      endedAt: null,
      cancelling: false,
    };
    this.runs.set(turn.id, handle);
    this.set([...this.turns, turn]);
    void handle.done.then((outcome) => {
      this.runs.delete(turn.id);
      transcript.flush();
      this.update(turn.id, { status: outcome.status, error: outcome.error ?? null, endedAt: performance.now() });
    });
    return turn;
  }

  /** Asks Rust to stop one run; its turn ends when Rust says so (normally `cancelled`). */
  cancel(turnId: string): void {
    const handle = this.runs.get(turnId);
    if (!handle) return;
    this.update(turnId, { cancelling: true });
    handle.cancel().catch((error: unknown) => {
      console.warn("Portdesk: cancel failed", backend.BackendError.from(error).message);
    });
  }

  /** The newest run still streaming, if any. */
  latestStreaming(): Turn | null {
    for (let i = this.turns.length - 1; i >= 0; i--) {
      const turn = this.turns[i];
      if (turn?.status === "streaming") return turn;
    }
    return null;
  }

  cancelLatest(): void {
    const turn = this.latestStreaming();
    if (turn) this.cancel(turn.id);
  }

  /** Stops every run (the view is closing, or the workspace changes). */
  cancelAll(): void {
    for (const id of this.runs.keys()) this.cancel(id);
  }

  private update(id: string, patch: Partial<Omit<Turn, "id" | "transcript">>): void {
    this.set(this.turns.map((turn) => (turn.id === id ? { ...turn, ...patch } : turn)));
  }

  private set(turns: readonly Turn[]): void {
    this.turns = turns;
    for (const listener of [...this.listeners]) listener();
  }
}
