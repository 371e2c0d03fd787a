import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App } from "../../App";
import { agent } from "../../agents/testAgents";
import type { RequestOptions } from "../../lib/backend";
import { DEFAULT_SETTINGS, DEMO, mockBackend, type MockBackend, type MockRun } from "../../test/mockBackend";
import { editorIn, markersIn, replaceText } from "../../test/codeField";
import { CATALOG, fakeEvaluate } from "../../test/fakePatterns";
import { EMPTY_OPTIONS } from "../request";

const OPS = agent("ops", { title: "Ops helper" });

async function openChat(options: Parameters<typeof mockBackend>[0] = {}): Promise<MockBackend> {
  const mock = mockBackend({
    status: { connection: DEMO },
    ...options,
    handlers: { list_agents: () => [OPS], evaluate_patterns: fakeEvaluate, ...options.handlers },
  });
  render(<App />);
  await screen.findByTestId("prompt-input");
  await screen.findByRole("option", { name: "Ops helper" });
  return mock;
}

async function openDrawer() {
  fireEvent.click(screen.getByTestId("options-toggle"));
  return screen.findByTestId("request-options");
}

async function send(mock: MockBackend, prompt: string): Promise<MockRun | undefined> {
  const user = userEvent.setup();
  const before = mock.runs.length;
  await user.type(screen.getByTestId("prompt-input"), prompt);
  await user.click(screen.getByTestId("send-button"));
  // Sending waits for Rust's schema check when there is a schema.
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
  return mock.runs.length > before ? mock.runs.at(-1) : undefined;
}

function lastSaved(mock: MockBackend, agent: string): RequestOptions | undefined {
  const call = mock.callsOf("save_request_options").filter((c) => c.args.agent === agent).at(-1);
  return call?.args.options as RequestOptions | undefined;
}

function lastOf(elements: HTMLElement[]): HTMLElement {
  const last = elements.at(-1);
  if (!last) throw new Error("no rows");
  return last;
}

/** The pattern rows' editors in the drawer. */
async function patternFields(drawer: HTMLElement): Promise<HTMLElement[]> {
  const tools = await within(drawer).findByTestId("opt-tools");
  return within(tools).getAllByTestId("pattern-input");
}

async function patternTexts(drawer: HTMLElement): Promise<string[]> {
  const tools = await within(drawer).findByTestId("opt-tools");
  return within(tools)
    .queryAllByTestId("pattern-input")
    .map((field) => editorIn(field).state.doc.toString());
}

async function typePattern(drawer: HTMLElement, row: number, text: string) {
  replaceText((await patternFields(drawer))[row], text);
}

function rowStatus(drawer: HTMLElement, row: number): string | undefined {
  return within(within(drawer).getByTestId("opt-tools")).getAllByTestId("pattern-row")[row]?.dataset.status;
}

function chooseAgent(value: string) {
  fireEvent.change(screen.getByTestId("agent-select"), { target: { value } });
}

describe("Request options", () => {
  it("sends labels, chat mode and a provider with its model for the general assistant, and only those", async () => {
    const mock = await openChat();
    const drawer = await openDrawer();
    // The general assistant's patterns start from the saved default set.
    expect(await patternTexts(drawer)).toEqual(DEFAULT_SETTINGS.defaultTools);

    fireEvent.click(within(drawer).getByTestId("opt-labels-add"));
    fireEvent.change(within(drawer).getByTestId("opt-labels-key"), { target: { value: "team" } });
    fireEvent.change(within(drawer).getByTestId("opt-labels-value"), { target: { value: "sre" } });
    fireEvent.change(within(drawer).getByTestId("opt-chat-mode"), { target: { value: "plan" } });
    await within(drawer).findByRole("option", { name: "anthropic" });
    fireEvent.change(within(drawer).getByTestId("opt-provider"), { target: { value: "anthropic" } });
    // Both or neither: the provider comes with a model.
    expect(within(drawer).getByTestId<HTMLSelectElement>("opt-model").value).toBe("claude-opus-4-1");

    const run = await send(mock, "Who owns payments?");
    expect(run?.request).toEqual({
      agent: null,
      prompt: "Who owns payments?",
      tools: DEFAULT_SETTINGS.defaultTools,
      labels: { team: "sre" },
      toolApprovalOverrides: {},
      outputSchema: null,
      model: { provider: "anthropic", model: "claude-opus-4-1" },
      mcpServers: [],
      chatMode: "plan",
      systemPrompt: null,
      executionMode: null,
    });
    expect(lastSaved(mock, "")).toMatchObject({ labels: { team: "sre" }, chatMode: "plan" });

    // Back to the organisation default: neither is sent.
    fireEvent.change(within(drawer).getByTestId("opt-provider"), { target: { value: "" } });
    expect(within(drawer).queryByTestId("opt-model")).toBeNull();
    const second = await send(mock, "Again");
    expect(second?.request.model).toBeNull();
  });

  it("remembers options per agent and offers agents only what Port accepts for them", async () => {
    const mock = await openChat();
    const drawer = await openDrawer();
    fireEvent.change(within(drawer).getByTestId("opt-chat-mode"), { target: { value: "build" } });
    await typePattern(drawer, 0, "^get_.*");
    fireEvent.click(within(within(drawer).getByTestId("opt-tools")).getByTestId("pattern-add"));
    await waitFor(async () => {
      expect(await patternFields(drawer)).toHaveLength(2);
    });
    await typePattern(drawer, 1, "^list_.*");
    expect(within(drawer).getByTestId("opt-connectors")).toBeTruthy();

    chooseAgent("ops");
    const agentDrawer = await screen.findByTestId("request-options");
    expect(within(agentDrawer).getByText(/For Ops helper/)).toBeTruthy();
    // Port refuses tool patterns and MCP connectors for agents: not offered.
    expect(within(agentDrawer).queryByTestId("opt-tools")).toBeNull();
    expect(within(agentDrawer).queryByTestId("opt-connectors")).toBeNull();
    // Its own, empty options, not the general assistant's.
    expect(within(agentDrawer).getByTestId<HTMLSelectElement>("opt-chat-mode").value).toBe("");
    fireEvent.change(within(agentDrawer).getByTestId("opt-chat-mode"), { target: { value: "ask" } });
    const agentRun = await send(mock, "Status?");
    expect(agentRun?.request).toMatchObject({ agent: "ops", tools: [], mcpServers: [], chatMode: "ask" });

    chooseAgent("");
    const back = await screen.findByTestId("request-options");
    expect(within(back).getByTestId<HTMLSelectElement>("opt-chat-mode").value).toBe("build");
    expect(await patternTexts(back)).toEqual(["^get_.*", "^list_.*"]);
    const run = await send(mock, "Services?");
    expect(run?.request).toMatchObject({ tools: ["^get_.*", "^list_.*"], chatMode: "build" });
    expect(lastSaved(mock, "ops")).toMatchObject({ chatMode: "ask" });
    expect(lastSaved(mock, "")).toMatchObject({ chatMode: "build", tools: ["^get_.*", "^list_.*"] });
  });

  it("marks an invalid tool pattern and refuses to send it, sends a valid edit as it stands, and resets to the saved set", async () => {
    const mock = await openChat({ handlers: { pattern_catalog: () => CATALOG } });
    const drawer = await openDrawer();
    const tools = await within(drawer).findByTestId("opt-tools");
    // The saved set, checked by the engine: how many of the known tools it lets in.
    await waitFor(() => {
      expect(within(drawer).getByTestId("opt-tools-count").textContent).toBe("2 of 6 known tools");
    });
    expect(within(drawer).getByTestId("opt-tools-source").textContent).toContain("saved default set");
    expect(within(drawer).queryByTestId("opt-tools-reset")).toBeNull();

    await typePattern(drawer, 0, "list_(");
    await waitFor(() => {
      expect(rowStatus(drawer, 0)).toBe("invalid");
    });
    expect(within(tools).getByTestId("pattern-problem").textContent).toMatch(/Port would ignore/);
    const field = (await patternFields(drawer))[0];
    expect(markersIn(field).map((m) => [m.text, m.severity])).toEqual([["list_(", "error"]]);
    expect(within(drawer).getByTestId("opt-tools-invalid").textContent).toContain("Pattern 1 is not valid");
    expect(tools.dataset.invalid).toBe("true");
    expect(within(drawer).getByTestId("opt-tools-source").textContent).toContain("Changed for the general assistant");

    expect(await send(mock, "Which services?")).toBeUndefined();
    const why = screen.getByTestId("send-problem").textContent;
    expect(why).toContain("Tool pattern 1 “list_(” is not a valid regular expression");
    expect(why).toContain("Port would ignore this pattern");
    expect(why).toContain("Fix or remove it in Options");

    // Fixed, and a second pattern: what the rows show is what the request carries; a blank row
    // (a draft) is not sent.
    await typePattern(drawer, 0, "list_(entities)");
    fireEvent.click(within(tools).getByTestId("pattern-add"));
    await typePattern(drawer, 1, "notion_.*");
    fireEvent.click(within(tools).getByTestId("pattern-add"));
    await waitFor(async () => {
      expect(await patternTexts(drawer)).toEqual(["list_(entities)", "notion_.*", ""]);
    });
    await waitFor(() => {
      expect(within(drawer).getByTestId("opt-tools-count").textContent).toBe("2 of 6 known tools");
    });
    expect(rowStatus(drawer, 0)).toBe("ok");
    expect(rowStatus(drawer, 2)).toBe("empty");
    expect(within(drawer).queryByTestId("opt-tools-invalid")).toBeNull();
    fireEvent.change(screen.getByTestId("prompt-input"), { target: { value: "" } });
    const run = await send(mock, "Which services?");
    expect(run?.request.tools).toEqual(["list_(entities)", "notion_.*"]);
    expect(lastSaved(mock, "")?.tools).toEqual(["list_(entities)", "notion_.*"]);

    // Back to the saved set: the rows, the request and what is remembered.
    fireEvent.click(within(drawer).getByTestId("opt-tools-reset"));
    await waitFor(async () => {
      expect(await patternTexts(drawer)).toEqual(DEFAULT_SETTINGS.defaultTools);
    });
    expect(within(drawer).getByTestId("opt-tools-source").textContent).toContain("saved default set");
    expect(lastSaved(mock, "")?.tools).toBeNull();
    const reset = await send(mock, "Again");
    expect(reset?.request.tools).toEqual(DEFAULT_SETTINGS.defaultTools);
  });

  it("leaves the pattern editor with Tab, and no patterns means no tools", async () => {
    const mock = await openChat();
    const drawer = await openDrawer();
    const tools = await within(drawer).findByTestId("opt-tools");
    const content = within(tools).getByRole("textbox", { name: "Pattern 1" });
    const user = userEvent.setup();
    content.focus();
    await user.tab();
    expect(document.activeElement).toBe(within(tools).getByRole("button", { name: "Remove pattern 1" }));
    expect(await patternTexts(drawer)).toEqual(DEFAULT_SETTINGS.defaultTools);

    fireEvent.click(within(tools).getByTestId("pattern-remove"));
    await waitFor(() => {
      expect(within(tools).getByTestId("patterns-empty")).toBeTruthy();
    });
    const run = await send(mock, "No tools");
    expect(run?.request.tools).toEqual([]);
  });

  it("starts from the options the workspace remembers", async () => {
    const saved: RequestOptions = { ...EMPTY_OPTIONS, labels: { env: "prod" }, chatMode: "ask" };
    const mock = await openChat({ settings: { lastAgent: "ops" }, requestOptions: { ops: saved } });
    await waitFor(() => {
      expect(screen.getByTestId("options-count").textContent).toBe("2");
    });
    const drawer = await openDrawer();
    expect(within(drawer).getByTestId<HTMLInputElement>("opt-labels-key").value).toBe("env");
    expect(within(drawer).getByTestId<HTMLInputElement>("opt-labels-value").value).toBe("prod");
    const run = await send(mock, "Hi");
    expect(run?.request).toMatchObject({ agent: "ops", labels: { env: "prod" }, chatMode: "ask" });
  });

  it("holds a send made before the remembered options are read, then sends it with them", async () => {
    const saved: RequestOptions = { ...EMPTY_OPTIONS, labels: { env: "prod" } };
    let release: () => void = () => undefined;
    const read = new Promise<void>((resolve) => {
      release = resolve;
    });
    const mock = await openChat({
      settings: { lastAgent: "ops" },
      handlers: { request_options: () => read.then(() => ({ ops: saved })) },
    });
    const user = userEvent.setup();
    await user.type(screen.getByTestId("prompt-input"), "Early");
    await user.keyboard("{Control>}{Enter}{/Control}");
    expect(mock.runs).toHaveLength(0);
    expect(screen.getByTestId("send-button").textContent).toBe("Sending…");
    await act(async () => {
      release();
      await read;
    });
    await waitFor(() => {
      expect(mock.runs).toHaveLength(1);
    });
    expect(mock.runs[0]?.request).toMatchObject({ agent: "ops", prompt: "Early", labels: { env: "prod" } });
    expect(screen.getByTestId("send-button").textContent).toBe("Send");
  });

  it("keeps each workspace's options apart: another organisation's ops agent starts from its own", async () => {
    const byWorkspace: Record<string, Partial<Record<string, RequestOptions>>> = {
      demo: { ops: { ...EMPTY_OPTIONS, chatMode: "ask" } },
      work: { ops: { ...EMPTY_OPTIONS, labels: { env: "prod", team: "sre" }, chatMode: "plan" } },
    };
    let open = "demo";
    const mock = await openChat({
      settings: { lastAgent: "ops" },
      handlers: { request_options: () => byWorkspace[open] },
    });
    await waitFor(() => {
      expect(screen.getByTestId("options-count").textContent).toBe("1");
    });

    open = "work";
    await act(async () => {
      await mock.emit("connection-changed", {
        connection: { kind: "profile", profileName: "work", label: "work · EU", baseUrl: "https://api.port.io" },
      });
    });
    await screen.findByRole("option", { name: "Ops helper" });
    await waitFor(() => {
      expect(screen.getByTestId("options-count").textContent).toBe("2");
    });
    const run = await send(mock, "Hi");
    expect(run?.request).toMatchObject({ agent: "ops", chatMode: "plan", labels: { env: "prod", team: "sre" } });
    expect(mock.callsOf("request_options")).toHaveLength(2);
  });

  it("edits labels: removes rows, flags a repeated key and does not send it", async () => {
    const mock = await openChat();
    const drawer = await openDrawer();
    for (const [key, value] of [
      ["a", "1"],
      ["b", "2"],
      ["a", "3"],
    ] as const) {
      fireEvent.click(within(drawer).getByTestId("opt-labels-add"));
      const keys = within(drawer).getAllByTestId("opt-labels-key");
      const values = within(drawer).getAllByTestId("opt-labels-value");
      fireEvent.change(lastOf(keys), { target: { value: key } });
      fireEvent.change(lastOf(values), { target: { value: value } });
    }
    expect(within(drawer).getByRole("alert").textContent).toContain("“a” is already set above");
    fireEvent.click(within(drawer).getByRole("button", { name: "Remove b" }));
    const run = await send(mock, "Labels");
    expect(run?.request.labels).toEqual({ a: "1" });
  });

  it("blocks sending with a clear message and a marker in place while the schema is invalid, and sends a valid one", async () => {
    const mock = await openChat({
      handlers: {
        check_output_schema: (args) => {
          const schema = args.schema as Record<string, unknown>;
          const props = schema.properties as Record<string, { type?: string }> | undefined;
          return props?.n?.type === "integr"
            ? { ok: false, error: '/properties/n/type: "integr" is not valid', pointer: "/properties/n/type" }
            : { ok: true, error: null, pointer: null };
        },
      },
    });
    const drawer = await openDrawer();
    const schema = await within(drawer).findByTestId("opt-schema");
    // The editor is named by its heading and described by the help and the verdict.
    const content = within(drawer).getByRole("textbox", { name: "Structured output" });
    expect(schema.contains(content)).toBe(true);

    replaceText(schema, '{"type": "array"}');
    expect(within(drawer).getByTestId("opt-schema-error").textContent).toContain('"type": "object"');
    expect(markersIn(schema)).toEqual([{ text: '"array"', severity: "error", message: 'Port needs "type": "object" at the root of the schema.' }]);
    expect(schema.dataset.invalid).toBe("true");
    expect(content.getAttribute("aria-invalid")).toBe("true");
    expect(await send(mock, "One")).toBeUndefined();
    expect(screen.getByTestId("send-problem").textContent).toContain('"type": "object"');

    // Not JSON: the marker stands where the parser gave up, whatever the engine's message says.
    replaceText(schema, '{"type": "object", nope}');
    expect(within(drawer).getByTestId("opt-schema-error").textContent).toContain("not JSON");
    expect(markersIn(schema).map((m) => m.text)).toEqual(["nope"]);
    // The draft that does not parse is remembered as typed.
    await waitFor(() => {
      expect(lastSaved(mock, "")?.outputSchema).toBe('{"type": "object", nope}');
    });

    // Valid for the root check, invalid for Rust's validator: the marker is on what it names.
    replaceText(schema, '{"type": "object", "properties": {"n": {"type": "integr"}}}');
    await waitFor(() => {
      expect(within(drawer).getByTestId("opt-schema-error").textContent).toContain("integr");
    });
    await waitFor(() => {
      expect(markersIn(schema).map((m) => m.text)).toEqual(['"integr"']);
    });
    const prompt = screen.getByTestId<HTMLTextAreaElement>("prompt-input");
    fireEvent.change(prompt, { target: { value: "" } });
    expect(await send(mock, "Two")).toBeUndefined();
    expect(screen.getByTestId("send-problem").textContent).toContain("not a valid JSON Schema");

    replaceText(schema, '{"type": "object", "properties": {"n": {"type": "integer"}}}');
    expect(markersIn(schema)).toEqual([]);
    expect(within(drawer).queryByTestId("opt-schema-error")).toBeNull();
    expect(within(drawer).getByTestId("opt-schema-ok")).toBeTruthy();
    expect(schema.dataset.invalid).toBe("false");
    expect(content.getAttribute("aria-invalid")).toBe("false");
    fireEvent.change(prompt, { target: { value: "" } });
    const run = await send(mock, "Three");
    expect(run?.request.outputSchema).toEqual({ type: "object", properties: { n: { type: "integer" } } });
    expect(mock.callsOf("check_output_schema").length).toBeGreaterThan(0);
  });

  it("shows JSON colours and leaves the editor with Tab", async () => {
    await openChat({ requestOptions: { "": { ...EMPTY_OPTIONS, outputSchema: '{"type": "object", "required": ["n"], "additionalProperties": false}' } } });
    const drawer = await openDrawer();
    const schema = await within(drawer).findByTestId("opt-schema");
    expect(schema.querySelector(".hljs-title")?.textContent).toBe('"type"');
    expect(schema.querySelector(".hljs-string")?.textContent).toBe('"object"');
    expect(schema.querySelector(".hljs-literal")?.textContent).toBe("false");

    const content = within(drawer).getByRole("textbox", { name: "Structured output" });
    const user = userEvent.setup();
    content.focus();
    await user.tab();
    expect(schema.contains(document.activeElement)).toBe(false);
  });

  it("lays a one-line schema out, and offers that only for JSON", async () => {
    const mock = await openChat();
    const drawer = await openDrawer();
    const schema = await within(drawer).findByTestId("opt-schema");
    const format = within(drawer).getByTestId<HTMLButtonElement>("opt-schema-format");
    expect(format.disabled).toBe(true);
    replaceText(schema, '{"type": "object", "required": [');
    expect(format.disabled).toBe(true);
    replaceText(schema, '{"type": "object", "required": ["n"]}');
    fireEvent.click(format);
    const laidOut = '{\n  "type": "object",\n  "required": [\n    "n"\n  ]\n}';
    expect(editorIn(schema).state.doc.toString()).toBe(laidOut);
    await waitFor(() => {
      expect(lastSaved(mock, "")?.outputSchema).toBe(laidOut);
    });
  });

  it("shows a structured answer as a JSON tree with Rust's verdict", async () => {
    const mock = await openChat({
      requestOptions: { "": { ...EMPTY_OPTIONS, outputSchema: '{"type": "object"}' } },
      handlers: {
        check_output_schema: () => ({ ok: true, error: null, pointer: null }),
        check_structured_answer: (args) =>
          (args.answer as Record<string, unknown>).count === 2
            ? { ok: true, error: null }
            : { ok: false, error: "/count: 2 was expected" },
      },
    });
    const run = await send(mock, "Count");
    if (!run) throw new Error("not sent");
    act(() => {
      run.send({ type: "answer_delta", delta: '{"count": 2, "names": ["a"]}' });
      run.end({ status: "completed", error: null });
    });
    await waitFor(() => {
      expect(screen.getByTestId("structured-check").textContent).toContain("Valid against the schema");
    });
    expect(screen.getByTestId("structured-tree").textContent).toContain("count: ");
    expect(mock.callsOf("check_structured_answer")[0]?.args).toEqual({
      schema: { type: "object" },
      answer: { count: 2, names: ["a"] },
    });

    // An answer that does not fit says where, and one that is not JSON says so.
    const second = await send(mock, "Count again");
    if (!second) throw new Error("not sent");
    act(() => {
      second.send({ type: "answer_delta", delta: '{"count": 3}' });
      second.end({ status: "completed", error: null });
    });
    await waitFor(() => {
      expect(screen.getByTestId("structured-check").textContent).toBe("✗ Does not match the schema: /count: 2 was expected");
    });
    const third = await send(mock, "Prose please");
    if (!third) throw new Error("not sent");
    act(() => {
      third.send({ type: "answer_delta", delta: "Sorry, here is prose." });
      third.end({ status: "completed", error: null });
    });
    await waitFor(() => {
      expect(screen.getByTestId("structured-check").textContent).toContain("not JSON");
    });
  });

  it("limits MCP connectors to five and sends them for the general assistant", async () => {
    const mock = await openChat();
    const drawer = await openDrawer();
    await within(drawer).findByRole("checkbox", { name: "notion" });
    fireEvent.click(within(drawer).getByRole("checkbox", { name: "notion" }));
    const input = within(drawer).getByRole("textbox", { name: "Connector identifier" });
    for (const id of ["c1", "c2", "c3", "c4"]) {
      fireEvent.change(input, { target: { value: id } });
      fireEvent.click(within(drawer).getByRole("button", { name: "Add" }));
    }
    expect(within(drawer).getByRole<HTMLInputElement>("checkbox", { name: "github" }).disabled).toBe(true);
    expect(within(drawer).getByRole<HTMLInputElement>("textbox", { name: "Connector identifier" }).disabled).toBe(true);
    const run = await send(mock, "Docs?");
    expect(run?.request.mcpServers).toEqual(["notion", "c1", "c2", "c3", "c4"]);
  });
});
