import type { ReactNode } from "react";

import type { ConnectionInfo } from "../lib/backend";
import type { PanelId } from "./panels";
import { WorkspaceSwitcher } from "./WorkspaceSwitcher";

interface Props {
  connection: ConnectionInfo;
  onNavigate: (panel: PanelId) => void;
  /** Always-visible status (the quota chip). */
  status?: ReactNode;
}

export function Header({ connection, onNavigate, status }: Props) {
  return (
    <header className="header">
      <div className="workspace">
        <span className={`badge badge-${connection.kind}`}>{connection.kind === "demo" ? "Demo" : "Port"}</span>
        <span className="workspace-label" data-testid="workspace-label" title={connection.baseUrl}>
          {connection.label}
        </span>
      </div>
      {status}
      <WorkspaceSwitcher connection={connection} onManage={() => {
        onNavigate("settings");
      }} />
    </header>
  );
}
