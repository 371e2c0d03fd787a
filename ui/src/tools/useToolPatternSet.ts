// The saved pattern set a request starts with: the one saved for this agent, else the default for
// new invocations. Chat's request options read it through `useToolPatternSet`.

import type { Agent, AppSettings, SavedPatternSet } from "../lib/backend";
import { useWorkspace } from "../app/workspace";

export interface ToolPatternSet extends SavedPatternSet {
  /** Where it came from: saved for this agent, the agent's own `tools` in Port, or the default. */
  source: "agent" | "port-agent" | "default";
}

export function savedSetFor(settings: AppSettings, agent: string | null, agents: readonly Agent[] = []): ToolPatternSet {
  if (agent !== null) {
    const saved = settings.agentTools[agent];
    if (saved) return { ...saved, source: "agent" };
    const inPort = agents.find((a) => a.identifier === agent);
    if (inPort) return { patterns: [...inPort.tools], checks: [], source: "port-agent" };
  }
  return { patterns: settings.defaultTools, checks: settings.defaultToolChecks, source: "default" };
}

/** The pattern set for `agentId` (`null`: the general assistant), following the settings as
 * they change. */
export function useToolPatternSet(agentId: string | null): ToolPatternSet {
  const { settings } = useWorkspace();
  return savedSetFor(settings, agentId);
}
