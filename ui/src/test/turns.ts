// A finished Chat turn, as a reopened conversation holds it: for tests of what the transcript shows.

import type { Turn } from "../chat/session";
import { TranscriptStore } from "../chat/transcript";

const frames = { request: () => 0, cancel: () => undefined };

export function turn(id: string, prompt: string, answer: string, tool?: { name: string; result: string }): Turn {
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
