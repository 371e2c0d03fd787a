import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { agent } from "../agents/testAgents";
import { App } from "../App";
import type { InvokeEvent } from "../lib/backend";
import { DEFAULT_SETTINGS, DEMO, QUOTA, appError, mockBackend, type MockBackend, type MockRun } from "../test/mockBackend";

const OPS = agent("ops", {
  title: "Ops helper",
  description: "Answers questions about deployments and incidents.",
  conversationStarters: ["Which deploys failed today?", "Who is on call?"],
});
const OLD = agent("old", { title: "Retired agent", status: "inactive" });

async function openChat(options: Parameters<typeof mockBackend>[0] = {}): Promise<MockBackend> {
  const mock = mockBackend({
    status: { connection: DEMO },
    ...options,
    handlers: { list_agents: () => [OPS, OLD], ...options.handlers },
  });
  render(<App />);
  await screen.findByTestId("prompt-input");
  await screen.findByRole("option", { name: "Ops helper" });
  return mock;
}

async function send(mock: MockBackend, prompt: string): Promise<MockRun> {
  const user = userEvent.setup();
  const before = mock.runs.length;
  await user.type(screen.getByTestId("prompt-input"), prompt);
  await user.click(screen.getByTestId("send-button"));
  return startedRun(mock, before);
}

/** The run a send started: a send waits for the workspace's request options to be read first. */
async function startedRun(mock: MockBackend, before: number): Promise<MockRun> {
  return waitFor(() => {
    const run = mock.runs[before];
    if (!run) throw new Error("no run started");
    return run;
  });
}

function stream(run: MockRun, ...events: InvokeEvent[]) {
  act(() => {
    run.send(...events);
  });
}

const CATALOG: InvokeEvent[] = [
  { type: "invocation_id", id: "inv_1" },
  { type: "tool_call_started", id: "call_0", name: "list_entities" },
  { type: "tool_call_arguments_delta", id: "call_0", delta: '{"blueprint' },
  { type: "tool_call_arguments_delta", id: "call_0", delta: 'Identifier":"service"}' },
  { type: "tool_call_complete", id: "call_0" },
  { type: "tool_result_delta", id: "call_0", delta: '[{"identifier":"payments-api"}]' },
  { type: "tool_result_complete", id: "call_0" },
  { type: "tool_call_started", id: "call_1", name: "get_entity" },
  { type: "tool_call_arguments_delta", id: "call_1", delta: "{}" },
  { type: "tool_call_complete", id: "call_1" },
  { type: "answer_delta", delta: "## Service catalog " },
  { type: "answer_delta", delta: "overview\n\n- payments-api\n" },
];

describe("Chat", () => {
  it("lists agents (inactive ones disabled) and shows the chosen agent's starters", async () => {
    const mock = await openChat({ settings: { lastAgent: "ops" } });
    const select = screen.getByTestId<HTMLSelectElement>("agent-select");
    expect(select.value).toBe("ops");
    expect([...select.options].map((o) => [o.value, o.disabled])).toEqual([
      ["", false],
      ["ops", false],
      ["old", true],
    ]);
    expect(screen.getByText("Answers questions about deployments and incidents.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Who is on call?" }));
    expect(screen.getByTestId<HTMLTextAreaElement>("prompt-input").value).toBe("Who is on call?");

    fireEvent.change(select, { target: { value: "" } });
    await waitFor(() => {
      expect(mock.callsOf("update_settings").at(-1)?.args).toEqual({ patch: { theme: null, defaultTools: null, lastAgent: "" } });
    });
  });

  it("streams a general-assistant run: tool-call cards, the answer, the final status and quota", async () => {
    const mock = await openChat();
    const run = await send(mock, "What services do we have?");
    expect(run.request).toMatchObject({
      agent: null,
      prompt: "What services do we have?",
      tools: DEFAULT_SETTINGS.defaultTools,
      mcpServers: [],
      systemPrompt: null,
    });
    expect(screen.getByTestId("run-status").getAttribute("data-status")).toBe("streaming");
    expect(screen.getByTestId<HTMLTextAreaElement>("prompt-input").value).toBe("");

    stream(run, ...CATALOG);
    await waitFor(() => {
      expect(screen.getAllByTestId("tool-call")).toHaveLength(2);
    });
    const [first, second] = screen.getAllByTestId("tool-call");
    if (!first || !second) throw new Error("two cards expected");
    expect(first.getAttribute("data-tool-name")).toBe("list_entities");
    expect(first.getAttribute("data-state")).toBe("complete");
    expect(second.getAttribute("data-state")).toBe("complete");
    await waitFor(() => {
      expect(screen.getByTestId("answer").textContent).toContain("Service catalog overview");
    });

    // Arguments as a JSON tree in the expanded card, and raw on request.
    fireEvent.click(within(first).getByTestId("tool-call-toggle"));
    const tree = within(first).getAllByTestId("json-tree")[0];
    expect(tree?.textContent).toContain("blueprintIdentifier: ");
    expect(tree?.textContent).toContain('"service"');
    fireEvent.click(within(within(first).getByTestId("payload-arguments")).getByTestId("payload-raw-toggle"));
    expect(within(first).getByTestId("payload-raw").textContent).toBe('{"blueprintIdentifier":"service"}');

    stream(run, { type: "done", rateLimitUsage: null, monthlyQuotaUsage: QUOTA, data: "{}" });
    act(() => {
      run.end({ status: "completed", error: null });
    });
    await waitFor(() => {
      expect(screen.getByTestId("run-status").getAttribute("data-status")).toBe("completed");
    });
    expect(screen.getByTestId("run-status").textContent).toContain("412 of 500 invocations left");
    expect(screen.queryByTestId("cancel-button")).toBeNull();
  });

  it("sends an agent's prompt without general-assistant fields", async () => {
    const mock = await openChat({ settings: { lastAgent: "ops" } });
    const run = await send(mock, "Which deploys failed?");
    expect(run.request).toMatchObject({ agent: "ops", prompt: "Which deploys failed?", tools: [] });
  });

  it("keeps follow-ups in one conversation, says Port sees each alone, and starts a new one on request", async () => {
    const mock = await openChat();
    expect(screen.queryByTestId("chat-thread-note")).toBeNull();
    const first = await send(mock, "What services do we have?");
    act(() => {
      first.end();
    });
    expect(screen.getByTestId("chat-thread-note").textContent).toContain("each message is its own invocation");
    const second = await send(mock, "Which of them failed?");
    act(() => {
      second.end();
    });
    const [a, b] = mock.callsOf("invoke").map((c) => c.args.conversationId);
    expect(typeof a).toBe("string");
    expect(b).toBe(a);
    // The follow-up is sent as typed: nothing of the first turn rides along.
    expect(second.request.prompt).toBe("Which of them failed?");

    fireEvent.click(screen.getByTestId("chat-new"));
    expect(screen.queryByTestId("chat-thread-note")).toBeNull();
    await send(mock, "Something else");
    expect(mock.callsOf("invoke").at(-1)?.args.conversationId).not.toBe(a);
  });

  it("sends with Ctrl+Enter and cancels the run with the Cancel button", async () => {
    const mock = await openChat();
    const user = userEvent.setup();
    await user.type(screen.getByTestId("prompt-input"), "[slow] list services");
    await user.keyboard("{Control>}{Enter}{/Control}");
    const run = await startedRun(mock, 0);
    stream(run, { type: "tool_call_started", id: "c", name: "list_entities" }, { type: "answer_delta", delta: "Partial" });
    await waitFor(() => {
      expect(screen.getByTestId("tool-call").getAttribute("data-state")).toBe("running");
    });

    await user.click(screen.getByTestId("cancel-button"));
    await waitFor(() => {
      expect(mock.callsOf("cancel")).toEqual([{ cmd: "cancel", args: { runId: run.runId } }]);
    });
    act(() => {
      run.end({ status: "cancelled", error: appError("cancelled", "cancelled by the user") });
    });
    await waitFor(() => {
      expect(screen.getByTestId("run-status").getAttribute("data-status")).toBe("cancelled");
    });
    expect(screen.getByTestId("tool-call").getAttribute("data-state")).toBe("incomplete");
    expect(screen.getByTestId("answer").textContent).toBe("Partial");
  });

  it("cancels the newest run with Esc", async () => {
    const mock = await openChat();
    const run = await send(mock, "hello");
    fireEvent.keyDown(document.body, { key: "Escape" });
    await waitFor(() => {
      expect(mock.callsOf("cancel")[0]?.args).toEqual({ runId: run.runId });
    });
  });

  it("says when a run was interrupted or failed, with the code and what to do", async () => {
    const mock = await openChat();
    const interrupted = await send(mock, "one");
    act(() => {
      interrupted.end({ status: "interrupted", error: appError("stream_interrupted", "the connection dropped") });
    });
    await waitFor(() => {
      expect(screen.getByTestId("run-status").getAttribute("data-status")).toBe("interrupted");
    });
    expect(screen.getByTestId("run-status").textContent).toMatch(/may be incomplete/);

    const limited = await send(mock, "two");
    act(() => {
      limited.end({ status: "failed", error: appError("rate_limited", "Too many requests", { retryAfterSecs: 30 }) });
    });
    await waitFor(() => {
      expect(screen.getByTestId("run-status").getAttribute("data-status")).toBe("failed");
    });
    expect(screen.getByTestId("run-status").textContent).toMatch(/Try again in 30 s/);
    expect(screen.getByTestId("run-status").textContent).toContain("rate_limited");

    const quota = await send(mock, "three");
    act(() => {
      quota.end({ status: "failed", error: appError("quota_exceeded", "Quota used up", { resetDate: "2025-12-01T00:00:00Z" }) });
    });
    await waitFor(() => {
      expect(screen.getByTestId("run-status").textContent).toMatch(/resets on/);
    });
    // Only the newest turn carries the ids the end-to-end tests read.
    expect(screen.getAllByTestId("run-status")).toHaveLength(1);
    expect(screen.getAllByTestId("answer")).toHaveLength(1);
  });

  it("retries a failed run as a new invocation of the same request, with the rate-limit countdown", async () => {
    const mock = await openChat();
    const limited = await send(mock, "Which services?");
    act(() => {
      limited.end({ status: "failed", error: appError("rate_limited", "Too many requests", { retryAfterSecs: 30 }) });
    });
    const countdown = await screen.findByTestId("retry-countdown");
    expect(countdown.textContent).toMatch(/resets in (29|30) s/);
    fireEvent.click(screen.getByTestId("retry-button"));
    await waitFor(() => {
      expect(mock.runs).toHaveLength(2);
    });
    expect(mock.runs[1]?.request).toEqual(limited.request);
    expect(mock.runs[1]?.runId).not.toBe(limited.runId);
  });

  it("recalls the last prompt with Up in an empty composer", async () => {
    const mock = await openChat();
    const run = await send(mock, "What changed?");
    act(() => {
      run.end({ status: "completed", error: null });
    });
    const input = screen.getByTestId<HTMLTextAreaElement>("prompt-input");
    expect(input.value).toBe("");
    fireEvent.keyDown(input, { key: "ArrowUp" });
    expect(input.value).toBe("What changed?");
    // Up inside a typed prompt moves the caret, as usual.
    fireEvent.change(input, { target: { value: "line one" } });
    fireEvent.keyDown(input, { key: "ArrowUp" });
    expect(input.value).toBe("line one");
  });

  it("opens in-app find with Ctrl+F and reports matching turns", async () => {
    const mock = await openChat();
    const run = await send(mock, "first question");
    stream(run, { type: "answer_delta", delta: "The payments-api is fine." });
    act(() => {
      run.end({ status: "completed", error: null });
    });
    fireEvent.keyDown(document, { key: "f", ctrlKey: true });
    const input = await screen.findByTestId("chat-find-input");
    fireEvent.change(input, { target: { value: "PAYMENTS" } });
    expect(screen.getByTestId("chat-find-status").textContent).toBe("Turn 1 of 1 · 1 match");
    fireEvent.change(input, { target: { value: "nothing-like-this" } });
    expect(screen.getByTestId("chat-find-status").textContent).toBe("No matches");
    // Esc closes find and does not cancel anything.
    fireEvent.keyDown(input, { key: "Escape" });
    expect(screen.queryByTestId("chat-find")).toBeNull();
    expect(mock.callsOf("cancel")).toHaveLength(0);
  });
});
