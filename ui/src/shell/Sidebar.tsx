import { PANELS, type PanelId } from "./panels";

interface Props {
  current: PanelId;
  onNavigate: (panel: PanelId) => void;
}

export function Sidebar({ current, onNavigate }: Props) {
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          P
        </span>
        <span className="brand-name">Portdesk</span>
      </div>
      <ul className="nav-list">
        {PANELS.map((panel) => (
          <li key={panel.id}>
            <button
              type="button"
              className="nav-item"
              data-testid={`nav-${panel.id}`}
              aria-current={current === panel.id ? "page" : undefined}
              onClick={() => {
                onNavigate(panel.id);
              }}
            >
              <panel.icon className="nav-icon" size={16} strokeWidth={1.9} aria-hidden="true" />
              {panel.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
