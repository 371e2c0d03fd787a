import { ChevronDown } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";

import { ErrorMessage } from "../app/ErrorMessage";
import { useWorkspace } from "../app/workspace";
import * as backend from "../lib/backend";
import { BackendError, type ConnectionInfo } from "../lib/backend";
import { useResource } from "../lib/useResource";

interface Props {
  connection: ConnectionInfo;
  onManage: () => void;
}

/** A disclosure menu: the saved profiles, the demo workspace, disconnect. */
export function WorkspaceSwitcher({ connection, onManage }: Props) {
  const { setConnection, disconnect } = useWorkspace();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  // Listed afresh each time the menu opens.
  const savedProfiles = useResource(backend.listProfiles, { eager: open });
  const profiles = savedProfiles.data;
  const shownError = error ?? savedProfiles.error;

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && event.target instanceof Node && !root.current.contains(event.target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  const close = () => {
    setOpen(false);
    setError(null);
    toggle.current?.focus();
  };

  const run = async (key: string, action: () => Promise<ConnectionInfo | null>) => {
    setBusy(key);
    setError(null);
    try {
      const next = await action();
      setConnection(next);
      setOpen(false);
    } catch (err) {
      setError(BackendError.from(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div
      className="switcher"
      ref={root}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          event.preventDefault();
          event.stopPropagation();
          close();
        }
      }}
    >
      <button
        type="button"
        ref={toggle}
        className="button"
        aria-expanded={open}
        aria-controls={menuId}
        data-testid="workspace-switch"
        onClick={() => {
          setOpen((o) => !o);
        }}
      >
        Switch workspace <ChevronDown size={14} aria-hidden="true" />
      </button>
      {open ? (
        <div className="menu" id={menuId} role="group" aria-label="Workspaces">
          <p className="menu-heading">Profiles</p>
          {profiles === null && !shownError ? <p className="menu-note muted">Loading…</p> : null}
          {profiles?.length === 0 ? <p className="menu-note muted">No saved profiles yet.</p> : null}
          {profiles?.map((profile) => {
            const current = connection.kind === "profile" && connection.profileName === profile.name;
            return (
              <button
                type="button"
                key={profile.name}
                className="menu-item"
                disabled={current || busy !== null}
                aria-current={current ? "true" : undefined}
                data-testid="workspace-profile"
                data-profile={profile.name}
                onClick={() => {
                  void run(profile.name, () => backend.connectProfile(profile.name));
                }}
              >
                <span className="menu-item-title">
                  {profile.name}
                  {profile.isDefault ? <span className="star" aria-label="default"> ★</span> : null}
                </span>
                <span className="menu-item-detail">{busy === profile.name ? "Connecting…" : profile.targetLabel}</span>
              </button>
            );
          })}
          <div className="menu-separator" role="separator" />
          <button
            type="button"
            className="menu-item"
            disabled={busy !== null}
            data-testid="workspace-demo"
            onClick={() => {
              void run("demo", backend.connectDemo);
            }}
          >
            <span className="menu-item-title">Demo workspace</span>
            <span className="menu-item-detail">{busy === "demo" ? "Starting…" : "A Port-compatible server on this machine"}</span>
          </button>
          <button
            type="button"
            className="menu-item"
            onClick={() => {
              setOpen(false);
              onManage();
            }}
          >
            <span className="menu-item-title">Manage profiles…</span>
          </button>
          <button
            type="button"
            className="menu-item"
            disabled={busy !== null}
            onClick={() => {
              void run("disconnect", async () => {
                await disconnect();
                return null;
              });
            }}
          >
            <span className="menu-item-title">Close this workspace</span>
            <span className="menu-item-detail">Back to the welcome screen</span>
          </button>
          {shownError ? <ErrorMessage error={shownError} compact /> : null}
        </div>
      ) : null}
    </div>
  );
}
