import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { App } from "./App";
import { DEMO, mockBackend } from "./test/mockBackend";

// Its own file: the first-paint report happens once per app start (per module instance).
describe("start-up", () => {
  it("reports the first paint once and keeps the figure for the end-to-end tests", async () => {
    const mock = mockBackend({ status: { connection: DEMO } });
    render(<App />);
    await screen.findByTestId("prompt-input");
    await waitFor(() => {
      expect(window.__PORTDESK__?.firstPaintMs).toBe(321.5);
    });
    expect(mock.callsOf("app_ready")).toHaveLength(1);
  });

  it("shows start-up notices in a dismissible banner", async () => {
    mockBackend({
      status: { connection: DEMO, notices: ["Your settings file could not be read (x). It was moved to /tmp/s.json.corrupt-1."] },
    });
    render(<App />);
    const banner = await screen.findByTestId("notice-banner");
    expect(banner.textContent).toContain("moved to");
    fireEvent.click(within(banner).getByRole("button", { name: /Dismiss/ }));
    expect(screen.queryByTestId("notice-banner")).toBeNull();
  });
});
