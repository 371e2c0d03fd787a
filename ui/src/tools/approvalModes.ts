// Editing Port's approval preferences as plain data: the three-way choice per tool, applied to a
// copy of what Port holds. Modes this client does not know are kept exactly as read.

import type { Preferences } from "../lib/backend";

export type Choice = "automatic" | "approval" | "disabled";

export const CHOICES: readonly { value: Choice; label: string }[] = [
  { value: "automatic", label: "Automatic" },
  { value: "approval", label: "Approval" },
  { value: "disabled", label: "Disabled" },
];

/** The tool's state: one of the three choices, "default" (no saved mode), or a newer mode. */
export function stateOf(prefs: Preferences, tool: string): string {
  if (prefs.disabledTools.includes(tool)) return "disabled";
  return prefs.toolOverrides[tool] ?? "default";
}

export function isChoice(state: string): state is Choice {
  return state === "automatic" || state === "approval" || state === "disabled";
}

/** A copy of `prefs` with `tool` set to `choice`; other tools, and their unknown modes, untouched. */
export function withChoice(prefs: Preferences, tool: string, choice: Choice | "default"): Preferences {
  const toolOverrides = Object.fromEntries(Object.entries(prefs.toolOverrides).filter(([t]) => t !== tool || choice !== "default"));
  let disabledTools = prefs.disabledTools.filter((t) => t !== tool);
  if (choice === "disabled") {
    // The saved mode stays: enabling the tool again brings it back.
    disabledTools = [...disabledTools, tool];
  } else if (choice !== "default") {
    toolOverrides[tool] = choice;
  }
  return { toolOverrides, disabledTools };
}

export function withChoiceForAll(prefs: Preferences, tools: readonly string[], choice: Choice | "default"): Preferences {
  return tools.reduce((p, tool) => withChoice(p, tool, choice), prefs);
}

export function samePreferences(a: Preferences, b: Preferences): boolean {
  const keys = (p: Preferences) =>
    Object.entries(p.toolOverrides)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => x.localeCompare(y));
  return JSON.stringify(keys(a)) === JSON.stringify(keys(b)) && JSON.stringify([...a.disabledTools].sort()) === JSON.stringify([...b.disabledTools].sort());
}

export function describeState(state: string): string {
  switch (state) {
    case "automatic":
      return "Automatic";
    case "approval":
      return "Approval";
    case "disabled":
      return "Disabled";
    case "default":
      return "Default";
    default:
      return `“${state}” (kept as is)`;
  }
}
