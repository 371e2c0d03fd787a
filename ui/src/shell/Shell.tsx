import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { agentTitle } from "../agents/agent";
import { showToast } from "../app/toasts";

import { AgentSwitcher } from "../agents/AgentSwitcher";
import { AgentsPanel } from "../agents/AgentsPanel";
import { orderedEntries } from "../agents/search";
import { useAgents } from "../agents/useAgents";
import { useWorkspace } from "../app/workspace";
import { ChatPanel } from "../chat/ChatPanel";
import { preloadMarkdown } from "../chat/LazyMarkdown";
import { ChatSession } from "../chat/session";
import { WarmUp } from "../chat/WarmUp";
import { HistoryPanel } from "../history/HistoryPanel";
import * as backend from "../lib/backend";
import type { ConnectionInfo, InvocationRecord } from "../lib/backend";
import { agentLabel } from "../history/format";
import { QuotaAlerts } from "../quota/QuotaAlerts";
import { QuotaChip } from "../quota/QuotaChip";
import { QuotaPanel } from "../quota/QuotaPanel";
import { useQuotaFigures } from "../quota/useQuotaFigures";
import { SettingsPanel } from "../settings/SettingsPanel";
import { LazyToolsPanel } from "../tools/LazyToolsPanel";
import { Header } from "./Header";
import { PANELS, type PanelId } from "./panels";
import { Sidebar } from "./Sidebar";

interface Props {
  connection: ConnectionInfo;
}

/** The app for one open workspace. It is mounted anew when the workspace changes. */
export function Shell({ connection }: Props) {
  const [panel, setPanel] = useState<PanelId>("chat");
  const [session] = useState(() => new ChatSession());
  const agentsState = useAgents();
  const agents = agentsState.resource;
  const { updateSettings } = useWorkspace();
  // Bumped to mount the Chat afresh with an agent (and prompt) picked elsewhere.
  const [chatKey, setChatKey] = useState(0);
  const [switcherOpen, setSwitcherOpen] = useState(false);
  const quota = useQuotaFigures();
  const main = useRef<HTMLElement>(null);

  useEffect(preloadMarkdown, []);
  // A made-up turn rendered off screen once, a moment after start-up (see chat/WarmUp.tsx).
  const [warming, setWarming] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => {
      setWarming(true);
    }, 300);
    return () => {
      clearTimeout(timer);
    };
  }, []);
  const warmedUp = useCallback(() => {
    setWarming(false);
  }, []);

  // Leaving this workspace stops its runs.
  useEffect(() => () => {
    session.cancelAll();
  }, [session]);

  const navigate = useCallback((next: PanelId) => {
    setPanel(next);
  }, []);

  // The Chat's name for an agent: its title when the workspace knows it.
  const labelOf = useCallback(
    (agent: string | null) => {
      const known = agent ? agents.data?.find((a) => a.identifier === agent) : undefined;
      return known ? agentTitle(known) : agentLabel(agent);
    },
    [agents.data],
  );

  const continueInChat = useCallback(
    (detail: InvocationRecord) => {
      const id = detail.conversationId;
      const opened = id ? backend.historyConversation(id).then((c) => ({ id: c.conversation.id, invocations: c.invocations })) : Promise.resolve({ id: crypto.randomUUID(), invocations: [detail] });
      opened.then(
        (conversation) => {
          session.restore(conversation, labelOf);
          setPanel("chat");
        },
        (error: unknown) => {
          showToast(`Could not reopen the conversation: ${backend.BackendError.from(error).message}`, "error");
        },
      );
    },
    [session, labelOf],
  );

  const rerun = useCallback(
    (detail: InvocationRecord) => {
      if (!detail.request) return;
      session.newConversation();
      session.setAgentHint(detail.request.agent ?? "");
      session.send(detail.request, labelOf(detail.request.agent));
      setPanel("chat");
    },
    [session, labelOf],
  );

  const { noteUsed } = agentsState;

  // An agent asked in Chat (picked there, not only here) counts as recently used.
  useEffect(() => {
    const seen = new Set(session.getSnapshot().map((t) => t.id));
    return session.subscribe(() => {
      for (const turn of session.getSnapshot()) {
        if (seen.has(turn.id)) continue;
        seen.add(turn.id);
        if (!turn.restored) noteUsed(turn.agent ?? "");
      }
    });
  }, [session, noteUsed]);
  const openChat = useCallback(
    (agent: string, prompt: string | null) => {
      session.setAgentHint(agent);
      session.setDraft(prompt);
      noteUsed(agent);
      updateSettings({ lastAgent: agent }).catch((error: unknown) => {
        showToast(`Could not remember the agent: ${backend.BackendError.from(error).message}`, "error");
      });
      setChatKey((k) => k + 1);
      setPanel("chat");
    },
    [session, noteUsed, updateSettings],
  );

  // Ctrl/Cmd+K opens the agent switcher from anywhere (captured first, so no editor keeps it).
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
        event.preventDefault();
        event.stopPropagation();
        setSwitcherOpen((open) => !open);
      }
    };
    document.addEventListener("keydown", onKey, true);
    return () => {
      document.removeEventListener("keydown", onKey, true);
    };
  }, []);

  const switcherEntries = useMemo(
    () => orderedEntries(agents.data ?? [], agentsState.prefs.favourites, agentsState.prefs.recent),
    [agents.data, agentsState.prefs.favourites, agentsState.prefs.recent],
  );

  const skipToContent = () => {
    main.current?.focus();
  };

  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          skipToContent();
        }}
      >
        Skip to content
      </a>
      <Sidebar current={panel} onNavigate={navigate} />
      <div className="shell-main">
        <Header
          connection={connection}
          onNavigate={navigate}
          onSwitchAgent={() => {
            setSwitcherOpen(true);
          }}
          status={
            <QuotaChip
              quota={quota}
              onOpen={() => {
                navigate("quota");
              }}
            />
          }
        />
        <QuotaAlerts quota={quota} />
        {warming ? <WarmUp onDone={warmedUp} /> : null}
        <main id="main" ref={main} tabIndex={-1} className={`panel panel-${panel}`} aria-label={PANELS.find((p) => p.id === panel)?.label}>
          {panel === "chat" ? <ChatPanel key={chatKey} session={session} agents={agents} /> : null}
          {panel === "agents" ? <AgentsPanel agents={agentsState} onOpenChat={openChat} /> : null}
          {panel === "tools" ? <LazyToolsPanel agents={agents} /> : null}
          {panel === "history" ? <HistoryPanel onContinue={continueInChat} onRerun={rerun} /> : null}
          {panel === "quota" ? <QuotaPanel quota={quota} /> : null}
          {panel === "settings" ? (
            <SettingsPanel
              connection={connection}
              onEditTools={() => {
                navigate("tools");
              }}
            />
          ) : null}
        </main>
      </div>
      {switcherOpen ? (
        <AgentSwitcher
          entries={switcherEntries}
          recent={agentsState.prefs.recent}
          onClose={() => {
            setSwitcherOpen(false);
          }}
          onPick={(id) => {
            setSwitcherOpen(false);
            openChat(id, null);
          }}
        />
      ) : null}
    </div>
  );
}
