import { useEffect } from "react";

import * as backend from "../lib/backend";
import type { MonthlyQuotaUsage } from "../lib/backend";
import { useResource, type Resource } from "../lib/useResource";

export interface QuotaFigures {
  usage: MonthlyQuotaUsage;
  /** When the figures arrived (ms since the epoch): `remainingTimeMs` counts from then. */
  receivedAt: number;
}

export type QuotaResource = Resource<QuotaFigures>;

const loadQuota = async (): Promise<QuotaFigures> => ({ usage: await backend.getQuota(), receivedAt: Date.now() });

/** The monthly quota: fetched when first shown (it costs a request to Port) and on reload, and
 * kept fresh by `quotaChanged` (sent after every invocation's `done` and every quota request). */
export function useQuota(): QuotaResource {
  const resource = useResource(loadQuota, { eager: false });
  const { set } = resource;
  useEffect(
    () =>
      backend.onQuotaChanged((usage) => {
        set({ usage, receivedAt: Date.now() });
      }),
    [set],
  );
  return resource;
}
