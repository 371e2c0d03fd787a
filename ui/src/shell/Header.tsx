import { Search } from "lucide-react";
import type { ReactNode } from "react";

import type { ConnectionInfo } from "../lib/backend";
import type { PanelId } from "./panels";
import { WorkspaceSwitcher } from "./WorkspaceSwitcher";

interface Props {
  connection: ConnectionInfo;
  onNavigate: (panel: PanelId) => void;
  /** Opens the Ctrl/Cmd+K agent switcher. */
  onSwitchAgent: () => void;
  /** Always-visible status (the quota chip). */
  status?: ReactNode;
}

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.userAgent);

export function Header({ connection, onNavigate, onSwitchAgent, status }: Props) {
  return (
    <header className="header">
      <div className="workspace">
        <span className={`badge badge-${connection.kind}`}>{connection.kind === "demo" ? "Demo" : "Port"}</span>
        <span className="workspace-label" data-testid="workspace-label" title={connection.baseUrl}>
          {connection.label}
        </span>
      </div>
      <button type="button" className="button ghost small header-switch" data-testid="open-agent-switcher" onClick={onSwitchAgent} aria-keyshortcuts={isMac ? "Meta+K" : "Control+K"}>
        <Search size={14} aria-hidden="true" /> Switch agent <kbd>{isMac ? "⌘K" : "Ctrl K"}</kbd>
      </button>
      {status}
      <WorkspaceSwitcher connection={connection} onManage={() => {
        onNavigate("settings");
      }} />
    </header>
  );
}
