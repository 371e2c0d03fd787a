// Adding or editing a connection profile. The secret fields are uncontrolled inputs: their value
// lives in the DOM only, is read once when saving, sent to Rust (which puts it in the OS keychain)
// and cleared. It is never put in React state, logged or shown again.

import { useId, useRef, useState, type SyntheticEvent } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import * as backend from "../lib/backend";
import { BackendError, type ConnectionInfo, type ProfileSummary, type SecretInput, type Target, type TestReport } from "../lib/backend";
import { formatCount } from "../lib/format";

type RegionChoice = "eu" | "us" | "custom";
type AuthChoice = "client_secret" | "access_token";

export interface ProfileFormProps {
  /** The saved profile being edited; absent for a new one. */
  profile?: ProfileSummary;
  /** Connects to the profile once saved (onboarding). */
  connectAfterSave?: boolean;
  onSaved?: (profile: ProfileSummary) => void;
  onConnected?: (connection: ConnectionInfo) => void;
  onCancel?: () => void;
}

class FormProblem extends Error {}

function targetOf(region: RegionChoice, legacy: boolean, baseUrl: string): Target {
  return region === "custom" ? { kind: "custom", baseUrl: baseUrl.trim() } : { kind: "region", region, legacy };
}

function sameTarget(a: Target, b: Target): boolean {
  if (a.kind === "custom" || b.kind === "custom") return a.kind === b.kind && JSON.stringify(a) === JSON.stringify(b);
  return a.region === b.region && a.legacy === b.legacy;
}

export function describeTest(report: TestReport): string {
  if (report.remainingQuota != null && report.monthlyLimit != null) {
    return `Connection works: ${formatCount(report.remainingQuota)} of ${formatCount(report.monthlyLimit)} invocations left this month.`;
  }
  if (report.remainingQuota != null) return `Connection works: ${formatCount(report.remainingQuota)} invocations left this month.`;
  return "Connection works.";
}

export function ProfileForm({ profile, connectAfterSave = false, onSaved, onConnected, onCancel }: ProfileFormProps) {
  const initialTarget = profile?.target;
  const [name, setName] = useState(profile?.name ?? "");
  const [region, setRegion] = useState<RegionChoice>(initialTarget?.kind === "region" ? initialTarget.region : initialTarget ? "custom" : "eu");
  const [legacy, setLegacy] = useState(initialTarget?.kind === "region" ? initialTarget.legacy : false);
  const [baseUrl, setBaseUrl] = useState(initialTarget?.kind === "custom" ? initialTarget.baseUrl : "");
  const [auth, setAuth] = useState<AuthChoice>(profile?.auth === "access_token" ? "access_token" : "client_secret");
  const [clientId, setClientId] = useState("");
  const [saved, setSaved] = useState<ProfileSummary | null>(profile ?? null);
  const [busy, setBusy] = useState<"test" | "save" | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [test, setTest] = useState<{ report: TestReport } | { error: BackendError } | null>(null);
  const secretRef = useRef<HTMLInputElement>(null);
  const tokenRef = useRef<HTMLInputElement>(null);
  const ids = useId();

  const keepsSecret = saved !== null && saved.auth === auth;

  /** The secret typed in, null to keep the stored one. Throws a FormProblem when incomplete. */
  const readSecret = (): SecretInput | null => {
    if (auth === "access_token") {
      const token = tokenRef.current?.value ?? "";
      if (token.trim() !== "") return { kind: "accessToken", token };
      if (keepsSecret) return null;
      throw new FormProblem("Enter the access token.");
    }
    const secret = secretRef.current?.value ?? "";
    const id = clientId.trim();
    if (id !== "" && secret.trim() !== "") return { kind: "clientSecret", clientId: id, clientSecret: secret };
    if (id === "" && secret.trim() === "" && keepsSecret) return null;
    throw new FormProblem(
      keepsSecret
        ? "Enter both the client ID and the client secret, or leave both blank to keep the stored ones."
        : "Enter both the client ID and the client secret.",
    );
  };

  const clearSecrets = () => {
    if (secretRef.current) secretRef.current.value = "";
    if (tokenRef.current) tokenRef.current.value = "";
    setClientId("");
  };

  /** Saves what the form holds (the first time: adds the profile) and returns the profile name. */
  const persist = async (): Promise<string> => {
    const profileName = (saved?.name ?? name).trim();
    if (profileName === "") throw new FormProblem("Give the profile a name, e.g. “work”.");
    if (region === "custom" && baseUrl.trim() === "") throw new FormProblem("Enter the base URL of your Port API.");
    const target = targetOf(region, legacy, baseUrl);
    const secret = readSecret();
    let summary: ProfileSummary;
    if (saved === null) {
      if (secret === null) throw new FormProblem("Enter the secret.");
      summary = await backend.addProfile(profileName, target, secret);
    } else if (secret !== null || !sameTarget(target, saved.target)) {
      summary = await backend.updateProfile(saved.name, target, secret);
    } else {
      return saved.name;
    }
    // Sent once: the secret is in the keychain now, and nowhere here.
    clearSecrets();
    setSaved(summary);
    return summary.name;
  };

  const attempt = async (kind: "test" | "save", action: () => Promise<void>) => {
    setBusy(kind);
    setProblem(null);
    setError(null);
    if (kind === "test") setTest(null);
    try {
      await action();
    } catch (err) {
      if (err instanceof FormProblem) setProblem(err.message);
      else if (kind === "test") setTest({ error: BackendError.from(err) });
      else setError(BackendError.from(err));
    } finally {
      setBusy(null);
    }
  };

  const onTest = () => {
    void attempt("test", async () => {
      if (region === "custom" && baseUrl.trim() === "") throw new FormProblem("Enter the base URL of your Port API.");
      const secret = readSecret();
      if (secret !== null) {
        // Typed in and not saved yet: tested as is; nothing is stored until Save.
        setTest({ report: await backend.testCredentials(targetOf(region, legacy, baseUrl), secret) });
      } else if (saved !== null) {
        setTest({ report: await backend.testProfile(saved.name) });
      }
    });
  };

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    void attempt("save", async () => {
      const profileName = await persist();
      if (connectAfterSave) {
        const connection = await backend.connectProfile(profileName);
        onConnected?.(connection);
      } else {
        const latest = (await backend.listProfiles()).find((p) => p.name === profileName);
        if (latest) onSaved?.(latest);
      }
    });
  };

  const secretPlaceholder = keepsSecret ? "Stored in your keychain: leave blank to keep" : "";
  const maskedId = saved?.auth === "client_secret" ? saved.maskedClientId : null;

  return (
    <form className="profile-form" onSubmit={onSubmit} noValidate aria-label={profile ? `Edit profile ${profile.name}` : "New profile"}>
      <div className="field">
        <label htmlFor={`${ids}-name`} className="field-label">
          Profile name
        </label>
        <input
          id={`${ids}-name`}
          className="input"
          data-testid="profile-name"
          value={saved?.name ?? name}
          readOnly={saved !== null}
          placeholder="work"
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => {
            setName(event.target.value);
          }}
        />
        {saved !== null && !profile ? (
          <p className="field-help">Saved as “{saved.name}”. The secret is in your OS keychain.</p>
        ) : null}
      </div>

      <div className="field-row">
        <div className="field">
          <label htmlFor={`${ids}-region`} className="field-label">
            Region
          </label>
          <select
            id={`${ids}-region`}
            className="select"
            data-testid="profile-region"
            value={region}
            onChange={(event) => {
              setRegion(event.target.value as RegionChoice);
            }}
          >
            <option value="eu">EU (app.port.io)</option>
            <option value="us">US (app.us.port.io)</option>
            <option value="custom">Custom base URL</option>
          </select>
        </div>
        {region === "custom" ? (
          <div className="field grow">
            <label htmlFor={`${ids}-url`} className="field-label">
              Base URL
            </label>
            <input
              id={`${ids}-url`}
              className="input"
              data-testid="profile-base-url"
              type="url"
              value={baseUrl}
              placeholder="https://api.port.example.com"
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => {
                setBaseUrl(event.target.value);
              }}
            />
          </div>
        ) : (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={legacy}
              onChange={(event) => {
                setLegacy(event.target.checked);
              }}
            />
            Legacy getport.io address
          </label>
        )}
      </div>

      <div className="field">
        <label htmlFor={`${ids}-auth`} className="field-label">
          Authentication
        </label>
        <select
          id={`${ids}-auth`}
          className="select"
          data-testid="profile-auth-kind"
          value={auth}
          onChange={(event) => {
            setAuth(event.target.value as AuthChoice);
          }}
        >
          <option value="client_secret">Client ID and client secret</option>
          <option value="access_token">Access token</option>
        </select>
        <p className="field-help">
          {auth === "client_secret"
            ? "From Port: your avatar → Credentials. Portdesk exchanges them for a token and refreshes it."
            : "A token expires after about three hours; a client ID and secret do not need renewing."}
        </p>
      </div>

      {auth === "client_secret" ? (
        <div className="field-row">
          <div className="field grow">
            <label htmlFor={`${ids}-client-id`} className="field-label">
              Client ID
            </label>
            <input
              id={`${ids}-client-id`}
              className="input"
              data-testid="profile-client-id"
              value={clientId}
              placeholder={maskedId ?? ""}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => {
                setClientId(event.target.value);
              }}
            />
          </div>
          <div className="field grow">
            <label htmlFor={`${ids}-secret`} className="field-label">
              Client secret
            </label>
            <input
              id={`${ids}-secret`}
              ref={secretRef}
              className="input"
              data-testid="profile-client-secret"
              type="password"
              placeholder={secretPlaceholder}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
        </div>
      ) : (
        <div className="field">
          <label htmlFor={`${ids}-token`} className="field-label">
            Access token
          </label>
          <input
            id={`${ids}-token`}
            ref={tokenRef}
            className="input"
            data-testid="profile-token"
            type="password"
            placeholder={secretPlaceholder}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
      )}

      {saved && !saved.configured && saved.auth === auth ? (
        <p className="warning small">The keychain holds no secret for this profile: enter it again.</p>
      ) : null}
      {problem ? (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      ) : null}
      {error ? <ErrorMessage error={error} testId="profile-error" /> : null}
      {test ? (
        <div className="test-result" data-testid="profile-test-result" data-ok={"report" in test ? "true" : "false"}>
          {"report" in test ? <p className="success" role="status">{describeTest(test.report)}</p> : <ErrorMessage error={test.error} compact />}
        </div>
      ) : null}

      <div className="form-actions">
        {onCancel ? (
          <button type="button" className="button ghost" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <button type="button" className="button" data-testid="profile-test" disabled={busy !== null} onClick={onTest}>
          {busy === "test" ? "Testing…" : "Test connection"}
        </button>
        <button type="submit" className="button primary" data-testid="profile-save" disabled={busy !== null}>
          {busy === "save" ? (connectAfterSave ? "Connecting…" : "Saving…") : connectAfterSave ? "Save & connect" : "Save"}
        </button>
      </div>
      <p className="field-help small">
        Testing sends the credentials to Port without storing them; saving puts the secret in your OS keychain. It is never written to a file and never shown again.
      </p>
    </form>
  );
}
