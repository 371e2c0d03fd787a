import { waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { mockBackend } from "../test/mockBackend";
import { requestCompositing } from "./compositing";

function recorded(): unknown {
  return (window as unknown as { __PORTDESK__?: { compositing?: unknown } }).__PORTDESK__?.compositing;
}

describe("compositing while Tools is shown", () => {
  it("keeps what WebKit said after the newest request, not a slower older answer", async () => {
    const answers: ((now: string) => void)[] = [];
    const mock = mockBackend({
      handlers: {
        set_compositing: () =>
          new Promise<string>((resolve) => {
            answers.push(resolve);
          }),
      },
    });
    requestCompositing(true);
    requestCompositing(false);
    await waitFor(() => {
      expect(answers).toHaveLength(2);
    });
    expect(mock.callsOf("set_compositing").map((c) => c.args)).toEqual([{ on: true }, { on: false }]);
    answers[1]?.("off");
    await waitFor(() => {
      expect(recorded()).toBe("off");
    });
    answers[0]?.("on");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(recorded()).toBe("off");
  });
});
