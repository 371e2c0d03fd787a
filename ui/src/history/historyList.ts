// The History list as an external store: keyset pages appended as the user scrolls, one query
// (search text + filter) at a time. A newer query wins: answers to older ones are dropped.
// When the history changes, the first page is fetched again and merged in place, so new
// invocations appear on top and a running one updates its status without losing the scroll.

import * as backend from "../lib/backend";
import type { HistoryFilter, InvocationSummary, SnippetPart } from "../lib/backend";

export const PAGE_SIZE = 100;

export interface HistoryRow {
  readonly summary: InvocationSummary;
  /** Set for search results: where the text matched. */
  readonly snippet: readonly SnippetPart[] | null;
  readonly field: string | null;
}

export interface ListState {
  readonly rows: readonly HistoryRow[];
  /** Loading the first page of the current query. */
  readonly loading: boolean;
  readonly loadingMore: boolean;
  readonly hasMore: boolean;
  readonly error: backend.BackendError | null;
  readonly query: string;
  readonly filter: HistoryFilter;
  /** Increases with each new query, so views can scroll back to the top. */
  readonly generation: number;
  /** When the current query's first page was asked for and answered (`performance.now()`). */
  readonly timing: { readonly requestedAt: number; readonly answeredAt: number } | null;
}

export interface HistoryApi {
  historyList: typeof backend.historyList;
  historySearch: typeof backend.historySearch;
}

export interface Page {
  rows: HistoryRow[];
  next: string | null;
}

export class HistoryListStore {
  private state: ListState;
  private cursor: string | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    filter: HistoryFilter,
    private readonly api: HistoryApi = backend,
  ) {
    this.state = {
      rows: [],
      loading: false,
      loadingMore: false,
      hasMore: false,
      error: null,
      query: "",
      filter,
      generation: 0,
      timing: null,
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = (): ListState => this.state;

  /** Starts a new query from its first page. */
  async load(query: string, filter: HistoryFilter): Promise<void> {
    const generation = this.state.generation + 1;
    this.cursor = null;
    this.set({ query, filter, generation, loading: true, loadingMore: false, error: null, timing: null });
    const requestedAt = performance.now();
    try {
      const page = await this.fetch(query, filter, null);
      if (this.state.generation !== generation) return;
      this.cursor = page.next;
      const timing = { requestedAt, answeredAt: performance.now() };
      this.set({ rows: page.rows, hasMore: page.next !== null, loading: false, timing });
    } catch (error) {
      if (this.state.generation !== generation) return;
      this.set({ rows: [], hasMore: false, loading: false, error: backend.BackendError.from(error) });
    }
  }

  /** Appends the next page; does nothing while one is loading or at the end. */
  async loadMore(): Promise<void> {
    const { generation, query, filter, loading, loadingMore, hasMore } = this.state;
    if (loading || loadingMore || !hasMore || this.cursor === null) return;
    this.set({ loadingMore: true });
    try {
      const page = await this.fetch(query, filter, this.cursor);
      if (this.state.generation !== generation) return;
      this.cursor = page.next;
      const known = new Set(this.state.rows.map((r) => r.summary.id));
      const fresh = page.rows.filter((r) => !known.has(r.summary.id));
      this.set({ rows: [...this.state.rows, ...fresh], hasMore: page.next !== null, loadingMore: false });
    } catch (error) {
      if (this.state.generation !== generation) return;
      this.set({ loadingMore: false, error: backend.BackendError.from(error) });
    }
  }

  /** Re-reads the first page and merges it in: new rows on top, changed rows replaced, rows
   * the page covers but no longer holds dropped (deleted elsewhere). Search results (ranked, not
   * by date) only have their rows updated in place. */
  async refresh(): Promise<void> {
    const { generation, query, filter } = this.state;
    if (this.state.loading) return;
    try {
      const page = await this.fetch(query, filter, null);
      if (this.state.generation !== generation) return;
      this.set({ rows: mergeFirstPage(this.state.rows, page, query.trim() !== ""), error: null });
      if (this.cursor === null && !this.state.hasMore) {
        this.cursor = page.next;
        this.set({ hasMore: page.next !== null });
      }
    } catch (error) {
      if (this.state.generation !== generation) return;
      this.set({ error: backend.BackendError.from(error) });
    }
  }

  /** Drops rows at once (after a delete), without waiting for the next refresh. */
  remove(ids: ReadonlySet<string>): void {
    this.set({ rows: this.state.rows.filter((r) => !ids.has(r.summary.id)) });
  }

  private async fetch(query: string, filter: HistoryFilter, cursor: string | null): Promise<Page> {
    if (query.trim() === "") {
      const page = await this.api.historyList(filter, cursor, PAGE_SIZE);
      return { rows: page.items.map((summary) => ({ summary, snippet: null, field: null })), next: page.nextCursor };
    }
    const page = await this.api.historySearch(query, filter, cursor, PAGE_SIZE);
    return {
      rows: page.items.map((hit) => ({ summary: hit.invocation, snippet: hit.snippet, field: hit.field })),
      next: page.nextCursor,
    };
  }

  private set(patch: Partial<ListState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}

export function mergeFirstPage(rows: readonly HistoryRow[], page: Page, ranked: boolean): HistoryRow[] {
  const fresh = new Map(page.rows.map((r) => [r.summary.id, r]));
  if (ranked) return rows.map((r) => fresh.get(r.summary.id) ?? r);
  const present = new Set(rows.map((r) => r.summary.id));
  const oldest = page.rows.at(-1)?.summary.askedAt ?? Number.POSITIVE_INFINITY;
  const covered = (row: HistoryRow) => page.next === null || row.summary.askedAt >= oldest;
  const kept = rows.filter((r) => fresh.has(r.summary.id) || !covered(r)).map((r) => fresh.get(r.summary.id) ?? r);
  const added = page.rows.filter((r) => !present.has(r.summary.id));
  return [...added, ...kept].sort((a, b) => b.summary.askedAt - a.summary.askedAt);
}
