import { Search, X } from "lucide-react";
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { showToast } from "../app/toasts";
import * as backend from "../lib/backend";
import type { ExportRequest, Facets, HistoryFilter, HistoryStats, InvocationRecord } from "../lib/backend";
import { formatCount, formatElapsed } from "../lib/format";
import { useNow } from "../lib/useNow";
import { ActionMenu } from "./ActionMenu";
import { HistoryFilters } from "./HistoryFilters";
import { HistoryList } from "./HistoryList";
import { HistoryListStore } from "./historyList";
import { NO_FILTER, activeFilterCount } from "./filters";
import { InvocationView, type DetailActions } from "./InvocationView";

/** Typing settles for this long before a search runs. */
const SEARCH_DEBOUNCE_MS = 120;
/** History-changed events arrive at each run's start and end; bursts are read once. */
const CHANGE_DEBOUNCE_MS = 250;

/** Statistics cost a scan of the whole history: reopening the panel reuses them for a while
 * (a change seen while the panel is open reads them again). */
const STATS_FRESH_MS = 60_000;
const STATS_DELAY_MS = 300;
let statsCache: { key: string; newest: string | null; at: number; stats: HistoryStats } | null = null;

/** The cached statistics, while they are young and the newest invocation is the one they saw
 * (anything recorded since, here or by the CLI, makes them stale). */
function freshStats(key: string, newest: string | null): HistoryStats | null {
  const cached = statsCache;
  if (cached?.key !== key || cached.newest !== newest || Date.now() - cached.at >= STATS_FRESH_MS) return null;
  return cached.stats;
}

export interface HistoryPanelProps {
  onContinue: DetailActions["onContinue"];
  onRerun: DetailActions["onRerun"];
}

export function HistoryPanel({ onContinue, onRerun }: HistoryPanelProps) {
  const [store] = useState(() => new HistoryListStore(NO_FILTER));
  const list = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [text, setText] = useState("");
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [facets, setFacets] = useState<Facets | null>(null);
  const [stats, setStats] = useState<{ key: string; stats: HistoryStats } | null>(null);
  const [version, setVersion] = useState(0);
  const [showFilters, setShowFilters] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const now = useNow(30_000);
  const painted = useRef(false);
  // The detail (markdown, timeline) renders after the list has painted, never in its way.
  const [listPainted, setListPainted] = useState(false);
  const [mountedAt] = useState(() => performance.now());

  // The query runs shortly after typing settles; opening the panel and filters apply at once.
  useEffect(() => {
    if (text === list.query) {
      void store.load(text, filter);
      return;
    }
    const timer = setTimeout(() => {
      void store.load(text, filter);
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
    };
    // `list.query` is read only to skip the delay when the text did not change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, text, filter]);

  // Figures, and the filter menus' values when they open, load after the first page: the store
  // answers one read at a time, and they never hold up the list.
  const firstPageShown = list.generation > 0 && !list.loading;
  const newest = list.rows[0]?.summary.id ?? null;
  const statsKey = JSON.stringify(filter);
  useEffect(() => {
    // After the list has painted, and a moment later: a scan of the whole history must not
    // compete with that paint for the CPU.
    if (!firstPageShown || !listPainted) return;
    if (version === 0 && freshStats(statsKey, newest) !== null) return;
    let live = true;
    const timer = setTimeout(() => {
      backend.historyStats(filter).then(
        (fresh) => {
          statsCache = { key: statsKey, newest, at: Date.now(), stats: fresh };
          if (live) setStats({ key: statsKey, stats: fresh });
        },
        (error: unknown) => {
          console.warn("Portdesk: history stats", backend.BackendError.from(error).message);
        },
      );
    }, STATS_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [filter, statsKey, newest, firstPageShown, listPainted, version]);
  useEffect(() => {
    if (!firstPageShown || facets !== null || !showFilters) return;
    backend.historyFacets().then(setFacets, (error: unknown) => {
      console.warn("Portdesk: history facets", backend.BackendError.from(error).message);
    });
  }, [firstPageShown, facets, showFilters]);

  // The first page painted: the figure the end-to-end test reads.
  useEffect(() => {
    if (painted.current || list.loading || list.generation === 0) return;
    painted.current = true;
    const timing = list.timing;
    requestAnimationFrame(() => {
      setTimeout(() => {
        setListPainted(true);
        window.__PORTDESK_HISTORY__ = {
          paintedAt: performance.now(),
          rows: store.getSnapshot().rows.length,
          mountedAt,
          requestedAt: timing?.requestedAt ?? Number.NaN,
          answeredAt: timing?.answeredAt ?? Number.NaN,
        };
      }, 0);
    });
  }, [list.loading, list.generation, list.timing, store, mountedAt]);

  // Recorded, deleted or imported elsewhere: merge the news in.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = backend.onHistoryChanged(() => {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        void store.refresh();
        setVersion((v) => v + 1);
      }, CHANGE_DEBOUNCE_MS);
    });
    return () => {
      stop();
      if (timer !== null) clearTimeout(timer);
    };
  }, [store]);

  // "/" or Ctrl/⌘ F jumps to the search box.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target?.closest("input, textarea, select, [contenteditable]") != null;
      if ((event.key === "/" && !typing) || (event.key.toLowerCase() === "f" && (event.ctrlKey || event.metaKey))) {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
    };
  }, []);

  // The first row stands selected when nothing (or a row that left the list) is.
  const shownId =
    selectedId !== null && list.rows.some((r) => r.summary.id === selectedId) ? selectedId : (list.rows[0]?.summary.id ?? null);

  const onExport = useCallback((request: ExportRequest) => {
    backend.historyExport(request).then(
      (path) => {
        if (path !== null) showToast(`Exported to ${path}`);
      },
      (error: unknown) => {
        showToast(`Export failed: ${backend.BackendError.from(error).message}`, "error");
      },
    );
  }, []);

  const onDelete = useCallback(
    async (detail: InvocationRecord) => {
      try {
        await backend.historyDelete({ kind: "invocation", id: detail.id });
        store.remove(new Set([detail.id]));
        showToast("The invocation was deleted from the local history.");
      } catch (error) {
        showToast(`Could not delete: ${backend.BackendError.from(error).message}`, "error");
      }
    },
    [store],
  );

  const searching = list.query.trim() !== "";
  const filtered = activeFilterCount(filter) > 0;
  const empty = !list.loading && list.rows.length === 0 && list.error === null;

  return (
    <div className="history" data-testid="history-panel">
      <header className="history-header">
        <div className="history-title-row">
          <h1 className="page-title">History</h1>
          <HistorySummary stats={stats?.key === statsKey ? stats.stats : freshStats(statsKey, newest)} />
          <span className="history-header-spacer" />
          <ActionMenu
            label="Export"
            testId="history-export-all"
            items={[
              {
                label: filtered ? "Filtered history as JSONL" : "All history as JSONL",
                testId: "history-export-jsonl",
                onSelect: () => {
                  onExport({ kind: "history", filter, format: "jsonl" });
                },
              },
              {
                label: filtered ? "Filtered history as CSV" : "All history as CSV",
                testId: "history-export-csv",
                onSelect: () => {
                  onExport({ kind: "history", filter, format: "csv" });
                },
              },
            ]}
          />
        </div>
        <div className="history-search-row">
          <div className="search-box">
            <Search className="search-icon" size={15} aria-hidden="true" />
            <input
              ref={searchRef}
              type="search"
              className="input search-input"
              data-testid="history-search"
              placeholder="Search prompts, answers, tools, arguments and results"
              aria-label="Search the history"
              value={text}
              onChange={(e) => {
                setText(e.target.value);
              }}
              onKeyDown={(e) => {
                if (e.key === "Escape" && text !== "") {
                  e.preventDefault();
                  setText("");
                }
              }}
            />
            {text !== "" ? (
              <button
                type="button"
                className="icon-button search-clear"
                aria-label="Clear the search"
                onClick={() => {
                  setText("");
                  searchRef.current?.focus();
                }}
              >
                <X size={14} aria-hidden="true" />
              </button>
            ) : null}
          </div>
          <button
            type="button"
            className={showFilters || filtered ? "button small active" : "button small"}
            aria-expanded={showFilters}
            data-testid="history-filters-toggle"
            onClick={() => {
              setShowFilters((s) => !s);
            }}
          >
            Filters{filtered ? ` · ${activeFilterCount(filter)}` : ""}
          </button>
        </div>
        {showFilters ? <HistoryFilters filter={filter} facets={facets} onChange={setFilter} /> : null}
      </header>

      <div className="history-body">
        <div className="history-list-pane" aria-busy={list.loading} data-testid="history-list-pane" data-query={list.query} data-loading={list.loading}>
          {list.error ? (
            <div className="history-list-message">
              <ErrorMessage error={list.error} compact />
              <button
                type="button"
                className="button small"
                onClick={() => {
                  void store.load(text, filter);
                }}
              >
                Retry
              </button>
            </div>
          ) : null}
          {empty ? (
            <div className="history-list-message" data-testid="history-empty">
              {searching || filtered ? (
                <>
                  <p className="empty-title">Nothing matches</p>
                  <p className="muted small">
                    {searching ? `No invocation mentions “${list.query.trim()}”` : "No invocation fits these filters"}
                    {searching && filtered ? " with these filters" : ""}.
                  </p>
                </>
              ) : (
                <>
                  <p className="empty-title">No history yet</p>
                  <p className="muted small">
                    Every invocation you make in Chat or with <code>portdesk-cli invoke</code> is kept here, on this machine,
                    with every event — searchable and available offline.
                  </p>
                </>
              )}
            </div>
          ) : null}
          {list.loading && list.rows.length === 0 ? (
            <div className="history-list-message muted small">
              <span className="spinner" aria-hidden="true" /> Loading…
            </div>
          ) : null}
          {list.rows.length > 0 ? (
            <HistoryList
              rows={list.rows}
              hasMore={list.hasMore}
              loadingMore={list.loadingMore}
              selectedId={shownId}
              generation={list.generation}
              now={now}
              onSelect={setSelectedId}
              onOpen={setSelectedId}
              onLoadMore={() => {
                void store.loadMore();
              }}
            />
          ) : null}
        </div>
        <div className="history-detail-pane">
          {shownId !== null && listPainted ? (
            <InvocationView
              id={shownId}
              version={version}
              onContinue={onContinue}
              onRerun={onRerun}
              onExportConversation={(id, format) => {
                onExport({ kind: "conversation", id, format });
              }}
              onDelete={onDelete}
            />
          ) : (
            <div className="history-detail-empty muted">{empty || shownId !== null ? null : "Choose an invocation to see its timeline."}</div>
          )}
        </div>
      </div>
    </div>
  );
}

function HistorySummary({ stats }: { stats: HistoryStats | null }) {
  if (!stats || stats.invocations === 0) return null;
  const median = stats.duration.p50Ms;
  return (
    <p className="history-summary muted small" data-testid="history-summary">
      {formatCount(stats.invocations)} invocation{stats.invocations === 1 ? "" : "s"}
      {median !== null ? ` · median ${formatElapsed(median)}` : ""}
      {stats.tools[0] ? ` · most used tool ${stats.tools[0].name}` : ""}
    </p>
  );
}
