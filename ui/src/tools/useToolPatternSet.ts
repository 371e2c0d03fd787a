// The saved pattern set a request starts with: the one saved for this agent in the open
// workspace, else the agent's own tools in Port, else the default for new invocations (one for
// every workspace, in the settings). Chat's request options read it through `useToolPatternSet`.

import type { Agent, AppSettings, SavedPatternSet } from "../lib/backend";
import { useWorkspace } from "../app/workspace";

export interface ToolPatternSet extends SavedPatternSet {
  /** Where it came from: saved for this agent, the agent's own `tools` in Port, or the default. */
  source: "agent" | "port-agent" | "default";
}

/** The open workspace's sets saved per agent (`useWorkspace().agentPatternSets`). */
export type AgentSets = Readonly<Partial<Record<string, SavedPatternSet>>>;

export function savedSetFor(
  settings: AppSettings,
  agentSets: AgentSets,
  agent: string | null,
  agents: readonly Agent[] = [],
): ToolPatternSet {
  if (agent !== null) {
    const saved = agentSets[agent];
    if (saved) return { ...saved, source: "agent" };
    const inPort = agents.find((a) => a.identifier === agent);
    if (inPort) return { patterns: [...inPort.tools], checks: [], source: "port-agent" };
  }
  return { patterns: settings.defaultTools, checks: settings.defaultToolChecks, source: "default" };
}

/** The pattern set for `agentId` (`null`: the general assistant) in the open workspace,
 * following the settings and the workspace's saved sets as they change. */
export function useToolPatternSet(agentId: string | null, agents: readonly Agent[] = []): ToolPatternSet {
  const { settings, agentPatternSets } = useWorkspace();
  return savedSetFor(settings, agentPatternSets, agentId, agents);
}
