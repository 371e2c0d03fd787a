// The Tools panel asks for GL compositing while it is shown (see rendering.rs). What WebKit's
// settings said after the newest request is kept where the E2E test and a curious developer in
// the inspector can read it: `window.__PORTDESK__.compositing`.

import { setCompositing, type Compositing } from "../lib/backend";

let newest = 0;

function record(now: Compositing): void {
  const holder = window as unknown as { __PORTDESK__?: { compositing?: Compositing } };
  holder.__PORTDESK__ ??= {};
  holder.__PORTDESK__.compositing = now;
}

/** Turns compositing on or off; an answer overtaken by a newer request is not recorded. */
export function requestCompositing(on: boolean): void {
  const request = ++newest;
  setCompositing(on).then(
    (now) => {
      if (request === newest) record(now);
    },
    () => {
      // Only speed depends on it.
    },
  );
}
