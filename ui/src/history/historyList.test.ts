import { describe, expect, it } from "vitest";

import type { InvocationSummary, Page, SearchHit } from "../lib/backend";
import { NO_FILTER } from "./filters";
import { HistoryListStore, mergeFirstPage, type HistoryRow } from "./historyList";
import { summary } from "./testData";

const row = (s: InvocationSummary): HistoryRow => ({ summary: s, snippet: null, field: null });

function pages(all: InvocationSummary[], size: number) {
  const calls: (string | null)[] = [];
  return {
    calls,
    api: {
      historyList: (_filter: unknown, cursor: string | null): Promise<Page<InvocationSummary>> => {
        calls.push(cursor);
        const start = cursor === null ? 0 : Number(cursor);
        const next = start + size < all.length ? String(start + size) : null;
        return Promise.resolve({ items: all.slice(start, start + size), nextCursor: next });
      },
      historySearch: (): Promise<Page<SearchHit>> => Promise.resolve({ items: [], nextCursor: null }),
    },
  };
}

describe("HistoryListStore", () => {
  it("appends keyset pages in order and stops at the end", async () => {
    const all = Array.from({ length: 250 }, (_, i) => summary(i));
    const { api, calls } = pages(all, 100);
    const store = new HistoryListStore(NO_FILTER, api);
    await store.load("", NO_FILTER);
    expect(store.getSnapshot().rows).toHaveLength(100);
    await store.loadMore();
    await store.loadMore();
    await store.loadMore();
    const state = store.getSnapshot();
    expect(state.rows.map((r) => r.summary.id)).toEqual(all.map((s) => s.id));
    expect(state.hasMore).toBe(false);
    expect(calls).toEqual([null, "100", "200"]);
  });

  it("drops the answer to an older query", async () => {
    let release: (() => void) | null = null;
    const store = new HistoryListStore(NO_FILTER, {
      historyList: (filter) =>
        new Promise((resolve) => {
          const items = filter.statuses.length > 0 ? [summary(2, { status: "failed" })] : [summary(1)];
          if (filter.statuses.length > 0) resolve({ items, nextCursor: null });
          else release = () => resolve({ items, nextCursor: null });
        }),
      historySearch: () => Promise.resolve({ items: [], nextCursor: null }),
    });
    const slow = store.load("", NO_FILTER);
    await store.load("", { ...NO_FILTER, statuses: ["failed"] });
    (release as unknown as () => void)();
    await slow;
    expect(store.getSnapshot().rows.map((r) => r.summary.id)).toEqual(["inv-2"]);
  });
});

describe("mergeFirstPage", () => {
  it("puts new rows on top, replaces changed ones and drops rows deleted elsewhere", () => {
    const old = [row(summary(1, { status: "streaming" })), row(summary(2)), row(summary(3))];
    const page = { rows: [row(summary(0)), row(summary(1)), row(summary(3))], next: null };
    const merged = mergeFirstPage(old, page, false);
    expect(merged.map((r) => r.summary.id)).toEqual(["inv-0", "inv-1", "inv-3"]);
    expect(merged[1]?.summary.status).toBe("completed");
  });

  it("keeps rows older than the page covers", () => {
    const old = [row(summary(1)), row(summary(5)), row(summary(9))];
    const page = { rows: [row(summary(0)), row(summary(1))], next: "c" };
    expect(mergeFirstPage(old, page, false).map((r) => r.summary.id)).toEqual(["inv-0", "inv-1", "inv-5", "inv-9"]);
  });

  it("only updates search results in place (they are ranked, not dated)", () => {
    const old = [row(summary(3)), row(summary(1))];
    const page = { rows: [row(summary(1, { status: "failed" })), row(summary(7))], next: null };
    const merged = mergeFirstPage(old, page, true);
    expect(merged.map((r) => [r.summary.id, r.summary.status])).toEqual([
      ["inv-3", "completed"],
      ["inv-1", "failed"],
    ]);
  });
});
