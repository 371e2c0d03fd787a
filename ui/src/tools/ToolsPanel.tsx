import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";

import * as backend from "../lib/backend";
import type { Agent } from "../lib/backend";
import { useResource, type Resource } from "../lib/useResource";
import { ApprovalsView } from "./ApprovalsView";
import { requestCompositing } from "./compositing";
import { PatternsView } from "./PatternsView";
import { ResolutionView } from "./ResolutionView";

type Tab = "patterns" | "approvals" | "resolution";

const TABS: readonly { id: Tab; label: string }[] = [
  { id: "patterns", label: "Patterns" },
  { id: "approvals", label: "Approvals" },
  { id: "resolution", label: "Resolution" },
];

const loadCatalog = () => backend.patternCatalog(false);

/** Which tools an agent may call and which need approval. The views stay mounted when hidden, so
 * an edit in progress survives a look at another tab. */
export function ToolsPanel({ agents }: { agents: Resource<Agent[]> }) {
  const [tab, setTab] = useState<Tab>("patterns");
  const [visited, setVisited] = useState<ReadonlySet<Tab>>(new Set(["patterns"]));
  const [composed, setComposed] = useState<string[]>([]);
  const catalog = useResource(loadCatalog);
  const tabRefs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});

  // Each keystroke here repaints many editors and rows at once: on a machine without a GPU that
  // is cheaper composited, and Chat's stream is cheaper without (Rust decides; see rendering.rs).
  useEffect(() => {
    requestCompositing(true);
    return () => {
      requestCompositing(false);
    };
  }, []);

  const open = (next: Tab) => {
    setTab(next);
    setVisited((v) => (v.has(next) ? v : new Set([...v, next])));
  };
  const onKey = (event: KeyboardEvent) => {
    const at = TABS.findIndex((t) => t.id === tab);
    const by = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (by === 0) return;
    event.preventDefault();
    const next = TABS[(at + by + TABS.length) % TABS.length]?.id ?? "patterns";
    open(next);
    tabRefs.current[next]?.focus();
  };

  const { set: setCatalog } = catalog;
  const refresh = useCallback(() => {
    backend.patternCatalog(true).then(setCatalog, (error: unknown) => {
      console.warn("Portdesk: the catalog could not be refreshed", error);
    });
  }, [setCatalog]);

  return (
    <div className="page page-wide tools-page">
      <header className="page-header">
        <h1 className="page-title">Tools</h1>
        <div className="tabs" role="tablist" aria-label="Tools" onKeyDown={onKey}>
          {TABS.map((t) => (
            <button
              key={t.id}
              ref={(el) => {
                tabRefs.current[t.id] = el;
              }}
              type="button"
              role="tab"
              id={`tools-tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`tools-view-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              className={tab === t.id ? "tab active" : "tab"}
              onClick={() => open(t.id)}
              data-testid={`tools-tab-${t.id}`}
            >
              {t.label}
            </button>
          ))}
        </div>
      </header>
      <div role="tabpanel" id="tools-view-patterns" aria-labelledby="tools-tab-patterns" hidden={tab !== "patterns"}>
        <PatternsView catalog={catalog} agents={agents} onRefreshCatalog={refresh} onComposed={setComposed} />
      </div>
      {visited.has("approvals") ? (
        <div role="tabpanel" id="tools-view-approvals" aria-labelledby="tools-tab-approvals" hidden={tab !== "approvals"}>
          <ApprovalsView catalogNames={catalog.data?.tools.map((t) => t.name) ?? []} />
        </div>
      ) : null}
      {visited.has("resolution") ? (
        <div role="tabpanel" id="tools-view-resolution" aria-labelledby="tools-tab-resolution" hidden={tab !== "resolution"}>
          <ResolutionView patterns={composed} catalogRevision={catalog.data?.revision ?? null} />
        </div>
      ) : null}
    </div>
  );
}
