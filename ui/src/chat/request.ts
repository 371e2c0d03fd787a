// The InvokeRequest the Chat sends: the general assistant gets the default tool patterns, an agent
// gets nothing but its prompt (Rust refuses general-only fields for agents).

import type { InvokeRequest } from "../lib/backend";

export function buildRequest(prompt: string, agent: string | null, defaultTools: readonly string[]): InvokeRequest {
  return {
    agent,
    prompt,
    tools: agent === null ? [...defaultTools] : [],
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
