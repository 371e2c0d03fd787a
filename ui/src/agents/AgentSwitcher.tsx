import { Star } from "lucide-react";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";

import { searchEntries, type AgentEntry } from "./search";

interface Props {
  /** Ordered: general assistant, favourites, recent, the rest. */
  entries: readonly AgentEntry[];
  recent: readonly string[];
  onPick: (id: string) => void;
  onClose: () => void;
}

const FOCUSABLE = "input, button:not([disabled]), [tabindex]:not([tabindex='-1'])";

/** The Ctrl/Cmd+K agent switcher: a modal dialog with a fuzzy search over the agents. Arrow
 * keys move, Enter picks (inactive agents are shown but cannot be picked), Esc closes and
 * gives the focus back to where it was. */
export function AgentSwitcher({ entries, recent, onPick, onClose }: Props) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const ids = useId();
  const results = useMemo(() => searchEntries(entries, query), [entries, query]);
  const current = results[Math.min(active, results.length - 1)];
  const recentSet = useMemo(() => new Set(recent), [recent]);

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    input.current?.focus();
    return () => {
      before?.focus();
    };
  }, []);

  useEffect(() => {
    const item = listRef.current?.querySelector<HTMLElement>("[aria-selected='true']");
    item?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const pick = (entry: AgentEntry | undefined) => {
    if (entry?.active) onPick(entry.id);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((i) => (results.length === 0 ? 0 : (Math.min(i, results.length - 1) + 1) % results.length));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => (results.length === 0 ? 0 : (Math.min(i, results.length - 1) - 1 + results.length) % results.length));
    } else if (event.key === "Enter") {
      event.preventDefault();
      pick(current);
    } else if (event.key === "Tab") {
      // The focus stays inside the dialog while it is open.
      const focusable = Array.from(dialog.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? []);
      if (focusable.length === 0) return;
      const at = focusable.indexOf(document.activeElement as HTMLElement);
      const next = event.shiftKey ? (at <= 0 ? focusable.length - 1 : at - 1) : (at + 1) % focusable.length;
      event.preventDefault();
      focusable[next]?.focus();
    }
  };

  const optionId = (i: number) => `${ids}-option-${i}`;
  const activeIndex = current ? results.indexOf(current) : -1;

  return (
    <div
      className="agent-switcher-backdrop"
      data-testid="agent-switcher-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={dialog}
        className="agent-switcher"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${ids}-title`}
        aria-describedby={`${ids}-help`}
        data-testid="agent-switcher"
        onKeyDown={onKeyDown}
      >
        <h2 id={`${ids}-title`} className="agent-switcher-title">
          Switch agent
        </h2>
        <input
          ref={input}
          className="input agent-switcher-input"
          role="combobox"
          aria-expanded="true"
          aria-controls={`${ids}-list`}
          aria-autocomplete="list"
          aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
          aria-label="Search agents"
          placeholder="Type to search agents…"
          data-testid="switcher-input"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
        />
        <ul ref={listRef} className="agent-switcher-list" role="listbox" id={`${ids}-list`} aria-label="Agents">
          {results.map((entry, i) => (
            <li
              key={entry.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === activeIndex}
              aria-disabled={!entry.active}
              className={`agent-switcher-option${i === activeIndex ? " active" : ""}${entry.active ? "" : " inactive"}`}
              data-testid="switcher-option"
              data-agent={entry.id}
              onMouseMove={() => {
                if (i !== activeIndex) setActive(i);
              }}
              onClick={() => {
                pick(entry);
              }}
            >
              <span className="agent-switcher-option-title">
                {entry.favourite ? <Star size={12} aria-label="Favourite" fill="currentColor" className="fav-star on" /> : null}
                {entry.title}
              </span>
              <span className="muted small">
                {!entry.active ? "Inactive: cannot be invoked" : entry.agent === null ? "Port AI" : recentSet.has(entry.id) ? "Recently used" : entry.agent.identifier}
              </span>
            </li>
          ))}
          {results.length === 0 ? (
            <li className="agent-switcher-empty muted" role="presentation">
              No agent matches “{query}”.
            </li>
          ) : null}
        </ul>
        <p className="muted small agent-switcher-help" id={`${ids}-help`}>
          <kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to chat · <kbd>Esc</kbd> to close
        </p>
      </div>
    </div>
  );
}
