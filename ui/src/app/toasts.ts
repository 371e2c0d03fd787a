// Short-lived messages (a link that would not open, a setting that would not save).

import { useSyncExternalStore } from "react";

export interface Toast {
  id: number;
  message: string;
  tone: "info" | "error";
}

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of [...listeners]) listener();
}

export function showToast(message: string, tone: Toast["tone"] = "info", ms = 6000): void {
  const toast = { id: nextId++, message, tone };
  toasts = [...toasts.slice(-3), toast];
  emit();
  setTimeout(() => {
    dismissToast(toast.id);
  }, ms);
}

export function dismissToast(id: number): void {
  const next = toasts.filter((t) => t.id !== id);
  if (next.length !== toasts.length) {
    toasts = next;
    emit();
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribe, () => toasts);
}
