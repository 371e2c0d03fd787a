import { act, fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { turn } from "../test/turns";
import { Transcript } from "./Transcript";

const CLIENT = 720; // the chat-scroll height setup.ts gives the pane

/** Gives the transcript's view a scroll geometry jsdom lacks: `height` of content, a settable
 *  scroll position clamped as a browser clamps it. */
function layOut(height: number) {
  const view = screen.getByTestId("chat-scroll");
  const geometry = { height, top: 0 };
  Object.defineProperty(view, "scrollHeight", { configurable: true, get: () => geometry.height });
  Object.defineProperty(view, "scrollTop", {
    configurable: true,
    get: () => geometry.top,
    set: (top: number) => {
      geometry.top = Math.max(0, Math.min(top, geometry.height - CLIENT));
    },
  });
  view.scrollTo = (options?: ScrollToOptions | number) => {
    if (typeof options === "object" && options.top !== undefined) view.scrollTop = options.top;
  };
  return { view, geometry };
}

function renderTranscript() {
  render(
    <Transcript
      turns={[turn("a", "Summarise", "A long answer")]}
      empty={null}
      onRetry={() => undefined}
      find={null}
    />,
  );
}

describe("the transcript follows the stream", () => {
  it("sticks to the end when a shrink and new chunks move the view up with nobody scrolling", () => {
    renderTranscript();
    const { view, geometry } = layOut(5_000);
    view.scrollTop = 5_000;
    fireEvent.scroll(view);
    // A block parsed shorter clamped the view up; the answer grew before the event arrived.
    geometry.top = 4_000;
    geometry.height = 6_000;
    fireEvent.scroll(view);
    expect(view.scrollTop).toBe(6_000 - CLIENT);
    expect(screen.queryByTestId("jump-to-latest")).toBeNull();
  });

  it("lets go when the user scrolls up, offers the way back, and follows again from it", () => {
    renderTranscript();
    const { view, geometry } = layOut(5_000);
    view.scrollTop = 5_000;
    fireEvent.scroll(view);
    fireEvent.wheel(view, { deltaY: -300 });
    geometry.top -= 300;
    fireEvent.scroll(view);
    // The stream goes on; the view stays where the user put it.
    geometry.height = 8_000;
    fireEvent.scroll(view);
    expect(view.scrollTop).toBe(5_000 - CLIENT - 300);
    const jump = screen.getByTestId("jump-to-latest");
    expect(jump.textContent).toContain("Jump to latest");

    act(() => {
      jump.click();
    });
    expect(view.scrollTop).toBe(8_000 - CLIENT);
    expect(screen.queryByTestId("jump-to-latest")).toBeNull();
    // Following again: the next move up with nobody scrolling is answered by sticking.
    geometry.top = 6_000;
    geometry.height = 9_000;
    fireEvent.scroll(view);
    expect(view.scrollTop).toBe(9_000 - CLIENT);
  });

  it("keys typed into a field inside the transcript do not let go", () => {
    renderTranscript();
    const { view, geometry } = layOut(5_000);
    view.scrollTop = 5_000;
    fireEvent.scroll(view);
    const field = document.createElement("input");
    view.appendChild(field);
    fireEvent.keyDown(field, { key: "Home" });
    geometry.top -= 100; // layout, not the key
    geometry.height += 500;
    fireEvent.scroll(view);
    expect(view.scrollTop).toBe(5_500 - CLIENT);
    expect(screen.queryByTestId("jump-to-latest")).toBeNull();
  });

  it("lets go on Page Up in the transcript", () => {
    renderTranscript();
    const { view, geometry } = layOut(5_000);
    view.scrollTop = 5_000;
    fireEvent.scroll(view);
    fireEvent.keyDown(view, { key: "PageUp" });
    geometry.top -= CLIENT;
    fireEvent.scroll(view);
    expect(view.scrollTop).toBe(5_000 - 2 * CLIENT);
    expect(screen.getByTestId("jump-to-latest")).toBeTruthy();
  });
});
