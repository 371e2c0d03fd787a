import { useCallback, useEffect, useRef, useState } from "react";

import * as backend from "../lib/backend";
import type { AppError, QuotaFigures } from "../lib/backend";

/** How often the open workspace asks Port for its monthly quota while the app is open, so usage
 * from Port's web app or another machine shows up. */
export const REFRESH_EVERY_MS = 5 * 60_000;

export interface QuotaState {
  /** The open workspace's figures (null until read). */
  figures: QuotaFigures | null;
  /** When `figures` were read (ms, this machine's clock): countdowns run from here. */
  readAt: number | null;
  error: AppError | null;
  refreshing: boolean;
  /** Asks Port now. */
  refresh: () => void;
}

/** The open workspace's quota figures: read from the history at once, refreshed from Port on
 * start and every few minutes, and read again whenever Rust records new ones. */
export function useQuotaFigures(): QuotaState {
  const [figures, setFigures] = useState<QuotaFigures | null>(null);
  const [readAt, setReadAt] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const alive = useRef(true);

  const accept = useCallback((next: QuotaFigures) => {
    if (!alive.current) return;
    setFigures(next);
    setReadAt(Date.now());
  }, []);

  const reload = useCallback(() => {
    backend.quotaFigures(null).then(accept, (e: unknown) => {
      if (alive.current) setError(backend.BackendError.from(e).toAppError());
    });
  }, [accept]);

  // Asks Port; state changes only when the answer comes (safe to start from an effect).
  const fetchFromPort = useCallback(() => {
    void backend
      .refreshQuota()
      .then(
        (next) => {
          accept(next);
          if (alive.current) setError(null);
        },
        (e: unknown) => {
          if (alive.current) setError(backend.BackendError.from(e).toAppError());
        },
      )
      .finally(() => {
        if (alive.current) setRefreshing(false);
      });
  }, [accept]);

  const refresh = useCallback(() => {
    setRefreshing(true);
    fetchFromPort();
  }, [fetchFromPort]);

  useEffect(() => {
    alive.current = true;
    reload();
    fetchFromPort();
    const timer = setInterval(fetchFromPort, REFRESH_EVERY_MS);
    const stop = backend.onQuotaFiguresChanged(() => {
      reload();
    });
    return () => {
      alive.current = false;
      clearInterval(timer);
      stop();
    };
  }, [reload, fetchFromPort]);

  return { figures, readAt, error, refreshing, refresh };
}
