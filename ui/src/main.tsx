import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import { installLinkGuard } from "./app/linkGuard";
import "./styles/theme.css";
import "./styles/app.css";
import "./styles/controls.css";
import "./styles/shell.css";
import "./styles/pages.css";
import "./styles/chat.css";
import "./styles/conversation.css";
import "./styles/tools.css";
import "./styles/history.css";
import "./styles/agents.css";

installLinkGuard();

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root");
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
