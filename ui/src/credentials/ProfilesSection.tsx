import { useState } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { useWorkspace } from "../app/workspace";
import * as backend from "../lib/backend";
import { BackendError, type ConnectionInfo, type ProfileSummary, type TestReport } from "../lib/backend";
import { useResource } from "../lib/useResource";
import { ProfileForm, describeTest } from "./ProfileForm";

type View = { mode: "list" } | { mode: "add" } | { mode: "edit"; profile: ProfileSummary };

const AUTH_LABEL: Record<string, string> = {
  client_secret: "Client ID and secret",
  access_token: "Access token",
};

interface RowResult {
  name: string;
  result: { report: TestReport } | { error: BackendError };
}

export function ProfilesSection({ connection }: { connection: ConnectionInfo }) {
  const { setConnection, refreshStatus } = useWorkspace();
  const profiles = useResource(backend.listProfiles);
  const [view, setView] = useState<View>({ mode: "list" });
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [tested, setTested] = useState<RowResult | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const act = async (key: string, action: () => Promise<void>) => {
    setBusy(key);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(BackendError.from(err));
    } finally {
      setBusy(null);
    }
  };

  const backToList = () => {
    setView({ mode: "list" });
    profiles.reload();
    void refreshStatus().catch(() => undefined);
  };

  if (view.mode !== "list") {
    return (
      <section className="card" aria-label={view.mode === "add" ? "Add a profile" : `Edit ${view.profile.name}`}>
        <h2 className="section-title">{view.mode === "add" ? "Add a profile" : `Edit “${view.profile.name}”`}</h2>
        <ProfileForm
          key={view.mode === "edit" ? view.profile.name : "new"}
          profile={view.mode === "edit" ? view.profile : undefined}
          onSaved={backToList}
          onCancel={backToList}
        />
      </section>
    );
  }

  const list = profiles.data ?? [];
  return (
    <section className="card" aria-labelledby="profiles-title">
      <header className="section-header">
        <h2 className="section-title" id="profiles-title">
          Profiles
        </h2>
        <button
          type="button"
          className="button primary"
          data-testid="profile-add"
          onClick={() => {
            setView({ mode: "add" });
          }}
        >
          Add profile
        </button>
      </header>
      {profiles.error ? <ErrorMessage error={profiles.error} /> : null}
      {error ? <ErrorMessage error={error} /> : null}
      {profiles.data && list.length === 0 ? <p className="muted">No profiles yet. Add one to connect your Port organisation.</p> : null}
      <ul className="rows">
        {list.map((profile) => {
          const current = connection.kind === "profile" && connection.profileName === profile.name;
          const result = tested?.name === profile.name ? tested.result : null;
          return (
            <li className="row profile-row" data-testid="profile-row" data-profile-name={profile.name} key={profile.name}>
              <div className="row-main">
                <span className="row-title">
                  {profile.name}
                  {profile.isDefault ? (
                    <span className="star" title="Default profile" aria-label="default">
                      {" "}
                      ★
                    </span>
                  ) : null}
                  {current ? <span className="badge badge-ok">Open</span> : null}
                </span>
                <span className="row-detail muted">
                  {profile.targetLabel} · {AUTH_LABEL[profile.auth] ?? profile.auth}
                  {profile.maskedClientId ? (
                    <>
                      {" "}
                      · <code>{profile.maskedClientId}</code>
                    </>
                  ) : null}
                  {" · "}
                  {profile.configured ? (
                    <span className="success">✓ configured</span>
                  ) : (
                    <span className="warning">secret missing: edit to enter it</span>
                  )}
                </span>
                {result ? (
                  <div className="test-result" data-testid="profile-test-result" data-ok={"report" in result ? "true" : "false"}>
                    {"report" in result ? (
                      <p className="success small" role="status">
                        {describeTest(result.report)}
                      </p>
                    ) : (
                      <ErrorMessage error={result.error} compact />
                    )}
                  </div>
                ) : null}
                {confirming === profile.name ? (
                  <div className="confirm" role="alertdialog" aria-label={`Remove ${profile.name}?`}>
                    <span>Remove “{profile.name}” and its secret from the keychain?</span>
                    <button
                      type="button"
                      className="button danger small"
                      data-testid="profile-remove-confirm"
                      disabled={busy !== null}
                      onClick={() => {
                        void act(`remove:${profile.name}`, async () => {
                          await backend.removeProfile(profile.name);
                          setConfirming(null);
                          backToList();
                        });
                      }}
                    >
                      Remove
                    </button>
                    <button
                      type="button"
                      className="button small"
                      onClick={() => {
                        setConfirming(null);
                      }}
                    >
                      Keep
                    </button>
                  </div>
                ) : null}
              </div>
              <div className="row-actions">
                <button
                  type="button"
                  className="button small"
                  data-testid="profile-connect"
                  disabled={current || busy !== null}
                  onClick={() => {
                    void act(`connect:${profile.name}`, async () => {
                      setConnection(await backend.connectProfile(profile.name));
                    });
                  }}
                >
                  {busy === `connect:${profile.name}` ? "Connecting…" : "Connect"}
                </button>
                <button
                  type="button"
                  className="button small"
                  data-testid="profile-test"
                  disabled={busy !== null}
                  onClick={() => {
                    setTested(null);
                    void act(`test:${profile.name}`, async () => {
                      try {
                        setTested({ name: profile.name, result: { report: await backend.testProfile(profile.name) } });
                      } catch (err) {
                        setTested({ name: profile.name, result: { error: BackendError.from(err) } });
                      }
                    });
                  }}
                >
                  {busy === `test:${profile.name}` ? "Testing…" : "Test"}
                </button>
                <button
                  type="button"
                  className="button small"
                  onClick={() => {
                    setView({ mode: "edit", profile });
                  }}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="button small"
                  disabled={profile.isDefault || busy !== null}
                  onClick={() => {
                    void act(`default:${profile.name}`, async () => {
                      await backend.setDefaultProfile(profile.name);
                      profiles.reload();
                    });
                  }}
                >
                  Set default
                </button>
                <button
                  type="button"
                  className="button small danger-outline"
                  data-testid="profile-remove"
                  disabled={busy !== null}
                  onClick={() => {
                    setConfirming(profile.name);
                  }}
                >
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
