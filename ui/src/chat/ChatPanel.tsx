import { SlidersHorizontal, SquarePen } from "lucide-react";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";

import { useWorkspace } from "../app/workspace";
import { ErrorMessage } from "../app/ErrorMessage";
import { showToast } from "../app/toasts";
import { GENERAL_ASSISTANT, agentTitle, isActive } from "../agents/agent";
import * as backend from "../lib/backend";
import { BackendError, type Agent, type RequestOptions } from "../lib/backend";
import { useToolPatternSet } from "../tools/useToolPatternSet";
import type { Resource } from "../lib/useResource";
import { QueuedInvocation } from "../quota/QueuedInvocation";
import { buildRequest, optionsKey, optionsProblem, optionsSet, parseSchema, patternsProblem } from "./request";
import { RequestOptionsDrawer } from "./options/RequestOptionsDrawer";
import { useRequestOptions } from "./options/useRequestOptions";
import { findInTurns } from "./find";
import { FindBar } from "./FindBar";
import type { ChatSession, Turn } from "./session";
import { Transcript } from "./Transcript";

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
  const [prompt, setPrompt] = useState(() => session.takeDraft() ?? "");
  const promptRef = useRef<HTMLTextAreaElement>(null);
  const [finding, setFinding] = useState(false);
  const [findQuery, setFindQuery] = useState("");
  const [findAt, setFindAt] = useState(0);

  const agentList = agents.data ?? [];
  const agent = agentList.find((a) => a.identifier === chosen && isActive(a)) ?? null;
  const agentId = agent?.identifier ?? null;
  const key = optionsKey(agentId);
  const [optionsOpen, setOptionsOpen] = useState(false);
  const [sendProblem, setSendProblem] = useState<string | null>(null);
  const { options, ready: optionsReady, whenReady, change, providers, connectors, catalogRevision, schemaError } = useRequestOptions(key, optionsOpen);
  // A send made before the workspace's remembered options are read (a local file, a few ms) goes
  // out once they are, with them.
  const [sendWaiting, setSendWaiting] = useState(false);
  const savedTools = useToolPatternSet(null).patterns;
  const changeOptions = (next: RequestOptions) => {
    setSendProblem(null);
    change(next);
  };

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

  // Ctrl/Cmd+F: the conversation's own find (the transcript is virtualized, so the web view's
  // find would miss the turns off screen).
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "f") {
        event.preventDefault();
        setFinding(true);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
    };
  }, []);

  const hits = useMemo(() => (finding ? findInTurns(turns, findQuery) : []), [finding, turns, findQuery]);
  const hitAt = hits.length === 0 ? 0 : Math.min(findAt, hits.length - 1);
  const occurrences = hits.reduce((sum, hit) => sum + hit.count, 0);
  const stepFind = (delta: 1 | -1) => {
    if (hits.length > 0) setFindAt((hitAt + delta + hits.length) % hits.length);
  };

  const retry = useCallback(
    (turn: Turn) => {
      session.retry(turn);
    },
    [session],
  );

  const choose = (value: string) => {
    setChosen(value);
    session.setAgentHint(value);
    updateSettings({ lastAgent: value }).catch((error: unknown) => {
      showToast(`Could not remember the agent: ${BackendError.from(error).message}`, "error");
    });
  };

  const send = async () => {
    const text = prompt.trim();
    if (text === "") return;

    const id = agentId;
    const label = agent ? agentTitle(agent) : GENERAL_ASSISTANT;
    let sent = options;
    if (!optionsReady) {
      setSendWaiting(true);
      sent = await whenReady();
      setSendWaiting(false);
    }
    let problem = optionsProblem(sent, id, schemaError?.message ?? null, providers.state === "ok" ? providers.data : null);
    if (problem === null && id === null && sent.tools !== null && sent.tools.length > 0) {
      // Port ignores a pattern it cannot compile: the edited set is checked by the same engine as
      // the drawer's markers before it goes. When the engine cannot answer, Port's own word stands.
      const tools = sent.tools;
      const evaluation = await backend
        .evaluatePatterns({ patterns: tools.map((text) => ({ text, enabled: true })), checks: [] })
        .catch(() => null);
      if (evaluation) problem = patternsProblem(tools, evaluation);
    }
    const parsed = parseSchema(sent.outputSchema);
    if (problem === null && parsed.kind === "ok") {
      // The debounced check may not have run for the latest edit: the send waits for a fresh one.
      const check = await backend.checkOutputSchema(parsed.schema).catch((error: unknown) => ({
        ok: false,
        error: BackendError.from(error).message,
      }));
      if (!check.ok) problem = `The output schema is not a valid JSON Schema: ${check.error ?? "invalid"}`;
    }
    if (problem !== null) {
      setSendProblem(problem);
      setOptionsOpen(true);
      return;
    }
    setSendProblem(null);
    session.send(buildRequest(text, id, savedTools, sent), label);
    setPrompt("");
    promptRef.current?.focus();
  };
  const sendNow = () => {
    void send();
  };

  const onPromptKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      sendNow();
    } else if (event.key === "ArrowUp" && prompt === "" && !event.shiftKey) {
      // As in a shell: Up in an empty composer brings the last prompt back to edit.
      const last = session.lastPrompt();
      if (last !== null) {
        event.preventDefault();
        setPrompt(last);
      }
    }
  };

  const applyStarter = (text: string) => {
    setPrompt(text);
    promptRef.current?.focus();
  };

  const starters = agent ? agent.conversationStarters : GENERAL_EXAMPLES;

  const setCount = optionsSet(options, agentId);

  return (
    <div className="chat-layout">
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

        {finding ? (
          <FindBar
            query={findQuery}
            onQuery={(query) => {
              setFindQuery(query);
              setFindAt(0);
            }}
            at={hitAt}
            turns={hits.length}
            occurrences={occurrences}
            onStep={stepFind}
            onClose={() => {
              setFinding(false);
              setFindQuery("");
              promptRef.current?.focus();
            }}
          />
        ) : null}

        <Transcript
          turns={turns}
          onRetry={retry}
          find={finding ? { query: findQuery, turn: hits[hitAt]?.index ?? null } : null}
          empty={
            <div className="chat-intro">
              <h2 className="chat-intro-title">{agent ? agentTitle(agent) : GENERAL_ASSISTANT}</h2>
              <p className="muted">
                {agent
                  ? (agent.description ?? "This agent has no description.")
                  : `Port AI with ${options.tools === null ? "your default" : "these"} tool patterns (${(options.tools ?? savedTools).join(", ") || "none"}).`}
              </p>
            </div>
          }
        />

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
              <button
                type="button"
                className={optionsOpen ? "button ghost small options-toggle active" : "button ghost small options-toggle"}
                data-testid="options-toggle"
                aria-expanded={optionsOpen}
                onClick={() => {
                  setOptionsOpen(!optionsOpen);
                }}
              >
                <SlidersHorizontal size={14} aria-hidden="true" /> Options
                {setCount > 0 ? (
                  <span className="badge" data-testid="options-count">
                    {setCount}
                  </span>
                ) : null}
              </button>
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
              <button type="button" className="button primary" data-testid="send-button" disabled={prompt.trim() === "" || sendWaiting} onClick={sendNow}>
                {sendWaiting ? "Sending…" : "Send"}
              </button>
            </div>
          </div>
          {sendProblem !== null ? (
            <p className="field-error small" role="alert" data-testid="send-problem">
              Not sent: {sendProblem}
            </p>
          ) : null}
        </div>
      </div>
      {optionsOpen ? (
        <RequestOptionsDrawer
          key={key}
          agent={agentId}
          agentLabel={agent ? agentTitle(agent) : GENERAL_ASSISTANT}
          options={options}
          onChange={changeOptions}
          savedTools={savedTools}
          providers={providers}
          connectors={connectors}
          catalogRevision={catalogRevision}
          schemaError={schemaError}
          onClose={() => {
            setOptionsOpen(false);
          }}
        />
      ) : null}
    </div>
  );
}
