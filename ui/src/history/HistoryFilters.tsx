import { X } from "lucide-react";

import type { AgentFilter, Facets, HistoryFilter } from "../lib/backend";
import {
  NO_FILTER,
  STATUSES,
  activeFilterCount,
  dayBeforeInputValue,
  dayEndMs,
  dayInputValue,
  dayStartMs,
} from "./filters";
import { GENERAL_ASSISTANT_LABEL } from "./format";

interface Props {
  filter: HistoryFilter;
  facets: Facets | null;
  onChange: (filter: HistoryFilter) => void;
}

/** A value of a facet select: `""` is "any"; the general assistant is its own choice. */
const ANY = "";
const GENERAL = "\u0000general";

export function HistoryFilters({ filter, facets, onChange }: Props) {
  const set = (patch: Partial<HistoryFilter>) => {
    onChange({ ...filter, ...patch });
  };
  const count = activeFilterCount(filter);
  const agents = withCurrent(facets?.agents ?? [], filter.agent?.kind === "agent" ? filter.agent.id : null);
  const tools = withCurrent(facets?.tools ?? [], filter.tool);
  const profiles = withCurrent(facets?.profiles ?? [], filter.profile);
  const label = filter.labels[0] ?? null;
  const labelKeys = withCurrent(facets?.labelKeys ?? [], label?.key ?? null);

  return (
    <div className="history-filters" role="group" aria-label="Filters">
      <label className="filter">
        <span className="filter-label">Agent</span>
        <select
          className="select small"
          data-testid="history-filter-agent"
          value={agentValue(filter.agent)}
          onChange={(e) => {
            set({ agent: agentFilter(e.target.value) });
          }}
        >
          <option value={ANY}>Any</option>
          <option value={GENERAL}>{GENERAL_ASSISTANT_LABEL}</option>
          {agents.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="filter-label">Status</span>
        <select
          className="select small"
          data-testid="history-filter-status"
          value={filter.statuses[0] ?? ANY}
          onChange={(e) => {
            const status = STATUSES.find((s) => s.value === e.target.value)?.value;
            set({ statuses: status ? [status] : [] });
          }}
        >
          <option value={ANY}>Any</option>
          {STATUSES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <FacetSelect label="Tool" testId="history-filter-tool" values={tools} value={filter.tool} onChange={(tool) => set({ tool })} />
      <FacetSelect
        label="Profile"
        testId="history-filter-profile"
        values={profiles}
        value={filter.profile}
        onChange={(profile) => set({ profile })}
      />
      <FacetSelect
        label="Label"
        testId="history-filter-label"
        values={labelKeys}
        value={label?.key ?? null}
        onChange={(key) => set({ labels: key === null ? [] : [{ key, value: label?.value ?? null }] })}
      />
      {label !== null ? (
        <label className="filter">
          <span className="visually-hidden">Label value</span>
          <input
            className="input small filter-label-value"
            data-testid="history-filter-label-value"
            placeholder="any value"
            value={label.value ?? ""}
            onChange={(e) => set({ labels: [{ key: label.key, value: e.target.value === "" ? null : e.target.value }] })}
          />
        </label>
      ) : null}
      <label className="filter">
        <span className="filter-label">From</span>
        <input
          type="date"
          className="input small"
          data-testid="history-filter-from"
          value={dayInputValue(filter.fromMs)}
          onChange={(e) => set({ fromMs: dayStartMs(e.target.value) })}
        />
      </label>
      <label className="filter">
        <span className="filter-label">To</span>
        <input
          type="date"
          className="input small"
          data-testid="history-filter-to"
          value={dayBeforeInputValue(filter.toMs)}
          onChange={(e) => set({ toMs: dayEndMs(e.target.value) })}
        />
      </label>
      {count > 0 ? (
        <button
          type="button"
          className="button ghost small"
          data-testid="history-filter-clear"
          onClick={() => {
            onChange(NO_FILTER);
          }}
        >
          <X size={14} aria-hidden="true" /> Clear {count === 1 ? "filter" : `${count} filters`}
        </button>
      ) : null}
    </div>
  );
}

function FacetSelect({
  label,
  testId,
  values,
  value,
  onChange,
}: {
  label: string;
  testId: string;
  values: readonly string[];
  value: string | null;
  onChange: (value: string | null) => void;
}) {
  return (
    <label className="filter">
      <span className="filter-label">{label}</span>
      <select
        className="select small"
        data-testid={testId}
        value={value ?? ANY}
        disabled={values.length === 0}
        onChange={(e) => {
          onChange(e.target.value === ANY ? null : e.target.value);
        }}
      >
        <option value={ANY}>{values.length === 0 ? "None yet" : "Any"}</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
}

function agentValue(agent: AgentFilter | null): string {
  if (agent === null) return ANY;
  return agent.kind === "general" ? GENERAL : agent.id;
}

function agentFilter(value: string): AgentFilter | null {
  if (value === ANY) return null;
  return value === GENERAL ? { kind: "general" } : { kind: "agent", id: value };
}

/** The facet list, with the chosen value kept even when the store no longer offers it. */
function withCurrent(values: readonly string[], current: string | null): readonly string[] {
  return current === null || values.includes(current) ? values : [current, ...values];
}
