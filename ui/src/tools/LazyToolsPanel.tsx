// The Tools panel brings CodeMirror and the virtual lists: it loads in its own chunk when first
// opened, so the first paint does not wait for it.

import { lazy, Suspense } from "react";

import type { Agent } from "../lib/backend";
import type { Resource } from "../lib/useResource";

const ToolsPanel = lazy(async () => ({ default: (await import("./ToolsPanel")).ToolsPanel }));

export function LazyToolsPanel({ agents }: { agents: Resource<Agent[]> }) {
  return (
    <Suspense fallback={<p className="page muted">Loading the Tools panel…</p>}>
      <ToolsPanel agents={agents} />
    </Suspense>
  );
}
