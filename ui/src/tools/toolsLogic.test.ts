import { describe, expect, it } from "vitest";

import { stateOf, withChoice } from "./approvalModes";
import { latestOnly } from "./latestOnly";
import { move, parsePatternList } from "./patternSet";
import { tokenize } from "./regexTokens";

describe("latestOnly", () => {
  it("keeps one request in flight and sends only the newest input after it", async () => {
    const started: string[] = [];
    const results: [string, boolean][] = [];
    const pending: (() => void)[] = [];
    const pipe = latestOnly<string, string>({
      run: (input) => {
        started.push(input);
        return new Promise((resolve) => pending.push(() => resolve(input.toUpperCase())));
      },
      onResult: (output, _input, newer) => results.push([output, newer]),
      onError: () => undefined,
    });
    pipe.push("l");
    pipe.push("li");
    pipe.push("lis");
    pipe.push("list");
    expect(started).toEqual(["l"]);
    pending.shift()?.();
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual(["l", "list"]);
    expect(results).toEqual([["L", true]]);
    pending.shift()?.();
    await Promise.resolve();
    await Promise.resolve();
    expect(results).toEqual([
      ["L", true],
      ["LIST", false],
    ]);
    pipe.dispose();
    pipe.push("x");
    expect(started).toHaveLength(2);
  });
});

describe("regex colours", () => {
  it("splits JavaScript regex syntax into spans", () => {
    const kinds = (src: string) => tokenize(src).map((t) => `${src.slice(t.from, t.to)}:${t.kind}`);
    expect(kinds("^(list|get)_.*")).toEqual(["^:anchor", "(:group", "list:literal", "|:alternation", "get:literal", "):group", "_:literal", ".:dot", "*:quantifier"]);
    expect(kinds("(?!delete_)\\w+[a-z\\]]{2,}?")).toEqual(["(?!:group", "delete_:literal", "):group", "\\w:escape", "+:quantifier", "[a-z\\]]:class", "{2,}?:quantifier"]);
    expect(kinds("a{")).toEqual(["a{:literal"]);
  });
});

describe("pattern lists", () => {
  it("reads Port's JSON array, the object around it, or one pattern a line", () => {
    expect(parsePatternList('["^list_.*", "run_action"]')).toEqual({ ok: true, patterns: ["^list_.*", "run_action"] });
    expect(parsePatternList('{"tools": ["a"]}')).toEqual({ ok: true, patterns: ["a"] });
    expect(parsePatternList("list_.*\n\n  run_action ")).toEqual({ ok: true, patterns: ["list_.*", "run_action"] });
    expect(parsePatternList("[oops")).toMatchObject({ ok: false });
    expect(parsePatternList('{"x": 1}')).toMatchObject({ ok: false });
    expect(move(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(move(["a", "b"], 0, -1)).toEqual(["a", "b"]);
  });
});

describe("approval choices", () => {
  it("change one tool and keep every other tool's mode, newer ones included", () => {
    const prefs = { toolOverrides: { run_action: "approval", x: "sometimes" }, disabledTools: ["y"] };
    const disabled = withChoice(prefs, "run_action", "disabled");
    expect(stateOf(disabled, "run_action")).toBe("disabled");
    expect(disabled.toolOverrides.run_action).toBe("approval");
    const enabled = withChoice(disabled, "run_action", "automatic");
    expect(stateOf(enabled, "run_action")).toBe("automatic");
    expect(stateOf(withChoice(enabled, "run_action", "default"), "run_action")).toBe("default");
    expect(stateOf(enabled, "x")).toBe("sometimes");
    expect(stateOf(enabled, "y")).toBe("disabled");
  });
});
