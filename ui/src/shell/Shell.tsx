import { useCallback, useEffect, useRef, useState } from "react";

import { AgentsPanel } from "../agents/AgentsPanel";
import { ChatPanel } from "../chat/ChatPanel";
import { preloadMarkdown } from "../chat/LazyMarkdown";
import { ChatSession } from "../chat/session";
import { HistoryPanel } from "../history/HistoryPanel";
import * as backend from "../lib/backend";
import type { ConnectionInfo } from "../lib/backend";
import { useResource } from "../lib/useResource";
import { QuotaPanel } from "../quota/QuotaPanel";
import { useQuota } from "../quota/useQuota";
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
  const quota = useQuota();
  const main = useRef<HTMLElement>(null);

  useEffect(preloadMarkdown, []);

  // Leaving this workspace stops its runs.
  useEffect(() => () => {
    session.cancelAll();
  }, [session]);

  const navigate = useCallback((next: PanelId) => {
    setPanel(next);
  }, []);

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
        <Header connection={connection} onNavigate={navigate} />
        <main id="main" ref={main} tabIndex={-1} className={`panel panel-${panel}`} aria-label={PANELS.find((p) => p.id === panel)?.label}>
          {panel === "chat" ? <ChatPanel session={session} agents={agents} /> : null}
          {panel === "agents" ? <AgentsPanel agents={agents} /> : null}
          {panel === "tools" ? <LazyToolsPanel agents={agents} /> : null}
          {panel === "history" ? <HistoryPanel /> : null}
          {panel === "quota" ? <QuotaPanel quota={quota} /> : null}
          {panel === "settings" ? <SettingsPanel connection={connection} /> : null}
        </main>
      </div>
    </div>
  );
}
