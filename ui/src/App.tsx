import { useCallback, useEffect, useState } from "react";

import { NoticeBanner } from "./app/NoticeBanner";
import { Toasts } from "./app/Toasts";
import { useTheme } from "./app/theme";
import { WorkspaceProvider, useWorkspace, workspaceKey } from "./app/workspace";
import * as backend from "./lib/backend";
import type { AppSettings, WorkspaceStatus } from "./lib/backend";
import { reportFirstPaint } from "./lib/startup";
import { Onboarding } from "./onboarding/Onboarding";
import { Shell } from "./shell/Shell";
import { ErrorMessage } from "./app/ErrorMessage";

type Boot =
  | { state: "loading" }
  | { state: "ready"; status: WorkspaceStatus; settings: AppSettings }
  | { state: "failed"; error: backend.BackendError };

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: "loading" });

  const load = useCallback(() => {
    Promise.all([backend.workspaceStatus(), backend.getSettings()]).then(
      ([status, settings]) => {
        setBoot({ state: "ready", status, settings });
      },
      (error: unknown) => {
        setBoot({ state: "failed", error: backend.BackendError.from(error) });
      },
    );
  }, []);

  useEffect(load, [load]);

  if (boot.state === "loading") {
    return <div className="boot" aria-busy="true" aria-label="Starting Portdesk" />;
  }
  if (boot.state === "failed") {
    return (
      <div className="boot boot-failed">
        <ErrorMessage error={boot.error} />
        <button
          type="button"
          className="button"
          onClick={() => {
            setBoot({ state: "loading" });
            load();
          }}
        >
          Try again
        </button>
      </div>
    );
  }
  return (
    <WorkspaceProvider initialStatus={boot.status} initialSettings={boot.settings}>
      <Root />
    </WorkspaceProvider>
  );
}

function Root() {
  const { connection, settings } = useWorkspace();
  useTheme(settings.theme);
  useEffect(reportFirstPaint, []);
  return (
    <div className="root">
      <NoticeBanner />
      {connection ? <Shell key={workspaceKey(connection)} connection={connection} /> : <Onboarding />}
      <Toasts />
    </div>
  );
}
