import { describe, expect, it } from "vitest";

import { schemaMarkers } from "./schemaField";

/** The text each marker underlines (a zero-width marker as "" at its place). */
function marked(text: string, rust: Parameters<typeof schemaMarkers>[1] = null): string[] {
  return schemaMarkers(text, rust).map((m) => (m.from === m.to ? `@${m.from}` : text.slice(m.from, m.to)));
}

describe("schemaMarkers", () => {
  it("marks nothing for an empty or a valid schema", () => {
    expect(schemaMarkers("", null)).toEqual([]);
    expect(schemaMarkers("  \n", null)).toEqual([]);
    expect(schemaMarkers('{"type": "object"}', null)).toEqual([]);
  });

  it("marks where the text stops being JSON, with the parser's message", () => {
    expect(marked('{"type": "object", nope}')).toEqual(["nope"]);
    expect(marked('{"type": "object",}')).toEqual(["@18"]);
    // The missing colon: marked where the unexpected value starts.
    expect(marked('{"type" "object"}')).toEqual(["@8"]);
    // Cut short: the marker stands at the end, where the rest is missing.
    expect(marked('{"type": "object"')).toEqual(["@17"]);
    const [marker] = schemaMarkers("{nope", null);
    expect(marker?.severity).toBe("error");
    expect(marker?.message).toMatch(/^The schema is not JSON: /);
  });

  it("marks the root's type, or the root, when it is not an object schema", () => {
    expect(marked('{"type": "array"}')).toEqual(['"array"']);
    expect(marked('{"properties": {}}')).toEqual(["{"]);
    expect(marked("[1, 2]")).toEqual(["["]);
    expect(marked("42")).toEqual(["42"]);
  });

  it("marks what Rust's JSON pointer names: a value itself, an object by its name", () => {
    const text = '{"type": "object", "properties": {"a/b": {"type": "integr"}, "n": {"type": "string"}}, "required": ["n", 7]}';
    const at = (pointer: string) => marked(text, { message: "wrong", pointer });
    expect(at("/properties/a~1b/type")).toEqual(['"integr"']);
    expect(at("/properties/n")).toEqual(['"n"']);
    expect(at("/required/1")).toEqual(["7"]);
    expect(at("/required")).toEqual(['"required"']);
    // A pointer past what the text holds marks the deepest part it reaches; the root by its brace.
    expect(at("/properties/missing/type")).toEqual(['"properties"']);
    expect(at("")).toEqual(["{"]);
    expect(schemaMarkers(text, { message: "wrong", pointer: "/required/1" })[0]?.message).toBe("wrong");
  });

  it("prefers the drawer's own verdict to an older one from Rust", () => {
    expect(marked('{"type": "array"}', { message: "stale", pointer: "/properties" })).toEqual(['"array"']);
    expect(schemaMarkers('{"type": "array"}', { message: "stale", pointer: null })[0]?.message).toContain('"type": "object"');
  });
});
