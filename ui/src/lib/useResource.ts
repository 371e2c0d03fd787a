import { useCallback, useEffect, useRef, useState } from "react";

import { BackendError } from "./backend";

export interface Resource<T> {
  data: T | null;
  error: BackendError | null;
  loading: boolean;
  reload: () => void;
  /** Replaces the data (e.g. from a pushed event). */
  set: (data: T) => void;
}

interface State<T> {
  data: T | null;
  error: BackendError | null;
  loading: boolean;
}

export interface ResourceOptions {
  /** Load on mount (default), or only when `reload` is first called. */
  eager?: boolean;
}

/** Loads on mount and on `reload`; the latest request wins. `load` should be stable (a module
 * function such as `backend.listAgents`): a new one loads again. */
export function useResource<T>(load: () => Promise<T>, { eager = true }: ResourceOptions = {}): Resource<T> {
  const [state, setState] = useState<State<T>>({ data: null, error: null, loading: eager });
  const latest = useRef(0);

  const fetchInto = useCallback(
    (isCurrent: () => boolean) => {
      load().then(
        (data) => {
          if (isCurrent()) setState({ data, error: null, loading: false });
        },
        (error: unknown) => {
          if (isCurrent()) setState((s) => ({ data: s.data, error: BackendError.from(error), loading: false }));
        },
      );
    },
    [load],
  );

  useEffect(() => {
    if (!eager) return;
    let live = true;
    const mine = ++latest.current;
    fetchInto(() => live && latest.current === mine);
    return () => {
      live = false;
    };
  }, [fetchInto, eager]);

  const reload = useCallback(() => {
    const mine = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    fetchInto(() => latest.current === mine);
  }, [fetchInto]);

  const set = useCallback((data: T) => {
    // A pushed value is newer than any request still in flight.
    latest.current++;
    setState({ data, error: null, loading: false });
  }, []);

  return { ...state, reload, set };
}
