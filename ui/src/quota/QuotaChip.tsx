import type { QuotaState } from "./useQuotaFigures";
import { figure } from "./format";

interface Props {
  quota: QuotaState;
  onOpen: () => void;
}

/** The monthly quota left, always in sight in the header; opens the Quota panel. */
export function QuotaChip({ quota, onOpen }: Props) {
  const f = quota.figures;
  const monthly = f?.monthly ?? null;
  let text = "Quota —";
  let low = false;
  let title = "The monthly quota: no figures yet (they come with the first invocation)";
  if (f?.ownProvider) {
    text = "No Port limits";
    title = "Your organisation uses its own LLM provider: Port applies no limits";
  } else if (monthly?.remaining != null) {
    text = monthly.limit != null ? `${figure(monthly.remaining)} / ${figure(monthly.limit)} left` : `${figure(monthly.remaining)} left`;
    low = monthly.limit != null && monthly.limit > 0 && monthly.remaining / monthly.limit <= 0.2;
    title = "AI invocations left this month";
  }
  return (
    <button type="button" className={`quota-chip${low ? " quota-chip-low" : ""}`} data-testid="quota-chip" title={title} onClick={onOpen}>
      <span className="quota-chip-label">Quota</span> {text.replace(/^Quota /, "")}
    </button>
  );
}
