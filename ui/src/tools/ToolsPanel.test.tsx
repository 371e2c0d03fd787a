import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { App } from "../App";
import type { Preferences } from "../lib/backend";
import { replaceText } from "../test/codeField";
import { PORT_PREFERENCES, patternHandlers } from "../test/fakePatterns";
import { DEMO, mockBackend, type MockBackend } from "../test/mockBackend";

// jsdom lays nothing out: give scroll boxes a height so the virtual lists draw their rows.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(600);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(800);
});

function present<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error("missing element");
  return value;
}

async function openTools(handlers = patternHandlers(), settings = {}): Promise<MockBackend> {
  const mock = mockBackend({ status: { connection: DEMO }, settings, handlers });
  render(<App />);
  fireEvent.click(await screen.findByTestId("nav-tools"));
  // The panel loads in its own chunk: the first import can take a moment.
  await screen.findByText(/of 6 available/, {}, { timeout: 5000 });
  return mock;
}

/** Replaces a pattern row's text through CodeMirror, as typing does. */
function typeInto(row: number, text: string) {
  replaceText(screen.getAllByTestId("pattern-input")[row], text);
}

function matchedTools(): string[] {
  return screen
    .getAllByTestId("result-tool")
    .filter((el) => el.dataset.matched === "true")
    .map((el) => el.dataset.tool ?? "");
}

describe("Tools: the live matcher", () => {
  it("starts from the saved default and shows what it lets in, grouped, with the deciding pattern", async () => {
    await openTools();
    expect(screen.getAllByTestId("pattern-row")).toHaveLength(1);
    expect(matchedTools()).toEqual(["list_entities", "list_blueprints"]);
    const groups = screen.getAllByTestId("result-group").map((g) => g.dataset.group);
    expect(groups).toEqual(["Port · entities", "Port · blueprints", "Actions", "Connector · notion"]);
    const listed = screen.getAllByTestId("result-tool").find((el) => el.dataset.tool === "list_entities");
    expect(listed?.textContent).toContain("#1");
    expect(screen.getByTestId("pattern-count").textContent).toBe("2");
  });

  it("re-evaluates in Rust on every edit, shows an invalid pattern's error, and recovers when fixed", async () => {
    const mock = await openTools();
    const before = mock.callsOf("evaluate_patterns").length;
    typeInto(0, "list_(");
    await waitFor(() => {
      expect(screen.getByTestId("pattern-row").dataset.status).toBe("invalid");
    });
    expect(screen.getByTestId("pattern-problem").textContent).toMatch(/Port would ignore/);
    expect(screen.getByTestId("match-summary").textContent).toBe("0 of 6 available");
    typeInto(0, "list_(entities)");
    await waitFor(() => {
      expect(screen.getByTestId("pattern-row").dataset.status).toBe("ok");
    });
    expect(matchedTools()).toEqual(["list_entities"]);
    expect(mock.callsOf("evaluate_patterns").length).toBeGreaterThan(before);
    expect(mock.callsOf("evaluate_patterns").at(-1)?.args).toEqual({
      request: { patterns: [{ text: "list_(entities)", enabled: true }], checks: [] },
    });
  });

  it("adds, toggles, reorders and removes patterns; the connector rule decides what reaches notion", async () => {
    await openTools();
    fireEvent.click(screen.getByTestId("pattern-add"));
    await waitFor(() => {
      expect(screen.getAllByTestId("pattern-row")).toHaveLength(2);
    });
    typeInto(1, "^notion_.*");
    await waitFor(() => {
      expect(screen.getAllByTestId("pattern-row")[1]?.dataset.status).toBe("lint");
    });
    expect(matchedTools()).not.toContain("notion_notion-search");
    typeInto(1, "notion_.*");
    await waitFor(() => {
      expect(matchedTools()).toContain("notion_notion-search");
    });
    fireEvent.click(present(screen.getAllByTestId("pattern-toggle")[0]));
    await waitFor(() => {
      expect(matchedTools()).toEqual(["notion_notion-search"]);
    });
    fireEvent.click(screen.getByRole("button", { name: "Move pattern 2 up" }));
    await waitFor(() => {
      expect(screen.getAllByTestId("pattern-row")[0]?.textContent).toContain("notion_.*");
    });
    fireEvent.click(present(screen.getAllByTestId("pattern-remove")[0]));
    await waitFor(() => {
      expect(screen.getAllByTestId("pattern-row")).toHaveLength(1);
    });
  });

  it("pastes Port's JSON array, copies it back, and saves the set as the default", async () => {
    const mock = await openTools();
    fireEvent.click(screen.getByTestId("patterns-edit-json"));
    const json = screen.getByTestId("patterns-json");
    fireEvent.change(json, { target: { value: '{"tools": ["^run_.*", "list_entities"]}' } });
    fireEvent.click(screen.getByTestId("patterns-json-apply"));
    await waitFor(() => {
      expect(screen.getAllByTestId("pattern-row")).toHaveLength(2);
    });
    await waitFor(() => {
      expect(matchedTools()).toEqual(["list_entities", "run_action"]);
    });
    fireEvent.click(screen.getByTestId("patterns-edit-json"));
    expect(screen.getByTestId<HTMLTextAreaElement>("patterns-json").value).toBe('[\n  "^run_.*",\n  "list_entities"\n]');
    fireEvent.change(screen.getByTestId("patterns-json"), { target: { value: "[1]" } });
    fireEvent.click(screen.getByTestId("patterns-json-apply"));
    expect(screen.getByRole("alert").textContent).toMatch(/Item 1 is not a string/);

    fireEvent.click(screen.getByTestId("pattern-set-save"));
    await waitFor(() => {
      expect(mock.callsOf("save_default_pattern_set")).toHaveLength(1);
    });
    expect(mock.callsOf("save_agent_pattern_set")).toHaveLength(0);
    expect(mock.callsOf("save_default_pattern_set")[0]?.args).toEqual({
      set: { patterns: ["^run_.*", "list_entities"], checks: [] },
    });
  });

  it("applies a preset from Port's docs", async () => {
    await openTools();
    const select = await screen.findByTestId("preset-select");
    await within(select).findByText("Read-only operations");
    fireEvent.change(select, { target: { value: "read-only" } });
    fireEvent.click(screen.getByTestId("preset-replace"));
    await waitFor(() => {
      expect(screen.getByTestId("pattern-row").textContent).toContain("^(list|search|track|describe)_.*");
    });
  });
});

describe("Tools: approval preferences", () => {
  it("edits a copy, previews the diff, saves, and shows Port's confirmation; newer modes are kept", async () => {
    const mock = await openTools();
    fireEvent.click(screen.getByTestId("tools-tab-approvals"));
    const rows = await screen.findAllByTestId("approval-row");
    const row = (tool: string) => present(rows.find((r) => r.dataset.tool === tool));
    expect(row("delete_entity").dataset.state).toBe("sometimes");
    expect(row("delete_entity").textContent).toMatch(/kept as is/);
    fireEvent.click(within(row("run_action")).getByTestId("mode-automatic"));
    fireEvent.click(within(row("upsert_entity")).getByTestId("mode-disabled"));
    expect(screen.getByTestId("approvals-state").textContent).toBe("Unsaved changes");

    fireEvent.click(screen.getByTestId("approvals-review"));
    const diff = await screen.findByTestId("approvals-diff");
    const changes = within(diff)
      .getAllByTestId("approvals-change")
      .map((c) => `${c.dataset.tool}:${c.dataset.before}>${c.dataset.after}`);
    expect(changes).toEqual(["run_action:approval>automatic", "upsert_entity:default>disabled"]);

    fireEvent.click(screen.getByTestId("approvals-save"));
    const outcome = await screen.findByTestId("approvals-outcome");
    expect(outcome.dataset.confirmed).toBe("true");
    const sent = mock.callsOf("save_approvals")[0]?.args as { base: Preferences; desired: Preferences; force: boolean };
    expect(sent.base).toEqual(PORT_PREFERENCES);
    expect(sent.force).toBe(false);
    expect(sent.desired.toolOverrides).toEqual({ run_action: "automatic", list_entities: "automatic", delete_entity: "sometimes" });
    expect(sent.desired.disabledTools).toEqual(["upsert_entity"]);
    expect(screen.getByTestId("approvals-state").textContent).toBe("Matches what Port holds");
  });

  it("shows Port's changes when its copy moved on, and saves over it only when asked", async () => {
    const current: Preferences = { ...PORT_PREFERENCES, disabledTools: ["list_entities"] };
    let calls = 0;
    const mock = await openTools(
      patternHandlers({
        onSave: (args) => {
          calls++;
          return calls === 1
            ? { status: "conflict", loaded: PORT_PREFERENCES, current, theirChanges: [{ tool: "list_entities", before: "automatic", after: "disabled" }] }
            : { status: "saved", held: args.desired as Preferences, changes: [], mismatches: [{ tool: "run_action", wanted: "automatic", held: "approval" }] };
        },
      }),
    );
    fireEvent.click(screen.getByTestId("tools-tab-approvals"));
    const rows = await screen.findAllByTestId("approval-row");
    fireEvent.click(within(present(rows.find((r) => r.dataset.tool === "run_action"))).getByTestId("mode-automatic"));
    fireEvent.click(screen.getByTestId("approvals-review"));
    fireEvent.click(await screen.findByTestId("approvals-save"));
    const conflict = await screen.findByTestId("approvals-conflict");
    expect(within(conflict).getByTestId("approvals-their-change").dataset.tool).toBe("list_entities");
    fireEvent.click(screen.getByTestId("approvals-keep-mine"));
    const outcome = await screen.findByTestId("approvals-outcome");
    expect(outcome.dataset.confirmed).toBe("false");
    expect(within(outcome).getByTestId("approvals-mismatch").dataset.tool).toBe("run_action");
    const second = mock.callsOf("save_approvals")[1]?.args as { base: Preferences; force: boolean };
    expect(second.force).toBe(true);
    // Mine go on top of Port's copy: the changes are still counted from what was loaded.
    expect(second.base).toEqual(PORT_PREFERENCES);
  });
});
