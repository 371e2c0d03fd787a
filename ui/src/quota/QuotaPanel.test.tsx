import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { App } from "../App";
import { DEMO, mockBackend, quotaFigures } from "../test/mockBackend";

describe("Quota", () => {
  it("shows the window in real units with a reset countdown, the month with pace, and follows new figures", async () => {
    const mock = mockBackend({ status: { connection: DEMO } });
    render(<App />);
    await screen.findByTestId("prompt-input");
    // The chip shows the monthly quota left at all times, and Port is asked once on start.
    await waitFor(() => {
      expect(screen.getByTestId("quota-chip").textContent).toContain("412 / 500 left");
    });
    expect(mock.callsOf("refresh_quota")).toHaveLength(1);

    fireEvent.click(screen.getByTestId("quota-chip"));
    const calls = await screen.findByTestId("gauge-calls");
    expect(calls.textContent).toContain("197");
    expect(calls.textContent).toContain("of 200 calls left");
    expect(screen.getByTestId("gauge-tokens").textContent).toContain("494,000");
    expect(screen.getByTestId("window-reset").textContent).toMatch(/^Resets in 0:4[0-2]$/);
    expect(screen.getByTestId("window-updated").textContent).toMatch(/updated \d s ago/);
    const monthly = screen.getByRole("region", { name: "Monthly quota" });
    expect(monthly.textContent).toContain("412");
    expect(monthly.textContent).toMatch(/November 2025/);
    expect(screen.getByTestId("monthly-pace").textContent).toContain("slower than even");
    expect(screen.getByTestId("monthly-projection").textContent).toBe("Shown after 2 days of history");

    const later = quotaFigures();
    if (later.window) later.window.remainingRequests = 150;
    mock.callsOf("quota_figures").length = 0;
    await act(async () => {
      await mock.emit("quota-figures-changed", { profile: "demo" });
    });
    await waitFor(() => {
      expect(mock.callsOf("quota_figures").length).toBeGreaterThan(0);
    });
  });

  it("says so when the organisation has its own LLM provider", async () => {
    mockBackend({
      status: { connection: DEMO },
      handlers: {
        quota_figures: () => quotaFigures({ ownProvider: true, window: null, monthly: null }),
        refresh_quota: () => quotaFigures({ ownProvider: true, window: null, monthly: null }),
      },
    });
    render(<App />);
    await waitFor(() => {
      expect(screen.getByTestId("quota-chip").textContent).toContain("No Port limits");
    });
    fireEvent.click(screen.getByTestId("nav-quota"));
    expect((await screen.findByTestId("quota-own-provider")).textContent).toContain("no Port limits");
    expect(screen.queryByTestId("gauge-calls")).toBeNull();
  });

  it("shows a banner for a threshold crossed and saves thresholds", async () => {
    const mock = mockBackend({ status: { connection: DEMO } });
    render(<App />);
    await screen.findByTestId("prompt-input");
    // Listeners register asynchronously: emit until the banner's listener has heard it.
    await waitFor(async () => {
      await act(async () => {
        await mock.emit("quota-alert-raised", {
          alert: { profile: "demo", metric: "requests", message: "18 of 200 LLM calls in this window left (9 %, threshold 10 %)" },
        });
      });
      expect(screen.getByTestId("quota-banner")).toBeTruthy();
    });
    expect(screen.getAllByTestId("quota-banner")).toHaveLength(1);
    const banner = screen.getByTestId("quota-banner");
    expect(banner.textContent).toContain("Quota threshold crossed: 18 of 200 LLM calls");

    fireEvent.click(screen.getByTestId("nav-quota"));
    const input = await screen.findByTestId("threshold-warnRequestsPercent");
    fireEvent.change(input, { target: { value: "25" } });
    fireEvent.click(screen.getByTestId("thresholds-save"));
    await waitFor(() => {
      expect(mock.callsOf("set_quota_preferences")).toHaveLength(1);
    });
    const saved = mock.callsOf("set_quota_preferences")[0]?.args.preferences as { warnRequestsPercent: number };
    expect(saved.warnRequestsPercent).toBe(25);
  });

  it("draws invocations per day, agent and chat mode from the history", async () => {
    const today = new Date().toISOString().slice(0, 10);
    mockBackend({
      status: { connection: DEMO },
      handlers: {
        quota_usage: () => [
          { day: today, agent: null, chatMode: null, count: 2 },
          { day: today, agent: "incident_manager", chatMode: "plan", count: 5 },
        ],
      },
    });
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-quota"));
    await waitFor(() => {
      const bars = screen.getByTestId("chart-per-day").querySelectorAll("rect");
      expect(bars[bars.length - 1]?.getAttribute("data-count")).toBe("7");
    });
    expect(screen.getByTestId("chart-per-agent").textContent).toContain("incident_manager5");
    expect(screen.getByTestId("chart-per-mode").textContent).toContain("plan5");
  });

  it("keeps each profile's own figures: another profile's come from the history", async () => {
    const base = quotaFigures().monthly;
    if (!base) throw new Error("the fixture has monthly figures");
    const mock = mockBackend({
      status: { connection: DEMO },
      handlers: {
        quota_profiles: () => ["demo", "work"],
        quota_figures: (args) =>
          args.profile === "work"
            ? quotaFigures({
                profile: "work",
                monthly: { ...base, remaining: 17, limit: 50 },
                decision: { kind: "blocked", untilMs: null, resetDate: "2026-01-01T00:00:00.000Z", message: "the monthly AI invocation quota is used up" },
              })
            : quotaFigures(),
      },
    });
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-quota"));
    const select = await screen.findByTestId("quota-profile");
    expect(screen.getByTestId("monthly-remaining").textContent).toBe("412");
    fireEvent.change(select, { target: { value: "work" } });
    await waitFor(() => {
      expect(screen.getByTestId("monthly-remaining").textContent).toBe("17");
    });
    expect(mock.callsOf("quota_figures").some((c) => c.args.profile === "work")).toBe(true);
    expect(screen.getByTestId("quota-decision").textContent).toContain("Blocked until 2026-01-01T00:00:00.000Z");
    // The chip stays on the open workspace.
    expect(screen.getByTestId("quota-chip").textContent).toContain("412 / 500");
  });
});
