import { useEffect, useState } from "react";

import * as backend from "../lib/backend";
import type { QuotaPreferences } from "../lib/backend";

type Field = "warnRequestsPercent" | "warnTokensPercent" | "warnMonthlyPercent";

const FIELDS: { key: Field; label: string }[] = [
  { key: "warnRequestsPercent", label: "LLM calls left in the window" },
  { key: "warnTokensPercent", label: "Tokens left in the window" },
  { key: "warnMonthlyPercent", label: "Monthly invocations left" },
];

/** Thresholds (a banner and a desktop notification, once per window) and the limiter's reserve;
 * saved in the history database, so portdesk-cli honours the same reserve. */
export function Thresholds() {
  const [prefs, setPrefs] = useState<QuotaPreferences | null>(null);
  const [saving, setSaving] = useState(false);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    backend.quotaPreferences().then(
      (p) => {
        if (alive) setPrefs(p);
      },
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, []);

  if (!prefs) return null;
  const save = () => {
    setSaving(true);
    setNote(null);
    backend
      .setQuotaPreferences(prefs)
      .then(
        () => {
          setNote("Saved: the app and portdesk-cli use these from now on.");
        },
        (e: unknown) => {
          setNote(`Could not save: ${backend.BackendError.from(e).message}`);
        },
      )
      .finally(() => {
        setSaving(false);
      });
  };
  const number = (text: string): number | null => {
    if (text.trim() === "") return null;
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  };
  return (
    <section className="card quota-card" aria-label="Thresholds" data-testid="quota-thresholds">
      <h2 className="card-title">Thresholds</h2>
      <p className="muted small">Warn when this share or less is left (empty: no warning). Each warns once per window, and again when the quota resets.</p>
      <div className="quota-thresholds">
        {FIELDS.map(({ key, label }) => (
          <label key={key} className="field">
            <span className="field-label">{label}</span>
            <span className="quota-input">
              <input
                className="input"
                type="number"
                min={0}
                max={100}
                data-testid={`threshold-${key}`}
                value={prefs[key] ?? ""}
                onChange={(e) => {
                  setPrefs({ ...prefs, [key]: number(e.target.value) });
                }}
              />
              %
            </span>
          </label>
        ))}
        <label className="field">
          <span className="field-label">Hold invocations back when this many calls or fewer are left</span>
          <input
            className="input"
            type="number"
            min={0}
            data-testid="threshold-reserve"
            value={prefs.reserveRequests}
            onChange={(e) => {
              setPrefs({ ...prefs, reserveRequests: Math.max(0, number(e.target.value) ?? 0) });
            }}
          />
        </label>
      </div>
      <button type="button" className="button primary" data-testid="thresholds-save" onClick={save} disabled={saving}>
        {saving ? "Saving…" : "Save thresholds"}
      </button>
      {note ? (
        <p className="muted small" role="status" data-testid="thresholds-note">
          {note}
        </p>
      ) : null}
    </section>
  );
}
