import type { SnippetPart } from "../lib/backend";

/** A search snippet: plain text with the matches marked. Every part is a text node, so quotes,
 * angle brackets or anything else a user or a model wrote are shown, never interpreted. */
export function Snippet({ parts }: { parts: readonly SnippetPart[] }) {
  return (
    <span className="snippet" data-testid="history-snippet">
      {parts.map((part, index) =>
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
