import { RefreshCw } from "lucide-react";

import type { Evaluation, PatternCatalog } from "../lib/backend";
import type { Resource } from "../lib/useResource";
import { ExtraToolsPanel } from "./ExtraToolsPanel";

interface Props {
  catalog: Resource<PatternCatalog>;
  evaluation: Evaluation | null;
  patternTexts: readonly string[];
  onRefresh: () => void;
}

function summarize(catalog: PatternCatalog): string {
  const count = (kind: string) => catalog.tools.filter((t) => t.kind === kind).length;
  const connectors = catalog.connectors.length > 0 ? ` from ${catalog.connectors.join(", ")}` : "";
  return `${catalog.tools.length} tools: ${count("port")} Port, ${count("action")} actions, ${count("connector")} connector tools${connectors}`;
}

/** Where the tools come from, what could not be read, and new tools a broad pattern lets in. */
export function CatalogNotes({ catalog, evaluation, patternTexts, onRefresh }: Props) {
  const data = catalog.data;
  const newNotes = evaluation?.newTools ?? [];
  return (
    <section className="card catalog-notes" aria-label="Catalog">
      <div className="catalog-line">
        <span className="muted small" data-testid="catalog-summary">
          {data
            ? summarize(data)
            : catalog.loading
              ? "Loading this workspace's tools…"
              : ""}
        </span>
        <button type="button" className="button small ghost" onClick={onRefresh} disabled={catalog.loading} title="Ask Port again">
          <RefreshCw size={13} /> Refresh
        </button>
      </div>
      {data?.problems.map((p) => (
        <p key={p} className="warning small">
          {p}
        </p>
      ))}
      {newNotes.length > 0 ? (
        <div className="new-tools" role="status" data-testid="new-tools">
          <p className="small">
            <strong>
              {newNotes.length} new tool{newNotes.length === 1 ? "" : "s"}
            </strong>{" "}
            since the last look fall under a broad pattern:
          </p>
          <ul>
            {newNotes.slice(0, 4).map((n) => (
              <li key={n.tool} className="small new-tool" title={`#${n.pattern + 1} ${patternTexts[n.pattern] ?? ""}`}>
                <code>{n.tool}</code> <span className="muted">by #{n.pattern + 1}</span> <code className="muted">{patternTexts[n.pattern] ?? ""}</code>
              </li>
            ))}
            {newNotes.length > 4 ? <li className="small muted">and {newNotes.length - 4} more</li> : null}
          </ul>
        </div>
      ) : null}
      <ExtraToolsPanel onLoaded={catalog.set} />
    </section>
  );
}
