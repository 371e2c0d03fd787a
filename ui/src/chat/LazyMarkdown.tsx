// The markdown stack (unified, remark-gfm, rehype-sanitize, lowlight) is the largest part of the
// bundle and is not needed for the first paint: it loads in its own chunk, right after start-up.

import { lazy, Suspense } from "react";

let loading: ReturnType<typeof importMarkdown> | null = null;
const importMarkdown = () => import("./Markdown");
// A failed load is not kept: the next call tries again.
const load = () =>
  (loading ??= importMarkdown().catch((error: unknown) => {
    loading = null;
    throw error;
  }));

/** The markdown chunk, loaded (once). */
export const loadMarkdown = load;

/** The chunk's load if one was started (tests wait for it: a load still running when a test
 * file's environment is torn down fails the run). */
export function markdownLoadStarted(): Promise<unknown> | null {
  return loading;
}
const Markdown = lazy(async () => ({ default: (await load()).Markdown }));

/** Starts loading the markdown chunk ahead of the first answer. */
export function preloadMarkdown(): void {
  void load();
}

export function LazyMarkdown({ text, streaming = false, onSettled }: { text: string; streaming?: boolean; onSettled?: () => void }) {
  return (
    <Suspense fallback={<div className="markdown plain-text">{text}</div>}>
      <Markdown text={text} streaming={streaming} onSettled={onSettled} />
    </Suspense>
  );
}
