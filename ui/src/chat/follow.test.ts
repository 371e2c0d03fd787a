import { describe, expect, it } from "vitest";

import { Follow, PINNED_SLACK } from "./follow";

const CLIENT = 700;
/** A view scrolled to `top` over content `height` tall. */
const at = (top: number, height: number) => ({ top, scrollHeight: height, clientHeight: CLIENT });
const bottom = (height: number) => at(height - CLIENT, height);

describe("following the stream", () => {
  it("keeps following when a shrink and new chunks land between a scroll and its event", () => {
    const follow = new Follow();
    expect(follow.scrolled(bottom(10_000), 0)).toBe("follow");
    // A block parsed shorter clamped the view 300 px up; by the time the event is delivered
    // the answer has grown 2,000 px below it. Nobody touched anything.
    expect(follow.scrolled(at(10_000 - CLIENT - 300, 11_700), 16)).toBe("stick");
    expect(follow.pinned).toBe(true);
  });

  it("lets go as soon as the wheel turns up, before the view has moved", () => {
    const follow = new Follow();
    follow.scrolled(bottom(10_000), 0);
    follow.wheel(-120, 10);
    expect(follow.pinned).toBe(false);
    // The move the wheel made, even if it leaves the view near the bottom, stays the user's.
    expect(follow.scrolled(at(10_000 - CLIENT - 40, 10_000), 20)).toBe("released");
    // The stream grows below while they read.
    expect(follow.scrolled(at(10_000 - CLIENT - 40, 12_000), 900)).toBe("released");
  });

  it("a wheel turned down is no reason to let go", () => {
    const follow = new Follow();
    follow.scrolled(bottom(10_000), 0);
    follow.wheel(120, 10);
    expect(follow.pinned).toBe(true);
    expect(follow.scrolled(at(5_000, 10_000), 20)).toBe("stick");
  });

  it("lets go on an up key but not on other keys", () => {
    const follow = new Follow();
    follow.scrolled(bottom(10_000), 0);
    follow.key("ArrowDown", false, 5);
    follow.key(" ", false, 5);
    expect(follow.pinned).toBe(true);
    follow.key(" ", true, 6);
    expect(follow.pinned).toBe(false);
    const other = new Follow();
    other.key("PageUp", false, 0);
    expect(other.pinned).toBe(false);
  });

  it("a move up while the scrollbar is held is the user's; after it is let go it is not", () => {
    const follow = new Follow();
    follow.scrolled(bottom(10_000), 0);
    follow.hold(true);
    expect(follow.scrolled(at(6_000, 10_000), 10_000)).toBe("released");
    follow.hold(false);
    // Scrolled back down to the bottom (within the slack): following again.
    expect(follow.scrolled(at(10_000 - CLIENT - PINNED_SLACK + 1, 10_000), 10_100)).toBe("follow");
    // A later move up with no hand on anything is layout, not the user.
    expect(follow.scrolled(at(8_000, 10_500), 20_000)).toBe("stick");
  });

  it("an up intent expires: a move up long after the wheel is not the user's", () => {
    const follow = new Follow();
    follow.scrolled(bottom(10_000), 0);
    follow.wheel(-120, 10);
    follow.scrolled(bottom(10_000), 50); // back at the bottom: following again
    expect(follow.pinned).toBe(true);
    expect(follow.scrolled(at(9_000, 10_500), 5_000)).toBe("stick");
  });

  it("released by the app (find), it stays released until the view reaches the bottom", () => {
    const follow = new Follow();
    follow.release();
    expect(follow.scrolled(at(2_000, 10_000), 0)).toBe("released");
    expect(follow.scrolled(at(1_000, 10_000), 10)).toBe("released");
    follow.pin();
    expect(follow.pinned).toBe(true);
  });
});
