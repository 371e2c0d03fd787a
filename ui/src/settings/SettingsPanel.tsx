import { useState } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { useWorkspace } from "../app/workspace";
import { ProfilesSection } from "../credentials/ProfilesSection";
import { HistoryRetention } from "../history/HistoryRetention";
import { BackendError, type ConnectionInfo, type Theme } from "../lib/backend";

const THEMES: { value: Theme; label: string }[] = [
  { value: "system", label: "Follow the system" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

interface Props {
  connection: ConnectionInfo;
  /** Opens the Tools panel, where the default patterns are edited. */
  onEditTools: () => void;
}

export function SettingsPanel({ connection, onEditTools }: Props) {
  const { settings, updateSettings, disconnect } = useWorkspace();
  const [error, setError] = useState<BackendError | null>(null);

  const save = (theme: Theme) => {
    setError(null);
    updateSettings({ theme }).catch((err: unknown) => {
      setError(BackendError.from(err));
    });
  };

  return (
    <div className="page">
      <header className="page-header">
        <h1 className="page-title">Settings</h1>
      </header>

      <section className="card" aria-labelledby="workspace-title">
        <header className="section-header">
          <h2 className="section-title" id="workspace-title">
            Workspace
          </h2>
          <button
            type="button"
            className="button"
            onClick={() => {
              disconnect().catch((err: unknown) => {
                setError(BackendError.from(err));
              });
            }}
          >
            Close workspace
          </button>
        </header>
        <dl className="facts">
          <dt>Open</dt>
          <dd>{connection.label}</dd>
          <dt>API</dt>
          <dd>
            <code>{connection.baseUrl}</code>
          </dd>
        </dl>
      </section>

      <ProfilesSection connection={connection} />

      <section className="card" aria-labelledby="appearance-title">
        <h2 className="section-title" id="appearance-title">
          Appearance
        </h2>
        <div className="field-inline">
          <label htmlFor="theme" className="field-label">
            Theme
          </label>
          <select
            id="theme"
            className="select"
            data-testid="theme-select"
            value={settings.theme}
            onChange={(event) => {
              save(event.target.value as Theme);
            }}
          >
            {THEMES.map((theme) => (
              <option key={theme.value} value={theme.value}>
                {theme.label}
              </option>
            ))}
          </select>
        </div>
        {error ? <ErrorMessage error={error} compact /> : null}
      </section>

      <HistoryRetention />

      <section className="card" aria-labelledby="tools-title">
        <header className="section-header">
          <h2 className="section-title" id="tools-title">
            Default tool patterns
          </h2>
          <button type="button" className="button" onClick={onEditTools} data-testid="settings-edit-tools">
            Edit in Tools
          </button>
        </header>
        <p className="muted small">
          What a new general-assistant request may call. Tools checks each pattern against your organisation&apos;s tools as
          you type.
        </p>
        <ul className="pattern-list">
          {settings.defaultTools.map((pattern) => (
            <li key={pattern}>
              <code>{pattern}</code>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
