import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { ToolCallCard, formatSize } from "./ToolCallCard";
import type { ToolCallSnapshot } from "./transcript";
import { UnknownEventCard } from "./UnknownEventCard";

const call = (patch: Partial<ToolCallSnapshot> = {}): ToolCallSnapshot => ({
  id: "call_0",
  name: "list_entities",
  arguments: '{"blueprint":"service","limit":2}',
  result: '[{"identifier":"payments-api"},{"identifier":"billing"}]',
  argumentsComplete: true,
  resultComplete: true,
  startedAt: 1_000,
  endedAt: 2_250,
  ...patch,
});

describe("tool-call cards", () => {
  it("show name, result size and duration, and open to a JSON tree with a raw toggle", () => {
    render(<ToolCallCard call={call()} runEnded />);
    const card = screen.getByTestId("tool-call");
    expect(card.getAttribute("data-state")).toBe("complete");
    expect(card.textContent).toContain("list_entities");
    expect(card.textContent).toContain("56 B");
    expect(screen.getByTestId("tool-call-duration").textContent).toBe("1.3 s");

    fireEvent.click(screen.getByTestId("tool-call-toggle"));
    const [args, result] = screen.getAllByTestId("json-tree");
    expect(args?.textContent).toContain("blueprint: ");
    expect(args?.textContent).toContain("limit: 2");
    expect(result?.textContent).toContain('"payments-api"');
    expect(screen.getByTestId("result-size").textContent).toBe("56 B");

    const argsSection = screen.getByTestId("payload-arguments");
    fireEvent.click(within(argsSection).getByTestId("payload-raw-toggle"));
    expect(within(argsSection).getByTestId("payload-raw").textContent).toBe('{"blueprint":"service","limit":2}');
  });

  it("mark a call the stream cut off as incomplete, and keep non-JSON as text", () => {
    render(<ToolCallCard call={call({ arguments: '{"blue', argumentsComplete: false, result: null, endedAt: null })} runEnded />);
    expect(screen.getByTestId("tool-call").getAttribute("data-state")).toBe("incomplete");
    expect(screen.getByTestId("tool-incomplete").textContent).toBe("incomplete");
    expect(screen.queryByTestId("tool-call-duration")).toBeNull();
    fireEvent.click(screen.getByTestId("tool-call-toggle"));
    expect(screen.getByTestId("payload-raw").textContent).toBe('{"blue');
    expect(screen.getByText("No result arrived.")).toBeTruthy();
  });

  it("keep a large result folded until it is opened, then page its entries", () => {
    const entities = Array.from({ length: 250 }, (_, i) => ({ identifier: `svc-${i}`, team: "platform" }));
    const result = JSON.stringify(entities);
    render(<ToolCallCard call={call({ result })} runEnded />);
    fireEvent.click(screen.getByTestId("tool-call-toggle"));
    expect(screen.getByTestId("result-size").textContent).toBe(formatSize(result));
    expect(screen.queryByTestId("payload-result")).toBeNull();
    fireEvent.click(screen.getByTestId("result-toggle"));
    const tree = within(screen.getByTestId("payload-result")).getByTestId("json-tree");
    expect(tree.textContent).toContain('"svc-99"');
    expect(tree.textContent).not.toContain('"svc-100"');
    fireEvent.click(within(tree).getByText(/^Show 150 more/));
    expect(tree.textContent).toContain('"svc-249"');
  });

  it("size payloads in UTF-8 bytes", () => {
    expect(formatSize("abc")).toBe("3 B");
    expect(formatSize("é")).toBe("2 B");
    expect(formatSize("x".repeat(2048))).toBe("2.0 KB");
  });
});

describe("unknown events", () => {
  it("are shown as generic cards with their data", () => {
    render(<UnknownEventCard event={{ event: "agentSelection", data: '{"agent":"ops"}', reason: null }} />);
    const card = screen.getByTestId("unknown-event");
    expect(card.getAttribute("data-event")).toBe("agentSelection");
    fireEvent.click(within(card).getByRole("button"));
    expect(card.textContent).toContain('"agent": "ops"');
  });
});
