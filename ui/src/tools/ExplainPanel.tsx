import { useEffect, useState } from "react";

import { explainPattern, type Explanation, type PatternReport } from "../lib/backend";

interface Props {
  pattern: string | null;
  index: number | null;
  report: PatternReport | null;
}

/** The selected pattern in plain language, with what the engine said about it. */
export function ExplainPanel({ pattern, index, report }: Props) {
  const [explanation, setExplanation] = useState<Explanation | null>(null);

  useEffect(() => {
    if (pattern === null) return;
    let live = true;
    explainPattern(pattern).then(
      (e) => {
        if (live) setExplanation(e);
      },
      (error: unknown) => {
        console.warn("Portdesk: no explanation", error);
      },
    );
    return () => {
      live = false;
    };
  }, [pattern]);

  if (pattern === null || index === null) return null;
  const problems = report ? (report.error ? [report.error, ...report.lints] : report.lints) : [];
  return (
    <section className="card explain" aria-labelledby="explain-title" data-testid="pattern-explanation">
      <h2 className="section-title" id="explain-title">
        Pattern {index + 1} in plain words
      </h2>
      {explanation ? (
        <>
          <p className="explain-summary">{explanation.summary}</p>
          <p className="muted small">{explanation.scope}</p>
          {explanation.parts.length > 0 ? (
            <ul className="explain-parts">
              {explanation.parts.map((part, i) => (
                <li key={i}>
                  <code>{part.source || "∅"}</code> <span>{part.meaning}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : (
        <p className="muted small">…</p>
      )}
      {problems.length > 0 ? (
        <ul className="explain-problems">
          {problems.map((p, i) => (
            <li key={i} className={p.severity} data-code={p.code}>
              {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
