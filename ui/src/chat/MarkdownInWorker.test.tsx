// The Markdown view with a markdown worker (an in-memory one that parses with the real code
// when the test says so): while streaming, nothing is parsed on the page.

import { act, render, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import type { FakeMarkdownWorker } from "../test/fakeMarkdownWorker";
import { Markdown } from "./Markdown";
import * as parsers from "./markdownParser";

vi.mock("./markdownParser", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./markdownParser")>();
  const { FakeMarkdownWorker } = await import("../test/fakeMarkdownWorker");
  const fakeWorker = new FakeMarkdownWorker();
  return { ...actual, markdownParser: new actual.MarkdownParser(fakeWorker.asWorker()), fakeWorker };
});

const worker = (parsers as unknown as { fakeWorker: FakeMarkdownWorker }).fakeWorker;

describe("a streaming answer with a markdown worker", () => {
  it("is parsed in the worker, shown as text until then, and settles once the worker is done", async () => {
    const text = ["# Services", "**payments-api** has no owner.", "The last *open* block"].join("\n\n");
    const { container, rerender } = render(<Markdown text={text} streaming />);
    // Nothing parsed on the page; nothing lost either.
    expect(container.querySelector("h1, strong, em")).toBeNull();
    expect(container.querySelectorAll(".md-pending")).toHaveLength(3);
    expect(container.textContent).toContain("The last *open* block");
    expect(worker.requests.map((r) => r.text)).toEqual(["# Services\n\n", "**payments-api** has no owner.\n\n", "The last *open* block"]);

    act(() => {
      worker.answerAll();
    });
    await waitFor(() => {
      expect(container.querySelector("strong")?.textContent).toBe("payments-api");
    });
    expect(container.querySelector("h1")?.textContent).toBe("Services");
    expect(container.querySelector("em")?.textContent).toBe("open");

    // The stream ends with the open block grown: it is asked of the worker, and the end is
    // reported only once it is back.
    let settled = 0;
    const onSettled = () => {
      settled++;
    };
    rerender(<Markdown text={`${text} is now **done**.`} streaming={false} onSettled={onSettled} />);
    expect(worker.requests.map((r) => r.text)).toEqual(["The last *open* block is now **done**."]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(0);
    act(() => {
      worker.answerAll();
    });
    await waitFor(() => {
      expect(settled).toBe(1);
    });
    expect([...container.querySelectorAll("strong")].map((e) => e.textContent)).toEqual(["payments-api", "done"]);
    expect(container.querySelectorAll(".md-pending")).toHaveLength(0);
  });
});
