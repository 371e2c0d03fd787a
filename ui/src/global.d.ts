export {};

declare global {
  interface Window {
    /** Read by the end-to-end tests: cold start to first paint, as measured by the Rust side. */
    __PORTDESK__?: { firstPaintMs: number; version: string };
  }
}
