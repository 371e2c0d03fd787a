import { appReady } from "./backend";

let reported = false;

/** Tells Rust once that the UI has painted, and keeps its figure for the end-to-end tests. */
export function reportFirstPaint(): void {
  if (reported) return;
  reported = true;
  // The frame callback runs just before the paint; the timeout lands just after it.
  requestAnimationFrame(() => {
    setTimeout(() => {
      appReady().then(
        (info) => {
          window.__PORTDESK__ = { firstPaintMs: info.msSinceStart, version: info.version };
        },
        (error: unknown) => {
          console.warn("Portdesk: could not report the first paint", error instanceof Error ? error.message : error);
        },
      );
    }, 0);
  });
}
