import type { SnippetPart } from "../lib/backend";

/** Context kept before the first match: a one-line row would otherwise clip the match itself. */
const LEAD_CHARS = 28;

/** A search snippet: plain text with the matches marked. Every part is a text node, so quotes,
 * angle brackets or anything else a user or a model wrote are shown, never interpreted. */
export function Snippet({ parts }: { parts: readonly SnippetPart[] }) {
  const shown = trimLead(parts);
  return (
    <span className="snippet" data-testid="history-snippet">
      {shown.map((part, index) =>
        part.hit ? (
          <mark key={index} className="snippet-hit">
            {part.text}
          </mark>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </span>
  );
}

/** Shortens the text before the first match to its last few words. */
export function trimLead(parts: readonly SnippetPart[]): readonly SnippetPart[] {
  const first = parts[0];
  if (!first || first.hit || parts.length < 2) return parts;
  const text = first.text.replace(/\s+/g, " ");
  if (text.length <= LEAD_CHARS) return parts;
  const tail = text.slice(-LEAD_CHARS);
  const cut = tail.indexOf(" ");
  const lead = `…${cut > 0 && cut < LEAD_CHARS - 8 ? tail.slice(cut) : tail}`;
  return [{ text: lead, hit: false }, ...parts.slice(1)];
}
