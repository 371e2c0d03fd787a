// An in-memory stand-in for the markdown worker: it parses with the same code the real worker
// runs, but only when a test says so, so tests control when results arrive.

import type { ParseRequest, ParseResponse } from "../chat/markdown.worker";
import { markdownToTree } from "../chat/markdownTree";

type Listener = (event: { data: ParseResponse; message?: string }) => void;

export class FakeMarkdownWorker {
  readonly requests: ParseRequest[] = [];
  private readonly listeners = new Map<string, Listener[]>();
  terminated = false;

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  postMessage(request: ParseRequest): void {
    this.requests.push(request);
  }

  terminate(): void {
    this.terminated = true;
  }

  /** Answers every request so far, in order. */
  answerAll(): number {
    const requests = this.requests.splice(0);
    for (const { id, text } of requests) this.emit("message", { data: { id, tree: markdownToTree(text) } });
    return requests.length;
  }

  /** Answers the oldest request with a parse failure. */
  failNext(error: string): void {
    const request = this.requests.shift();
    if (request) this.emit("message", { data: { id: request.id, error } });
  }

  /** The worker itself fails (a script that did not load, a crash). */
  crash(message: string): void {
    this.emit("error", { data: { id: 0, error: message }, message });
  }

  asWorker(): Worker {
    return this as unknown as Worker;
  }

  private emit(type: string, event: { data: ParseResponse; message?: string }): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}
