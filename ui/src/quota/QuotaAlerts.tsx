import { useEffect, useRef, useState } from "react";

import * as backend from "../lib/backend";
import type { QuotaAlert } from "../lib/backend";
import type { QuotaState } from "./useQuotaFigures";

interface Banner {
  id: number;
  metric: string;
  message: string;
}

function sentence(alert: QuotaAlert): string {
  if (alert.metric === "monthly_reset") return `Quota reset: ${alert.message}.`;
  return `Quota threshold crossed: ${alert.message}.`;
}

/** Banners for thresholds crossed (once per window, decided in Rust, which also sends the desktop
 * notification) and for resets: the monthly reset Rust saw, and the window reset after a window
 * alert, when its countdown ends. */
export function QuotaAlerts({ quota }: { quota: QuotaState }) {
  const [banners, setBanners] = useState<Banner[]>([]);
  const [windowReset, setWindowReset] = useState<number | null>(null);
  const next = useRef(1);
  const figures = useRef(quota.figures);
  useEffect(() => {
    figures.current = quota.figures;
  }, [quota.figures]);

  const push = (metric: string, message: string) => {
    const id = next.current++;
    setBanners((all) => [...all.filter((b) => b.metric !== metric), { id, metric, message }]);
  };

  useEffect(
    () =>
      backend.onQuotaAlert((alert) => {
        push(alert.metric, sentence(alert));
        const reset = figures.current?.window?.resetAtMs ?? null;
        if ((alert.metric === "requests" || alert.metric === "tokens") && reset != null) setWindowReset(reset);
      }),
    [],
  );

  useEffect(() => {
    if (windowReset == null) return;
    const timer = setTimeout(
      () => {
        setWindowReset(null);
        push("window_reset", "Quota reset: the rate-limit window has reset; LLM calls and tokens are available again.");
      },
      Math.max(0, windowReset - Date.now()),
    );
    return () => {
      clearTimeout(timer);
    };
  }, [windowReset]);

  if (banners.length === 0) return null;
  return (
    <div className="quota-banners">
      {banners.map((b) => (
        <div key={b.id} className={`quota-banner${b.metric.endsWith("reset") ? " quota-banner-reset" : ""}`} role="alert" data-testid="quota-banner" data-metric={b.metric}>
          <span>{b.message}</span>
          <button
            type="button"
            className="button ghost small"
            onClick={() => {
              setBanners((all) => all.filter((x) => x.id !== b.id));
            }}
          >
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
