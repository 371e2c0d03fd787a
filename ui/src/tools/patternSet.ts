// The pattern list being edited, and the JSON array form Port's docs use (`"tools": [...]`).

import type { PatternInput } from "../lib/backend";

export interface PatternDraft {
  /** Stable across edits and moves, for React keys and focus. */
  id: number;
  text: string;
  enabled: boolean;
}

let nextId = 1;

export function draft(text: string, enabled = true): PatternDraft {
  return { id: nextId++, text, enabled };
}

export function drafts(patterns: readonly string[]): PatternDraft[] {
  return patterns.map((p) => draft(p));
}

export function toInputs(list: readonly PatternDraft[]): PatternInput[] {
  return list.map(({ text, enabled }) => ({ text, enabled }));
}

/** The patterns that would be sent to Port: the enabled ones, in order. */
export function enabledPatterns(list: readonly PatternDraft[]): string[] {
  return list.filter((d) => d.enabled).map((d) => d.text);
}

/** Exactly what goes into an agent's `tools` property or a request's `tools` field. */
export function toJsonArray(patterns: readonly string[]): string {
  return JSON.stringify(patterns, null, 2);
}

export type Parsed = { ok: true; patterns: string[] } | { ok: false; problem: string };

/** A JSON array of strings (also the `{"tools": [...]}` object around it); else one pattern a line. */
export function parsePatternList(text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, problem: "Nothing to paste." };
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      return { ok: false, problem: `This is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value) && "tools" in value) {
      value = value.tools;
    }
    if (!Array.isArray(value)) return { ok: false, problem: "Expected a JSON array of patterns, like [\"^list_.*\"]." };
    const notText = value.findIndex((v) => typeof v !== "string");
    if (notText !== -1) return { ok: false, problem: `Item ${notText + 1} is not a string: every pattern is a JSON string.` };
    return { ok: true, patterns: value as string[] };
  }
  return { ok: true, patterns: trimmed.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== "") };
}

export function move<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return [...list];
  const next = [...list];
  next.splice(to, 0, ...next.splice(from, 1));
  return next;
}
