import { RefreshCw, Search, Star } from "lucide-react";
import { useEffect, useMemo, useState } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { useWorkspace } from "../app/workspace";
import { formatDuration } from "../lib/format";
import { useNow } from "../lib/useNow";
import { AgentDetails } from "./AgentDetails";
import { GENERAL_ASSISTANT } from "./agent";
import { NO_FILTERS, filterChoices, filterEntries, orderedEntries, type AgentEntry, type AgentFilters, type StatusFilter } from "./search";
import type { AgentsState } from "./useAgents";

/** Opening the panel asks Port again when the list shown is older than this. */
export const STALE_AFTER_MS = 5 * 60_000;

interface Props {
  agents: AgentsState;
  /** Opens Chat with the agent ("" = general assistant), the prompt put in the composer. */
  onOpenChat: (agent: string, prompt: string | null) => void;
}

/** "just now", "12 minutes ago", with the clock time for anything older than an hour. */
export function refreshedLabel(fetchedAtMs: number, now: number): string {
  const ago = Math.max(0, now - fetchedAtMs);
  const clock = new Date(fetchedAtMs).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  if (ago < 60_000) return `just now (${clock})`;
  return `${formatDuration(ago)} ago (${clock})`;
}

function RefreshStatus({ agents }: { agents: AgentsState }) {
  const now = useNow(30_000);
  const { fetchedAtMs, fromCache, refreshing, resource } = agents;
  let text: string;
  if (fetchedAtMs === null) text = refreshing ? "Loading the agents from Port…" : "Never refreshed.";
  else if (resource.error) text = `Port could not be reached. Showing the agents saved ${refreshedLabel(fetchedAtMs, now)}.`;
  else if (fromCache) text = `Saved ${refreshedLabel(fetchedAtMs, now)}; checking Port for changes…`;
  else text = `Refreshed ${refreshedLabel(fetchedAtMs, now)}.`;
  return (
    <p className="muted small agents-refreshed" data-testid="agents-refreshed" data-from-cache={fromCache} data-fetched-at={fetchedAtMs ?? ""}>
      {text}
    </p>
  );
}

const STATUS_OPTIONS: readonly [string, string][] = [
  ["all", "All"],
  ["active", "Active"],
  ["inactive", "Inactive"],
];

/** "Any" (the empty value), then each choice under its own name. */
function anyOf(choices: readonly string[]): [string, string][] {
  return [["", "Any"], ...choices.map((c): [string, string] => [c, c])];
}

function FilterSelect({
  label,
  testId,
  value,
  options,
  onChange,
}: {
  label: string;
  testId: string;
  value: string;
  options: readonly [string, string][];
  onChange: (value: string) => void;
}) {
  return (
    <label className="field-inline">
      <span className="field-label">{label}</span>
      <select
        className="select"
        data-testid={testId}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      >
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function EntryRow({
  entry,
  selected,
  onSelect,
  onFavourite,
}: {
  entry: AgentEntry;
  selected: boolean;
  onSelect: () => void;
  onFavourite: (favourite: boolean) => void;
}) {
  const agent = entry.agent;
  const meta = agent ? [agent.provider, agent.model].filter(Boolean).join(" · ") || "Default model" : "Port AI";
  return (
    <li className={`agent-row${selected ? " selected" : ""}${entry.active ? "" : " inactive"}`} data-testid="agent-row" data-agent={entry.id}>
      <button type="button" className="agent-row-main" aria-current={selected ? "true" : undefined} onClick={onSelect}>
        <span className="agent-row-title">{entry.title}</span>
        <span className="agent-row-meta muted small">
          {entry.active ? meta : `Inactive · ${meta}`}
          {agent?.executionMode ? ` · ${agent.executionMode}` : ""}
        </span>
      </button>
      <button
        type="button"
        className={`icon-button fav-star${entry.favourite ? " on" : ""}`}
        aria-pressed={entry.favourite}
        aria-label={`Favourite ${entry.title}`}
        data-testid="agent-favourite"
        onClick={() => {
          onFavourite(!entry.favourite);
        }}
      >
        <Star size={15} aria-hidden="true" fill={entry.favourite ? "currentColor" : "none"} />
      </button>
    </li>
  );
}

export function AgentsPanel({ agents, onOpenChat }: Props) {
  const { settings } = useWorkspace();
  const [filters, setFilters] = useState<AgentFilters>(NO_FILTERS);
  const [selectedId, setSelectedId] = useState<string>("");
  const list = useMemo(() => agents.resource.data ?? [], [agents.resource.data]);
  const entries = useMemo(() => orderedEntries(list, agents.prefs.favourites, agents.prefs.recent), [list, agents.prefs.favourites, agents.prefs.recent]);
  const shown = useMemo(() => filterEntries(entries, filters), [entries, filters]);
  const choices = useMemo(() => filterChoices(list), [list]);
  const selected = entries.find((e) => e.id === selectedId) ?? entries[0];
  const recent = agents.prefs.recent.map((id) => entries.find((e) => e.id === id)).filter((e): e is AgentEntry => e !== undefined);
  const update = (patch: Partial<AgentFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
  };
  // Stale-while-revalidate also on open: the list stays on screen while Port is asked again.
  const { fetchedAtMs, refreshing } = agents;
  const reload = agents.resource.reload;
  useEffect(() => {
    if (!refreshing && fetchedAtMs !== null && Date.now() - fetchedAtMs > STALE_AFTER_MS) reload();
    // Only on open: a failed refresh is not retried in a loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const filtered = filters.query !== "" || filters.status !== "all" || filters.provider !== "" || filters.mode !== "";

  return (
    <div className="page page-wide agents-page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Agents</h1>
          <RefreshStatus agents={agents} />
        </div>
        <button type="button" className="button" data-testid="agents-refresh" onClick={agents.resource.reload} disabled={agents.refreshing}>
          <RefreshCw size={14} aria-hidden="true" /> {agents.refreshing ? "Refreshing…" : "Refresh"}
        </button>
      </header>
      {agents.notices.map((notice) => (
        <p className="notice" role="status" key={notice} data-testid="agents-notice">
          {notice}
        </p>
      ))}
      {agents.resource.error ? <ErrorMessage error={agents.resource.error} compact testId="agents-error" /> : null}

      {recent.length > 0 ? (
        <div className="agents-recent" aria-label="Recently used">
          <span className="muted small">Recent</span>
          {recent.map((entry) => (
            <button
              type="button"
              className="chip"
              key={entry.id}
              data-testid="agent-recent"
              onClick={() => {
                setSelectedId(entry.id);
              }}
            >
              {entry.title}
            </button>
          ))}
        </div>
      ) : null}

      <div className="agents-filters" role="search">
        <label className="agents-search">
          <Search size={14} aria-hidden="true" />
          <span className="visually-hidden">Search agents</span>
          <input
            type="search"
            className="input"
            placeholder="Search agents"
            data-testid="agents-search"
            value={filters.query}
            onChange={(event) => {
              update({ query: event.target.value });
            }}
          />
        </label>
        <FilterSelect
          label="Status"
          testId="agents-filter-status"
          value={filters.status}
          options={STATUS_OPTIONS}
          onChange={(status) => {
            update({ status: status as StatusFilter });
          }}
        />
        <FilterSelect
          label="Provider"
          testId="agents-filter-provider"
          value={filters.provider}
          options={anyOf(choices.providers)}
          onChange={(provider) => {
            update({ provider });
          }}
        />
        <FilterSelect
          label="Execution"
          testId="agents-filter-mode"
          value={filters.mode}
          options={anyOf(choices.modes)}
          onChange={(mode) => {
            update({ mode });
          }}
        />
      </div>

      <div className="agents-layout">
        <div className="agents-list-column">
          <p className="muted small" data-testid="agents-count" aria-live="polite">
            {filtered
              ? `${shown.length} of ${entries.length} shown`
              : list.length === 0
                ? `Only the ${GENERAL_ASSISTANT.toLowerCase()} until the agents load`
                : `${list.length} agents and the ${GENERAL_ASSISTANT.toLowerCase()}`}
          </p>
          {shown.length === 0 ? (
            <div className="empty-state">
              <p>No agent matches.</p>
              <button
                type="button"
                className="button small"
                onClick={() => {
                  setFilters(NO_FILTERS);
                }}
              >
                Clear the filters
              </button>
            </div>
          ) : (
            <ul className="agents-list" data-testid="agents-list" aria-label="Agents">
              {shown.map((entry) => (
                <EntryRow
                  key={entry.id}
                  entry={entry}
                  selected={entry.id === selected?.id}
                  onSelect={() => {
                    setSelectedId(entry.id);
                  }}
                  onFavourite={(favourite) => {
                    agents.setFavourite(entry.id, favourite);
                  }}
                />
              ))}
            </ul>
          )}
          {agents.resource.data && list.length === 0 ? (
            <p className="muted small">This workspace has no AI agents yet. The general assistant works without one.</p>
          ) : null}
        </div>
        {selected ? (
          <AgentDetails
            key={selected.id}
            agent={selected.agent}
            defaultTools={settings.defaultTools}
            favourite={selected.favourite}
            onFavourite={(favourite) => {
              agents.setFavourite(selected.id, favourite);
            }}
            onOpenChat={(prompt) => {
              onOpenChat(selected.id, prompt);
            }}
          />
        ) : null}
      </div>
    </div>
  );
}
