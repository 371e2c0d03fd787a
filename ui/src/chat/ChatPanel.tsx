import { SquarePen } from "lucide-react";
import { useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";

import { useWorkspace } from "../app/workspace";
import { ErrorMessage } from "../app/ErrorMessage";
import { showToast } from "../app/toasts";
import { GENERAL_ASSISTANT, agentTitle, isActive } from "../agents/agent";
import { BackendError, type Agent } from "../lib/backend";
import type { Resource } from "../lib/useResource";
import { QueuedInvocation } from "../quota/QueuedInvocation";
import { buildRequest } from "./request";
import type { ChatSession } from "./session";
import { TurnView } from "./TurnView";

/** Examples for the general assistant: suggestions to type, not data. */
const GENERAL_EXAMPLES = [
  "What services do we have?",
  "Which services have no owner?",
  "Summarise the open incidents",
];

interface Props {
  session: ChatSession;
  agents: Resource<Agent[]>;
}

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.userAgent);
const SEND_KEYS = isMac ? "⌘ Enter" : "Ctrl Enter";

export function ChatPanel({ session, agents }: Props) {
  const { settings, updateSettings } = useWorkspace();
  const turns = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const [chosen, setChosen] = useState(() => session.agentHint ?? settings.lastAgent ?? "");
  const [prompt, setPrompt] = useState("");
  const promptRef = useRef<HTMLTextAreaElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  const agentList = agents.data ?? [];
  const agent = agentList.find((a) => a.identifier === chosen && isActive(a)) ?? null;
  const streaming = turns.some((t) => t.status === "streaming");
  const latestStreaming = streaming ? session.latestStreaming() : null;

  // Esc cancels the newest run, wherever the focus is in the Chat.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented && session.latestStreaming()) {
        event.preventDefault();
        session.cancelLatest();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
    };
  }, [session]);

  // Follow the stream while the view is scrolled to the bottom; stop when the user scrolls up.
  useEffect(() => {
    const view = scroller.current;
    const inner = content.current;
    if (!view || !inner || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) view.scrollTop = view.scrollHeight;
    });
    observer.observe(inner);
    return () => {
      observer.disconnect();
    };
  }, []);

  // A new turn brings the view back to the bottom.
  useEffect(() => {
    pinned.current = true;
    const view = scroller.current;
    if (view) view.scrollTop = view.scrollHeight;
  }, [turns.length]);

  const onScroll = () => {
    const view = scroller.current;
    if (view) pinned.current = view.scrollHeight - view.scrollTop - view.clientHeight < 48;
  };

  const choose = (value: string) => {
    setChosen(value);
    session.setAgentHint(value);
    updateSettings({ lastAgent: value }).catch((error: unknown) => {
      showToast(`Could not remember the agent: ${BackendError.from(error).message}`, "error");
    });
  };

  const send = () => {
    const text = prompt.trim();
    if (text === "") return;
    const id = agent?.identifier ?? null;
    session.send(buildRequest(text, id, settings.defaultTools), agent ? agentTitle(agent) : GENERAL_ASSISTANT);
    setPrompt("");
    promptRef.current?.focus();
  };

  const onPromptKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    }
  };

  const applyStarter = (text: string) => {
    setPrompt(text);
    promptRef.current?.focus();
  };

  const starters = agent ? agent.conversationStarters : GENERAL_EXAMPLES;

  return (
    <div className="chat">
      <div className="chat-toolbar">
        <label className="field-inline">
          <span className="field-label">Ask</span>
          <select
            className="select"
            data-testid="agent-select"
            value={agent?.identifier ?? ""}
            onChange={(event) => {
              choose(event.target.value);
            }}
          >
            <option value="">{GENERAL_ASSISTANT}</option>
            {agentList.map((a) => (
              <option key={a.identifier} value={a.identifier} disabled={!isActive(a)}>
                {agentTitle(a)}
                {isActive(a) ? "" : " (inactive)"}
              </option>
            ))}
          </select>
        </label>
        {agent?.description && turns.length > 0 ? <p className="chat-agent-description muted small">{agent.description}</p> : null}
        {agents.loading ? <span className="muted small">Loading agents…</span> : null}
        {turns.length > 0 ? (
          <button
            type="button"
            className="button ghost small chat-new"
            data-testid="chat-new"
            onClick={() => {
              session.newConversation();
              promptRef.current?.focus();
            }}
          >
            <SquarePen size={14} aria-hidden="true" /> New conversation
          </button>
        ) : null}
        {agents.error ? (
          <div className="chat-agents-error">
            <ErrorMessage error={agents.error} compact />
            <button type="button" className="button small" onClick={agents.reload}>
              Retry
            </button>
          </div>
        ) : null}
      </div>

      <div className="chat-scroll" ref={scroller} onScroll={onScroll}>
        <div className="chat-content" ref={content}>
          {turns.length === 0 ? (
            <div className="chat-intro">
              <h2 className="chat-intro-title">{agent ? agentTitle(agent) : GENERAL_ASSISTANT}</h2>
              <p className="muted">
                {agent
                  ? (agent.description ?? "This agent has no description.")
                  : `Port AI with your default tool patterns (${settings.defaultTools.join(", ") || "none"}).`}
              </p>
            </div>
          ) : (
            <div className="turns">
              {turns.map((turn, index) => (
                <TurnView key={turn.id} turn={turn} latest={index === turns.length - 1} />
              ))}
            </div>
          )}
        </div>
      </div>

      <QueuedInvocation />
      <div className="composer">
        {starters.length > 0 && prompt === "" && (agent !== null || turns.length === 0) ? (
          <div className="starters" aria-label={agent ? "Conversation starters" : "Examples"}>
            {starters.map((s) => (
              <button
                type="button"
                className="chip"
                key={s}
                onClick={() => {
                  applyStarter(s);
                }}
              >
                {s}
              </button>
            ))}
          </div>
        ) : null}
        {turns.length > 0 ? (
          <p className="thread-note muted small" data-testid="chat-thread-note">
            {turns.some((t) => t.restored) ? "Reopened from History. " : ""}
            Your messages here stay together as one conversation in History, but Port has no threads: each message is
            its own invocation, and Port does not see the earlier ones.
          </p>
        ) : null}
        <div className="composer-box">
          <label htmlFor="prompt" className="visually-hidden">
            Prompt
          </label>
          <textarea
            id="prompt"
            ref={promptRef}
            className="prompt-input"
            data-testid="prompt-input"
            rows={3}
            placeholder={`Ask ${agent ? agentTitle(agent) : "Port AI"} about your services…`}
            value={prompt}
            onChange={(event) => {
              setPrompt(event.target.value);
            }}
            onKeyDown={onPromptKey}
          />
          <div className="composer-actions">
            <span className="muted small keys">
              <kbd>{SEND_KEYS}</kbd> to send{streaming ? <> · <kbd>Esc</kbd> to cancel</> : null}
            </span>
            {latestStreaming ? (
              <button
                type="button"
                className="button"
                data-testid="cancel-button"
                disabled={latestStreaming.cancelling}
                onClick={() => {
                  session.cancel(latestStreaming.id);
                }}
              >
                {latestStreaming.cancelling ? "Cancelling…" : "Cancel"}
              </button>
            ) : null}
            <button type="button" className="button primary" data-testid="send-button" disabled={prompt.trim() === ""} onClick={send}>
              Send
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}
