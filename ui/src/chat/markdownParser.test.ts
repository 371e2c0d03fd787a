import { describe, expect, it, vi } from "vitest";

import { FakeMarkdownWorker } from "../test/fakeMarkdownWorker";
import { MarkdownParser } from "./markdownParser";

describe("MarkdownParser", () => {
  it("parses in the background once per text, and tells every waiter", () => {
    const worker = new FakeMarkdownWorker();
    const parser = new MarkdownParser(worker.asWorker());
    const first = vi.fn();
    const second = vi.fn();
    parser.request("**bold** text", first);
    parser.request("**bold** text", second);
    expect(worker.requests).toHaveLength(1);
    expect(parser.isParsing("**bold** text")).toBe(true);
    expect(parser.tree("**bold** text")).toBeUndefined();
    expect(first).not.toHaveBeenCalled();

    worker.answerAll();
    expect(first).toHaveBeenCalledOnce();
    expect(second).toHaveBeenCalledOnce();
    expect(parser.isParsing("**bold** text")).toBe(false);
    const tree = parser.tree("**bold** text");
    expect(JSON.stringify(tree)).toContain('"tagName":"strong"');
    // Parsed already: asked again, it answers at once without the worker.
    const third = vi.fn();
    parser.request("**bold** text", third);
    expect(third).toHaveBeenCalledOnce();
    expect(worker.requests).toHaveLength(0);
  });

  it("shows a block the worker failed on as its text", () => {
    const worker = new FakeMarkdownWorker();
    const parser = new MarkdownParser(worker.asWorker());
    const ready = vi.fn();
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    parser.request("some *text*", ready);
    worker.failNext("out of memory");
    expect(ready).toHaveBeenCalledOnce();
    expect(JSON.stringify(parser.tree("some *text*"))).toContain('"value":"some *text*"');
  });

  it("parses on the page once the worker is gone, starting with what was waiting", () => {
    const worker = new FakeMarkdownWorker();
    const parser = new MarkdownParser(worker.asWorker());
    const ready = vi.fn();
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    parser.request("# Title", ready);
    worker.crash("SyntaxError in the worker script");
    expect(worker.terminated).toBe(true);
    expect(parser.inBackground).toBe(false);
    expect(ready).toHaveBeenCalledOnce();
    expect(parser.isParsing("# Title")).toBe(false);
    expect(JSON.stringify(parser.parseNow("# Title"))).toContain('"tagName":"h1"');
  });

  it("without a worker, parses here", () => {
    const parser = new MarkdownParser(null);
    expect(parser.inBackground).toBe(false);
    const ready = vi.fn();
    parser.request("x", ready);
    expect(ready).toHaveBeenCalledOnce();
    expect(parser.tree("x")).toBeUndefined();
    expect(parser.parseNow("x")).toBe(parser.parseNow("x"));
  });
});
