import { useEffect, useState } from "react";

import { patternPresets, type Preset } from "../lib/backend";

interface Props {
  onApply: (patterns: string[], mode: "replace" | "add") => void;
}

/** Port's documented pattern sets, to start from or add to the current one. */
export function PresetPicker({ onApply }: Props) {
  const [presets, setPresets] = useState<Preset[]>([]);
  const [chosen, setChosen] = useState("");

  useEffect(() => {
    let live = true;
    patternPresets().then(
      (list) => {
        if (live) setPresets(list);
      },
      (error: unknown) => {
        console.warn("Portdesk: presets unavailable", error);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const preset = presets.find((p) => p.id === chosen) ?? null;
  return (
    <div className="preset-picker">
      <select
        className="select small-select"
        aria-label="Preset"
        value={chosen}
        onChange={(e) => setChosen(e.target.value)}
        data-testid="preset-select"
        title={preset?.description}
      >
        <option value="">Presets…</option>
        {presets.map((p) => (
          <option key={p.id} value={p.id} title={p.description}>
            {p.title}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button small"
        disabled={!preset}
        onClick={() => preset && onApply(preset.patterns, "replace")}
        data-testid="preset-replace"
      >
        Use
      </button>
      <button type="button" className="button small" disabled={!preset} onClick={() => preset && onApply(preset.patterns, "add")}>
        Add
      </button>
    </div>
  );
}
