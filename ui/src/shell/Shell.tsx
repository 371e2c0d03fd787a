import { useCallback, useEffect, useRef, useState } from "react";

import { agentTitle } from "../agents/agent";
import { showToast } from "../app/toasts";

import { AgentsPanel } from "../agents/AgentsPanel";
import { ChatPanel } from "../chat/ChatPanel";
import { preloadMarkdown } from "../chat/LazyMarkdown";
import { ChatSession } from "../chat/session";
import { HistoryPanel } from "../history/HistoryPanel";
import * as backend from "../lib/backend";
import type { ConnectionInfo, InvocationRecord } from "../lib/backend";
import { agentLabel } from "../history/format";
import { useResource } from "../lib/useResource";
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
  const agents = useResource(backend.listAgents);
  const quota = useQuotaFigures();
  const main = useRef<HTMLElement>(null);

  useEffect(preloadMarkdown, []);

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
        <main id="main" ref={main} tabIndex={-1} className={`panel panel-${panel}`} aria-label={PANELS.find((p) => p.id === panel)?.label}>
          {panel === "chat" ? <ChatPanel session={session} agents={agents} /> : null}
          {panel === "agents" ? <AgentsPanel agents={agents} /> : null}
          {panel === "tools" ? <LazyToolsPanel agents={agents} /> : null}
          {panel === "history" ? <HistoryPanel onContinue={continueInChat} onRerun={rerun} /> : null}
          {panel === "quota" ? <QuotaPanel quota={quota} /> : null}
          {panel === "settings" ? <SettingsPanel connection={connection} /> : null}
        </main>
      </div>
    </div>
  );
}
