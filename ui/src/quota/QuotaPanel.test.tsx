import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { App } from "../App";
import { DEMO, QUOTA, mockBackend } from "../test/mockBackend";

describe("Quota", () => {
  it("shows remaining of limit, the month, when it resets, and follows quotaChanged", async () => {
    const mock = mockBackend({ status: { connection: DEMO } });
    render(<App />);
    await screen.findByTestId("prompt-input");
    expect(mock.callsOf("get_quota")).toHaveLength(0); // asked only when shown
    fireEvent.click(screen.getByTestId("nav-quota"));
    const figures = await screen.findByRole("region", { name: "Monthly quota" });
    expect(figures.textContent).toContain("412");
    expect(figures.textContent).toContain("of 500 invocations left");
    expect(figures.textContent).toMatch(/November 2025/);
    expect(figures.textContent).toMatch(/3 days/);

    await act(async () => {
      await mock.emit("quota-changed", { usage: { ...QUOTA, remainingQuota: 411 } });
    });
    await waitFor(() => {
      expect(screen.getByRole("region", { name: "Monthly quota" }).textContent).toContain("411");
    });
  });

  it("shows the honest empty states of panels still to come", async () => {
    mockBackend({ status: { connection: DEMO } });
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-history"));
    expect(await screen.findByText("No history yet")).toBeTruthy();
  });
});
