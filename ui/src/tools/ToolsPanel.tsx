import { useWorkspace } from "../app/workspace";

export function ToolsPanel() {
  const { settings } = useWorkspace();
  return (
    <div className="page">
      <header className="page-header">
        <h1 className="page-title">Tools</h1>
      </header>
      <div className="empty-state">
        <h2 className="empty-title">Tool patterns with a live matcher arrive in a later version</h2>
        <p className="muted">
          You will be able to edit which tools the general assistant may call, see which of Port's tools each pattern matches
          as you type, and set which tools need approval.
        </p>
        <p>Your default patterns today:</p>
        {settings.defaultTools.length > 0 ? (
          <ul className="pattern-list">
            {settings.defaultTools.map((pattern) => (
              <li key={pattern}>
                <code>{pattern}</code>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">None: the general assistant can call no tools.</p>
        )}
      </div>
    </div>
  );
}
