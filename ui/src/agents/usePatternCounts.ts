// How many of the workspace's known tools each of an agent's patterns lets in, by the same
// tool-patterns engine the Tools panel uses (its evaluate command, not a copy in TypeScript).

import { useEffect, useState } from "react";

import * as backend from "../lib/backend";
import { BackendError } from "../lib/backend";

export interface PatternCounts {
  /** Per pattern, in order: tools matched, or null when the pattern does not compile. */
  matches: (number | null)[];
  /** Tools the whole set lets in. */
  available: number;
  /** Tools the workspace's catalog knows. */
  known: number;
}

export type CountsState = { state: "loading" } | { state: "ready"; counts: PatternCounts } | { state: "failed"; error: BackendError };

export function usePatternCounts(patterns: readonly string[]): CountsState {
  const key = JSON.stringify(patterns);
  // Tagged with the patterns it answers, so a change of agent shows "loading" at once.
  const [tagged, setTagged] = useState<{ key: string; result: CountsState } | null>(null);
  const setResult = (result: CountsState) => {
    setTagged({ key, result });
  };
  useEffect(() => {
    let live = true;
    const texts = JSON.parse(key) as string[];
    backend.evaluatePatterns({ patterns: texts.map((text) => ({ text, enabled: true })), checks: [] }).then(
      (evaluation) => {
        if (!live) return;
        setResult({
          state: "ready",
          counts: {
            matches: evaluation.patterns.map((p) => (p.valid ? p.matches : null)),
            available: evaluation.available,
            known: evaluation.matchedBy.length,
          },
        });
      },
      (error: unknown) => {
        if (live) setResult({ state: "failed", error: BackendError.from(error) });
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- setResult only closes over `key`
  }, [key]);
  return tagged?.key === key ? tagged.result : { state: "loading" };
}
