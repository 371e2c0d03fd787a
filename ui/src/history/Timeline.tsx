import { useId, useMemo, useState } from "react";

import type { InvocationRecord } from "../lib/backend";
import { buildTimeline, formatOffset, formatSpan, rawEvent } from "./timeline";

/** Rendering tens of thousands of raw events at once would stall; more on request. */
const RAW_PAGE = 500;

export function Timeline({ detail }: { detail: InvocationRecord }) {
  const [raw, setRaw] = useState(false);
  const [rawShown, setRawShown] = useState(RAW_PAGE);
  const toggleId = useId();
  const entries = useMemo(() => buildTimeline(detail), [detail]);
  const asked = detail.askedAt;
  const events = detail.events;

  return (
    <section className="history-section" aria-labelledby={`${toggleId}-title`}>
      <div className="history-section-header">
        <h3 className="history-section-title" id={`${toggleId}-title`}>
          Timeline
        </h3>
        <label className="checkbox small" htmlFor={toggleId}>
          <input
            id={toggleId}
            type="checkbox"
            data-testid="history-raw-toggle"
            checked={raw}
            onChange={(e) => {
              setRaw(e.target.checked);
            }}
          />
          Raw events ({events.length.toLocaleString()})
        </label>
      </div>
      {raw ? (
        events.length === 0 ? (
          <p className="muted small">No events were recorded for this invocation.</p>
        ) : (
          <>
            <ol className="raw-events" data-testid="history-raw-events">
              {events.slice(0, rawShown).map((e) => (
                <li key={e.seq} className="raw-event">
                  <span className="raw-seq">#{e.seq}</span>
                  <span className="raw-offset">{formatOffset(e.at - asked)}</span>
                  <code className="raw-json">{rawEvent(e)}</code>
                </li>
              ))}
            </ol>
            {events.length > rawShown ? (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setRawShown((n) => n + RAW_PAGE * 4);
                }}
              >
                Show more ({(events.length - rawShown).toLocaleString()} left)
              </button>
            ) : null}
          </>
        )
      ) : (
        <ol className="timeline" data-testid="history-timeline">
          {entries.map((entry) => (
            <li key={entry.key} className={`timeline-entry timeline-${entry.kind}`} data-testid="timeline-entry" data-kind={entry.kind}>
              <span className="timeline-offset">{formatOffset(entry.offsetMs)}</span>
              <span className="timeline-dot" aria-hidden="true" />
              <span className="timeline-body">
                <span className="timeline-title">
                  {entry.kind === "tool_call" ? <code>{entry.title}</code> : entry.title}
                  {entry.complete === false ? <span className="badge badge-warn">incomplete</span> : null}
                </span>
                {entry.detail ? <span className="timeline-detail muted">{entry.detail}</span> : null}
              </span>
              <span className="timeline-duration" data-testid={entry.kind === "tool_call" ? "tool-duration" : undefined}>
                {entry.durationMs !== null ? formatSpan(entry.durationMs) : ""}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
