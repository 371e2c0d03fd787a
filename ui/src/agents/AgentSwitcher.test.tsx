import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App } from "../App";
import { DEMO, mockBackend } from "../test/mockBackend";
import { ALL } from "./testAgents";

async function openApp() {
  const mock = mockBackend({
    status: { connection: DEMO },
    handlers: {
      list_agents: () => ALL,
      agent_prefs: () => ({ favourites: ["cost_reporter"], recent: ["service_explorer"], notice: null }),
    },
  });
  render(<App />);
  await screen.findByTestId("prompt-input");
  await screen.findByRole("option", { name: "Incident Manager" });
  return mock;
}

function options(): { id: string | null; selected: string | null; disabled: string | null }[] {
  return screen.getAllByTestId("switcher-option").map((o) => ({
    id: o.getAttribute("data-agent"),
    selected: o.getAttribute("aria-selected"),
    disabled: o.getAttribute("aria-disabled"),
  }));
}

describe("Ctrl/Cmd+K agent switcher", () => {
  it("opens from anywhere as a labelled modal dialog, fuzzy-searches, and Enter opens Chat with the pick", async () => {
    const user = userEvent.setup();
    const mock = await openApp();
    // From another panel, with the focus somewhere else.
    fireEvent.click(screen.getByTestId("nav-history"));
    await user.keyboard("{Control>}k{/Control}");
    const dialog = screen.getByRole("dialog", { name: "Switch agent" });
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    const input = screen.getByTestId("switcher-input");
    expect(document.activeElement).toBe(input);
    // General assistant, favourites, recent, then the rest.
    expect(options().map((o) => o.id)).toEqual(["", "cost_reporter", "service_explorer", "incident_manager"]);
    expect(options().find((o) => o.id === "cost_reporter")?.disabled).toBe("true");

    await user.type(input, "incmgr");
    expect(options().map((o) => o.id)).toEqual(["incident_manager"]);
    await user.clear(input);
    await user.type(input, "e");
    const first = options()[0]?.id;
    await user.keyboard("{ArrowDown}");
    expect(options()[1]?.selected).toBe("true");
    expect(input.getAttribute("aria-activedescendant")).toBe(screen.getAllByTestId("switcher-option")[1]?.id);
    await user.keyboard("{ArrowUp}{ArrowUp}");
    expect(options().at(-1)?.selected).toBe("true");
    expect(first).toBeDefined();

    await user.clear(input);
    await user.type(input, "incident");
    await user.keyboard("{Enter}");
    expect(screen.queryByRole("dialog")).toBeNull();
    await waitFor(() => {
      expect(screen.getByTestId<HTMLSelectElement>("agent-select").value).toBe("incident_manager");
    });
    expect(mock.callsOf("note_agent_used").at(-1)?.args).toEqual({ identifier: "incident_manager" });
    expect(mock.callsOf("update_settings").at(-1)?.args).toMatchObject({ patch: { lastAgent: "incident_manager" } });
  });

  it("does not pick an inactive agent, keeps Tab inside, and Esc closes it giving the focus back", async () => {
    const user = userEvent.setup();
    const mock = await openApp();
    const prompt = screen.getByTestId("prompt-input");
    prompt.focus();
    await user.keyboard("{Control>}k{/Control}");
    const input = screen.getByTestId("switcher-input");
    await user.type(input, "cost");
    await user.keyboard("{Enter}");
    expect(screen.getByRole("dialog")).toBeTruthy();
    expect(mock.callsOf("note_agent_used")).toHaveLength(0);
    await user.tab();
    expect(screen.getByRole("dialog").contains(document.activeElement)).toBe(true);
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(prompt);
    // The header button opens it too.
    await user.click(screen.getByTestId("open-agent-switcher"));
    expect(screen.getByRole("dialog", { name: "Switch agent" })).toBeTruthy();
    await user.keyboard("{Control>}k{/Control}");
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});
