import { describe, expect, it } from "vitest";

import { buildTimeline, formatOffset, formatSpan, timelineFigures, unionLength } from "./timeline";
import { T0, record } from "./testData";

describe("timeline", () => {
  it("places each step relative to the question, with tool durations and the first token", () => {
    const detail = record(0);
    const entries = buildTimeline(detail);
    expect(entries.map((e) => [e.kind, e.offsetMs])).toEqual([
      ["asked", 0],
      ["invocation_id", 100],
      ["tool_call", 300],
      ["answer", 1200],
      ["done", 3000],
      ["ended", 3000],
    ]);
    const call = entries.find((e) => e.kind === "tool_call");
    expect(call?.title).toBe("list_entities");
    expect(call?.durationMs).toBe(350);
    expect(call?.complete).toBe(true);
    const answer = entries.find((e) => e.kind === "answer");
    expect(answer?.durationMs).toBe(700);
    expect(answer?.detail).toContain("2 chunks");

    const figures = timelineFigures(detail);
    expect(figures.firstTokenMs).toBe(1200);
    expect(figures.totalMs).toBe(3000);
    expect(figures.toolTimeMs).toBe(350);
  });

  it("flags a tool call cut off before its result ended", () => {
    const detail = record(0);
    const events = detail.events.filter((e) => e.event.type !== "tool_result_complete" && e.event.type !== "done");
    const entries = buildTimeline({ ...detail, events, status: "interrupted" });
    expect(entries.find((e) => e.kind === "tool_call")?.complete).toBe(false);
    expect(entries.at(-1)?.title).toBe("Interrupted");
  });

  it("uses the stored tool-call timings when no events were recorded (imported from Port)", () => {
    const detail = record(0, { events: [], firstTokenAt: null });
    const entries = buildTimeline(detail);
    const call = entries.find((e) => e.kind === "tool_call");
    expect(call?.offsetMs).toBe(300);
    expect(call?.durationMs).toBe(350);
    expect(timelineFigures(detail).firstTokenMs).toBeNull();
  });

  it("counts time in tools once when calls overlap", () => {
    expect(unionLength([])).toBe(0);
    expect(
      unionLength([
        [0, 100],
        [50, 150],
        [300, 400],
      ]),
    ).toBe(250);
    expect(
      unionLength([
        [10, 20],
        [0, 100],
      ]),
    ).toBe(100);
  });

  it("formats offsets and spans", () => {
    expect(formatOffset(0)).toBe("+0 ms");
    expect(formatOffset(412)).toBe("+412 ms");
    expect(formatOffset(1420)).toBe("+1.42 s");
    expect(formatSpan(125_000)).toBe("2 min 05 s");
    expect(T0).toBeGreaterThan(0);
  });
});
