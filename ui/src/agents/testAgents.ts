import type { Agent } from "../lib/backend";

export function agent(identifier: string, extra: Partial<Agent> = {}): Agent {
  return {
    identifier,
    title: null,
    icon: null,
    description: null,
    status: "active",
    tools: ["^list_.*"],
    prompt: null,
    executionMode: "Automatic",
    conversationStarters: [],
    provider: null,
    model: null,
    labels: {},
    ...extra,
  };
}

export const EXPLORER = agent("service_explorer", {
  title: "Service Explorer",
  description: "Answers questions about services and their owners.",
  tools: ["^(list|get)_.*", "(?i)bad"],
  conversationStarters: ["Who owns payments-api?", "What depends on auth-service?"],
});
export const INCIDENTS = agent("incident_manager", {
  title: "Incident Manager",
  description: "Triages incidents.",
  executionMode: "Approval Required",
  provider: "port",
  model: "claude-haiku-4-5-20251001",
});
export const COSTS = agent("cost_reporter", {
  title: "Cloud Cost Reporter",
  status: "inactive",
  provider: "openai",
  model: "gpt-5",
  conversationStarters: ["What did Payments spend?"],
});
export const ALL = [EXPLORER, INCIDENTS, COSTS];
