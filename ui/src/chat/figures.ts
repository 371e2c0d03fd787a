// Timings of the Chat view that a person feels, written where the end-to-end benchmarks (and a
// curious developer in the inspector) can read them: `window.__PORTDESK_CHAT__`. All times are
// `performance.now()`.

export interface ChatFigures {
  /** When the newest run's `done` event reached the page. */
  doneAt: number | null;
  /** When the newest run's ended state (whole answer, final status) was painted. */
  endPaintedAt: number | null;
  /** The run those two belong to. */
  runId: string | null;
  /** When the transcript last painted after its turn count changed, and how many turns it had
   * (a reopened conversation is painted once this reaches its length). */
  turnsPaintedAt: number | null;
  turns: number;
  /** How many turns are in the DOM right now (virtualization keeps this small). */
  turnsRendered: number;
  /** Answer blocks parsed in the markdown worker rather than on the page. */
  blocksParsedInWorker: number;
}

function figures(): ChatFigures {
  window.__PORTDESK_CHAT__ ??= {
    doneAt: null,
    endPaintedAt: null,
    runId: null,
    turnsPaintedAt: null,
    turns: 0,
    turnsRendered: 0,
    blocksParsedInWorker: 0,
  };
  return window.__PORTDESK_CHAT__;
}

/** Runs `callback` once what was just committed has been painted: the frame's callbacks run
 * before its paint, so a task queued from there runs after it. */
export function afterPaint(callback: (at: number) => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    pending.delete(cancel);
  };
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(() => {
      pending.delete(cancel);
      callback(performance.now());
    }, 0);
  });
  pending.add(cancel);
  return cancel;
}

const pending = new Set<() => void>();

/** Drops every measurement still waiting for a paint (tests: a page torn down paints nothing). */
export function cancelPendingPaints(): void {
  for (const cancel of [...pending]) cancel();
}

export function markDone(runId: string): void {
  const f = figures();
  f.runId = runId;
  f.doneAt = performance.now();
  f.endPaintedAt = null;
}

export function markEndPainted(runId: string, at: number): void {
  const f = figures();
  if (f.runId === runId && f.endPaintedAt === null) f.endPaintedAt = at;
}

export function markTurnsPainted(turns: number, rendered: number, at: number): void {
  const f = figures();
  f.turns = turns;
  f.turnsRendered = rendered;
  f.turnsPaintedAt = at;
}

export function countBlockParsedInWorker(): void {
  figures().blocksParsedInWorker++;
}
