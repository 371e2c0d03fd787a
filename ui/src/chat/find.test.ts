import { describe, expect, it } from "vitest";

import { findInTurns, textRanges } from "./find";
import { turn } from "../test/turns";

describe("find in the conversation", () => {
  const turns = [
    turn("a", "Which services?", "payments-api and Billing"),
    turn("b", "Owners?", "none", { name: "get_entity", result: '{"owner":"billing-team"}' }),
    turn("c", "Thanks", "You are welcome"),
  ];

  it("finds turns by prompt, answer and tool data, case-insensitively, with counts", () => {
    expect(findInTurns(turns, "BILLING")).toEqual([
      { index: 0, count: 1 },
      { index: 1, count: 1 },
    ]);
    expect(findInTurns(turns, "get_entity")).toEqual([{ index: 1, count: 1 }]);
    expect(findInTurns(turns, "e")).toHaveLength(3);
    expect(findInTurns(turns, "  ")).toEqual([]);
    expect(findInTurns(turns, "quasar")).toEqual([]);
  });

  it("finds the ranges of a query in rendered text", () => {
    const root = document.createElement("div");
    root.innerHTML = "<p>Payments <b>pay</b>ments</p>";
    const ranges = textRanges(root, "pay");
    expect(ranges.map((r) => r.toString())).toEqual(["Pay", "pay"]);
  });
});
