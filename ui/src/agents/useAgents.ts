// The workspace's agents, stale-while-revalidate: the copy saved on disk shows at once (also
// offline), then Port's list replaces it. A failed refresh keeps the saved agents on screen
// with the error and the time of the last good refresh.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import * as backend from "../lib/backend";
import type { Agent, AgentPrefsView } from "../lib/backend";
import { BackendError } from "../lib/backend";
import type { Resource } from "../lib/useResource";

export interface AgentsState {
  /** What the Chat and Tools panels read: the agents, the refresh error, and reload = refresh. */
  resource: Resource<Agent[]>;
  /** When the shown list was fetched from Port (ms since the epoch); null: never. */
  fetchedAtMs: number | null;
  /** True while the list on screen is the saved copy, not yet confirmed by Port. */
  fromCache: boolean;
  refreshing: boolean;
  /** About the saved copy or the favourites (unreadable, from a newer version, unsaved). */
  notices: readonly string[];
  prefs: AgentPrefsView;
  setFavourite: (identifier: string, favourite: boolean) => void;
  noteUsed: (identifier: string) => void;
}

const NO_PREFS: AgentPrefsView = { favourites: [], recent: [], notice: null };

interface ListState {
  agents: Agent[] | null;
  fetchedAtMs: number | null;
  fromCache: boolean;
  refreshing: boolean;
  error: BackendError | null;
  cacheNotice: string | null;
  saveNotice: string | null;
}

export function useAgents(): AgentsState {
  const [list, setList] = useState<ListState>({
    agents: null,
    fetchedAtMs: null,
    fromCache: false,
    refreshing: true,
    error: null,
    cacheNotice: null,
    saveNotice: null,
  });
  const [prefs, setPrefs] = useState<AgentPrefsView>(NO_PREFS);
  const [prefsError, setPrefsError] = useState<string | null>(null);
  const latest = useRef(0);
  const mounted = useRef(true);

  // Asks Port; state changes only when it answers (the caller marks the list as refreshing).
  const fetchList = useCallback(() => {
    const mine = ++latest.current;
    backend.refreshAgents().then(
      (snapshot) => {
        if (!mounted.current || latest.current !== mine) return;
        setList((s) => ({
          ...s,
          agents: snapshot.agents,
          fetchedAtMs: snapshot.fetchedAtMs,
          fromCache: false,
          refreshing: false,
          error: null,
          saveNotice: snapshot.notice,
        }));
      },
      (error: unknown) => {
        if (!mounted.current || latest.current !== mine) return;
        setList((s) => ({ ...s, refreshing: false, error: BackendError.from(error) }));
      },
    );
  }, []);

  const refresh = useCallback(() => {
    setList((s) => ({ ...s, refreshing: true }));
    fetchList();
  }, [fetchList]);

  useEffect(() => {
    mounted.current = true;
    // The saved copy first; it never waits for the network. A refresh that answered already
    // (a fast Port) is newer and wins.
    backend.cachedAgents().then(
      (snapshot) => {
        if (!mounted.current) return;
        setList((s) => {
          if (s.agents !== null) return { ...s, cacheNotice: snapshot.notice };
          const saved = snapshot.fetchedAtMs !== null;
          return {
            ...s,
            agents: saved ? snapshot.agents : null,
            fetchedAtMs: snapshot.fetchedAtMs,
            fromCache: saved,
            cacheNotice: snapshot.notice,
          };
        });
      },
      () => {
        // No saved copy to show: the refresh below is the only source.
      },
    );
    fetchList();
    backend.agentPrefs().then(
      (p) => {
        if (mounted.current) setPrefs(p);
      },
      (error: unknown) => {
        if (mounted.current) setPrefsError(BackendError.from(error).message);
      },
    );
    return () => {
      mounted.current = false;
    };
  }, [fetchList]);

  const setFavourite = useCallback((identifier: string, favourite: boolean) => {
    // Shown at once; the saved answer replaces the guess.
    setPrefs((p) => ({
      ...p,
      favourites: favourite ? [...p.favourites.filter((f) => f !== identifier), identifier] : p.favourites.filter((f) => f !== identifier),
    }));
    backend.setAgentFavourite(identifier, favourite).then(
      (p) => {
        if (mounted.current) setPrefs(p);
      },
      (error: unknown) => {
        if (mounted.current) setPrefsError(`The favourite could not be saved: ${BackendError.from(error).message}`);
      },
    );
  }, []);

  const noteUsed = useCallback((identifier: string) => {
    setPrefs((p) => ({ ...p, recent: [identifier, ...p.recent.filter((r) => r !== identifier)].slice(0, 8) }));
    backend.noteAgentUsed(identifier).then(
      (p) => {
        if (mounted.current) setPrefs(p);
      },
      (error: unknown) => {
        if (mounted.current) setPrefsError(`The recent agent could not be saved: ${BackendError.from(error).message}`);
      },
    );
  }, []);

  const set = useCallback((agents: Agent[]) => {
    latest.current++;
    setList((s) => ({ ...s, agents, refreshing: false, error: null }));
  }, []);

  const resource = useMemo<Resource<Agent[]>>(
    () => ({
      data: list.agents,
      error: list.error,
      loading: list.refreshing && list.agents === null,
      reload: refresh,
      set,
    }),
    [list.agents, list.error, list.refreshing, refresh, set],
  );

  const notices = useMemo(
    () => [list.cacheNotice, list.saveNotice, prefs.notice, prefsError].filter((n): n is string => n !== null),
    [list.cacheNotice, list.saveNotice, prefs.notice, prefsError],
  );

  return {
    resource,
    fetchedAtMs: list.fetchedAtMs,
    fromCache: list.fromCache,
    refreshing: list.refreshing,
    notices,
    prefs,
    setFavourite,
    noteUsed,
  };
}
