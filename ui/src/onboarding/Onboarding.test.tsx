import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App } from "../App";
import type { ProfileSummary } from "../lib/backend";
import { appError, fail, mockBackend } from "../test/mockBackend";

const SECRET = "pd-canary-secret-1234";

const WORK: ProfileSummary = {
  name: "work",
  target: { kind: "custom", baseUrl: "http://127.0.0.1:8765" },
  targetLabel: "http://127.0.0.1:8765",
  auth: "client_secret",
  maskedClientId: "demo…t-id",
  configured: true,
  isDefault: true,
};

const WORK_CONNECTION = {
  kind: "profile" as const,
  profileName: "work",
  label: "work · http://127.0.0.1:8765",
  baseUrl: "http://127.0.0.1:8765",
};

async function fillConnectForm() {
  const user = userEvent.setup();
  await user.click(await screen.findByTestId("onboarding-connect"));
  await user.type(screen.getByTestId("profile-name"), "work");
  await user.selectOptions(screen.getByTestId("profile-region"), "custom");
  await user.type(screen.getByTestId("profile-base-url"), "http://127.0.0.1:8765");
  await user.type(screen.getByTestId("profile-client-id"), "demo-client-id");
  await user.type(screen.getByTestId("profile-client-secret"), SECRET);
  return user;
}

describe("onboarding", () => {
  it("offers both choices when no workspace is open", async () => {
    mockBackend();
    render(<App />);
    expect(await screen.findByTestId("onboarding-connect")).toBeTruthy();
    expect(screen.getByTestId("onboarding-demo")).toBeTruthy();
    expect(screen.queryByTestId("prompt-input")).toBeNull();
  });

  it("opens the demo workspace and shows the Chat", async () => {
    const mock = mockBackend();
    render(<App />);
    fireEvent.click(await screen.findByTestId("onboarding-demo"));
    expect(await screen.findByTestId("prompt-input")).toBeTruthy();
    expect(mock.callsOf("connect_demo")).toHaveLength(1);
    expect(screen.getByTestId("workspace-label").textContent).toContain("Demo workspace");
    expect(screen.queryByTestId("onboarding-demo")).toBeNull();
  });

  it("shows the demo's error with its code", async () => {
    mockBackend({
      handlers: {
        connect_demo: () => {
          fail(appError("demo_unavailable", "the demo workspace could not start: port in use"));
        },
      },
    });
    render(<App />);
    fireEvent.click(await screen.findByTestId("onboarding-demo"));
    const alert = await screen.findByText(/port in use/);
    expect(alert.closest("[data-error-code]")?.getAttribute("data-error-code")).toBe("demo_unavailable");
  });

  it("saves the profile, then connects to it", async () => {
    const mock = mockBackend({
      handlers: { add_profile: () => WORK, connect_profile: () => WORK_CONNECTION },
    });
    render(<App />);
    const user = await fillConnectForm();
    await user.click(screen.getByTestId("profile-save"));

    expect(await screen.findByTestId("prompt-input")).toBeTruthy();
    const order = mock.calls.map((c) => c.cmd).filter((c) => c === "add_profile" || c === "connect_profile");
    expect(order).toEqual(["add_profile", "connect_profile"]);
    expect(mock.callsOf("add_profile")[0]?.args).toEqual({
      name: "work",
      target: { kind: "custom", baseUrl: "http://127.0.0.1:8765" },
      secret: { kind: "clientSecret", clientId: "demo-client-id", clientSecret: SECRET },
    });
    expect(mock.callsOf("connect_profile")[0]?.args).toEqual({ name: "work" });
    expect(screen.getByTestId("workspace-label").textContent).toContain("work");
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it("clears the secret once saved and explains a locked keychain", async () => {
    mockBackend({
      handlers: {
        add_profile: () => WORK,
        connect_profile: () => {
          fail(appError("keychain_locked", "The keychain is locked."));
        },
      },
    });
    render(<App />);
    const user = await fillConnectForm();
    await user.click(screen.getByTestId("profile-save"));

    const error = await screen.findByTestId("profile-error");
    expect(error.getAttribute("data-error-code")).toBe("keychain_locked");
    expect(within(error).getByText("keychain_locked")).toBeTruthy();
    expect(error.textContent).toMatch(/Unlock your keychain/);
    // The secret went to Rust once and is gone from the form.
    expect(screen.getByTestId<HTMLInputElement>("profile-client-secret").value).toBe("");
    expect(screen.getByTestId<HTMLInputElement>("profile-client-id").value).toBe("");
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(screen.queryByTestId("prompt-input")).toBeNull();
  });

  it("explains an unavailable keychain when saving fails, keeping the typed secret for a retry", async () => {
    mockBackend({
      handlers: {
        add_profile: () => {
          fail(appError("keychain_unavailable", "No Secret Service is running."));
        },
      },
    });
    render(<App />);
    const user = await fillConnectForm();
    await user.click(screen.getByTestId("profile-save"));
    const error = await screen.findByTestId("profile-error");
    expect(error.getAttribute("data-error-code")).toBe("keychain_unavailable");
    expect(error.textContent).toMatch(/Secret Service/);
  });

  it("tests typed-in credentials without saving them, and shows auth_failed with what to check", async () => {
    const mock = mockBackend({
      handlers: {
        test_credentials: () => {
          fail(appError("auth_failed", "Port refused the credentials (401).", { status: 401 }));
        },
      },
    });
    render(<App />);
    const user = await fillConnectForm();
    await user.click(screen.getByTestId("profile-test"));

    const result = await screen.findByTestId("profile-test-result");
    expect(result.querySelector("[data-error-code]")?.getAttribute("data-error-code")).toBe("auth_failed");
    expect(result.textContent).toMatch(/Check the client ID and secret/);
    expect(mock.callsOf("test_credentials")[0]?.args).toEqual({
      target: { kind: "custom", baseUrl: "http://127.0.0.1:8765" },
      secret: { kind: "clientSecret", clientId: "demo-client-id", clientSecret: SECRET },
    });
    // Nothing was saved: no profile, no keychain entry, and the typed secret stays for a retry.
    expect(mock.callsOf("add_profile")).toHaveLength(0);
    expect(mock.callsOf("update_profile")).toHaveLength(0);
    expect(screen.getByTestId<HTMLInputElement>("profile-client-secret").value).toBe(SECRET);
  });

  it("asks for the secret before sending anything", async () => {
    const mock = mockBackend();
    render(<App />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("onboarding-connect"));
    await user.type(screen.getByTestId("profile-name"), "work");
    await user.click(screen.getByTestId("profile-save"));
    expect(await screen.findByText("Enter both the client ID and the client secret.")).toBeTruthy();
    expect(mock.callsOf("add_profile")).toHaveLength(0);
  });

  it("sends an access token profile for a region", async () => {
    const mock = mockBackend({
      handlers: { add_profile: () => ({ ...WORK, auth: "access_token" }), connect_profile: () => WORK_CONNECTION },
    });
    render(<App />);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("onboarding-connect"));
    await user.type(screen.getByTestId("profile-name"), "us-org");
    await user.selectOptions(screen.getByTestId("profile-region"), "us");
    await user.selectOptions(screen.getByTestId("profile-auth-kind"), "access_token");
    await user.type(screen.getByTestId("profile-token"), "tok-123");
    await user.click(screen.getByTestId("profile-save"));
    await screen.findByTestId("prompt-input");
    expect(mock.callsOf("add_profile")[0]?.args).toEqual({
      name: "us-org",
      target: { kind: "region", region: "us", legacy: false },
      secret: { kind: "accessToken", token: "tok-123" },
    });
  });
});
