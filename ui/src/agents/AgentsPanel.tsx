import { ErrorMessage } from "../app/ErrorMessage";
import type { Agent } from "../lib/backend";
import type { Resource } from "../lib/useResource";
import { agentTitle, isActive } from "./agent";

function AgentCard({ agent }: { agent: Agent }) {
  const active = isActive(agent);
  return (
    <article className={`card agent-card${active ? "" : " inactive"}`} aria-label={agentTitle(agent)}>
      <header className="agent-card-header">
        <h2 className="agent-title">{agentTitle(agent)}</h2>
        <span className={`badge ${active ? "badge-ok" : "badge-muted"}`}>{active ? "Active" : "Inactive"}</span>
      </header>
      <p className="agent-id">
        <code>{agent.identifier}</code>
      </p>
      <p className={agent.description ? "agent-description" : "agent-description muted"}>
        {agent.description ?? "No description."}
      </p>
      <dl className="facts">
        <dt>Tools</dt>
        <dd>
          {agent.tools.length > 0 ? (
            <ul className="pattern-list">
              {agent.tools.map((pattern) => (
                <li key={pattern}>
                  <code>{pattern}</code>
                </li>
              ))}
            </ul>
          ) : (
            <span className="muted">No tool patterns: this agent can call no tools.</span>
          )}
        </dd>
        <dt>Execution</dt>
        <dd>{agent.executionMode ?? <span className="muted">Not set</span>}</dd>
        {agent.provider || agent.model ? (
          <>
            <dt>Model</dt>
            <dd>{[agent.provider, agent.model].filter(Boolean).join(" · ")}</dd>
          </>
        ) : null}
      </dl>
      {agent.conversationStarters.length > 0 ? (
        <div className="starters static" aria-label="Conversation starters">
          {agent.conversationStarters.map((starter) => (
            <span className="chip static" key={starter}>
              {starter}
            </span>
          ))}
        </div>
      ) : null}
    </article>
  );
}

export function AgentsPanel({ agents }: { agents: Resource<Agent[]> }) {
  const list = agents.data ?? [];
  return (
    <div className="page">
      <header className="page-header">
        <h1 className="page-title">Agents</h1>
        <button type="button" className="button" onClick={agents.reload} disabled={agents.loading}>
          {agents.loading ? "Refreshing…" : "Refresh"}
        </button>
      </header>
      <p className="page-intro muted">The AI agents of this workspace (entities of Port's <code>_ai_agent</code> blueprint).</p>
      {agents.error ? <ErrorMessage error={agents.error} /> : null}
      {agents.data && list.length === 0 ? (
        <div className="empty-state">
          <p>This workspace has no AI agents yet. The general assistant in Chat works without one.</p>
        </div>
      ) : null}
      <div className="card-grid">
        {list.map((agent) => (
          <AgentCard key={agent.identifier} agent={agent} />
        ))}
      </div>
    </div>
  );
}
