// Invocations as the Rust side sends them, for the History tests.

import type { InvocationRecord, InvocationSummary, InvokeEvent, InvokeRequest } from "../lib/backend";

export const T0 = Date.UTC(2025, 10, 20, 9, 30, 0);

export function summary(n: number, extra: Partial<InvocationSummary> = {}): InvocationSummary {
  return {
    id: `inv-${n}`,
    conversationId: `conv-${n}`,
    profile: "demo",
    agent: null,
    source: "app",
    status: "completed",
    promptPreview: `Question number ${n}`,
    answerPreview: `Answer ${n}`,
    askedAt: T0 - n * 60_000,
    firstTokenAt: T0 - n * 60_000 + 1200,
    repliedAt: T0 - n * 60_000 + 3000,
    portInvocationId: `port-${n}`,
    labels: {},
    toolNames: ["list_entities"],
    errorCode: null,
    eventCount: 8,
    ...extra,
  };
}

export function request(prompt: string, agent: string | null = null): InvokeRequest {
  return {
    agent,
    prompt,
    tools: agent === null ? ["^(list|get|search|track|describe)_.*"] : [],
    labels: {},
    toolApprovalOverrides: {},
    outputSchema: null,
    model: null,
    mcpServers: [],
    chatMode: null,
    systemPrompt: null,
    executionMode: null,
  };
}

/** Events at known offsets from `asked`: a tool call from +300 to +650 ms, the first answer
 * token at +1200 ms, done at +3000 ms. */
export function timedEvents(asked: number): { seq: number; at: number; event: InvokeEvent }[] {
  const events: [number, InvokeEvent][] = [
    [100, { type: "invocation_id", id: "port-1" }],
    [300, { type: "tool_call_started", id: "call_0", name: "list_entities" }],
    [320, { type: "tool_call_arguments_delta", id: "call_0", delta: '{"blueprint":"service"}' }],
    [400, { type: "tool_call_complete", id: "call_0" }],
    [500, { type: "tool_result_delta", id: "call_0", delta: '[{"identifier":"payments-api"}]' }],
    [650, { type: "tool_result_complete", id: "call_0" }],
    [1200, { type: "answer_delta", delta: "## Services\n\n" }],
    [1900, { type: "answer_delta", delta: "- payments-api\n" }],
    [3000, { type: "done", rateLimitUsage: null, monthlyQuotaUsage: null, data: "{}" }],
  ];
  return events.map(([offset, event], seq) => ({ seq, at: asked + offset, event }));
}

export function record(n: number, extra: Partial<InvocationRecord> = {}): InvocationRecord {
  const s = summary(n);
  return {
    id: s.id,
    conversationId: s.conversationId,
    profile: s.profile,
    agent: s.agent,
    source: s.source,
    status: s.status,
    prompt: `Question number ${n}, in full`,
    request: request(`Question number ${n}, in full`),
    labels: { team: "platform" },
    toolPatterns: ["^(list|get|search|track|describe)_.*"],
    askedAt: s.askedAt,
    firstTokenAt: s.firstTokenAt,
    repliedAt: s.repliedAt,
    portInvocationId: "port-1",
    traceId: "trace-abc",
    quota: null,
    answer: "## Services\n\n- payments-api\n",
    error: null,
    toolCalls: [
      {
        callId: "call_0",
        name: "list_entities",
        arguments: '{"blueprint":"service"}',
        result: '[{"identifier":"payments-api"}]',
        startedAt: s.askedAt + 300,
        argumentsDoneAt: s.askedAt + 400,
        resultStartedAt: s.askedAt + 500,
        finishedAt: s.askedAt + 650,
        argumentsComplete: true,
        resultComplete: true,
      },
    ],
    events: timedEvents(s.askedAt),
    ...extra,
  };
}
