// The markdown stack (unified, remark-gfm, rehype-sanitize, lowlight) is the largest part of the
// bundle and is not needed for the first paint: it loads in its own chunk, right after start-up.

import { lazy, Suspense } from "react";

const load = () => import("./Markdown");

/** The markdown chunk, loaded (once). */
export const loadMarkdown = load;
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
