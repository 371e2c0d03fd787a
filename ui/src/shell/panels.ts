import { Bot, Gauge, History, MessageSquare, Settings, Wrench, type LucideIcon } from "lucide-react";

export type PanelId = "chat" | "agents" | "tools" | "history" | "quota" | "settings";

export const PANELS: readonly { id: PanelId; label: string; icon: LucideIcon }[] = [
  { id: "chat", label: "Chat", icon: MessageSquare },
  { id: "agents", label: "Agents", icon: Bot },
  { id: "tools", label: "Tools", icon: Wrench },
  { id: "history", label: "History", icon: History },
  { id: "quota", label: "Quota", icon: Gauge },
  { id: "settings", label: "Settings", icon: Settings },
];
