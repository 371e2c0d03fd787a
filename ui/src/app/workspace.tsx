// The open workspace, the settings and the start-up notices: loaded once, then kept in step with
// Rust's `connectionChanged` / `settingsChanged` events; and the open workspace's request options
// and the pattern sets saved for its agents (two organisations may both have an agent called
// `ops`), read again when the workspace changes.

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import { showToast } from "./toasts";
import * as backend from "../lib/backend";
import { BackendError } from "../lib/backend";
import type {
  AppSettings,
  ConnectionInfo,
  RequestOptions,
  SavedPatternSet,
  SettingsPatch,
  WorkspaceStatus,
} from "../lib/backend";

export interface WorkspaceContextValue {
  connection: ConnectionInfo | null;
  hasProfiles: boolean;
  settings: AppSettings;
  notices: readonly string[];
  dismissNotice: (index: number) => void;
  /** After a successful connect: the new workspace (Rust also announces it as an event). */
  setConnection: (connection: ConnectionInfo | null) => void;
  updateSettings: (patch: Partial<SettingsPatch>) => Promise<AppSettings>;
  /** The open workspace's request options by agent ("" is the general assistant). */
  requestOptions: Readonly<Partial<Record<string, RequestOptions>>>;
  /** Whether `requestOptions` has been read for the open workspace (or could not be read). */
  requestOptionsReady: boolean;
  /** The open workspace's request options once they are read (empty if they could not be). */
  whenRequestOptionsRead: () => Promise<Readonly<Partial<Record<string, RequestOptions>>>>;
  /** Remembers Chat's request options for one agent of the open workspace. */
  saveRequestOptions: (agent: string, options: RequestOptions) => Promise<void>;
  /** The pattern sets saved for the open workspace's agents, by agent identifier. */
  agentPatternSets: Readonly<Partial<Record<string, SavedPatternSet>>>;
  /** Saves the pattern set for one agent of the open workspace. */
  saveAgentPatternSet: (agent: string, set: SavedPatternSet) => Promise<void>;
  disconnect: () => Promise<void>;
  /** Re-reads `hasProfiles` (after a profile was added or removed). */
  refreshStatus: () => Promise<void>;
}

/** What was read for one workspace, tagged with it. */
interface Tagged<T> {
  workspace: string;
  all: Partial<Record<string, T>>;
}

const NO_OPTIONS: Readonly<Partial<Record<string, RequestOptions>>> = {};
const NO_SETS: Readonly<Partial<Record<string, SavedPatternSet>>> = {};

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
  const workspace = connection ? workspaceKey(connection) : null;
  // Tagged with the workspace they belong to: an answer about the previous one is not this one's.
  const [savedOptions, setSavedOptions] = useState<Tagged<RequestOptions> | null>(null);
  const [savedSets, setSavedSets] = useState<Tagged<SavedPatternSet> | null>(null);
  // The open workspace's read in flight, for a send that cannot wait for a render.
  const optionsRead = useRef<Promise<Partial<Record<string, RequestOptions>>>>(Promise.resolve({}));

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

  useEffect(() => {
    if (workspace === null) return;
    let live = true;
    const read = backend.requestOptions().catch((error: unknown) => {
      if (live) showToast(`Could not read the request options: ${BackendError.from(error).message}`, "error");
      // Chat goes on without them rather than holding a send back for good.
      return {};
    });
    optionsRead.current = read;
    void read.then((all) => {
      if (live) setSavedOptions({ workspace, all });
    });
    backend.agentPatternSets().then(
      ({ sets, notice }) => {
        if (!live) return;
        setSavedSets({ workspace, all: sets });
        if (notice !== null) showToast(notice, "error");
      },
      (error: unknown) => {
        if (live) showToast(`Could not read the agents' pattern sets: ${BackendError.from(error).message}`, "error");
      },
    );
    return () => {
      live = false;
    };
  }, [workspace]);
  const whenRequestOptionsRead = useCallback(() => optionsRead.current, []);

  const saveRequestOptions = useCallback(
    async (agent: string, options: RequestOptions) => {
      if (workspace === null) return;
      const all = await backend.saveRequestOptions(agent, options);
      setSavedOptions((current) => (current === null || current.workspace === workspace ? { workspace, all } : current));
    },
    [workspace],
  );
  const requestOptionsReady = savedOptions !== null && savedOptions.workspace === workspace;
  const requestOptions = requestOptionsReady ? savedOptions.all : NO_OPTIONS;

  const saveAgentPatternSet = useCallback(
    async (agent: string, set: SavedPatternSet) => {
      if (workspace === null) return;
      const { sets } = await backend.saveAgentPatternSet(agent, set);
      setSavedSets((current) => (current === null || current.workspace === workspace ? { workspace, all: sets } : current));
    },
    [workspace],
  );
  const agentPatternSets = savedSets !== null && savedSets.workspace === workspace ? savedSets.all : NO_SETS;

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
      requestOptions,
      requestOptionsReady,
      whenRequestOptionsRead,
      saveRequestOptions,
      agentPatternSets,
      saveAgentPatternSet,
      disconnect,
      refreshStatus,
    }),
    [
      connection,
      hasProfiles,
      settings,
      notices,
      dismissNotice,
      updateSettings,
      requestOptions,
      requestOptionsReady,
      whenRequestOptionsRead,
      saveRequestOptions,
      agentPatternSets,
      saveAgentPatternSet,
      disconnect,
      refreshStatus,
    ],
  );
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

/** A stable identity of a workspace: a new one starts a new Chat session. */
export function workspaceKey(connection: ConnectionInfo): string {
  return `${connection.kind}|${connection.profileName ?? ""}|${connection.baseUrl}`;
}
