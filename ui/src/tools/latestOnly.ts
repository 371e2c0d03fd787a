// At most one request in flight; while it runs, newer inputs replace each other and only the
// newest is sent next. Keystrokes faster than the round trip therefore never queue up: the
// matcher always works on the latest text and the IPC never carries stale work.

export interface LatestOnly<I> {
  /** Asks for `input` to be evaluated; an input still waiting is dropped for it. */
  push(input: I): void;
  /** Stops delivering results (the view went away). */
  dispose(): void;
}

export interface LatestOnlyOptions<I, O> {
  run: (input: I) => Promise<O>;
  /** Every result, in order of the requests; `pendingAfter` says whether a newer one is on its way. */
  onResult: (output: O, input: I, pendingAfter: boolean) => void;
  onError: (error: unknown, input: I) => void;
}

export function latestOnly<I, O>({ run, onResult, onError }: LatestOnlyOptions<I, O>): LatestOnly<I> {
  let inFlight = false;
  let waiting: { input: I } | null = null;
  let disposed = false;

  const start = (input: I) => {
    inFlight = true;
    run(input).then(
      (output) => {
        const newer = waiting !== null;
        finish();
        if (!disposed) onResult(output, input, newer);
      },
      (error: unknown) => {
        finish();
        if (!disposed) onError(error, input);
      },
    );
  };

  // Sends the waiting input, if any, the moment the previous request returns.
  const finish = () => {
    inFlight = false;
    if (waiting && !disposed) {
      const next = waiting.input;
      waiting = null;
      start(next);
    }
  };

  return {
    push(input) {
      if (disposed) return;
      if (inFlight) waiting = { input };
      else start(input);
    },
    dispose() {
      disposed = true;
      waiting = null;
    },
  };
}
