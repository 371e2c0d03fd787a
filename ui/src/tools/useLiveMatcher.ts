// Sends the pattern set to the Rust engine on every edit, one request in flight at a time (the
// newest edit wins), and measures each keystroke-to-painted-result latency.

import { useEffect, useLayoutEffect, useRef, useState } from "react";

import { BackendError, evaluatePatterns, type EvaluateRequest, type Evaluation } from "../lib/backend";
import { latestOnly, type LatestOnly } from "./latestOnly";
import { recordMatcherSample, type MatcherEditor } from "./matcherFigures";

interface Sent {
  request: EvaluateRequest;
  /** `performance.now()` of the edit that produced this request. */
  editedAt: number;
  /** When it went to Rust (later than the edit when an earlier request was still running). */
  sentAt: number;
}

export interface LiveMatch {
  evaluation: Evaluation | null;
  error: BackendError | null;
  /** A newer edit is on its way: what is shown is one keystroke behind. */
  pending: boolean;
}

export function useLiveMatcher(
  request: EvaluateRequest,
  catalogRevision: number | null,
  editor: MatcherEditor,
): LiveMatch {
  const [state, setState] = useState<LiveMatch & { editedAt: number; sentAt: number; receivedAt: number }>({
    evaluation: null,
    error: null,
    pending: false,
    editedAt: 0,
    sentAt: 0,
    receivedAt: 0,
  });

  const pipe = useRef<LatestOnly<Sent> | null>(null);
  useEffect(() => {
    const created = latestOnly<Sent, Evaluation>({
      run: (sent) => {
        sent.sentAt = performance.now();
        return evaluatePatterns(sent.request);
      },
      onResult: (evaluation, sent, pendingAfter) => {
        setState({ evaluation, error: null, pending: pendingAfter, editedAt: sent.editedAt, sentAt: sent.sentAt, receivedAt: performance.now() });
      },
      onError: (error) => {
        setState((s) => ({ ...s, error: BackendError.from(error), pending: false }));
      },
    });
    pipe.current = created;
    return () => {
      created.dispose();
      pipe.current = null;
    };
  }, []);

  // The request is rebuilt on every edit; its identity is the trigger. A new catalog re-runs it.
  useEffect(() => {
    if (catalogRevision === null) return;
    const now = performance.now();
    pipe.current?.push({ request, editedAt: now, sentAt: now });
  }, [request, catalogRevision]);

  // Layout effects run once the whole tree has been written to the DOM: the commit's end.
  const committedAt = useRef(0);
  useLayoutEffect(() => {
    committedAt.current = performance.now();
  }, [state]);

  // The result is on screen once the frame after this commit is painted.
  const measured = useRef(0);
  useEffect(() => {
    const { evaluation, editedAt, sentAt, receivedAt } = state;
    if (!evaluation || editedAt === 0 || measured.current === editedAt) return;
    measured.current = editedAt;
    const committed = committedAt.current;
    const frame = requestAnimationFrame(() => {
      const now = performance.now();
      recordMatcherSample({
        editor,
        totalMs: now - editedAt,
        queuedMs: sentAt - editedAt,
        ipcMs: receivedAt - sentAt,
        engineMs: evaluation.engineMicros / 1000,
        commitMs: committed - receivedAt,
        frameMs: now - committed,
        tools: evaluation.matchedBy.length,
        patterns: evaluation.patterns.length,
      });
    });
    return () => {
      cancelAnimationFrame(frame);
    };
  }, [state, editor]);

  return { evaluation: state.evaluation, error: state.error, pending: state.pending };
}
