export {};

declare global {
  interface Window {
    /** Read by the end-to-end tests: cold start to first paint, as measured by the Rust side. */
    __PORTDESK__?: { firstPaintMs: number; version: string };
    /** Read by the end-to-end tests: when the History panel last painted its first page
     * (`performance.now()`), and how many rows it held. */
    __PORTDESK_HISTORY__?: { paintedAt: number; rows: number; mountedAt: number; requestedAt: number; answeredAt: number };
    /** Read by the end-to-end benchmarks of the Chat view (see chat/figures.ts). */
    __PORTDESK_CHAT__?: import("./chat/figures").ChatFigures;
  }
}
