import { MessageSquare, Star } from "lucide-react";

import type { Agent } from "../lib/backend";
import { GENERAL_ASSISTANT, agentTitle, isActive } from "./agent";
import { usePatternCounts } from "./usePatternCounts";

interface Props {
  /** null: the general assistant. */
  agent: Agent | null;
  /** The general assistant's patterns: the user's default set. */
  defaultTools: readonly string[];
  favourite: boolean;
  onFavourite: (favourite: boolean) => void;
  onOpenChat: (prompt: string | null) => void;
}

function PatternCountsList({ patterns }: { patterns: readonly string[] }) {
  const counts = usePatternCounts(patterns);
  if (patterns.length === 0) return <span className="muted">No tool patterns: this agent can call no tools.</span>;
  return (
    <>
      <ul className="pattern-list agent-patterns" data-testid="agent-patterns">
        {patterns.map((pattern, i) => {
          const n = counts.state === "ready" ? counts.counts.matches[i] : undefined;
          return (
            <li key={`${i}-${pattern}`} data-testid="agent-pattern">
              <code>{pattern}</code>{" "}
              <span className="muted small" data-testid="agent-pattern-count">
                {counts.state === "loading"
                  ? "…"
                  : counts.state === "failed"
                    ? ""
                    : n === null || n === undefined
                      ? "invalid: Port ignores it"
                      : `${n} of ${counts.counts.known} known tools`}
              </span>
            </li>
          );
        })}
      </ul>
      {counts.state === "ready" ? (
        <p className="muted small" data-testid="agent-patterns-total">
          Together they let in {counts.counts.available} of {counts.counts.known} known tools (your permissions in Port decide the rest).
        </p>
      ) : null}
      {counts.state === "failed" ? (
        <p className="muted small" data-testid="agent-patterns-unknown">
          Tool counts need the workspace's tool list: {counts.error.message}
        </p>
      ) : null}
    </>
  );
}

export function AgentDetails({ agent, defaultTools, favourite, onFavourite, onOpenChat }: Props) {
  const title = agent ? agentTitle(agent) : GENERAL_ASSISTANT;
  const active = agent ? isActive(agent) : true;
  const patterns = agent ? agent.tools : defaultTools;
  return (
    <section className="agent-details card" aria-label={`${title} details`} data-testid="agent-details" data-agent={agent?.identifier ?? ""}>
      <header className="agent-card-header">
        <h2 className="agent-title">{title}</h2>
        <span className={`badge ${active ? "badge-ok" : "badge-muted"}`}>{active ? "Active" : "Inactive"}</span>
        <button
          type="button"
          className={`button ghost small fav-star${favourite ? " on" : ""}`}
          aria-pressed={favourite}
          data-testid="agent-details-favourite"
          onClick={() => {
            onFavourite(!favourite);
          }}
        >
          <Star size={14} aria-hidden="true" fill={favourite ? "currentColor" : "none"} /> {favourite ? "Favourite" : "Add to favourites"}
        </button>
      </header>
      {agent ? (
        <p className="agent-id">
          <code>{agent.identifier}</code>
        </p>
      ) : null}
      <p className={agent && !agent.description ? "agent-description muted" : "agent-description"}>
        {agent ? (agent.description ?? "No description.") : "Port AI itself, with the tool patterns you choose for each request (your default set below)."}
      </p>
      <dl className="facts">
        <dt>Execution</dt>
        <dd data-testid="agent-execution">{agent?.executionMode ?? <span className="muted">{agent ? "Not set" : "Per request"}</span>}</dd>
        <dt>Model</dt>
        <dd data-testid="agent-model">
          {agent && (agent.provider || agent.model) ? (
            [agent.provider, agent.model].filter(Boolean).join(" · ")
          ) : (
            <span className="muted">The organisation's default</span>
          )}
        </dd>
        <dt>Tools</dt>
        <dd>
          <PatternCountsList patterns={patterns} />
        </dd>
      </dl>
      {agent && agent.conversationStarters.length > 0 ? (
        <div className="agent-starters">
          <h3 className="section-title">Conversation starters</h3>
          <div className="starters" aria-label="Conversation starters">
            {agent.conversationStarters.map((starter) => (
              <button
                type="button"
                className="chip"
                key={starter}
                data-testid="agent-starter"
                disabled={!active}
                title={active ? "Open Chat with this agent and this prompt" : "This agent is inactive"}
                onClick={() => {
                  onOpenChat(starter);
                }}
              >
                {starter}
              </button>
            ))}
          </div>
        </div>
      ) : null}
      <div className="agent-actions">
        <button
          type="button"
          className="button primary"
          data-testid="agent-chat"
          disabled={!active}
          onClick={() => {
            onOpenChat(null);
          }}
        >
          <MessageSquare size={14} aria-hidden="true" /> Chat with {title}
        </button>
        {!active ? <span className="muted small">Inactive in Port: it cannot be invoked until someone activates it.</span> : null}
      </div>
    </section>
  );
}
