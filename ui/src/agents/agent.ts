import type { Agent } from "../lib/backend";

/** As in port-api: only an explicit "inactive" status makes an agent inactive. */
export function isActive(agent: Agent): boolean {
  return agent.status?.toLowerCase() !== "inactive";
}

/** The title, or the identifier when the agent has none. */
export function agentTitle(agent: Agent): string {
  const title = agent.title?.trim() ?? "";
  return title !== "" ? title : agent.identifier;
}

export const GENERAL_ASSISTANT = "General assistant";
