import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { App } from "../App";
import type { InvocationSummary, Page, SearchHit } from "../lib/backend";
import { DEMO, EMPTY_STATS, appError, fail, mockBackend, type Handler, type MockBackend } from "../test/mockBackend";
import { record, request, summary } from "./testData";

// jsdom lays nothing out and cannot scroll: give the list a viewport so the virtualizer renders
// rows, and a scrollTo that moves it.
beforeEach(() => {
  HTMLElement.prototype.scrollTo = function (this: HTMLElement, options?: ScrollToOptions | number) {
    if (typeof options === "object") this.scrollTop = options.top ?? this.scrollTop;
  };
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 660 });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 480 });
});

afterEach(() => {
  // The prototype's own (jsdom's, on Element) come back into view.
  Reflect.deleteProperty(HTMLElement.prototype, "clientHeight");
  Reflect.deleteProperty(HTMLElement.prototype, "clientWidth");
});

function page<T>(items: T[], nextCursor: string | null = null): Page<T> {
  return { items, nextCursor };
}

async function openHistory(handlers: Record<string, Handler> = {}): Promise<MockBackend> {
  const mock = mockBackend({
    status: { connection: DEMO },
    handlers: {
      history_list: () => page([summary(1), summary(2), summary(3)]),
      history_show: (args) => record(Number(String(args.id).replace("inv-", ""))),
      ...handlers,
    },
  });
  render(<App />);
  fireEvent.click(await screen.findByTestId("nav-history"));
  return mock;
}

const rows = () => screen.queryAllByTestId("history-row");

describe("History", () => {
  it("lists invocations newest first and selects the first", async () => {
    await openHistory();
    await waitFor(() => {
      expect(rows()).toHaveLength(3);
    });
    expect(rows().map((r) => within(r).getByTestId("history-row-prompt").textContent)).toEqual([
      "Question number 1",
      "Question number 2",
      "Question number 3",
    ]);
    expect(rows()[0]?.getAttribute("aria-selected")).toBe("true");
    const detail = await screen.findByTestId("history-detail");
    expect(detail.getAttribute("data-id")).toBe("inv-1");
  });

  it("loads the next keyset page when scrolled near the end", async () => {
    const first = Array.from({ length: 100 }, (_, i) => summary(i));
    const second = Array.from({ length: 20 }, (_, i) => summary(100 + i));
    const mock = await openHistory({
      history_list: (args) => (args.cursor === "c1" ? page(second) : page(first, "c1")),
    });
    const list = await screen.findByTestId("history-list");
    expect(mock.callsOf("history_list")).toHaveLength(1);
    await act(async () => {
      list.scrollTop = 100 * 66 - 660;
      fireEvent.scroll(list);
      await Promise.resolve();
    });
    await waitFor(() => {
      expect(mock.callsOf("history_list").map((c) => c.args.cursor)).toEqual([null, "c1"]);
    });
    await waitFor(() => {
      expect(list.getAttribute("data-count")).toBe("120");
    });
    // Only what is in view is in the DOM, however long the list.
    expect(rows().length).toBeLessThan(40);
  });

  it("searches as you type and shows snippets as text, never as markup", async () => {
    const hit: SearchHit = {
      invocation: summary(7, { promptPreview: "Which <b>payments</b> services failed?" }),
      field: "answer",
      snippet: [
        { text: "<img src=x> the ", hit: false },
        { text: "payments", hit: true },
        { text: " service failed", hit: false },
      ],
    };
    const mock = await openHistory({ history_search: () => page([hit]) });
    await waitFor(() => {
      expect(rows()).toHaveLength(3);
    });
    await userEvent.setup().type(screen.getByTestId("history-search"), 'payments "AND (');
    await waitFor(() => {
      expect(rows()).toHaveLength(1);
    });
    const searches = mock.callsOf("history_search");
    expect(searches.at(-1)?.args.query).toBe('payments "AND (');
    // Debounced: far fewer calls than keystrokes.
    expect(searches.length).toBeLessThan(5);
    const snippet = screen.getByTestId("history-snippet");
    expect(snippet.querySelector("img")).toBeNull();
    expect(snippet.textContent).toContain("<img src=x> the payments service failed");
    expect(within(snippet).getByText("payments").tagName).toBe("MARK");
    expect(screen.getByTestId("history-row-prompt").textContent).toBe("Which <b>payments</b> services failed?");
  });

  it("says so when nothing matches, and shows an empty history plainly", async () => {
    await openHistory({ history_list: () => page([]), history_search: () => page([]) });
    expect((await screen.findByTestId("history-empty")).textContent).toContain("No history yet");
    fireEvent.change(screen.getByTestId("history-search"), { target: { value: "nothing" } });
    await waitFor(() => {
      expect(screen.getByTestId("history-empty").textContent).toContain("No invocation mentions “nothing”");
    });
  });

  it("sends the filters with the query", async () => {
    const mock = await openHistory({
      history_facets: () => ({
        agents: ["ops"],
        generalAssistant: true,
        profiles: ["demo"],
        tools: ["list_entities"],
        labelKeys: ["team"],
      }),
    });
    await waitFor(() => {
      expect(rows()).toHaveLength(3);
    });
    fireEvent.click(screen.getByTestId("history-filters-toggle"));
    fireEvent.change(screen.getByTestId("history-filter-status"), { target: { value: "failed" } });
    await waitFor(() => {
      expect(mock.callsOf("history_list").at(-1)?.args.filter).toMatchObject({ statuses: ["failed"] });
    });
    await waitFor(() => {
      expect(screen.getByTestId<HTMLSelectElement>("history-filter-agent").options.length).toBe(3);
    });
    fireEvent.change(screen.getByTestId("history-filter-agent"), { target: { value: "ops" } });
    fireEvent.change(screen.getByTestId("history-filter-tool"), { target: { value: "list_entities" } });
    fireEvent.change(screen.getByTestId("history-filter-label"), { target: { value: "team" } });
    fireEvent.change(screen.getByTestId("history-filter-label-value"), { target: { value: "platform" } });
    await waitFor(() => {
      expect(mock.callsOf("history_list").at(-1)?.args.filter).toEqual({
        agent: { kind: "agent", id: "ops" },
        statuses: ["failed"],
        labels: [{ key: "team", value: "platform" }],
        profile: null,
        tool: "list_entities",
        fromMs: null,
        toMs: null,
        conversationId: null,
      });
    });
    fireEvent.click(screen.getByTestId("history-filter-clear"));
    await waitFor(() => {
      expect(mock.callsOf("history_list").at(-1)?.args.filter).toMatchObject({ agent: null, statuses: [], labels: [] });
    });
  });

  it("shows the timeline with relative times, tool durations, the first token and raw events", async () => {
    await openHistory();
    const detail = await screen.findByTestId("history-detail");
    expect(within(detail).getByTestId("history-detail-prompt").textContent).toBe("Question number 1, in full");
    expect(within(detail).getByTestId("history-ttft").textContent).toBe("1.2 s");
    const entries = within(detail).getAllByTestId("timeline-entry");
    expect(entries.map((e) => e.getAttribute("data-kind"))).toEqual(["asked", "invocation_id", "tool_call", "answer", "done", "ended"]);
    expect(entries[2]?.textContent).toContain("+300 ms");
    expect(within(detail).getByTestId("tool-duration").textContent).toBe("350 ms");
    fireEvent.click(within(detail).getByTestId("history-raw-toggle"));
    const raw = within(detail).getByTestId("history-raw-events");
    expect(raw.querySelectorAll("li")).toHaveLength(9);
    expect(raw.textContent).toContain('{"type":"tool_call_started","id":"call_0","name":"list_entities"}');
  });

  it("moves through the list with the keyboard", async () => {
    await openHistory();
    const list = await screen.findByTestId("history-list");
    await waitFor(() => {
      expect(rows()).toHaveLength(3);
    });
    fireEvent.keyDown(list, { key: "ArrowDown" });
    await waitFor(() => {
      expect(screen.getByTestId("history-detail").getAttribute("data-id")).toBe("inv-2");
    });
    expect(list.getAttribute("aria-activedescendant")).toBe("history-row-inv-2");
    fireEvent.keyDown(list, { key: "End" });
    await waitFor(() => {
      expect(screen.getByTestId("history-detail").getAttribute("data-id")).toBe("inv-3");
    });
  });

  it("reopens a conversation in Chat and continues it under the same id", async () => {
    const first = record(1);
    const mock = await openHistory({
      history_conversation: () => ({
        conversation: {
          id: "conv-1",
          title: "Question number 1",
          createdAt: first.askedAt,
          updatedAt: first.askedAt,
          invocationCount: 1,
          agent: null,
          profile: "demo",
        },
        // As the store sends a conversation: without event logs.
        invocations: [{ ...first, events: [] }],
      }),
    });
    fireEvent.click(await screen.findByTestId("history-continue"));
    const answer = await screen.findByTestId("answer");
    await waitFor(() => {
      expect(answer.textContent).toContain("payments-api");
    });
    expect(screen.getByText("Question number 1, in full")).toBeTruthy();
    expect(screen.getAllByTestId("tool-call")).toHaveLength(1);
    expect(screen.getByTestId("chat-thread-note").textContent).toContain("Port does not see the earlier ones");

    fireEvent.change(screen.getByTestId("prompt-input"), { target: { value: "And which of them failed?" } });
    fireEvent.click(screen.getByTestId("send-button"));
    const invoke = mock.callsOf("invoke").at(-1);
    expect(invoke?.args.conversationId).toBe("conv-1");
    // Nothing of the earlier turn is smuggled into the prompt.
    expect((invoke?.args.request as { prompt: string }).prompt).toBe("And which of them failed?");
  });

  it("re-runs the same request in a new conversation", async () => {
    const mock = await openHistory();
    fireEvent.click(await screen.findByTestId("history-rerun"));
    await screen.findByTestId("prompt-input");
    const invoke = mock.callsOf("invoke").at(-1);
    expect(invoke?.args.request).toEqual(request("Question number 1, in full"));
    expect(invoke?.args.conversationId).not.toBe("conv-1");
    expect(typeof invoke?.args.conversationId).toBe("string");
  });

  it("deletes an invocation after a confirmation", async () => {
    const mock = await openHistory({ history_delete: () => 1 });
    await screen.findByTestId("history-detail");
    fireEvent.click(screen.getByTestId("history-delete"));
    expect(mock.callsOf("history_delete")).toHaveLength(0);
    fireEvent.click(screen.getByTestId("history-delete-confirm"));
    await waitFor(() => {
      expect(rows()).toHaveLength(2);
    });
    expect(mock.callsOf("history_delete")[0]?.args.target).toEqual({ kind: "invocation", id: "inv-1" });
  });

  it("exports the filtered history and a conversation", async () => {
    const mock = await openHistory({ history_export: () => "/home/me/Downloads/portdesk-history-1.jsonl" });
    await screen.findByTestId("history-detail");
    fireEvent.click(screen.getByTestId("history-export-all"));
    fireEvent.click(screen.getByTestId("history-export-jsonl"));
    await screen.findByText(/Exported to \/home\/me\/Downloads\/portdesk-history-1.jsonl/);
    fireEvent.click(screen.getByTestId("history-export"));
    fireEvent.click(screen.getByTestId("history-export-markdown"));
    await waitFor(() => {
      expect(mock.callsOf("history_export").map((c) => c.args.request)).toEqual([
        { kind: "history", filter: expect.objectContaining({ statuses: [] }) as unknown, format: "jsonl" },
        { kind: "conversation", id: "conv-1", format: "markdown" },
      ]);
    });
  });

  it("merges news on history-changed: a new invocation appears on top", async () => {
    let list: InvocationSummary[] = [summary(1), summary(2)];
    const mock = await openHistory({ history_list: () => page(list) });
    await waitFor(() => {
      expect(rows()).toHaveLength(2);
    });
    list = [summary(0, { promptPreview: "Just asked" }), ...list];
    await act(async () => {
      await mock.emit("history-changed", { invocationId: "inv-0" });
    });
    await waitFor(() => {
      expect(rows()[0]?.textContent).toContain("Just asked");
    });
  });

  it("shows why the history is unavailable", async () => {
    await openHistory({
      history_list: () => fail(appError("history_newer_version", "the history was written by a newer Portdesk")),
    });
    const error = await screen.findByRole("alert");
    expect(error.getAttribute("data-error-code")).toBe("history_newer_version");
  });
});

describe("snippets", () => {
  it("keep the first match in view by shortening what comes before it", async () => {
    const { trimLead } = await import("./Snippet");
    const parts = [
      { text: "…The ones that need attention, in order of how urgently they need it: - `", hit: false },
      { text: "payments", hit: true },
      { text: "-api`", hit: false },
    ];
    const trimmed = trimLead(parts);
    expect(trimmed[0]?.text.startsWith("…")).toBe(true);
    expect(trimmed[0]?.text.length).toBeLessThanOrEqual(30);
    expect(trimmed.slice(1)).toEqual(parts.slice(1));
    expect(trimLead([{ text: "short ", hit: false }, { text: "hit", hit: true }])[0]?.text).toBe("short ");
  });
});

describe("History settings", () => {
  it("sets how long invocations are kept and deletes all after a confirmation", async () => {
    const mock = mockBackend({
      status: { connection: DEMO },
      handlers: { history_set_retention: () => 12, history_wipe: () => 40 },
    });
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-settings"));
    const select = await screen.findByTestId<HTMLSelectElement>("history-retention");
    await waitFor(() => {
      expect(select.disabled).toBe(false);
    });
    fireEvent.change(select, { target: { value: "90" } });
    await screen.findByText("12 older invocations were deleted.");
    expect(mock.callsOf("history_set_retention")[0]?.args.retention).toEqual({ kind: "days", days: 90 });
    expect(select.value).toBe("90");

    fireEvent.click(screen.getByTestId("history-wipe"));
    expect(mock.callsOf("history_wipe")).toHaveLength(0);
    fireEvent.click(screen.getByTestId("history-wipe-confirm"));
    await screen.findByText("The local history was deleted.");
    expect(mock.callsOf("history_wipe")).toHaveLength(1);
  });
});

describe("History statistics", () => {
  it("are read again when an invocation was recorded while the panel was closed", async () => {
    let items: InvocationSummary[] = [summary(41)];
    const mock = await openHistory({
      history_list: () => page(items),
      history_stats: () => ({ ...EMPTY_STATS, invocations: items.length }),
    });
    await waitFor(() => {
      expect(screen.getByTestId("history-summary").textContent).toContain("1 invocation");
    });
    fireEvent.click(screen.getByTestId("nav-chat"));
    items = [summary(40), summary(41)];
    fireEvent.click(screen.getByTestId("nav-history"));
    await waitFor(() => {
      expect(screen.getByTestId("history-summary").textContent).toContain("2 invocations");
    });
    expect(mock.callsOf("history_stats").length).toBeGreaterThanOrEqual(2);
  });
});
