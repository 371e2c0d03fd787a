import { describe, expect, it } from "vitest";

import { findInTurns, textRanges } from "./find";
import type { Turn } from "./session";
import { TranscriptStore } from "./transcript";

const frames = { request: () => 0, cancel: () => undefined };

function turn(id: string, prompt: string, answer: string, tool?: { name: string; result: string }): Turn {
  const transcript = new TranscriptStore(frames);
  if (tool) {
    transcript.apply({ type: "tool_call_started", id: "c", name: tool.name });
    transcript.apply({ type: "tool_result_delta", id: "c", delta: tool.result });
  }
  transcript.apply({ type: "answer_delta", delta: answer });
  transcript.flush();
  return {
    id,
    agent: null,
    agentLabel: "General assistant",
    prompt,
    request: null,
    transcript,
    status: "completed",
    error: null,
    startedAt: 0,
    endedAt: 0,
    cancelling: false,
    restored: true,
  };
}

describe("find in the conversation", () => {
  const turns = [
    turn("a", "Which services?", "payments-api and Billing"),
    turn("b", "Owners?", "none", { name: "get_entity", result: '{"owner":"billing-team"}' }),
    turn("c", "Thanks", "You are welcome"),
  ];

  it("finds turns by prompt, answer and tool data, case-insensitively, with counts", () => {
    expect(findInTurns(turns, "BILLING")).toEqual([
      { index: 0, count: 1 },
      { index: 1, count: 1 },
    ]);
    expect(findInTurns(turns, "get_entity")).toEqual([{ index: 1, count: 1 }]);
    expect(findInTurns(turns, "e")).toHaveLength(3);
    expect(findInTurns(turns, "  ")).toEqual([]);
    expect(findInTurns(turns, "quasar")).toEqual([]);
  });

  it("finds the ranges of a query in rendered text", () => {
    const root = document.createElement("div");
    root.innerHTML = "<p>Payments <b>pay</b>ments</p>";
    const ranges = textRanges(root, "pay");
    expect(ranges.map((r) => r.toString())).toEqual(["Pay", "pay"]);
  });
});
