import { MessageSquarePlus, RotateCcw, Trash2 } from "lucide-react";
import { useEffect, useState } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { LazyMarkdown } from "../chat/LazyMarkdown";
import { ToolCallCard } from "../chat/ToolCallCard";
import * as backend from "../lib/backend";
import type { ConversationFormat, InvocationRecord } from "../lib/backend";
import { formatElapsed } from "../lib/format";
import { ActionMenu } from "./ActionMenu";
import { statusLabel } from "./filters";
import { agentLabel, formatFullDate } from "./format";
import { Timeline } from "./Timeline";
import { timelineFigures } from "./timeline";

export interface DetailActions {
  /** Opens the invocation's conversation in Chat, ready for a follow-up. */
  onContinue: (detail: InvocationRecord) => void;
  /** Sends the same request again, from Chat. */
  onRerun: (detail: InvocationRecord) => void;
  onExportConversation: (conversationId: string, format: ConversationFormat) => void;
  onDelete: (detail: InvocationRecord) => Promise<void>;
}

type Load =
  | { state: "loading"; id: string }
  | { state: "ready"; id: string; detail: InvocationRecord }
  | { state: "failed"; id: string; error: backend.BackendError };

interface Props extends DetailActions {
  id: string;
  /** Bumped when the history changed, so a running invocation is read again. */
  version: number;
}

export function InvocationView({ id, version, ...actions }: Props) {
  const [load, setLoad] = useState<Load>({ state: "loading", id });

  useEffect(() => {
    let live = true;
    backend.historyShow(id).then(
      (detail) => {
        if (live) setLoad({ state: "ready", id, detail });
      },
      (error: unknown) => {
        if (live) setLoad({ state: "failed", id, error: backend.BackendError.from(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [id, version]);

  if (load.id !== id || load.state === "loading") {
    return (
      <div className="history-detail-empty" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> Loading…
      </div>
    );
  }
  if (load.state === "failed") {
    return (
      <div className="history-detail-empty">
        <ErrorMessage error={load.error} />
      </div>
    );
  }
  return <DetailBody detail={load.detail} {...actions} />;
}

function DetailBody({ detail, onContinue, onRerun, onExportConversation, onDelete }: { detail: InvocationRecord } & DetailActions) {
  const summary = detail;
  const figures = timelineFigures(detail);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const conversation = detail.conversationId;
  const running = detail.status === "streaming";

  return (
    <article className="history-detail" data-testid="history-detail" data-id={summary.id} aria-label="Invocation">
      <header className="history-detail-header">
        <div className="history-detail-meta">
          <span className={`status-pill status-${summary.status}`} data-testid="history-detail-status">
            {statusLabel(summary.status)}
          </span>
          <span>{agentLabel(summary.agent)}</span>
          {summary.profile ? <span className="muted">· {summary.profile}</span> : null}
          <time className="muted" dateTime={new Date(summary.askedAt).toISOString()}>
            · {formatFullDate(summary.askedAt)}
          </time>
        </div>
        <h2 className="history-detail-prompt" data-testid="history-detail-prompt">
          {detail.prompt}
        </h2>
        <div className="history-actions">
          <button
            type="button"
            className="button primary small"
            data-testid="history-continue"
            disabled={running}
            onClick={() => {
              onContinue(detail);
            }}
          >
            <MessageSquarePlus size={14} aria-hidden="true" /> Continue in Chat
          </button>
          <button
            type="button"
            className="button small"
            data-testid="history-rerun"
            disabled={detail.request === null}
            title={detail.request === null ? "The request was not recorded (imported from Port)" : "Send the same request again"}
            onClick={() => {
              onRerun(detail);
            }}
          >
            <RotateCcw size={14} aria-hidden="true" /> Re-run
          </button>
          {conversation ? (
            <ActionMenu
              label="Export"
              testId="history-export"
              items={[
                {
                  label: "Conversation as Markdown",
                  testId: "history-export-markdown",
                  onSelect: () => {
                    onExportConversation(conversation, "markdown");
                  },
                },
                {
                  label: "Conversation as JSON",
                  testId: "history-export-json",
                  onSelect: () => {
                    onExportConversation(conversation, "json");
                  },
                },
              ]}
            />
          ) : null}
          <span className="history-actions-spacer" />
          {confirming ? (
            <span className="confirm" role="group" aria-label="Confirm delete">
              <span className="small">Delete this invocation?</span>
              <button
                type="button"
                className="button danger small"
                data-testid="history-delete-confirm"
                disabled={deleting}
                onClick={() => {
                  setDeleting(true);
                  void onDelete(detail).finally(() => {
                    setDeleting(false);
                    setConfirming(false);
                  });
                }}
              >
                Delete
              </button>
              <button
                type="button"
                className="button ghost small"
                onClick={() => {
                  setConfirming(false);
                }}
              >
                Keep
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="button ghost small"
              data-testid="history-delete"
              disabled={running}
              onClick={() => {
                setConfirming(true);
              }}
            >
              <Trash2 size={14} aria-hidden="true" /> Delete
            </button>
          )}
        </div>
      </header>

      <dl className="history-figures">
        <div>
          <dt>First token</dt>
          <dd data-testid="history-ttft">{figures.firstTokenMs !== null ? formatElapsed(figures.firstTokenMs) : "—"}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd>{figures.totalMs !== null ? formatElapsed(figures.totalMs) : running ? "Running…" : "—"}</dd>
        </div>
        <div>
          <dt>Tool calls</dt>
          <dd>{detail.toolCalls.length}</dd>
        </div>
        <div>
          <dt>In tools</dt>
          <dd>{formatElapsed(figures.toolTimeMs)}</dd>
        </div>
      </dl>

      {detail.error ? <ErrorMessage error={detail.error} compact /> : null}

      <section className="history-section">
        <h3 className="history-section-title">Answer</h3>
        {detail.answer === "" ? (
          <p className="muted small">{running ? "The answer is still arriving." : "No answer was recorded."}</p>
        ) : (
          <div className="answer" data-testid="history-answer">
            <LazyMarkdown text={detail.answer} />
          </div>
        )}
      </section>

      {detail.toolCalls.length > 0 ? (
        <section className="history-section">
          <h3 className="history-section-title">Tool calls</h3>
          <div className="tool-calls">
            {detail.toolCalls.map((call) => (
              <ToolCallCard
                key={call.callId}
                runEnded
                call={{
                  id: call.callId,
                  name: call.name,
                  arguments: call.arguments,
                  result: call.result,
                  argumentsComplete: call.argumentsComplete,
                  resultComplete: call.resultComplete,
                  startedAt: call.startedAt,
                  endedAt: call.finishedAt ?? call.argumentsDoneAt,
                }}
              />
            ))}
          </div>
        </section>
      ) : null}

      <Timeline detail={detail} />

      <section className="history-section">
        <h3 className="history-section-title">Details</h3>
        <dl className="facts">
          <dt>Port invocation</dt>
          <dd>{detail.portInvocationId ? <code>{detail.portInvocationId}</code> : "—"}</dd>
          <dt>Trace ID</dt>
          <dd>{detail.traceId ? <code>{detail.traceId}</code> : "—"}</dd>
          {detail.toolPatterns.length > 0 ? (
            <>
              <dt>Tool patterns</dt>
              <dd>
                <ul className="pattern-list">
                  {detail.toolPatterns.map((t) => (
                    <li key={t}>
                      <code>{t}</code>
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
          {Object.keys(summary.labels).length > 0 ? (
            <>
              <dt>Labels</dt>
              <dd>
                <ul className="pattern-list">
                  {Object.entries(detail.labels).map(([k, v]) => (
                    <li key={k}>
                      <code>
                        {k}={v ?? ""}
                      </code>
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
          {conversation ? (
            <>
              <dt>Conversation</dt>
              <dd>
                <code>{conversation}</code>
              </dd>
            </>
          ) : null}
        </dl>
      </section>
    </article>
  );
}
