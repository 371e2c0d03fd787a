// Keystroke-to-painted-result latencies of the live matcher, kept where the E2E benchmark (and a
// curious developer in the inspector) can read them: `window.__PORTDESK__.matcher`.

/** Which editor the edit was made in: the Tools panel's, or Chat's request-options drawer's. */
export type MatcherEditor = "tools" | "chat-drawer";

export interface MatcherSample {
  editor: MatcherEditor;
  /** From the edit to the frame that shows its result. */
  totalMs: number;
  /** Waiting for the previous request to return (one in flight at a time). */
  queuedMs: number;
  /** From sending to Rust to the answer arriving in the web view. */
  ipcMs: number;
  /** Of which the Rust engine's own work. */
  engineMs: number;
  /** From the answer arriving to React having committed it to the DOM. */
  commitMs: number;
  /** From that commit to the next frame (layout and paint). */
  frameMs: number;
  tools: number;
  patterns: number;
}

const KEEP = 500;

interface Figures {
  matcher?: MatcherSample[];
}

function figures(): Figures {
  const holder = window as unknown as { __PORTDESK__?: Figures };
  holder.__PORTDESK__ ??= {};
  return holder.__PORTDESK__;
}

export function recordMatcherSample(sample: MatcherSample): void {
  const store = figures();
  const samples = (store.matcher ??= []);
  samples.push(sample);
  if (samples.length > KEEP) samples.splice(0, samples.length - KEEP);
}

export function matcherSamples(): readonly MatcherSample[] {
  return figures().matcher ?? [];
}
