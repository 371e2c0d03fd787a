export function HistoryPanel() {
  return (
    <div className="page">
      <header className="page-header">
        <h1 className="page-title">History</h1>
      </header>
      <div className="empty-state">
        <h2 className="empty-title">Local history arrives in a later version</h2>
        <p className="muted">
          Every conversation and invocation log will be kept in a local database on this machine, searchable and available
          offline. Until then, the answers of this session stay in Chat until you close the workspace.
        </p>
      </div>
    </div>
  );
}
