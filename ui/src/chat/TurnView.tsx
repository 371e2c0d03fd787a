import { memo, useCallback, useSyncExternalStore } from "react";

import { afterPaint, markEndPainted } from "./figures";
import { LazyMarkdown } from "./LazyMarkdown";
import { StructuredAnswer } from "./options/StructuredAnswer";
import { RunStatus } from "./RunStatus";
import type { Turn } from "./session";
import { ToolCallCard } from "./ToolCallCard";
import { UnknownEventCard } from "./UnknownEventCard";

/** Past this, the answer's off-screen blocks skip layout (see conversation.css). */
const LONG_ANSWER_CHARS = 20_000;

interface Props {
  turn: Turn;
  /** The newest turn carries the test ids the end-to-end tests read. */
  latest: boolean;
  onRetry: (turn: Turn) => void;
  onOpenSettings?: () => void;
}

export const TurnView = memo(function TurnView({ turn, latest, onRetry, onOpenSettings }: Props) {
  const snapshot = useSyncExternalStore(turn.transcript.subscribe, turn.transcript.getSnapshot);
  const streaming = turn.status === "streaming";
  const waiting = streaming && snapshot.answer === "" && snapshot.toolCalls.length === 0;
  // A structured answer is shown as a tree once it is whole (a partial object is not JSON yet).
  const structured = !streaming && snapshot.answer !== "" ? (turn.request?.outputSchema ?? null) : null;

  // The end is painted once the run has ended and its whole answer is rendered.
  const onSettled = useCallback(() => {
    if (turn.restored) return;
    afterPaint((at) => {
      markEndPainted(turn.id, at);
    });
  }, [turn.restored, turn.id]);

  return (
    <article className="turn" aria-busy={streaming} data-status={turn.status}>
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
        {snapshot.unknownEvents.map((event, index) => (
          <UnknownEventCard key={index} event={event} />
        ))}
        {waiting ? <p className="thinking muted">Waiting for Port AI…</p> : null}
        {structured ? (
          <StructuredAnswer schema={structured} answer={snapshot.answer} latest={latest} />
        ) : null}
        <div
          className={snapshot.answer.length > LONG_ANSWER_CHARS ? "answer answer-long" : "answer"}
          data-testid={latest ? "answer" : undefined}
          hidden={structured !== null}
        >
          <LazyMarkdown text={snapshot.answer} streaming={streaming} onSettled={streaming ? undefined : onSettled} />
        </div>
        <RunStatus turn={turn} done={snapshot.done} latest={latest} onRetry={onRetry} onOpenSettings={onOpenSettings} />
      </div>
    </article>
  );
});
