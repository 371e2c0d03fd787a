import { render, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { WarmUp } from "./WarmUp";

describe("WarmUp", () => {
  it("renders a made-up turn with a tool card and a parsed answer, hidden, then says it is done", async () => {
    const done = vi.fn();
    const { container } = render(<WarmUp onDone={done} />);
    // Streaming first, with the markdown chunk loaded: the card and the parsed answer are there.
    await waitFor(() => {
      expect(container.querySelector(".warm-up .tool-call, .warm-up [data-testid='tool-call']")).not.toBeNull();
      expect(container.querySelector(".warm-up .markdown h2")?.textContent).toBe("Services without an owner");
    });
    const holder = container.querySelector(".warm-up");
    expect(holder?.getAttribute("aria-hidden")).toBe("true");
    expect(holder?.hasAttribute("inert")).toBe(true);
    await waitFor(() => {
      expect(done).toHaveBeenCalledTimes(1);
    });
  });
});
