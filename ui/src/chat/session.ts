// The turns of the Chat view, as an external store: each turn owns a TranscriptStore fed by its
// run's channel. Turn status changes are rare (start, end), so the turn list is replaced on each;
// the streaming content lives in the transcripts and commits once per frame.
//
// The turns form one conversation: its id goes with every invocation and is kept in the local
// history, so follow-ups stay together there and a conversation can be reopened and continued.
// Port itself has no thread id: each message is its own invocation and Port does not see the
// earlier ones. Nothing is added to the prompt to pretend otherwise.

import * as backend from "../lib/backend";
import type {
  AppError,
  HistoryStatus,
  InvocationRecord,
  InvocationStatus,
  InvokeEvent,
  InvokeRequest,
  RunHandle,
  InvokeOptions,
} from "../lib/backend";
import { markDone } from "./figures";
import { TranscriptStore, type FrameScheduler, animationFrames } from "./transcript";

export type TurnStatus = "streaming" | InvocationStatus;

export interface Turn {
  /** The run id. */
  readonly id: string;
  readonly agent: string | null;
  /** "General assistant" or the agent's title, as it was when sent. */
  readonly agentLabel: string;
  readonly prompt: string;
  /** What was sent, to send again (Retry); null when the history kept no request. */
  readonly request: InvokeRequest | null;
  readonly transcript: TranscriptStore;
  readonly status: TurnStatus;
  readonly error: AppError | null;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly cancelling: boolean;
  /** Read back from the history (a reopened conversation), not streamed in this session. */
  readonly restored: boolean;
}

export type InvokeFn = (request: InvokeRequest, options: InvokeOptions) => RunHandle;

export class ChatSession {
  private turns: readonly Turn[] = [];
  private readonly runs = new Map<string, RunHandle>();
  private readonly listeners = new Set<() => void>();
  private conversation: string = newConversationId();
  /** The agent this conversation is with (`""`: the general assistant), for the Chat's agent
   * picker when it mounts again; null when the picker's own default applies. */
  private hint: string | null = null;
  /** A prompt to put in the composer when the Chat mounts (a conversation starter picked in
   * the Agents panel); taken once. */
  private draft: string | null = null;

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
    let runId = "";
    const handle = this.invoke(request, {
      onEvent: (event) => {
        if (event.type === "done") markDone(runId);
        transcript.apply(event);
      },
      conversationId: this.conversation,
    });
    runId = handle.runId;
    const turn: Turn = {
      id: handle.runId,
      agent: request.agent,
      agentLabel,
      prompt: request.prompt,
      request,
      transcript,
      status: "streaming",
      error: null,
      startedAt: performance.now(),
      endedAt: null,
      cancelling: false,
      restored: false,
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

  /** Sends a turn's request again, as a new turn (and a new invocation). */
  retry(turn: Turn): Turn | null {
    if (!turn.request) return null;
    return this.send(turn.request, turn.agentLabel);
  }

  /** The newest prompt typed in this view, for the composer's Up key. */
  lastPrompt(): string | null {
    for (let i = this.turns.length - 1; i >= 0; i--) {
      const turn = this.turns[i];
      if (turn && !turn.restored) return turn.prompt;
    }
    return this.turns.at(-1)?.prompt ?? null;
  }

  get agentHint(): string | null {
    return this.hint;
  }

  setAgentHint(agent: string | null): void {
    this.hint = agent;
  }

  setDraft(prompt: string | null): void {
    this.draft = prompt;
  }

  takeDraft(): string | null {
    const draft = this.draft;
    this.draft = null;
    return draft;
  }

  /** The id every message of this conversation is recorded under. */
  get conversationId(): string {
    return this.conversation;
  }

  /** Starts an empty conversation. Runs still streaming go on (and are recorded) out of view. */
  newConversation(): void {
    this.conversation = newConversationId();
    this.hint = null;
    this.set([]);
  }

  /** Shows a conversation from the history; the next message continues it. */
  restore(conversation: { id: string; invocations: readonly InvocationRecord[] }, agentLabel: (agent: string | null) => string): void {
    this.conversation = conversation.id;
    const turns = conversation.invocations.map((invocation): Turn => {
      const transcript = new TranscriptStore(this.frames);
      for (const { event, at } of replayEvents(invocation)) transcript.apply(event, at);
      transcript.flush();
      const summary = invocation;
      return {
        id: `history-${summary.id}`,
        agent: summary.agent,
        agentLabel: agentLabel(summary.agent),
        prompt: invocation.prompt,
        request: invocation.request,
        transcript,
        status: turnStatus(summary.status),
        error: invocation.error === null ? null : storedError(invocation.error.code, invocation.error.message),
        startedAt: summary.askedAt,
        endedAt: summary.repliedAt,
        cancelling: false,
        restored: true,
      };
    });
    this.hint = conversation.invocations.at(-1)?.agent ?? "";
    this.set(turns);
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

/** The invocation's events as recorded; when there are none (a conversation read without its
 * event logs, or an invocation imported from Port), the same steps rebuilt from the assembled
 * tool calls and answer. */
export function replayEvents(invocation: InvocationRecord): { event: InvokeEvent; at: number | undefined }[] {
  if (invocation.events.length > 0) return invocation.events.map((e) => ({ event: e.event, at: e.at }));
  const events: { event: InvokeEvent; at: number | undefined }[] = [];
  const push = (event: InvokeEvent, at: number | null = null) => events.push({ event, at: at ?? undefined });
  for (const call of invocation.toolCalls) {
    push({ type: "tool_call_started", id: call.callId, name: call.name }, call.startedAt);
    if (call.arguments !== "") push({ type: "tool_call_arguments_delta", id: call.callId, delta: call.arguments });
    if (call.argumentsComplete) push({ type: "tool_call_complete", id: call.callId }, call.argumentsDoneAt);
    if (call.result !== null) push({ type: "tool_result_delta", id: call.callId, delta: call.result }, call.resultStartedAt);
    if (call.resultComplete) push({ type: "tool_result_complete", id: call.callId }, call.finishedAt);
  }
  if (invocation.answer !== "") push({ type: "answer_delta", delta: invocation.answer });
  return events;
}

function newConversationId(): string {
  return crypto.randomUUID();
}

/** A run still open elsewhere (the CLI, or cut off before it was marked) shows as interrupted:
 * this view cannot follow it. */
function turnStatus(status: HistoryStatus): InvocationStatus {
  return status === "streaming" ? "interrupted" : status;
}

function storedError(code: string, message: string): AppError {
  return {
    code,
    message,
    status: null,
    traceId: null,
    retryAfterSecs: null,
    resetDate: null,
  };
}
