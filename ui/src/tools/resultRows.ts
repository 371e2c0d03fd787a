// The catalog as the flat list of rows the virtual list draws: a header per group (Port tools by
// family, actions, each connector) with its counts, then its tools.

import type { CatalogTool } from "../lib/backend";

export type ShowFilter = "all" | "available" | "unavailable";

export type ResultRow =
  | { type: "group"; group: string; available: number; total: number }
  | { type: "tool"; tool: CatalogTool; matchedBy: readonly number[] };

const NONE: readonly number[] = [];

export function groupRows(
  tools: readonly CatalogTool[],
  matchedBy: readonly (readonly number[])[] | null,
  filter: string,
  show: ShowFilter,
): ResultRow[] {
  const needle = filter.trim().toLowerCase();
  const groups = new Map<string, { available: number; total: number; rows: ResultRow[] }>();
  tools.forEach((tool, i) => {
    const by = matchedBy?.[i] ?? NONE;
    let group = groups.get(tool.group);
    if (!group) {
      group = { available: 0, total: 0, rows: [] };
      groups.set(tool.group, group);
    }
    group.total++;
    if (by.length > 0) group.available++;
    if (needle !== "" && !tool.name.toLowerCase().includes(needle)) return;
    if (show === "available" && by.length === 0) return;
    if (show === "unavailable" && by.length > 0) return;
    group.rows.push({ type: "tool", tool, matchedBy: by });
  });
  const rows: ResultRow[] = [];
  for (const [name, group] of groups) {
    if (group.rows.length === 0) continue;
    rows.push({ type: "group", group: name, available: group.available, total: group.total });
    rows.push(...group.rows);
  }
  return rows;
}
