import { ChevronDown, ChevronUp, X } from "lucide-react";
import { useEffect, useRef, type KeyboardEvent } from "react";

interface Props {
  query: string;
  onQuery: (query: string) => void;
  /** Position among the matching turns (0-based), and how many there are. */
  at: number;
  turns: number;
  occurrences: number;
  onStep: (delta: 1 | -1) => void;
  onClose: () => void;
}

export function FindBar({ query, onQuery, at, turns, occurrences, onStep, onClose }: Props) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      onStep(event.shiftKey ? -1 : 1);
    } else if (event.key === "Escape") {
      // Handled here: Esc elsewhere in the Chat cancels the running stream.
      event.preventDefault();
      onClose();
    }
  };
  const status =
    query.trim() === ""
      ? "Type to search this conversation"
      : turns === 0
        ? "No matches"
        : `Turn ${at + 1} of ${turns} · ${occurrences} match${occurrences === 1 ? "" : "es"}`;
  return (
    <div className="find-bar" role="search" data-testid="chat-find">
      <input
        ref={input}
        className="input find-input"
        data-testid="chat-find-input"
        type="search"
        aria-label="Find in this conversation"
        placeholder="Find in conversation"
        value={query}
        onChange={(event) => {
          onQuery(event.target.value);
        }}
        onKeyDown={onKey}
      />
      <span className="find-status muted small" data-testid="chat-find-status" aria-live="polite">
        {status}
      </span>
      <button type="button" className="icon-button" aria-label="Previous match" disabled={turns === 0} onClick={() => { onStep(-1); }}>
        <ChevronUp size={15} aria-hidden="true" />
      </button>
      <button type="button" className="icon-button" aria-label="Next match" disabled={turns === 0} onClick={() => { onStep(1); }}>
        <ChevronDown size={15} aria-hidden="true" />
      </button>
      <button type="button" className="icon-button" aria-label="Close find" onClick={onClose}>
        <X size={15} aria-hidden="true" />
      </button>
    </div>
  );
}
