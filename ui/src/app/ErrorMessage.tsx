import type { AppError } from "../lib/backend";
import { explainError } from "../lib/errors";

interface Props {
  error: Pick<AppError, "code" | "message"> & Partial<AppError>;
  /** Visually smaller, for inline use. */
  compact?: boolean;
  testId?: string;
}

/** An error as people read it: a headline, Rust's message, what to do, and the stable code. */
export function ErrorMessage({ error, compact = false, testId }: Props) {
  const { title, hint } = explainError(error);
  return (
    <div className={compact ? "error-message compact" : "error-message"} role="alert" data-testid={testId} data-error-code={error.code}>
      <p className="error-title">
        {title} <code className="error-code">{error.code}</code>
      </p>
      {error.message && error.message !== title ? <p className="error-detail">{error.message}</p> : null}
      {hint ? <p className="error-hint">{hint}</p> : null}
      {error.traceId ? <p className="error-trace">Trace ID: <code>{error.traceId}</code></p> : null}
    </div>
  );
}
