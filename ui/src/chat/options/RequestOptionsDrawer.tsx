// The request options drawer beside the composer: what the next request to this agent carries,
// remembered per agent. Options Port refuses for agents (tool patterns, MCP connectors) are only
// offered for the general assistant.

import { X } from "lucide-react";
import { lazy, Suspense, useState } from "react";

import type { ApprovalMode, ChatMode, LlmChoices, RequestOptions } from "../../lib/backend";
import { MAX_MCP_SERVERS } from "../request";
import { KeyValueEditor } from "./KeyValueEditor";
import type { SchemaProblem } from "./schemaField";

// The JSON editor (CodeMirror with the JSON language) is not needed for the first paint: it loads
// in its own chunk when the drawer first opens.
const SchemaEditor = lazy(async () => ({ default: (await import("./SchemaEditor")).SchemaEditor }));
// The pattern rows are CodeMirror fields too: the same chunk's way.
const ToolPatterns = lazy(async () => ({ default: (await import("./ToolPatterns")).ToolPatterns }));

const CHAT_MODES: { value: ChatMode; label: string }[] = [
  { value: "ask", label: "Ask: answer, no changes" },
  { value: "plan", label: "Plan: propose steps" },
  { value: "build", label: "Build: carry them out" },
];
const APPROVAL_MODES: readonly ApprovalMode[] = ["approval", "automatic"];

export type Loaded<T> = { state: "loading" } | { state: "ok"; data: T } | { state: "error"; message: string };

interface Props {
  /** null: the general assistant. */
  agent: string | null;
  agentLabel: string;
  options: RequestOptions;
  onChange: (next: RequestOptions) => void;
  /** The saved pattern set the general assistant's request starts from. */
  savedTools: readonly string[];
  providers: Loaded<LlmChoices>;
  connectors: readonly string[];
  /** The tool catalog's revision, which the pattern rows are checked against. */
  catalogRevision: Loaded<number>;
  /** Rust's verdict on the schema (null: fine or not checked yet). */
  schemaError: SchemaProblem | null;
  onClose: () => void;
}

export function RequestOptionsDrawer({
  agent,
  agentLabel,
  options,
  onChange,
  savedTools,
  providers,
  connectors,
  catalogRevision,
  schemaError,
  onClose,
}: Props) {
  const general = agent === null;
  const set = (patch: Partial<RequestOptions>) => {
    onChange({ ...options, ...patch });
  };

  return (
    <aside className="request-options" aria-label="Request options" data-testid="request-options">
      <header className="request-options-head">
        <div>
          <h2 className="request-options-title">Request options</h2>
          <p className="muted small">For {agentLabel}, remembered for it.</p>
        </div>
        <button type="button" className="button ghost small icon" aria-label="Close request options" onClick={onClose}>
          <X size={16} aria-hidden="true" />
        </button>
      </header>

      {general ? (
        <Suspense fallback={<EditorLoading title="Tool patterns" />}>
          <ToolPatterns
            tools={options.tools}
            savedTools={savedTools}
            catalog={catalogRevision}
            onChange={(tools) => {
              set({ tools });
            }}
          />
        </Suspense>
      ) : null}

      <section className="option-group">
        <h3 className="option-title">Labels</h3>
        <p className="muted small">Kept with the invocation in Port (key → value).</p>
        <KeyValueEditor<string>
          testId="opt-labels"
          entries={options.labels}
          onChange={(labels) => {
            set({ labels });
          }}
          keyLabel="Label key"
          keyPlaceholder="key"
          defaultValue=""
          addLabel="Add label"
        />
      </section>

      <ModelPicker
        model={options.model}
        providers={providers}
        onChange={(model) => {
          set({ model });
        }}
      />

      <section className="option-group">
        <label className="option-title" htmlFor="opt-chat-mode">
          Chat mode
        </label>
        <select
          id="opt-chat-mode"
          className="select"
          data-testid="opt-chat-mode"
          value={options.chatMode ?? ""}
          onChange={(event) => {
            set({ chatMode: event.target.value === "" ? null : (event.target.value as ChatMode) });
          }}
        >
          <option value="">Port&apos;s default</option>
          {CHAT_MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </section>

      {general ? (
        <Connectors
          chosen={options.mcpServers}
          known={connectors}
          onChange={(mcpServers) => {
            set({ mcpServers });
          }}
        />
      ) : null}

      <section className="option-group">
        <h3 className="option-title">Approval overrides</h3>
        <p className="muted small">Tool-name pattern → ask before running, or run automatically, for this request.</p>
        <KeyValueEditor<ApprovalMode>
          testId="opt-approvals"
          entries={options.toolApprovalOverrides}
          onChange={(toolApprovalOverrides) => {
            set({ toolApprovalOverrides });
          }}
          keyLabel="Tool pattern"
          keyPlaceholder="^run_.*"
          choices={APPROVAL_MODES}
          defaultValue="approval"
          addLabel="Add override"
        />
      </section>

      <Suspense fallback={<EditorLoading title="Structured output" />}>
        <SchemaEditor
          text={options.outputSchema}
          rustProblem={schemaError}
          onChange={(outputSchema) => {
            set({ outputSchema: outputSchema === "" ? null : outputSchema });
          }}
        />
      </Suspense>
    </aside>
  );
}

/** Where a CodeMirror editor will be while its chunk loads: its title, and the field's room. */
function EditorLoading({ title }: { title: string }) {
  return (
    <section className="option-group">
      <h3 className="option-title">{title}</h3>
      <div className="code-field schema-field loading" aria-busy="true" />
    </section>
  );
}

function ModelPicker({
  model,
  providers,
  onChange,
}: {
  model: RequestOptions["model"];
  providers: Loaded<LlmChoices>;
  onChange: (model: RequestOptions["model"]) => void;
}) {
  const list = providers.state === "ok" ? providers.data.providers : [];
  const defaults = providers.state === "ok" ? providers.data.defaults : null;
  const provider = model ? list.find((p) => p.provider === model.provider) : undefined;
  // A remembered choice the organisation has since switched off is shown, flagged, not dropped.
  const unavailable = model !== null && providers.state === "ok" && !provider?.models.some((m) => m.name === model.model);
  return (
    <section className="option-group">
      <h3 className="option-title">Provider and model</h3>
      {providers.state === "loading" ? <p className="muted small">Loading the organisation&apos;s providers…</p> : null}
      {providers.state === "error" ? (
        <p className="field-error small" role="alert">
          Could not load the providers: {providers.message}
        </p>
      ) : null}
      <div className="option-models">
        <select
          className="select"
          aria-label="Provider"
          data-testid="opt-provider"
          value={model?.provider ?? ""}
          onChange={(event) => {
            const chosen = list.find((p) => p.provider === event.target.value);
            // Port wants both or neither: a provider comes with its first model.
            onChange(chosen?.models[0] ? { provider: chosen.provider, model: chosen.models[0].name } : null);
          }}
        >
          <option value="">Organisation default{defaults ? ` (${defaults.provider} · ${defaults.model})` : ""}</option>
          {list.map((p) => (
            <option key={p.provider} value={p.provider}>
              {p.provider}
            </option>
          ))}
          {model && !provider ? <option value={model.provider}>{model.provider} (not enabled)</option> : null}
        </select>
        {model ? (
          <select
            className="select"
            aria-label="Model"
            data-testid="opt-model"
            value={model.model}
            onChange={(event) => {
              onChange({ provider: model.provider, model: event.target.value });
            }}
          >
            {(provider?.models ?? []).map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
              </option>
            ))}
            {unavailable ? <option value={model.model}>{model.model} (not enabled)</option> : null}
          </select>
        ) : null}
      </div>
      {unavailable ? (
        <p className="field-error small" role="alert">
          {model.provider} · {model.model} is not enabled in this organisation; Port would refuse it.
        </p>
      ) : null}
    </section>
  );
}

function Connectors({
  chosen,
  known,
  onChange,
}: {
  chosen: string[];
  known: readonly string[];
  onChange: (servers: string[]) => void;
}) {
  const [typed, setTyped] = useState("");
  const full = chosen.length >= MAX_MCP_SERVERS;
  const all = [...new Set([...known, ...chosen])];
  const add = () => {
    const id = typed.trim();
    if (id === "" || chosen.includes(id) || full) return;
    onChange([...chosen, id]);
    setTyped("");
  };
  return (
    <section className="option-group" data-testid="opt-connectors">
      <h3 className="option-title">MCP connectors</h3>
      <p className="muted small">
        {chosen.length} of at most {MAX_MCP_SERVERS}. Port lists no connectors: these are the ones your tools catalog
        knows, or type an identifier.
      </p>
      <div className="option-checks">
        {all.map((id) => {
          const on = chosen.includes(id);
          return (
            <label key={id} className="checkbox small">
              <input
                type="checkbox"
                checked={on}
                disabled={!on && full}
                onChange={() => {
                  onChange(on ? chosen.filter((c) => c !== id) : [...chosen, id]);
                }}
              />
              {id}
            </label>
          );
        })}
      </div>
      <div className="option-row">
        <input
          className="input small"
          aria-label="Connector identifier"
          placeholder="connector identifier"
          value={typed}
          disabled={full}
          onChange={(event) => {
            setTyped(event.target.value);
          }}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="button small" disabled={full || typed.trim() === ""} onClick={add}>
          Add
        </button>
      </div>
    </section>
  );
}
