import { ChevronDown } from "lucide-react";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";

export interface MenuItem {
  label: string;
  testId?: string;
  onSelect: () => void;
}

/** A button that opens a short list of actions. Esc or a click elsewhere closes it. */
export function ActionMenu({ label, items, testId }: { label: ReactNode; items: readonly MenuItem[]; testId?: string }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const listId = useId();

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | globalThis.KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !root.current?.contains(event.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  return (
    <div className="action-menu" ref={root}>
      <button
        type="button"
        className="button small"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={listId}
        data-testid={testId}
        onClick={() => {
          setOpen((o) => !o);
        }}
      >
        {label} <ChevronDown size={14} aria-hidden="true" />
      </button>
      {open ? (
        <ul className="action-menu-list" id={listId}>
          {items.map((item) => (
            <li key={item.label}>
              <button
                type="button"
                className="action-menu-item"
                data-testid={item.testId}
                onClick={() => {
                  setOpen(false);
                  item.onSelect();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
