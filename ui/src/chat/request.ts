// The InvokeRequest the Chat sends, from the prompt and the request options remembered for the
// agent. Only what the user set is sent; an agent never gets the general-only fields (tool
// patterns, MCP connectors), which Rust would refuse.

import type { Evaluation, InvokeRequest, JsonValue, LlmChoices, RequestOptions } from "../lib/backend";

/** Port accepts at most this many MCP connectors per general-assistant request. */
export const MAX_MCP_SERVERS = 5;

export const EMPTY_OPTIONS: RequestOptions = {
  tools: null,
  labels: {},
  model: null,
  chatMode: null,
  mcpServers: [],
  toolApprovalOverrides: {},
  outputSchema: null,
};

/** The key request options are remembered under: "" is the general assistant. */
export const optionsKey = (agent: string | null): string => agent ?? "";

/** The schema text parsed, or why it cannot be sent. Empty text: no structured output. `pointer`:
 * where the problem is (a JSON pointer, "" for the root); null when the text is not JSON at all. */
export type ParsedSchema =
  | { kind: "none" }
  | { kind: "ok"; schema: JsonValue }
  | { kind: "invalid"; message: string; pointer: string | null };

export function parseSchema(text: string | null): ParsedSchema {
  if (text === null || text.trim() === "") return { kind: "none" };
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: "invalid", message: `The schema is not JSON: ${reason}`, pointer: null };
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    return { kind: "invalid", message: "The schema must be a JSON object.", pointer: "" };
  }
  if ((schema as Record<string, unknown>).type !== "object") {
    const pointer = "type" in schema ? "/type" : "";
    return { kind: "invalid", message: 'Port needs "type": "object" at the root of the schema.', pointer };
  }
  return { kind: "ok", schema: schema as JsonValue };
}

/** What stops these options from being sent, or null. */
export function optionsProblem(
  options: RequestOptions,
  agent: string | null,
  schemaError: string | null,
  providers: LlmChoices | null = null,
): string | null {
  const model = options.model;
  if (model && (model.provider.trim() === "" || model.model.trim() === "")) {
    return "Choose both a provider and a model, or neither.";
  }
  // A remembered choice the organisation has since switched off: Port would refuse it.
  if (
    model &&
    providers &&
    !providers.providers.some((p) => p.provider === model.provider && p.models.some((m) => m.name === model.model))
  ) {
    return `${model.provider} · ${model.model} is not enabled in this organisation; choose another model.`;
  }
  if (agent === null && options.mcpServers.length > MAX_MCP_SERVERS) {
    return `Port accepts at most ${MAX_MCP_SERVERS} MCP connectors.`;
  }
  const parsed = parseSchema(options.outputSchema);
  if (parsed.kind === "invalid") return parsed.message;
  if (schemaError !== null) return `The output schema is not a valid JSON Schema: ${schemaError}`;
  return null;
}

/** The patterns a request carries from the rows being edited: a blank row is a draft, not a
 * pattern (as a regex it would let every tool in). */
export function sentPatterns(texts: readonly string[]): string[] {
  return texts.filter((t) => t.trim() !== "");
}

export interface InvalidPattern {
  /** 1-based, as the rows are numbered. */
  position: number;
  text: string;
  message: string;
}

/** The patterns the Rust engine could not compile; `evaluation` answers `texts`, in order. */
export function invalidPatterns(texts: readonly string[], evaluation: Evaluation): InvalidPattern[] {
  return texts.flatMap((text, i) => {
    const report = evaluation.patterns[i];
    if (!report || report.valid || text.trim() === "") return [];
    return [{ position: i + 1, text, message: report.error?.message ?? "it does not compile" }];
  });
}

/** Why a tool pattern set cannot be sent, or null: Port silently ignores a pattern it cannot
 * compile, so the assistant would run with fewer tools than the user asked for. */
export function patternsProblem(texts: readonly string[], evaluation: Evaluation): string | null {
  const invalid = invalidPatterns(texts, evaluation);
  const first = invalid[0];
  if (!first) return null;
  const more = invalid.length > 1 ? ` (and ${invalid.length - 1} more)` : "";
  // The engine's message says what is wrong and that Port would ignore the pattern.
  return `Tool pattern ${first.position} “${first.text}” is not a valid regular expression${more}: ${first.message}. Fix or remove it in Options.`;
}

/** Labels with an empty key are drafts in the editor, not sent. */
function sentLabels(labels: RequestOptions["labels"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    if (key.trim() !== "" && value !== undefined) out[key.trim()] = value;
  }
  return out;
}

export function buildRequest(
  prompt: string,
  agent: string | null,
  defaultTools: readonly string[],
  options: RequestOptions = EMPTY_OPTIONS,
): InvokeRequest {
  const general = agent === null;
  const parsed = parseSchema(options.outputSchema);
  const overrides: InvokeRequest["toolApprovalOverrides"] = {};
  for (const [pattern, mode] of Object.entries(options.toolApprovalOverrides)) {
    if (pattern.trim() !== "" && mode) overrides[pattern.trim()] = mode;
  }
  return {
    agent,
    prompt,
    tools: general ? [...(options.tools ?? defaultTools)] : [],
    labels: sentLabels(options.labels),
    toolApprovalOverrides: overrides,
    outputSchema: parsed.kind === "ok" ? parsed.schema : null,
    model: options.model && options.model.provider !== "" && options.model.model !== "" ? { ...options.model } : null,
    mcpServers: general ? options.mcpServers.slice(0, MAX_MCP_SERVERS) : [],
    chatMode: options.chatMode,
    systemPrompt: null,
    executionMode: null,
  };
}

/** How many options differ from the defaults, for the drawer button's badge. */
export function optionsSet(options: RequestOptions, agent: string | null): number {
  let n = 0;
  if (agent === null && options.tools !== null) n++;
  if (Object.keys(sentLabels(options.labels)).length > 0) n++;
  if (options.model) n++;
  if (options.chatMode) n++;
  if (agent === null && options.mcpServers.length > 0) n++;
  if (Object.keys(options.toolApprovalOverrides).length > 0) n++;
  if (parseSchema(options.outputSchema).kind !== "none") n++;
  return n;
}
