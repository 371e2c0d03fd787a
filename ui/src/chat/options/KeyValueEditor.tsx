// Rows of key → value. Rows are kept as typed (an empty or repeated key is a draft, flagged, not
// sent); the map given to `onChange` has the rows with a key, the first of a repeated key winning.

import { Plus, X } from "lucide-react";
import { useState } from "react";

interface Row {
  id: number;
  key: string;
  value: string;
}

interface Props<V extends string> {
  testId: string;
  entries: Partial<Record<string, V>>;
  onChange: (next: Record<string, V>) => void;
  keyLabel: string;
  keyPlaceholder: string;
  /** A free-text value, or a choice among these. */
  choices?: readonly V[];
  defaultValue: V;
  addLabel: string;
}

let nextId = 0;

export function KeyValueEditor<V extends string>({
  testId,
  entries,
  onChange,
  keyLabel,
  keyPlaceholder,
  choices,
  defaultValue,
  addLabel,
}: Props<V>) {
  const [rows, setRows] = useState<Row[]>(() =>
    Object.entries(entries).map(([key, value]) => ({ id: nextId++, key, value: value ?? "" })),
  );

  const update = (next: Row[]) => {
    setRows(next);
    const map: Record<string, V> = {};
    for (const row of next) {
      const key = row.key.trim();
      if (key !== "" && !(key in map)) map[key] = row.value as V;
    }
    onChange(map);
  };

  const seen = new Set<string>();
  return (
    <div className="kv-editor" data-testid={testId}>
      {rows.map((row, index) => {
        const key = row.key.trim();
        const repeated = key !== "" && seen.has(key);
        seen.add(key);
        return (
          <div className="kv-row" key={row.id}>
            <input
              className="input small"
              aria-label={`${keyLabel} ${index + 1}`}
              data-testid={`${testId}-key`}
              placeholder={keyPlaceholder}
              value={row.key}
              aria-invalid={repeated}
              onChange={(event) => {
                update(rows.map((r) => (r.id === row.id ? { ...r, key: event.target.value } : r)));
              }}
            />
            {choices ? (
              <select
                className="select small"
                aria-label={`Value ${index + 1}`}
                data-testid={`${testId}-value`}
                value={row.value}
                onChange={(event) => {
                  update(rows.map((r) => (r.id === row.id ? { ...r, value: event.target.value } : r)));
                }}
              >
                {choices.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            ) : (
              <input
                className="input small"
                aria-label={`Value ${index + 1}`}
                data-testid={`${testId}-value`}
                placeholder="value"
                value={row.value}
                onChange={(event) => {
                  update(rows.map((r) => (r.id === row.id ? { ...r, value: event.target.value } : r)));
                }}
              />
            )}
            <button
              type="button"
              className="button ghost small icon"
              aria-label={`Remove ${row.key || "row"}`}
              onClick={() => {
                update(rows.filter((r) => r.id !== row.id));
              }}
            >
              <X size={14} aria-hidden="true" />
            </button>
            {repeated ? (
              <p className="field-error small kv-note" role="alert">
                “{key}” is already set above; this row is not sent.
              </p>
            ) : null}
          </div>
        );
      })}
      <button
        type="button"
        className="button ghost small"
        data-testid={`${testId}-add`}
        onClick={() => {
          setRows([...rows, { id: nextId++, key: "", value: defaultValue }]);
        }}
      >
        <Plus size={14} aria-hidden="true" /> {addLabel}
      </button>
    </div>
  );
}
