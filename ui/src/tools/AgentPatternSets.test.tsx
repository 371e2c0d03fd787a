import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { App } from "../App";
import { agent } from "../agents/testAgents";
import type { SavedPatternSet } from "../lib/backend";
import { editorIn } from "../test/codeField";
import { patternHandlers } from "../test/fakePatterns";
import { DEMO, mockBackend, type MockBackend } from "../test/mockBackend";

// jsdom lays nothing out: give scroll boxes a height so the virtual lists draw their rows.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(600);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(800);
});

const OPS = agent("ops", { title: "Ops helper", tools: ["^get_.*"] });
const WORK = { kind: "profile", profileName: "work", label: "work · EU", baseUrl: "https://api.port.io" } as const;

async function openTools() {
  fireEvent.click(await screen.findByTestId("nav-tools"));
  await screen.findByText(/of 6 available/, {}, { timeout: 5000 });
  await screen.findByRole("option", { name: "Agent: Ops helper" });
}

/** The set being edited, as its pattern rows show it. */
function shownPatterns(): string[] {
  return screen.queryAllByTestId("pattern-input").map((host) => editorIn(host).state.doc.toString());
}

function editOps() {
  fireEvent.change(screen.getByTestId("pattern-set-target"), { target: { value: "ops" } });
}

async function switchTo(mock: MockBackend, connection: unknown) {
  await act(async () => {
    await mock.emit("connection-changed", { connection });
  });
  await screen.findByTestId("prompt-input");
}

/** The ops agent picked in Tools while the workspace's saved sets (ops: `^run_.*`) are still
 *  being read, so it shows its tools from Port; the returned function lets the read land. */
async function opsPickedBeforeSetsRead(): Promise<() => Promise<void>> {
  const pending: (() => void)[] = [];
  mockBackend({
    status: { connection: DEMO },
    handlers: {
      ...patternHandlers(),
      list_agents: () => [OPS],
      agent_pattern_sets: () =>
        new Promise((resolve) => {
          pending.push(() => {
            resolve({ sets: { ops: { patterns: ["^run_.*"], checks: [] } }, notice: null });
          });
        }),
    },
  });
  render(<App />);
  await openTools();
  editOps();
  await waitFor(() => {
    expect(shownPatterns()).toEqual(["^get_.*"]);
  });
  expect(pending.length).toBeGreaterThan(0);
  return async () => {
    await act(async () => {
      for (const resolve of pending.splice(0)) resolve();
      await Promise.resolve();
    });
  };
}

describe("Tools: pattern sets saved per workspace and agent", () => {
  it("shows each organisation's own set for its ops agent, and saves into the open one", async () => {
    const byWorkspace: Record<string, Partial<Record<string, SavedPatternSet>>> = {
      demo: { ops: { patterns: ["^run_.*"], checks: [] } },
      work: { ops: { patterns: ["^list_.*", "^search_.*"], checks: [{ tool: "list_entities", expect: "match" }] } },
    };
    let open = "demo";
    const mock = mockBackend({
      status: { connection: DEMO },
      handlers: {
        ...patternHandlers(),
        list_agents: () => [OPS],
        agent_pattern_sets: () => ({ sets: { ...byWorkspace[open] }, notice: null }),
        save_agent_pattern_set: (args) => {
          const sets = { ...byWorkspace[open], [args.agent as string]: args.set as SavedPatternSet };
          byWorkspace[open] = sets;
          return { sets, notice: null };
        },
      },
    });
    render(<App />);
    await openTools();
    editOps();
    await waitFor(() => {
      expect(shownPatterns()).toEqual(["^run_.*"]);
    });
    expect(screen.getByTestId("pattern-set-state").textContent).toBe("Saved");

    // Another organisation with an agent of the same identifier: its own set, not the demo's.
    open = "work";
    await switchTo(mock, WORK);
    await openTools();
    editOps();
    await waitFor(() => {
      expect(shownPatterns()).toEqual(["^list_.*", "^search_.*"]);
    });
    expect(screen.getByTestId("pattern-set-state").textContent).toBe("Saved");

    // A change saved here goes to this workspace only.
    fireEvent.click(screen.getByTestId("patterns-edit-json"));
    fireEvent.change(screen.getByTestId("patterns-json"), { target: { value: '["^list_.*"]' } });
    fireEvent.click(screen.getByTestId("patterns-json-apply"));
    await waitFor(() => {
      expect(screen.getByTestId("pattern-set-state").textContent).toBe("Unsaved changes");
    });
    fireEvent.click(screen.getByTestId("pattern-set-save"));
    await waitFor(() => {
      expect(screen.getByTestId("pattern-set-state").textContent).toBe("Saved");
    });
    expect(mock.callsOf("save_agent_pattern_set").map((c) => c.args)).toEqual([
      { agent: "ops", set: { patterns: ["^list_.*"], checks: [{ tool: "list_entities", expect: "match" }] } },
    ]);
    expect(mock.callsOf("save_default_pattern_set")).toHaveLength(0);

    // Back in the demo: its set is as it was.
    open = "demo";
    await switchTo(mock, DEMO);
    await openTools();
    editOps();
    await waitFor(() => {
      expect(shownPatterns()).toEqual(["^run_.*"]);
    });
    expect(byWorkspace.demo).toEqual({ ops: { patterns: ["^run_.*"], checks: [] } });
    expect(mock.callsOf("agent_pattern_sets")).toHaveLength(3);
  });

  it("a target picked before the saved sets were read shows its saved set once they arrive", async () => {
    const arrive = await opsPickedBeforeSetsRead();
    await arrive();
    await waitFor(() => {
      expect(shownPatterns()).toEqual(["^run_.*"]);
    });
    expect(screen.getByTestId("pattern-set-state").textContent).toBe("Saved");
  });

  it("an edit made before the saved sets arrive is not replaced by them", async () => {
    const arrive = await opsPickedBeforeSetsRead();
    fireEvent.click(screen.getByTestId("patterns-edit-json"));
    fireEvent.change(screen.getByTestId("patterns-json"), { target: { value: '["^list_.*"]' } });
    fireEvent.click(screen.getByTestId("patterns-json-apply"));
    await waitFor(() => {
      expect(shownPatterns()).toEqual(["^list_.*"]);
    });
    await arrive();
    // The read landed (the agent's saved set is known now) and the edit stayed.
    await waitFor(() => {
      expect(screen.getByTestId("pattern-set-state").textContent).toBe("Unsaved changes");
    });
    expect(shownPatterns()).toEqual(["^list_.*"]);
  });

  it("without a set saved in the workspace, shows the agent's tools from Port", async () => {
    mockBackend({ status: { connection: DEMO }, handlers: { ...patternHandlers(), list_agents: () => [OPS] } });
    render(<App />);
    await openTools();
    editOps();
    await waitFor(() => {
      expect(shownPatterns()).toEqual(["^get_.*"]);
    });
    expect(screen.getByText(/Showing this agent's tools as set in Port/)).toBeTruthy();
  });

  it("says so when the workspace's saved choices could not be read", async () => {
    mockBackend({
      status: { connection: DEMO },
      handlers: {
        ...patternHandlers(),
        agent_pattern_sets: () => ({ sets: {}, notice: "Your saved agent choices could not be read (x) and start empty." }),
      },
    });
    render(<App />);
    expect(await screen.findByText(/saved agent choices could not be read/)).toBeTruthy();
  });
});
