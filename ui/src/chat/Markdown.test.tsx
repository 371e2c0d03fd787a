import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { mockBackend } from "../test/mockBackend";
import { Markdown } from "./Markdown";
import { splitGrownMarkdown, splitMarkdownBlocks } from "./markdownBlocks";

function renderAnswer(text: string) {
  const mock = mockBackend({ handlers: { open_external: () => null } });
  const view = render(<Markdown text={text} />);
  return { mock, ...view };
}

describe("Markdown answers", () => {
  it("render markdown (GFM tables, lists, code)", () => {
    const { container } = renderAnswer("## Services\n\n| name | tier |\n| --- | --- |\n| payments-api | 1 |\n\n- a\n- b\n\n```js\nx()\n```\n");
    expect(screen.getByRole("heading", { name: "Services" })).toBeTruthy();
    expect(container.querySelector("table td")?.textContent).toBe("payments-api");
    expect(container.querySelectorAll("li")).toHaveLength(2);
    expect(container.querySelector("pre code")?.textContent).toBe("x()\n");
  });

  it("never render raw HTML: no script, no event handlers, no iframes", () => {
    const { container } = renderAnswer(
      'Hello <script>window.__pwned = 1</script>\n\n<img src="x" onerror="window.__pwned = 2">\n\n<iframe src="https://evil.example"></iframe>\n\n<a href="javascript:alert(1)">raw</a>',
    );
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("iframe")).toBeNull();
    expect(container.querySelector("[onerror]")).toBeNull();
    expect(container.innerHTML).not.toContain("javascript:");
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    expect(container.textContent).toContain("Hello");
  });

  it("do not turn javascript:, data: or relative links into links", () => {
    const { container, mock } = renderAnswer(
      "[one](javascript:alert(1)) [two](data:text/html,<b>x</b>) [three](/settings) [four](http://example.com) [five](file:///etc/passwd)",
    );
    expect(container.querySelectorAll("a")).toHaveLength(0);
    expect(container.innerHTML).not.toContain("javascript:");
    for (const text of ["one", "two", "three", "four", "five"]) {
      fireEvent.click(screen.getByText(text));
    }
    expect(mock.callsOf("open_external")).toHaveLength(0);
  });

  it("send link clicks to open_external instead of navigating", async () => {
    const { mock } = renderAnswer("See [the docs](https://docs.port.io/ai) for more.");
    const link = screen.getByRole("link", { name: "the docs" });
    const notPrevented = fireEvent.click(link);
    expect(notPrevented).toBe(false); // the web view does not follow it
    await waitFor(() => {
      expect(mock.callsOf("open_external")).toEqual([{ cmd: "open_external", args: { url: "https://docs.port.io/ai" } }]);
    });
  });

  it("render Port self-serve links as a Review in Port button", async () => {
    const { mock, container } = renderAnswer(
      "The run is a **draft**.\n\n[Review in Port](https://app.port.io/self-serve?runId=r_000001)\n\n[legacy](https://app.getport.io/self-serve?runId=r_2)",
    );
    const buttons = screen.getAllByRole("button", { name: /Review in Port/ });
    expect(buttons).toHaveLength(2);
    expect(container.querySelectorAll("a")).toHaveLength(0);
    const [review] = buttons;
    if (!review) throw new Error("no button");
    fireEvent.click(review);
    await waitFor(() => {
      expect(mock.callsOf("open_external")[0]?.args).toEqual({ url: "https://app.port.io/self-serve?runId=r_000001" });
    });
  });

  it("show images as links instead of loading them", () => {
    const { container } = renderAnswer("![tracker](https://evil.example/pixel.png)");
    expect(container.querySelector("img")).toBeNull();
    expect(screen.getByRole("link", { name: "[Image: tracker]" })).toBeTruthy();
  });
});

describe("code blocks", () => {
  it("are highlighted when their language is named, with a copy button", () => {
    const { container } = renderAnswer("```rust\nfn main() { let x = 1; }\n```\n\n```\nplain <b>text</b>\n```");
    const [rust, plain] = container.querySelectorAll("pre code");
    expect(rust?.querySelector(".hljs-keyword")?.textContent).toBe("fn");
    expect(rust?.textContent).toBe("fn main() { let x = 1; }\n");
    expect(plain?.children).toHaveLength(0);
    expect(plain?.textContent).toBe("plain <b>text</b>\n");
    expect(screen.getAllByTestId("code-copy")).toHaveLength(2);
  });
});

describe("a streaming answer", () => {
  it("shows every block: parsed within the frame's budget, the rest as text until the next frame", async () => {
    const paragraphs = Array.from({ length: 120 }, (_, i) => `Paragraph **${i}** of the answer.`);
    const text = paragraphs.join("\n\n");
    const { container, rerender } = render(<Markdown text={text} streaming />);
    // Nothing is lost, parsed or not.
    expect(container.textContent.replace(/\*\*/g, "")).toContain("Paragraph 119 of the answer.");
    expect(container.querySelectorAll("strong").length).toBeLessThan(120);
    // Left-over blocks are parsed in later frames, without new text.
    await waitFor(
      () => {
        expect(container.querySelectorAll("strong").length).toBeGreaterThanOrEqual(119);
      },
      { timeout: 20_000 },
    );
    // Once the stream ends, the open block is parsed too, and the end is reported.
    let settled = 0;
    rerender(
      <Markdown
        text={text}
        streaming={false}
        onSettled={() => {
          settled++;
        }}
      />,
    );
    await waitFor(() => {
      expect(container.querySelectorAll("strong")).toHaveLength(120);
    });
    expect(container.querySelectorAll(".md-pending")).toHaveLength(0);
    expect(settled).toBe(1);
  }, 30_000);
});

describe("splitMarkdownBlocks", () => {
  const sample = [
    "# Title",
    "",
    "Paragraph one",
    "continues.",
    "",
    "```",
    "code",
    "",
    "more code",
    "```",
    "",
    "- item",
    "",
    "  continuation of the item",
    "",
    "Last.",
  ].join("\n");

  it("loses nothing and splits at blank lines outside code fences", () => {
    const blocks = splitMarkdownBlocks(sample);
    expect(blocks.join("")).toBe(sample);
    expect(blocks.some((b) => b.includes("code\n\nmore code"))).toBe(true);
    expect(blocks.some((b) => b.includes("- item\n\n  continuation"))).toBe(true);
    expect(blocks).toHaveLength(5);
  });

  it("never changes a finished block as the text grows", () => {
    for (let cut = 1; cut < sample.length; cut++) {
      const partial = splitMarkdownBlocks(sample.slice(0, cut));
      const full = splitMarkdownBlocks(sample);
      partial.slice(0, -1).forEach((block, i) => {
        expect(block).toBe(full[i]);
      });
    }
  });

  it("splits a growing text like the whole text, however it grows", () => {
    for (const step of [1, 2, 3, 7, 13]) {
      let previous = { text: "", blocks: [] as string[] };
      for (let cut = step; cut < sample.length + step; cut += step) {
        const text = sample.slice(0, cut);
        const blocks = splitGrownMarkdown(previous, text);
        expect(blocks).toEqual(splitMarkdownBlocks(text));
        previous = { text, blocks };
      }
    }
    // A text that did not grow from the previous one (a new answer) is split whole.
    expect(splitGrownMarkdown({ text: "Other\n\nanswer", blocks: ["Other\n\n", "answer"] }, "# New\n\nOne")).toEqual(["# New\n\n", "One"]);
  });
});
