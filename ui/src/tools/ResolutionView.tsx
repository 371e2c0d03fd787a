import { useVirtualizer } from "@tanstack/react-virtual";
import { Plus, X } from "lucide-react";
import { useEffect, useMemo, useRef, useState } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { BackendError, resolveTools, type ApprovalMode, type ChatMode, type Resolution } from "../lib/backend";

interface Override {
  pattern: string;
  mode: ApprovalMode;
}

interface Props {
  /** The enabled patterns of the set in the editor: the request being composed. */
  patterns: readonly string[];
  catalogRevision: number | null;
}

const ROW_HEIGHT = 34;

/** For the request being composed: every tool's final availability and approval mode, and the
 * rule that decided each. */
export function ResolutionView({ patterns, catalogRevision }: Props) {
  const [overrides, setOverrides] = useState<Override[]>([]);
  const [chatMode, setChatMode] = useState<ChatMode | null>(null);
  const [explicitTools, setExplicitTools] = useState(true);
  const [resolution, setResolution] = useState<Resolution | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [onlyAvailable, setOnlyAvailable] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (catalogRevision === null) return;
    let live = true;
    const map: Partial<Record<string, ApprovalMode>> = {};
    for (const o of overrides) if (o.pattern.trim() !== "") map[o.pattern] = o.mode;
    resolveTools({ patterns: [...patterns], overrides: map, chatMode, explicitTools }).then(
      (r) => {
        if (live) {
          setResolution(r);
          setError(null);
        }
      },
      (err: unknown) => {
        if (live) setError(BackendError.from(err));
      },
    );
    return () => {
      live = false;
    };
  }, [patterns, overrides, chatMode, explicitTools, catalogRevision]);

  const rows = useMemo(() => (resolution?.tools ?? []).filter((t) => !onlyAvailable || t.available), [resolution, onlyAvailable]);
  // The virtualizer keeps its own state and re-renders through it; nothing here memoizes its functions.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: { width: 800, height: 480 },
  });
  const available = resolution?.tools.filter((t) => t.available).length ?? 0;

  return (
    <div className="resolution-view">
      <p className="page-intro muted">
        What Port would do with a request that carries the patterns in the editor ({patterns.length}), these per-request
        approval overrides and this chat mode, on top of your saved preferences. Port also applies your permissions, which
        only it knows.
      </p>
      <section className="card" aria-label="Request options">
        <div className="resolution-options">
          <label className="field-label" htmlFor="resolution-chat-mode">
            Chat mode
          </label>
          <select
            id="resolution-chat-mode"
            className="select small-select"
            value={chatMode ?? ""}
            onChange={(e) => setChatMode(e.target.value === "" ? null : (e.target.value as ChatMode))}
            data-testid="resolution-chat-mode"
          >
            <option value="">Not set</option>
            <option value="ask">Ask (no write tools)</option>
            <option value="plan">Plan</option>
            <option value="build">Build</option>
          </select>
          <label className="checkbox small">
            <input type="checkbox" checked={explicitTools} onChange={(e) => setExplicitTools(e.target.checked)} data-testid="resolution-explicit" />
            Sends a tools array (the general assistant always does; an agent's own invocation does not)
          </label>
        </div>
        <h3 className="small-title">Approval overrides for this request</h3>
        {overrides.map((o, i) => (
          <div className="override-row" key={i}>
            <input
              className="input small-input mono"
              aria-label={`Override ${i + 1} pattern`}
              value={o.pattern}
              placeholder="^delete_.*"
              onChange={(e) => setOverrides(overrides.map((x, j) => (j === i ? { ...x, pattern: e.target.value } : x)))}
            />
            <select
              className="select small-select"
              aria-label={`Override ${i + 1} mode`}
              value={o.mode}
              onChange={(e) => setOverrides(overrides.map((x, j) => (j === i ? { ...x, mode: e.target.value as ApprovalMode } : x)))}
            >
              <option value="approval">approval</option>
              <option value="automatic">automatic</option>
            </select>
            <button type="button" className="icon-button" aria-label={`Remove override ${i + 1}`} onClick={() => setOverrides(overrides.filter((_, j) => j !== i))}>
              <X size={14} />
            </button>
          </div>
        ))}
        <button type="button" className="button small" onClick={() => setOverrides([...overrides, { pattern: "", mode: "approval" }])}>
          <Plus size={14} /> Add override
        </button>
      </section>
      {error ? <ErrorMessage error={error} compact /> : null}
      {resolution?.problems.map((p) => (
        <p key={p} className="warning small">
          {p}
        </p>
      ))}
      <section className="card resolution-table" aria-label="Resolved tools">
        <div className="results-controls">
          <span className="small" data-testid="resolution-summary">
            {resolution ? `${available} of ${resolution.tools.length} tools available` : "Resolving…"}
          </span>
          <label className="checkbox small">
            <input type="checkbox" checked={onlyAvailable} onChange={(e) => setOnlyAvailable(e.target.checked)} /> Only available
          </label>
        </div>
        <div className="approvals-scroll" ref={scroller} data-testid="resolution-table">
          <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
            {virtual.getVirtualItems().map((item) => {
              const tool = rows[item.index];
              if (!tool) return null;
              return (
                <div
                  key={tool.name}
                  className={`resolution-row${tool.available ? " available" : ""}`}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  data-testid="resolved-tool"
                  data-tool={tool.name}
                  data-available={tool.available}
                  data-mode={tool.mode}
                >
                  <code className="approval-name" title={tool.name}>
                    {tool.name}
                  </code>
                  <span className="small resolution-reason" title={tool.reason}>
                    {tool.reason}
                  </span>
                  {tool.available ? (
                    <span className="small resolution-mode">
                      <span className={`mode-chip mode-${tool.mode}`}>{tool.mode}</span>
                      <span className="muted"> {tool.modeSource}</span>
                    </span>
                  ) : (
                    <span className="muted small">—</span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </section>
    </div>
  );
}
