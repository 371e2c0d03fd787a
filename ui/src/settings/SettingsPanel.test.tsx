import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App } from "../App";
import type { ProfileSummary } from "../lib/backend";
import { patternHandlers } from "../test/fakePatterns";
import { DEMO, appError, fail, mockBackend } from "../test/mockBackend";

const WORK: ProfileSummary = {
  name: "work",
  target: { kind: "region", region: "eu", legacy: false },
  targetLabel: "EU (api.port.io)",
  auth: "client_secret",
  maskedClientId: "abcd…wxyz",
  configured: true,
  isDefault: true,
};
const CI: ProfileSummary = {
  name: "ci",
  target: { kind: "custom", baseUrl: "https://port.internal" },
  targetLabel: "https://port.internal",
  auth: "access_token",
  maskedClientId: null,
  configured: false,
  isDefault: false,
};

async function openSettings(handlers: Parameters<typeof mockBackend>[0] = {}) {
  const mock = mockBackend({
    status: { connection: DEMO, hasProfiles: true },
    ...handlers,
    handlers: { list_profiles: () => [WORK, CI], ...handlers.handlers },
  });
  render(<App />);
  fireEvent.click(await screen.findByTestId("nav-settings"));
  await screen.findAllByTestId("profile-row");
  return mock;
}

function row(name: string): HTMLElement {
  const found = screen.getAllByTestId("profile-row").find((r) => r.getAttribute("data-profile-name") === name);
  if (!found) throw new Error(`no row ${name}`);
  return found;
}

describe("Settings", () => {
  it("lists profiles without secrets: target, auth kind, masked client ID, configured, default", async () => {
    await openSettings();
    expect(screen.getByTestId("nav-settings").getAttribute("aria-current")).toBe("page");
    const work = row("work");
    expect(work.textContent).toContain("EU (api.port.io)");
    expect(work.textContent).toContain("abcd…wxyz");
    expect(work.textContent).toContain("configured");
    expect(within(work).getByLabelText("default")).toBeTruthy();
    expect(row("ci").textContent).toMatch(/secret missing/);
  });

  it("tests a profile and shows the remaining quota, or the error with its code", async () => {
    await openSettings({
      handlers: {
        test_profile: (args) => {
          if (args.name === "work") return { remainingQuota: 41, monthlyLimit: 50 };
          fail(appError("secret_missing", "The access token of profile \"ci\" is not in the OS keychain."));
        },
      },
    });
    fireEvent.click(within(row("work")).getByTestId("profile-test"));
    expect((await within(row("work")).findByTestId("profile-test-result")).textContent).toContain("41 of 50");
    fireEvent.click(within(row("ci")).getByTestId("profile-test"));
    const result = await within(row("ci")).findByTestId("profile-test-result");
    expect(result.querySelector("[data-error-code]")?.getAttribute("data-error-code")).toBe("secret_missing");
  });

  it("removes a profile only after confirmation", async () => {
    const mock = await openSettings({ handlers: { remove_profile: () => null } });
    fireEvent.click(within(row("ci")).getByTestId("profile-remove"));
    expect(mock.callsOf("remove_profile")).toHaveLength(0);
    fireEvent.click(within(row("ci")).getByTestId("profile-remove-confirm"));
    await waitFor(() => {
      expect(mock.callsOf("remove_profile")).toEqual([{ cmd: "remove_profile", args: { name: "ci" } }]);
    });
  });

  it("edits a profile keeping the stored secret when the secret is left blank", async () => {
    const mock = await openSettings({ handlers: { update_profile: () => ({ ...WORK, isDefault: true }) } });
    fireEvent.click(within(row("work")).getByRole("button", { name: "Edit" }));
    const user = userEvent.setup();
    expect(screen.getByTestId<HTMLInputElement>("profile-name").readOnly).toBe(true);
    await user.selectOptions(screen.getByTestId("profile-region"), "us");
    await user.click(screen.getByTestId("profile-save"));
    await waitFor(() => {
      expect(mock.callsOf("update_profile")).toEqual([
        { cmd: "update_profile", args: { name: "work", target: { kind: "region", region: "us", legacy: false }, secret: null } },
      ]);
    });
  });

  it("sets the default profile and connects to one", async () => {
    const mock = await openSettings({
      handlers: {
        set_default_profile: () => null,
        connect_profile: () => ({ kind: "profile", profileName: "ci", label: "ci · https://port.internal", baseUrl: "https://port.internal" }),
      },
    });
    fireEvent.click(within(row("ci")).getByRole("button", { name: "Set default" }));
    await waitFor(() => {
      expect(mock.callsOf("set_default_profile")[0]?.args).toEqual({ name: "ci" });
    });
    fireEvent.click(within(row("ci")).getByTestId("profile-connect"));
    await waitFor(() => {
      expect(screen.getByTestId("workspace-label").textContent).toContain("ci · https://port.internal");
    });
  });

  it("switches the theme and applies it", async () => {
    const mock = await openSettings();
    fireEvent.change(screen.getByTestId("theme-select"), { target: { value: "dark" } });
    await waitFor(() => {
      expect(document.documentElement.dataset.theme).toBe("dark");
    });
    expect(mock.callsOf("update_settings")[0]?.args).toEqual({ patch: { theme: "dark", defaultTools: null, lastAgent: null } });
  });

  it("lists the default tool patterns and opens Tools to edit them", async () => {
    await openSettings({ handlers: patternHandlers() });
    const section = screen.getByRole("region", { name: "Default tool patterns" });
    fireEvent.click(within(section).getByTestId("settings-edit-tools"));
    expect(await screen.findByTestId("pattern-set-target", {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByTestId("nav-tools").getAttribute("aria-current")).toBe("page");
  });
});
