import { describe, expect, it } from "vitest";

import type { InvokeEvent } from "../lib/backend";
import { toolCallState } from "./ToolCallCard";
import { TranscriptStore, type FrameScheduler } from "./transcript";

/** Frames that run only when the test says so. */
class ManualFrames implements FrameScheduler {
  private next = 1;
  readonly pending = new Map<number, () => void>();
  requested = 0;
  request(callback: () => void): number {
    this.requested++;
    const id = this.next++;
    this.pending.set(id, callback);
    return id;
  }
  cancel(handle: number): void {
    this.pending.delete(handle);
  }
  runFrame(): void {
    const callbacks = [...this.pending.values()];
    this.pending.clear();
    for (const callback of callbacks) callback();
  }
}

const answer = (delta: string): InvokeEvent => ({ type: "answer_delta", delta });

describe("TranscriptStore", () => {
  it("concatenates answer deltas exactly", () => {
    const frames = new ManualFrames();
    const store = new TranscriptStore(frames);
    // Split anywhere: inside words, whitespace, a surrogate pair, empty deltas, markdown.
    const pieces = ["## Ser", "vices\n\n", "", "- pay", "ments-api ", "\uD83D", "\uDE80", "  \n", "| a |", " b |\r\n"];
    for (const piece of pieces) store.apply(answer(piece));
    frames.runFrame();
    expect(store.getSnapshot().answer).toBe(pieces.join(""));
    expect(store.getSnapshot().answer).toContain("🚀");
  });

  it("assembles interleaved tool calls in first-appearance order", () => {
    const frames = new ManualFrames();
    const store = new TranscriptStore(frames);
    const events: InvokeEvent[] = [
      { type: "tool_call_started", id: "b", name: "second" },
      { type: "tool_call_started", id: "a", name: "first" },
      { type: "tool_call_arguments_delta", id: "a", delta: '{"x"' },
      { type: "tool_call_arguments_delta", id: "b", delta: "{}" },
      { type: "tool_call_arguments_delta", id: "a", delta: ":1}" },
      { type: "tool_call_complete", id: "a" },
      { type: "tool_result_delta", id: "a", delta: "" },
      { type: "tool_call_started", id: "b", name: "renamed" },
      { type: "tool_result_delta", id: "c", delta: "orphan" },
      answer("Hi "),
      answer("there"),
    ];
    for (const event of events) store.apply(event);
    frames.runFrame();
    const { toolCalls, answer: text } = store.getSnapshot();
    expect(toolCalls.map((c) => c.id)).toEqual(["b", "a", "c"]);
    expect(toolCalls[0]?.name).toBe("second"); // the first name sticks
    expect(toolCalls[1]).toMatchObject({ name: "first", arguments: '{"x":1}', result: "", argumentsComplete: true });
    expect(toolCalls[2]).toMatchObject({ name: null, result: "orphan" });
    expect(text).toBe("Hi there");
  });

  it("commits a long answer at most every 48 ms, and nothing is lost", () => {
    let clock = 0;
    const frames = new ManualFrames();
    const paced = Object.assign(frames, { now: () => clock });
    const store = new TranscriptStore(paced);
    let commits = 0;
    store.subscribe(() => commits++);
    store.apply(answer("x".repeat(30_000)));
    frames.runFrame();
    expect(commits).toBe(1);
    store.apply(answer("y"));
    clock += 16;
    frames.runFrame(); // too soon: asks for the next frame instead
    expect(commits).toBe(1);
    clock += 16;
    frames.runFrame();
    expect(commits).toBe(1);
    clock += 20;
    frames.runFrame();
    expect(commits).toBe(2);
    expect(store.getSnapshot().answer.endsWith("xy")).toBe(true);
    // The end of a run is never held back.
    store.apply(answer("z"));
    store.flush();
    expect(store.getSnapshot().answer.endsWith("xyz")).toBe(true);
  });

  it("notifies once per frame however many deltas arrive", () => {
    const frames = new ManualFrames();
    const store = new TranscriptStore(frames);
    let commits = 0;
    store.subscribe(() => commits++);
    const before = store.getSnapshot();

    for (let i = 0; i < 3000; i++) store.apply(answer(`${i} `));
    expect(commits).toBe(0);
    expect(store.getSnapshot()).toBe(before); // readers see nothing until the frame
    expect(frames.requested).toBe(1);

    frames.runFrame();
    expect(commits).toBe(1);
    expect(store.getSnapshot().eventCount).toBe(3000);
    expect(store.getSnapshot().answer.startsWith("0 1 2 ")).toBe(true);

    store.apply(answer("more"));
    store.apply(answer(" and more"));
    frames.runFrame();
    expect(commits).toBe(2);
    expect(frames.requested).toBe(2);
    frames.runFrame(); // a frame with no news commits nothing
    expect(commits).toBe(2);
  });

  it("keeps the snapshot of a tool call that did not change", () => {
    const frames = new ManualFrames();
    const store = new TranscriptStore(frames);
    store.apply({ type: "tool_call_started", id: "a", name: "list_entities" });
    store.apply({ type: "tool_call_started", id: "b", name: "get_entity" });
    frames.runFrame();
    const [a1, b1] = store.getSnapshot().toolCalls;
    store.apply({ type: "tool_call_arguments_delta", id: "b", delta: "{}" });
    frames.runFrame();
    const [a2, b2] = store.getSnapshot().toolCalls;
    expect(a2).toBe(a1);
    expect(b2).not.toBe(b1);
    expect(b2?.arguments).toBe("{}");
  });

  it("flush commits at once and cancels the pending frame", () => {
    const frames = new ManualFrames();
    const store = new TranscriptStore(frames);
    let commits = 0;
    store.subscribe(() => commits++);
    store.apply(answer("end"));
    store.apply({ type: "done", rateLimitUsage: null, monthlyQuotaUsage: null, data: "" });
    store.flush();
    expect(commits).toBe(1);
    expect(store.getSnapshot().answer).toBe("end");
    expect(store.getSnapshot().done).toEqual({ rateLimitUsage: null, monthlyQuotaUsage: null });
    expect(frames.pending.size).toBe(0);
  });

  it("batches with the real requestAnimationFrame by default", async () => {
    const store = new TranscriptStore();
    let commits = 0;
    store.subscribe(() => commits++);
    for (let i = 0; i < 100; i++) store.apply(answer("x"));
    expect(commits).toBe(0);
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    expect(commits).toBe(1);
    expect(store.getSnapshot().answer).toBe("x".repeat(100));
  });

  it("keeps unknown events", () => {
    const frames = new ManualFrames();
    const store = new TranscriptStore(frames);
    store.apply({ type: "unknown", event: "plan", data: "{}", reason: null });
    frames.runFrame();
    expect(store.getSnapshot().unknownEvents).toEqual([{ event: "plan", data: "{}", reason: null }]);
  });
});

describe("tool call state", () => {
  const base = {
    id: "a",
    name: "x",
    arguments: "{}",
    result: null,
    argumentsComplete: false,
    resultComplete: false,
    startedAt: null,
    endedAt: null,
  };
  it("is running while the run streams, incomplete when it ended first, complete when done", () => {
    expect(toolCallState(base, false)).toBe("running");
    expect(toolCallState(base, true)).toBe("incomplete");
    expect(toolCallState({ ...base, argumentsComplete: true }, false)).toBe("complete");
    expect(toolCallState({ ...base, argumentsComplete: true, result: "r" }, true)).toBe("incomplete");
    expect(toolCallState({ ...base, argumentsComplete: true, result: "r", resultComplete: true }, true)).toBe("complete");
  });
});
