import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup } from "@testing-library/react";
import { afterAll, afterEach } from "vitest";

import { cancelPendingPaints } from "../chat/figures";
import { markdownLoadStarted } from "../chat/LazyMarkdown";

afterEach(() => {
  cleanup();
  cancelPendingPaints();
  clearMocks();
  document.documentElement.removeAttribute("data-theme");
});

// The app starts loading the markdown chunk once it is idle; on a cold machine that load could
// still be running when a short test file ended, and failed the run.
afterAll(async () => {
  await markdownLoadStarted();
});

// jsdom has no layout, so no scrolling: views that bring a result into view get a no-op.
if (!("scrollIntoView" in Element.prototype)) {
  Object.defineProperty(Element.prototype, "scrollIntoView", { value: () => undefined, writable: true });
}

// jsdom has no layout: every box is 0×0, so a virtualized list would show nothing. The Chat's
// transcript pane reports a window-sized box instead (turns are still never measured).
const clientHeight = Object.getOwnPropertyDescriptor(Element.prototype, "clientHeight");
const clientWidth = Object.getOwnPropertyDescriptor(Element.prototype, "clientWidth");
Object.defineProperty(Element.prototype, "clientHeight", {
  configurable: true,
  get(this: Element) {
    return this.classList.contains("chat-scroll") ? 720 : (clientHeight?.get?.call(this) as number);
  },
});
Object.defineProperty(Element.prototype, "clientWidth", {
  configurable: true,
  get(this: Element) {
    return this.classList.contains("chat-scroll") ? 800 : (clientWidth?.get?.call(this) as number);
  },
});
