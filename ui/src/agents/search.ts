// Searching, filtering and ordering agents for the panel and the Ctrl+K switcher. The fuzzy
// matcher is a few lines of subsequence scoring: the lists hold tens of agents, and a library
// would bring options this needs none of.

import type { Agent } from "../lib/backend";
import { GENERAL_ASSISTANT, agentTitle, isActive } from "./agent";

/** A row of the panel or the switcher; `agent` is null for the general assistant. */
export interface AgentEntry {
  /** "" for the general assistant, else the agent's identifier. */
  id: string;
  title: string;
  agent: Agent | null;
  active: boolean;
  favourite: boolean;
}

export function generalEntry(): AgentEntry {
  return { id: "", title: GENERAL_ASSISTANT, agent: null, active: true, favourite: false };
}

/** How well `query` matches `text` as a subsequence (case-insensitive): higher is better, null
 * is no match. Consecutive letters and letters at word starts count more, so "inm" finds
 * "Incident Manager" before "Deployment assistant". */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.trim().toLowerCase();
  if (q === "") return 0;
  const t = text.toLowerCase();
  const direct = t.indexOf(q);
  if (direct >= 0) return 1000 - direct;
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const ch of q) {
    if (ch === " ") continue;
    const at = t.indexOf(ch, from);
    if (at < 0) return null;
    const wordStart = at === 0 || /[\s_\-.(]/.test(t.charAt(at - 1));
    score += at === previous + 1 ? 5 : 1;
    if (wordStart) score += 8;
    previous = at;
    from = at + 1;
  }
  return score - t.length / 100;
}

function entryScore(query: string, entry: AgentEntry): number | null {
  const scores = [fuzzyScore(query, entry.title), fuzzyScore(query, entry.id)]
    .concat(entry.agent?.description ? [textScore(query, entry.agent.description)] : [])
    .filter((s): s is number => s !== null);
  return scores.length > 0 ? Math.max(...scores) : null;
}

/** Descriptions only match as plain substrings: a subsequence of a long text matches anything. */
function textScore(query: string, text: string): number | null {
  const q = query.trim().toLowerCase();
  return q !== "" && text.toLowerCase().includes(q) ? 1 : null;
}

/** The general assistant first, then favourites, then recently used, then the rest by title. */
export function orderedEntries(agents: readonly Agent[], favourites: readonly string[], recent: readonly string[]): AgentEntry[] {
  const fav = new Set(favourites);
  const recentRank = new Map(recent.map((id, i) => [id, i]));
  const entries: AgentEntry[] = agents.map((agent) => ({
    id: agent.identifier,
    title: agentTitle(agent),
    agent,
    active: isActive(agent),
    favourite: fav.has(agent.identifier),
  }));
  const rank = (e: AgentEntry) => (e.favourite ? 0 : recentRank.has(e.id) ? 1 : 2);
  entries.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (recentRank.get(a.id) ?? 0) - (recentRank.get(b.id) ?? 0) ||
      Number(b.active) - Number(a.active) ||
      a.title.localeCompare(b.title),
  );
  return [{ ...generalEntry(), favourite: fav.has("") }, ...entries];
}

/** Entries matching the query, best first; the general assistant stays first when it matches
 * and the query is empty. */
export function searchEntries(entries: readonly AgentEntry[], query: string): AgentEntry[] {
  if (query.trim() === "") return [...entries];
  return entries
    .map((entry, index) => ({ entry, index, score: entryScore(query, entry) }))
    .filter((x): x is { entry: AgentEntry; index: number; score: number } => x.score !== null)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((x) => x.entry);
}

export type StatusFilter = "all" | "active" | "inactive";

export interface AgentFilters {
  query: string;
  status: StatusFilter;
  /** "" for any; DEFAULT_PROVIDER for agents that set none. */
  provider: string;
  /** "" for any; NOT_SET for agents that set none. */
  mode: string;
}

export const NO_FILTERS: AgentFilters = { query: "", status: "all", provider: "", mode: "" };
export const DEFAULT_PROVIDER = "(organisation default)";
export const NOT_SET = "(not set)";

export function providerOf(agent: Agent): string {
  return agent.provider ?? DEFAULT_PROVIDER;
}

export function modeOf(agent: Agent): string {
  return agent.executionMode ?? NOT_SET;
}

/** The choices each filter offers, from the agents at hand (never a hard-coded list). */
export function filterChoices(agents: readonly Agent[]): { providers: string[]; modes: string[] } {
  const providers = [...new Set(agents.map(providerOf))].sort();
  const modes = [...new Set(agents.map(modeOf))].sort();
  return { providers, modes };
}

/** The panel's list: the general assistant is always shown first unless the filters exclude
 * it (it is active, uses the organisation's default provider, and has no execution mode). */
export function filterEntries(entries: readonly AgentEntry[], filters: AgentFilters): AgentEntry[] {
  const kept = entries.filter((entry) => {
    if (filters.status === "active" && !entry.active) return false;
    if (filters.status === "inactive" && entry.active) return false;
    if (entry.agent === null) return filters.provider === "" && filters.mode === "";
    if (filters.provider !== "" && providerOf(entry.agent) !== filters.provider) return false;
    if (filters.mode !== "" && modeOf(entry.agent) !== filters.mode) return false;
    return true;
  });
  const found = searchEntries(kept, filters.query);
  // Searching re-ranks, but the general assistant keeps its place at the top.
  const general = found.find((e) => e.agent === null);
  return general ? [general, ...found.filter((e) => e !== general)] : found;
}
