// Whether the transcript follows the stream: it does while the view is at the bottom, and stops
// when the user moves it up.
//
// Only the user lets go. Geometry alone cannot tell who moved the view: a block parsed into a
// shorter one clamps the scroll position up, and chunks arriving before that scroll event is
// delivered make the view look scrolled away from a growing bottom. Read as the user's, that race
// stopped the view following mid-stream. So a move up releases only while the user is scrolling
// (a wheel turned up, an up key, the scrollbar or a finger held); any other move away from the
// bottom is answered by sticking to it again.

/** How near the bottom counts as "at the bottom" (px). */
export const PINNED_SLACK = 48;
/** How long after a wheel turn or key press a move up is still the user's (ms). */
const INTENT_WINDOW_MS = 400;

const UP_KEYS = new Set(["ArrowUp", "PageUp", "Home"]);

export interface ScrollGeometry {
  top: number;
  scrollHeight: number;
  clientHeight: number;
}

/** What the view should do after a scroll event. */
export type ScrollVerdict = "follow" | "released" | "stick";

export class Follow {
  private pinnedNow = true;
  private lastTop = 0;
  private upIntentAt = Number.NEGATIVE_INFINITY;
  private held = false;

  get pinned(): boolean {
    return this.pinnedNow;
  }

  /** A new turn, or a reopened conversation: follow from the bottom. */
  pin(): void {
    this.pinnedNow = true;
  }

  /** The app moved the view on purpose (find brings a turn into view). */
  release(): void {
    this.pinnedNow = false;
  }

  /** A wheel turned up lets go at once: the next growth must not snap the view back first. */
  wheel(deltaY: number, now: number): void {
    if (deltaY >= 0) return;
    this.upIntentAt = now;
    this.pinnedNow = false;
  }

  key(key: string, shift: boolean, now: number): void {
    if (!UP_KEYS.has(key) && !(key === " " && shift)) return;
    this.upIntentAt = now;
    this.pinnedNow = false;
  }

  /** The scrollbar or a finger is held: a move up meanwhile is the user's. */
  hold(held: boolean): void {
    this.held = held;
  }

  scrolled(view: ScrollGeometry, now: number): ScrollVerdict {
    const movedUp = view.top < this.lastTop - 1;
    this.lastTop = view.top;
    const userScrolling = this.held || now - this.upIntentAt < INTENT_WINDOW_MS;
    if (movedUp && userScrolling) {
      this.pinnedNow = false;
      return "released";
    }
    if (view.scrollHeight - view.top - view.clientHeight < PINNED_SLACK) {
      this.pinnedNow = true;
      return "follow";
    }
    return this.pinnedNow ? "stick" : "released";
  }
}
