import { KeyRound, Sparkles } from "lucide-react";
import { useState } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { useWorkspace } from "../app/workspace";
import { ProfileForm } from "../credentials/ProfileForm";
import * as backend from "../lib/backend";
import { BackendError, type ConnectionInfo } from "../lib/backend";
import { useResource } from "../lib/useResource";

/** Shown while no workspace is open: connect a Port account, or try the demo workspace. */
export function Onboarding() {
  const { hasProfiles, setConnection, refreshStatus } = useWorkspace();
  const [connecting, setConnecting] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const savedProfiles = useResource(backend.listProfiles, { eager: hasProfiles });
  const profiles = savedProfiles.data ?? [];
  const shownError = error ?? savedProfiles.error;

  const open = async (key: string, connect: () => Promise<ConnectionInfo>) => {
    setBusy(key);
    setError(null);
    try {
      setConnection(await connect());
    } catch (err) {
      setError(BackendError.from(err));
      setBusy(null);
    }
  };

  const connected = (connection: ConnectionInfo) => {
    setConnection(connection);
    void refreshStatus().catch(() => undefined);
  };

  return (
    <div className="onboarding">
      <div className="onboarding-inner">
        <header className="onboarding-header">
          <span className="brand-mark large" aria-hidden="true">
            P
          </span>
          <h1 className="onboarding-title">Welcome to Portdesk</h1>
          <p className="muted">Ask Port AI about your services and watch its tool calls and answers stream in.</p>
        </header>

        <div className="choices">
          <button
            type="button"
            className={`choice${connecting ? " selected" : ""}`}
            data-testid="onboarding-connect"
            aria-expanded={connecting}
            onClick={() => {
              setConnecting(true);
            }}
          >
            <KeyRound className="choice-icon" size={20} aria-hidden="true" />
            <span className="choice-title">Connect your Port account</span>
            <span className="choice-detail muted">
              With a client ID and secret (or an access token). Secrets go to your OS keychain, never to a file.
            </span>
          </button>
          <button
            type="button"
            className="choice"
            data-testid="onboarding-demo"
            disabled={busy !== null}
            onClick={() => {
              void open("demo", backend.connectDemo);
            }}
          >
            <Sparkles className="choice-icon" size={20} aria-hidden="true" />
            <span className="choice-title">{busy === "demo" ? "Starting the demo…" : "Try the demo workspace"}</span>
            <span className="choice-detail muted">
              A Port-compatible server on this machine, with a sample catalog and agents. No account needed.
            </span>
          </button>
        </div>

        {shownError ? <ErrorMessage error={shownError} /> : null}

        {profiles.length > 0 ? (
          <section className="card saved-profiles" aria-label="Saved profiles">
            <h2 className="section-title">Saved profiles</h2>
            <ul className="rows">
              {profiles.map((profile) => (
                <li className="row" key={profile.name}>
                  <span className="row-main">
                    <span className="row-title">
                      {profile.name}
                      {profile.isDefault ? <span className="star" aria-label="default"> ★</span> : null}
                    </span>
                    <span className="row-detail muted">{profile.targetLabel}</span>
                  </span>
                  <button
                    type="button"
                    className="button"
                    disabled={busy !== null}
                    onClick={() => {
                      void open(profile.name, () => backend.connectProfile(profile.name));
                    }}
                  >
                    {busy === profile.name ? "Connecting…" : "Connect"}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        {connecting ? (
          <section className="card" aria-label="Connect your Port account">
            <h2 className="section-title">Connect your Port account</h2>
            <ProfileForm
              connectAfterSave
              onConnected={connected}
              onCancel={() => {
                setConnecting(false);
              }}
            />
          </section>
        ) : null}
      </div>
    </div>
  );
}
