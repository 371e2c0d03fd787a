// An in-memory stand-in for the Rust pattern engine, for component tests only: JavaScript's own
// RegExp with Port's `^` and connector rule. The real engine is tested in Rust and end to end.

import type {
  ApprovalsSaveOutcome,
  CatalogTool,
  Evaluation,
  PatternCatalog,
  PatternReport,
  Preferences,
} from "../lib/backend";
import type { Handler } from "./mockBackend";

export const TOOLS: CatalogTool[] = [
  { name: "list_entities", connector: null, group: "Port · entities", kind: "port", write: false },
  { name: "upsert_entity", connector: null, group: "Port · entities", kind: "port", write: true },
  { name: "delete_entity", connector: null, group: "Port · entities", kind: "port", write: true },
  { name: "list_blueprints", connector: null, group: "Port · blueprints", kind: "port", write: false },
  { name: "run_action", connector: null, group: "Actions", kind: "action", write: true },
  { name: "notion_notion-search", connector: "notion", group: "Connector · notion", kind: "connector", write: false },
];

export const CATALOG: PatternCatalog = { revision: 1, tools: TOOLS, connectors: ["notion"], problems: [] };

function appliesTo(text: string): string {
  return text.startsWith("notion_") ? "notion" : "port";
}

function compile(text: string): RegExp | string {
  try {
    return new RegExp(`^${text}`);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function fakeEvaluate(args: Record<string, unknown>): Evaluation {
  const request = args.request as { patterns: { text: string; enabled: boolean }[] };
  const compiled = request.patterns.map((p) => compile(p.text));
  const applies = (i: number, tool: CatalogTool) => (tool.connector ?? "port") === appliesTo(request.patterns[i]?.text ?? "");
  const hits = (i: number, tool: CatalogTool) => {
    const re = compiled[i];
    return re instanceof RegExp && applies(i, tool) && re.test(tool.name);
  };
  const patterns: PatternReport[] = request.patterns.map((p, i) => {
    const re = compiled[i];
    return {
      valid: re instanceof RegExp,
      error: re instanceof RegExp ? null : { code: "invalidPattern", message: `${re} — Port would ignore this pattern`, start: 0, end: p.text.length, severity: "error" },
      appliesTo: appliesTo(p.text),
      matches: TOOLS.filter((t) => hits(i, t)).length,
      lints: p.text.startsWith("^notion_")
        ? [{ code: "connectorAnchor", message: "A leading ^ keeps this from ever reaching notion's tools", start: 0, end: 1, severity: "warning" }]
        : [],
    };
  });
  const matchedBy = TOOLS.map((t) => request.patterns.flatMap((p, i) => (p.enabled && hits(i, t) ? [i] : [])));
  return {
    catalogRevision: CATALOG.revision,
    patterns,
    matchedBy,
    available: matchedBy.filter((m) => m.length > 0).length,
    checks: [],
    newTools: [],
    engineMicros: 12,
  };
}

export const PORT_PREFERENCES: Preferences = {
  toolOverrides: { run_action: "approval", list_entities: "automatic", delete_entity: "sometimes" },
  disabledTools: [],
};

export function patternHandlers(options: { onSave?: (args: Record<string, unknown>) => ApprovalsSaveOutcome } = {}): Record<string, Handler> {
  return {
    pattern_catalog: () => CATALOG,
    evaluate_patterns: fakeEvaluate,
    explain_pattern: (args) => ({
      summary: `Tools whose names start with ${String(args.pattern)}.`,
      scope: "Applies to Port's own tools only.",
      parts: [],
    }),
    pattern_presets: () => [
      { id: "read-only", title: "Read-only operations", description: "Nothing changes.", patterns: ["^(list|search|track|describe)_.*"] },
    ],
    load_approvals: () => ({
      preferences: PORT_PREFERENCES,
      tools: TOOLS.filter((t) => t.name !== "list_blueprints").map((t) => ({
        name: t.name,
        group: t.group,
        connector: t.connector,
        defaultMode: t.write ? "approval" : "automatic",
      })),
    }),
    preview_approvals: (args) => {
      const base = args.base as Preferences;
      const desired = args.desired as Preferences;
      const state = (p: Preferences, tool: string) => (p.disabledTools.includes(tool) ? "disabled" : (p.toolOverrides[tool] ?? "default"));
      const tools = [...new Set([...Object.keys(base.toolOverrides), ...Object.keys(desired.toolOverrides), ...base.disabledTools, ...desired.disabledTools])].sort();
      return tools.flatMap((tool) => (state(base, tool) === state(desired, tool) ? [] : [{ tool, before: state(base, tool), after: state(desired, tool) }]));
    },
    save_approvals: (args) =>
      options.onSave
        ? options.onSave(args)
        : { status: "saved", held: args.desired as Preferences, changes: [], mismatches: [] },
    resolve_tools: () => ({ tools: [], problems: [] }),
  };
}
