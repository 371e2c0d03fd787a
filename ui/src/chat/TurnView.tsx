import { memo, useSyncExternalStore } from "react";

import { LazyMarkdown } from "./LazyMarkdown";
import { RunStatus } from "./RunStatus";
import type { Turn } from "./session";
import { ToolCallCard } from "./ToolCallCard";

interface Props {
  turn: Turn;
  /** The newest turn carries the test ids the end-to-end tests read. */
  latest: boolean;
}

export const TurnView = memo(function TurnView({ turn, latest }: Props) {
  const snapshot = useSyncExternalStore(turn.transcript.subscribe, turn.transcript.getSnapshot);
  const streaming = turn.status === "streaming";
  const waiting = streaming && snapshot.answer === "" && snapshot.toolCalls.length === 0;
  return (
    <article className="turn" aria-busy={streaming}>
      <header className="turn-prompt">
        <span className="turn-who">
          You <span aria-hidden="true">→</span> {turn.agentLabel}
        </span>
        <p className="turn-prompt-text">{turn.prompt}</p>
      </header>
      <div className="turn-response">
        {snapshot.toolCalls.length > 0 ? (
          <div className="tool-calls" aria-label="Tool calls">
            {snapshot.toolCalls.map((call) => (
              <ToolCallCard key={call.id} call={call} runEnded={!streaming} />
            ))}
          </div>
        ) : null}
        {waiting ? <p className="thinking muted">Waiting for Port AI…</p> : null}
        <div className="answer" data-testid={latest ? "answer" : undefined}>
          <LazyMarkdown text={snapshot.answer} />
        </div>
        {snapshot.unknownEvents.length > 0 ? (
          <details className="unknown-events">
            <summary>
              {snapshot.unknownEvents.length} event{snapshot.unknownEvents.length === 1 ? "" : "s"} Portdesk does not know
            </summary>
            <ul>
              {snapshot.unknownEvents.map((event, index) => (
                <li key={index}>
                  <code>{event.event}</code>
                  {event.reason ? <span className="muted"> — {event.reason}</span> : null}
                  <pre className="code-block">{event.data}</pre>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        <RunStatus turn={turn} done={snapshot.done} latest={latest} />
      </div>
    </article>
  );
});
