import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { App } from "../App";
import { DEMO, mockBackend } from "../test/mockBackend";

describe("A queued invocation", () => {
  it("counts down in Chat, sends anyway or cancels through Rust, and leaves when Rust says so", async () => {
    const mock = mockBackend({ status: { connection: DEMO } });
    render(<App />);
    await screen.findByTestId("prompt-input");
    const until = Date.now() + 65_000;
    // Listeners register asynchronously: emit until the queue's listener has heard it.
    await waitFor(async () => {
      await act(async () => {
        await mock.emit("run-queue-changed", {
          runId: "run-1",
          event: { kind: "queued", untilMs: until, reason: "windowExhausted", attempt: 0, maxAttempts: 3 },
        });
      });
      expect(screen.getByTestId("queued-invocation")).toBeTruthy();
    });
    const queued = screen.getByTestId("queued-invocation");
    expect(queued.textContent).toContain("The rate-limit window is used up");
    expect(screen.getByTestId("queued-countdown").textContent).toMatch(/^1:0[45]$/);

    fireEvent.click(screen.getByTestId("queued-send-anyway"));
    await waitFor(() => {
      expect(mock.callsOf("quota_send_now")[0]?.args.runId).toBe("run-1");
    });
    fireEvent.click(screen.getByTestId("queued-cancel"));
    await waitFor(() => {
      expect(mock.callsOf("cancel").some((c) => c.args.runId === "run-1")).toBe(true);
    });

    await act(async () => {
      await mock.emit("run-queue-changed", {
        runId: "run-1",
        event: { kind: "queued", untilMs: Date.now() + 5_000, reason: "rateLimited", attempt: 2, maxAttempts: 3 },
      });
    });
    expect(screen.getByTestId("queued-invocation").textContent).toContain("retry 2 of 3");
    await act(async () => {
      await mock.emit("run-queue-changed", { runId: "run-1", event: null });
    });
    expect(screen.queryByTestId("queued-invocation")).toBeNull();
  });
});
