import { useEffect } from "react";

import type { Theme } from "../lib/backend";

/** "system" follows the OS (prefers-color-scheme, in CSS); light and dark override it. */
export function useTheme(theme: Theme): void {
  useEffect(() => {
    const root = document.documentElement;
    if (theme === "system") delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
