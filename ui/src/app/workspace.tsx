// The open workspace, the settings and the start-up notices: loaded once, then kept in step with
// Rust's `connectionChanged` / `settingsChanged` events.

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import * as backend from "../lib/backend";
import type { AppSettings, ConnectionInfo, RequestOptions, SettingsPatch, WorkspaceStatus } from "../lib/backend";

export interface WorkspaceContextValue {
  connection: ConnectionInfo | null;
  hasProfiles: boolean;
  settings: AppSettings;
  notices: readonly string[];
  dismissNotice: (index: number) => void;
  /** After a successful connect: the new workspace (Rust also announces it as an event). */
  setConnection: (connection: ConnectionInfo | null) => void;
  updateSettings: (patch: Partial<SettingsPatch>) => Promise<AppSettings>;
  /** Remembers Chat's request options for one agent ("" for the general assistant). */
  saveRequestOptions: (agent: string, options: RequestOptions) => Promise<AppSettings>;
  disconnect: () => Promise<void>;
  /** Re-reads `hasProfiles` (after a profile was added or removed). */
  refreshStatus: () => Promise<void>;
}

const WorkspaceContext = createContext<WorkspaceContextValue | null>(null);

export function useWorkspace(): WorkspaceContextValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error("useWorkspace outside WorkspaceProvider");
  return value;
}

export interface WorkspaceProviderProps {
  initialStatus: WorkspaceStatus;
  initialSettings: AppSettings;
  children: ReactNode;
}

export function WorkspaceProvider({ initialStatus, initialSettings, children }: WorkspaceProviderProps) {
  const [connection, setConnection] = useState<ConnectionInfo | null>(initialStatus.connection);
  const [hasProfiles, setHasProfiles] = useState(initialStatus.hasProfiles);
  const [settings, setSettings] = useState<AppSettings>(initialSettings);
  const [notices, setNotices] = useState<readonly string[]>(initialStatus.notices);

  useEffect(() => {
    const stopConnection = backend.onConnectionChanged(setConnection);
    const stopSettings = backend.onSettingsChanged(setSettings);
    return () => {
      stopConnection();
      stopSettings();
    };
  }, []);

  const updateSettings = useCallback(async (patch: Partial<SettingsPatch>) => {
    const next = await backend.updateSettings(patch);
    setSettings(next);
    return next;
  }, []);

  const saveRequestOptions = useCallback(async (agent: string, options: RequestOptions) => {
    const next = await backend.saveRequestOptions(agent, options);
    setSettings(next);
    return next;
  }, []);

  const disconnect = useCallback(async () => {
    await backend.disconnect();
    setConnection(null);
  }, []);

  const refreshStatus = useCallback(async () => {
    const status = await backend.workspaceStatus();
    setHasProfiles(status.hasProfiles);
  }, []);

  const dismissNotice = useCallback((index: number) => {
    setNotices((all) => all.filter((_, i) => i !== index));
  }, []);

  const value = useMemo<WorkspaceContextValue>(
    () => ({
      connection,
      hasProfiles,
      settings,
      notices,
      dismissNotice,
      setConnection,
      updateSettings,
      saveRequestOptions,
      disconnect,
      refreshStatus,
    }),
    [connection, hasProfiles, settings, notices, dismissNotice, updateSettings, saveRequestOptions, disconnect, refreshStatus],
  );
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

/** A stable identity of a workspace: a new one starts a new Chat session. */
export function workspaceKey(connection: ConnectionInfo): string {
  return `${connection.kind}|${connection.profileName ?? ""}|${connection.baseUrl}`;
}
