import { describe, expect, it } from "vitest";

import { fakeEvaluate } from "../test/fakePatterns";
import { EMPTY_OPTIONS, buildRequest, invalidPatterns, optionsProblem, parseSchema, patternsProblem, sentPatterns } from "./request";

const DEFAULT = ["^(list|get)_.*"];

describe("buildRequest", () => {
  it("sends nothing optional when nothing is set", () => {
    expect(buildRequest("hi", null, DEFAULT)).toEqual({
      agent: null,
      prompt: "hi",
      tools: DEFAULT,
      labels: {},
      toolApprovalOverrides: {},
      outputSchema: null,
      model: null,
      mcpServers: [],
      chatMode: null,
      systemPrompt: null,
      executionMode: null,
    });
  });

  it("never gives an agent the general-only fields", () => {
    const options = { ...EMPTY_OPTIONS, tools: ["^x"], mcpServers: ["notion"], chatMode: "ask" as const };
    const request = buildRequest("hi", "ops", DEFAULT, options);
    expect(request.tools).toEqual([]);
    expect(request.mcpServers).toEqual([]);
    expect(request.chatMode).toBe("ask");
  });

  it("drops draft labels and overrides with an empty key, and parses the schema", () => {
    const request = buildRequest("hi", null, DEFAULT, {
      ...EMPTY_OPTIONS,
      labels: { "": "draft", " team ": "sre" },
      toolApprovalOverrides: { "": "automatic", "^run_.*": "approval" },
      outputSchema: '{"type":"object"}',
    });
    expect(request.labels).toEqual({ team: "sre" });
    expect(request.toolApprovalOverrides).toEqual({ "^run_.*": "approval" });
    expect(request.outputSchema).toEqual({ type: "object" });
  });

  it("sends a provider only with a model", () => {
    expect(buildRequest("hi", null, DEFAULT, { ...EMPTY_OPTIONS, model: { provider: "port", model: "" } }).model).toBeNull();
    expect(optionsProblem({ ...EMPTY_OPTIONS, model: { provider: "port", model: "" } }, null, null)).toContain("both");
  });
});

describe("optionsProblem", () => {
  it("refuses a remembered model the organisation no longer enables", () => {
    const providers = { providers: [{ provider: "port", enabled: true, models: [{ name: "a", enabled: true }] }], defaults: null };
    const options = { ...EMPTY_OPTIONS, model: { provider: "port", model: "gone" } };
    expect(optionsProblem(options, null, null, providers)).toContain("not enabled");
    expect(optionsProblem({ ...options, model: { provider: "port", model: "a" } }, null, null, providers)).toBeNull();
    // Not known yet: Port is the judge.
    expect(optionsProblem(options, null, null, null)).toBeNull();
  });
});

describe("parseSchema", () => {
  it("needs an object with type object at the root", () => {
    expect(parseSchema(null).kind).toBe("none");
    expect(parseSchema("  ").kind).toBe("none");
    expect(parseSchema("[1]")).toMatchObject({ kind: "invalid" });
    expect(parseSchema('{"type":"string"}')).toMatchObject({ kind: "invalid" });
    expect(parseSchema("{nope")).toMatchObject({ kind: "invalid" });
    expect(parseSchema('{"type":"object"}')).toEqual({ kind: "ok", schema: { type: "object" } });
  });
});

describe("tool patterns", () => {
  const evaluate = (texts: string[]) => fakeEvaluate({ request: { patterns: texts.map((text) => ({ text, enabled: true })), checks: [] } });

  it("does not send a blank row: as a regex it would let every tool in", () => {
    expect(sentPatterns(["^list_.*", "", "  ", "get_.*"])).toEqual(["^list_.*", "get_.*"]);
  });

  it("names the first invalid pattern by its row and says how many more there are", () => {
    const texts = ["^list_.*", "run_(", "", "get_["];
    expect(invalidPatterns(texts, evaluate(texts)).map((p) => [p.position, p.text])).toEqual([
      [2, "run_("],
      [4, "get_["],
    ]);
    const problem = patternsProblem(texts, evaluate(texts));
    expect(problem).toMatch(/^Tool pattern 2 “run_\(” is not a valid regular expression \(and 1 more\): .*Port would ignore this pattern\. Fix or remove it in Options\.$/);
    expect(patternsProblem(["^list_.*"], evaluate(["^list_.*"]))).toBeNull();
  });
});
