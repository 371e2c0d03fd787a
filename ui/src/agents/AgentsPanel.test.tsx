import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App } from "../App";
import type { AgentsSnapshot, Evaluation } from "../lib/backend";
import { DEMO, appError, fail, mockBackend, type Handler } from "../test/mockBackend";
import { ALL, EXPLORER } from "./testAgents";

const SAVED_AT = Date.UTC(2026, 0, 12, 9, 30);

function evaluation(patterns: readonly { text: string }[]): Evaluation {
  // Ten known tools; each valid pattern matches three, `(?i)` does not compile (as in Port).
  return {
    catalogRevision: 1,
    patterns: patterns.map((p) => ({
      valid: !p.text.startsWith("(?i)"),
      error: null,
      appliesTo: "port",
      matches: p.text.startsWith("(?i)") ? 0 : 3,
      lints: [],
    })),
    matchedBy: Array.from({ length: 10 }, (_, i) => (i < 5 ? [0] : [])),
    available: 5,
    checks: [],
    newTools: [],
    engineMicros: 12,
  };
}

async function openAgents(handlers: Record<string, Handler> = {}) {
  const mock = mockBackend({
    status: { connection: DEMO },
    handlers: {
      list_agents: () => ALL,
      evaluate_patterns: (args) => evaluation((args.request as { patterns: { text: string }[] }).patterns),
      ...handlers,
    },
  });
  render(<App />);
  fireEvent.click(await screen.findByTestId("nav-agents"));
  return mock;
}

function rowIds(): (string | null)[] {
  return screen.getAllByTestId("agent-row").map((row) => row.getAttribute("data-agent"));
}

describe("Agents panel", () => {
  it("shows the saved agents before Port answers, then Port's list and the refresh time", async () => {
    let answer!: (snapshot: AgentsSnapshot) => void;
    await openAgents({
      cached_agents: () => ({ agents: [EXPLORER], fetchedAtMs: SAVED_AT, notice: null }),
      refresh_agents: () =>
        new Promise<AgentsSnapshot>((resolve) => {
          answer = resolve;
        }),
    });
    await waitFor(() => {
      expect(rowIds()).toEqual(["", "service_explorer"]);
    });
    const status = screen.getByTestId("agents-refreshed");
    expect(status.textContent).toMatch(/^Saved .* ago/);
    expect(status.dataset.fromCache).toBe("true");
    answer({ agents: ALL, fetchedAtMs: Date.now(), notice: null });
    await waitFor(() => {
      expect(rowIds()).toEqual(["", "incident_manager", "service_explorer", "cost_reporter"]);
    });
    expect(screen.getByTestId("agents-refreshed").textContent).toMatch(/^Refreshed just now/);
  });

  it("keeps the saved agents on screen when Port cannot be reached, with the last refresh time", async () => {
    await openAgents({
      cached_agents: () => ({ agents: ALL, fetchedAtMs: SAVED_AT, notice: null }),
      refresh_agents: () => {
        fail(appError("network", "connection refused"));
      },
    });
    await screen.findByTestId("agents-error");
    expect(rowIds()).toHaveLength(4);
    const status = screen.getByTestId("agents-refreshed").textContent;
    expect(status).toContain("Port could not be reached");
    expect(status).toContain("2026");
  });

  it("says when the saved copy was unreadable, and still shows Port's list", async () => {
    await openAgents({
      cached_agents: () => ({ agents: [], fetchedAtMs: null, notice: "The saved agents could not be read (it is not valid JSON)." }),
    });
    expect((await screen.findByTestId("agents-notice")).textContent).toContain("could not be read");
    await waitFor(() => {
      expect(rowIds()).toHaveLength(4);
    });
  });

  it("searches and filters, the general assistant first and inactive agents shown but not invokable", async () => {
    const user = userEvent.setup();
    await openAgents();
    await waitFor(() => {
      expect(rowIds()).toHaveLength(4);
    });
    await user.type(screen.getByTestId("agents-search"), "inm");
    // The general assistant does not match "inm", so only the agent is left.
    expect(rowIds()).toEqual(["incident_manager"]);
    await user.clear(screen.getByTestId("agents-search"));
    await user.selectOptions(screen.getByTestId("agents-filter-status"), "inactive");
    expect(rowIds()).toEqual(["cost_reporter"]);
    await user.click(screen.getByText("Cloud Cost Reporter", { selector: ".agent-row-title" }));
    const details = screen.getByTestId("agent-details");
    expect(details.dataset.agent).toBe("cost_reporter");
    expect(within(details).getByTestId<HTMLButtonElement>("agent-chat").disabled).toBe(true);
    expect(within(details).getByTestId<HTMLButtonElement>("agent-starter").disabled).toBe(true);
    await user.selectOptions(screen.getByTestId("agents-filter-status"), "all");
    await user.selectOptions(screen.getByTestId("agents-filter-provider"), "port");
    expect(rowIds()).toEqual(["incident_manager"]);
    await user.selectOptions(screen.getByTestId("agents-filter-provider"), "");
    await user.selectOptions(screen.getByTestId("agents-filter-mode"), "Automatic");
    // The general assistant has no execution mode of its own, so a mode filter leaves it out.
    expect(rowIds()).toEqual(["service_explorer", "cost_reporter"]);
  });

  it("shows details with how many known tools each pattern matches, by the pattern engine", async () => {
    const user = userEvent.setup();
    const mock = await openAgents();
    await waitFor(() => {
      expect(rowIds()).toHaveLength(4);
    });
    await user.click(screen.getByText("Service Explorer"));
    const details = screen.getByTestId("agent-details");
    await waitFor(() => {
      expect(within(details).getAllByTestId("agent-pattern-count").map((c) => c.textContent)).toEqual([
        "3 of 10 known tools",
        "invalid: Port ignores it",
      ]);
    });
    expect(within(details).getByTestId("agent-patterns-total").textContent).toContain("5 of 10");
    expect(within(details).getByTestId("agent-execution").textContent).toBe("Automatic");
    const request = mock.callsOf("evaluate_patterns").at(-1)?.args.request as { patterns: { text: string }[] };
    expect(request.patterns.map((p) => p.text)).toEqual(EXPLORER.tools);
  });

  it("favourites an agent: saved, and listed right after the general assistant", async () => {
    const user = userEvent.setup();
    const mock = await openAgents({
      set_agent_favourite: (args) => ({ favourites: args.favourite ? [args.identifier] : [], recent: [], notice: null }),
    });
    await waitFor(() => {
      expect(rowIds()).toEqual(["", "incident_manager", "service_explorer", "cost_reporter"]);
    });
    // A list fetched just now is not asked for again when the panel opens.
    expect(mock.callsOf("refresh_agents")).toHaveLength(1);
    await user.click(screen.getByRole("button", { name: "Favourite Service Explorer" }));
    expect(mock.callsOf("set_agent_favourite").at(-1)?.args).toEqual({ identifier: "service_explorer", favourite: true });
    await waitFor(() => {
      expect(rowIds()).toEqual(["", "service_explorer", "incident_manager", "cost_reporter"]);
    });
    expect(screen.getByRole("button", { name: "Favourite Service Explorer" }).getAttribute("aria-pressed")).toBe("true");
  });

  it("a conversation starter opens Chat with that agent and the prompt in the composer", async () => {
    const user = userEvent.setup();
    const mock = await openAgents();
    await waitFor(() => {
      expect(rowIds()).toHaveLength(4);
    });
    await user.click(screen.getByText("Service Explorer"));
    await user.click(screen.getByRole("button", { name: "What depends on auth-service?" }));
    const prompt = await screen.findByTestId<HTMLTextAreaElement>("prompt-input");
    expect(prompt.value).toBe("What depends on auth-service?");
    expect(screen.getByTestId<HTMLSelectElement>("agent-select").value).toBe("service_explorer");
    expect(mock.callsOf("note_agent_used").at(-1)?.args).toEqual({ identifier: "service_explorer" });
    await user.click(screen.getByTestId("send-button"));
    expect(mock.runs.at(-1)?.request).toMatchObject({ agent: "service_explorer", prompt: "What depends on auth-service?" });
  });

  it("an agent asked from Chat's own picker counts as recently used", async () => {
    const user = userEvent.setup();
    const mock = mockBackend({ status: { connection: DEMO }, handlers: { list_agents: () => ALL } });
    render(<App />);
    await screen.findByRole("option", { name: "Incident Manager" });
    await user.selectOptions(screen.getByTestId("agent-select"), "incident_manager");
    await user.type(screen.getByTestId("prompt-input"), "Who is on call?");
    await user.click(screen.getByTestId("send-button"));
    await waitFor(() => {
      expect(mock.callsOf("note_agent_used").map((c) => c.args.identifier)).toEqual(["incident_manager"]);
    });
  });

  it("asks Port again on open when the list shown is older than five minutes", async () => {
    const mock = mockBackend({
      status: { connection: DEMO },
      handlers: {
        list_agents: () => ALL,
        refresh_agents: () => ({ agents: ALL, fetchedAtMs: Date.now() - 10 * 60_000, notice: null }),
      },
    });
    render(<App />);
    await screen.findByRole("option", { name: "Incident Manager" });
    expect(mock.callsOf("refresh_agents")).toHaveLength(1);
    fireEvent.click(screen.getByTestId("nav-agents"));
    await waitFor(() => {
      expect(mock.callsOf("refresh_agents")).toHaveLength(2);
    });
  });
});
