// The app runs with tauri.conf.json "freezePrototype": true. Libraries that assign to a property
// inherited from Object.prototype (toString, constructor, …) throw there; this catches them here.
// Its own file: the freeze lasts for the whole test worker.
import { expect, it } from "vitest";

it("works with a frozen Object.prototype (tauri.conf freezePrototype)", async () => {
  Object.freeze(Object.prototype);
  const { render, screen, fireEvent, waitFor } = await import("@testing-library/react");
  const { mockBackend, DEMO } = await import("./test/mockBackend");
  const { App } = await import("./App");
  const { Markdown } = await import("./chat/Markdown");
  const mock = mockBackend({ status: { connection: DEMO } });
  render(<App />);
  await screen.findByTestId("prompt-input");
  fireEvent.change(screen.getByTestId("prompt-input"), { target: { value: "hi" } });
  fireEvent.click(screen.getByTestId("send-button"));
  // A send waits for the workspace's request options to be read.
  const run = await waitFor(() => {
    const started = mock.runs[0];
    if (!started) throw new Error("no run started");
    return started;
  });
  run.send({ type: "answer_delta", delta: "## Hello\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[x](https://example.com) **bold** `code`\n\n```js\nlet x = 1;\n```\n" });
  run.end();
  render(<Markdown text={"# Title\n\n- [ ] task\n- [x] done\n\n~~strike~~ https://auto.link\n\n> quote\n\n1. one\n2. two"} />);
  await screen.findByText("Hello");
  expect(screen.getByText("Title")).toBeTruthy();
  await screen.findByText("bold");
});
