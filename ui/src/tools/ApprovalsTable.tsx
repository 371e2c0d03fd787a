import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef, useState } from "react";

import type { ApprovalTool, Preferences } from "../lib/backend";
import { CHOICES, describeState, isChoice, stateOf, withChoice } from "./approvalModes";

interface Props {
  tools: readonly ApprovalTool[];
  base: Preferences;
  desired: Preferences;
  onChange: (next: Preferences) => void;
}

const ROW_HEIGHT = 40;

/** The user's tools with a three-way control each; changed rows are marked until saved. */
export function ApprovalsTable({ tools, base, desired, onChange }: Props) {
  const [filter, setFilter] = useState("");
  const scroller = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return needle === "" ? tools : tools.filter((t) => t.name.toLowerCase().includes(needle) || t.group.toLowerCase().includes(needle));
  }, [tools, filter]);
  // The virtualizer keeps its own state and re-renders through it; nothing here memoizes its functions.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: { width: 800, height: 480 },
  });

  return (
    <section className="card approvals-table" aria-label="Approval preferences">
      <div className="results-controls">
        <input className="input small-input" type="search" placeholder="Find a tool" aria-label="Find a tool" data-testid="approvals-filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <span className="muted small">
          {tools.length} tools · {desired.disabledTools.length} disabled
        </span>
      </div>
      <div className="approvals-head" aria-hidden>
        <span>Tool</span>
        <span>Group</span>
        <span>Mode</span>
      </div>
      <div
        className="approvals-scroll"
        ref={scroller}
        data-testid="approvals-table"
        // As tall as its rows up to the viewport's share: a filtered list does not leave a void.
        style={{ height: `min(56vh, ${Math.max(shown.length, 2) * ROW_HEIGHT + 2}px)` }}
      >
        <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {virtual.getVirtualItems().map((item) => {
            const tool = shown[item.index];
            if (!tool) return null;
            const state = stateOf(desired, tool.name);
            const before = stateOf(base, tool.name);
            const changed = state !== before;
            return (
              <div
                key={tool.name}
                className={`approval-row${changed ? " changed" : ""}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                data-testid="approval-row"
                data-tool={tool.name}
                data-state={state}
              >
                <code className="approval-name" title={tool.name}>
                  {tool.name}
                </code>
                <span className="muted small approval-group">{tool.group}</span>
                <div className="segmented" role="radiogroup" aria-label={`Mode of ${tool.name}`}>
                  {CHOICES.map((c) => (
                    <button
                      key={c.value}
                      type="button"
                      role="radio"
                      aria-checked={state === c.value}
                      className={`mode-${c.value}${state === c.value ? " active" : ""}`}
                      onClick={() => onChange(withChoice(desired, tool.name, c.value))}
                      data-testid={`mode-${c.value}`}
                    >
                      {c.label}
                    </button>
                  ))}
                </div>
                <span className="approval-note small">
                  {state === "default" ? (
                    <span className="muted" title="No saved mode: Port's default applies">
                      default{tool.defaultMode ? ` (${tool.defaultMode})` : ""}
                    </span>
                  ) : !isChoice(state) ? (
                    <span className="warning" title="A mode newer than this version of Portdesk: saved back unchanged">
                      {describeState(state)}
                    </span>
                  ) : changed ? (
                    <span className="changed-note">was {describeState(before).toLowerCase()}</span>
                  ) : null}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
