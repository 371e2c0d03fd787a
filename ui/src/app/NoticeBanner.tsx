import { TriangleAlert, X } from "lucide-react";

import { useWorkspace } from "./workspace";

/** Things the user must hear about once (a settings file moved aside, …), dismissible. */
export function NoticeBanner() {
  const { notices, dismissNotice } = useWorkspace();
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="region" aria-label="Notices">
      {notices.map((notice, index) => (
        <div className="notice" data-testid="notice-banner" role="alert" key={`${index}:${notice}`}>
          <TriangleAlert className="notice-icon" size={16} aria-hidden="true" />
          <p className="notice-text">{notice}</p>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss this notice"
            onClick={() => {
              dismissNotice(index);
            }}
          >
            <X size={14} aria-hidden="true" />
          </button>
        </div>
      ))}
    </div>
  );
}
