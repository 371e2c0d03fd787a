import { CircleHelp } from "lucide-react";
import { useState } from "react";

import { prettyJson } from "../lib/format";
import type { UnknownEventSnapshot } from "./transcript";

/** An event Portdesk does not know (older servers sent `plan`, `agentSelection`…): kept and
 * shown as it came, never dropped. */
export function UnknownEventCard({ event }: { event: UnknownEventSnapshot }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="tool-call unknown-event" data-testid="unknown-event" data-event={event.event}>
      <button
        type="button"
        className="tool-call-header"
        aria-expanded={open}
        onClick={() => {
          setOpen((o) => !o);
        }}
      >
        <span className="status-dot status-unknown" aria-hidden="true">
          <CircleHelp size={12} />
        </span>
        <span className="tool-name">{event.event}</span>
        <span className="tool-summary">{event.reason ?? "an event Portdesk does not know, shown as it came"}</span>
      </button>
      {open ? (
        <div className="tool-call-body">
          <pre className="code-block">{prettyJson(event.data) ?? event.data}</pre>
        </div>
      ) : null}
    </div>
  );
}
