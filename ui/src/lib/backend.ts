// The one module that talks to the Rust side. Everything else imports from here: no other file
// may import `@tauri-apps/*` or the generated bindings (enforced by eslint).
//
// Commands that fail in Rust (`Result<T, AppError>`) reject here with a typed `BackendError`
// whose `code` is stable; streaming runs get one `Channel` each.

import { Channel } from "@tauri-apps/api/core";

import { commands, events } from "./bindings";
import type {
  Agent,
  Compositing,
  JsonValue,
  SchemaCheck,
  RequestOptions,
  LlmChoices,
  AgentPatternSets,
  AgentPrefsView,
  AgentsSnapshot,
  AppError,
  AppSettings,
  ApprovalChange,
  ApprovalsSaveOutcome,
  ApprovalsSnapshot,
  ConnectionInfo,
  EvaluateRequest,
  Evaluation,
  Explanation,
  ToolSpec,
  ConversationRecord,
  DeleteTarget,
  ExportRequest,
  Facets,
  HistoryFilter,
  HistoryStats,
  InvocationRecord,
  InvocationSummary,
  Page,
  Retention,
  SearchHit,
  InvokeEvent,
  InvokeRequest,
  MonthlyQuotaUsage,
  GateEvent,
  QuotaAlert,
  QuotaFigures,
  QuotaPreferences,
  UsageBucket,
  PatternCatalog,
  Preset,
  Preferences,
  ProfileSummary,
  Resolution,
  ResolveRequest,
  Result,
  RunOutcome,
  SavedPatternSet,
  SecretInput,
  SettingsPatch,
  StartupInfo,
  Target,
  TestReport,
  WorkspaceStatus,
} from "./bindings";

export type {
  Agent,
  Compositing,
  SchemaCheck,
  RequestOptions,
  ModelChoice,
  LlmProvider,
  LlmChoices,
  AgentPatternSets,
  AgentPrefsView,
  AgentsSnapshot,
  AppError,
  AppSettings,
  ApprovalChange,
  ApprovalMismatch,
  ApprovalMode,
  ApprovalsSaveOutcome,
  ApprovalsSnapshot,
  ApprovalTool,
  CatalogTool,
  ChatMode,
  CheckExpect,
  CheckResult,
  ConnectionInfo,
  EvaluateRequest,
  Evaluation,
  Explanation,
  ToolSpec,
  Marker,
  NewToolNote,
  PatternCatalog,
  PatternInput,
  Preset,
  PatternReport,
  Preferences,
  Resolution,
  ResolvedTool,
  ResolveRequest,
  SavedPatternSet,
  ToolCheck,
  ToolKind,
  ConnectionKind,
  AgentFilter,
  ConversationFormat,
  ConversationRecord,
  DeleteTarget,
  ExportFormat,
  ExportRequest,
  Facets,
  HistoryFilter,
  HistoryStats,
  HistoryStatus,
  InvocationRecord,
  InvocationStatus,
  InvocationSummary,
  LabelFilter,
  Page,
  RecordedEvent,
  Retention,
  InvokeEvent,
  InvokeRequest,
  JsonValue,
  MonthlyQuotaUsage,
  Decision,
  GateEvent,
  MonthlyFigures,
  Pace,
  Projection,
  QuotaAlert,
  QuotaFigures,
  QuotaPreferences,
  UsageBucket,
  WaitReason,
  WindowFigures,
  ProfileSummary,
  RateLimitUsage,
  Region,
  RunOutcome,
  SearchHit,
  SecretInput,
  SettingsPatch,
  SnippetPart,
  StoredError,
  ToolCall,
  StartupInfo,
  Target,
  TestReport,
  Theme,
  WorkspaceStatus,
} from "./bindings";

/** The error codes the Rust side sends today (see DESIGN.md, port-api's `ErrorCode`, the
 * credentials and keychain crates, and src-tauri). */
export const KNOWN_ERROR_CODES = [
  // Port and the client (port-api ErrorCode)
  "auth_failed",
  "permission_denied",
  "rate_limited",
  "quota_exceeded",
  "not_found",
  "invalid_request",
  "server_error",
  "network",
  "stream_interrupted",
  "invalid_response",
  "stream_malformed",
  "cancelled",
  // Profiles and the OS keychain
  "keychain_unavailable",
  "keychain_locked",
  "keychain_failed",
  "profile_not_found",
  "profile_exists",
  "invalid_profile",
  "secret_missing",
  "settings_unwritable",
  // The desktop shell
  "not_connected",
  "demo_unavailable",
  "open_failed",
  "internal",
  "stream_crashed",
  // The local history
  "history_unavailable",
  "history_newer_version",
  "history_not_found",
  "export_failed",
  // This module: the IPC call itself failed, or the error had an unexpected shape.
  "ipc_failed",
] as const;

export type KnownErrorCode = (typeof KNOWN_ERROR_CODES)[number];
/** A known code, or a newer one this UI does not know yet (kept as sent, never rewritten). */
export type ErrorCode = KnownErrorCode | (string & Record<never, never>);

export function isKnownErrorCode(code: string): code is KnownErrorCode {
  return (KNOWN_ERROR_CODES as readonly string[]).includes(code);
}

/** A failed backend call: the Rust `AppError`, as an `Error` the UI can throw and catch. */
export class BackendError extends Error implements AppError {
  override readonly name = "BackendError";
  readonly code: ErrorCode;
  readonly status: number | null;
  readonly traceId: string | null;
  readonly retryAfterSecs: number | null;
  readonly resetDate: string | null;

  constructor(error: AppError) {
    super(error.message);
    this.code = error.code;
    this.status = error.status ?? null;
    this.traceId = error.traceId ?? null;
    this.retryAfterSecs = error.retryAfterSecs ?? null;
    this.resetDate = error.resetDate ?? null;
  }

  /** Anything a call rejected with, as a `BackendError`. */
  static from(error: unknown): BackendError {
    if (error instanceof BackendError) return error;
    const shaped = asAppError(error);
    if (shaped) return new BackendError(shaped);
    const message =
      error instanceof Error ? error.message : typeof error === "string" ? error : "The request to Portdesk's core failed.";
    return new BackendError(plainError("ipc_failed", message));
  }

  toAppError(): AppError {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      traceId: this.traceId,
      retryAfterSecs: this.retryAfterSecs,
      resetDate: this.resetDate,
    };
  }
}

function plainError(code: string, message: string): AppError {
  return { code, message, status: null, traceId: null, retryAfterSecs: null, resetDate: null };
}

function asAppError(value: unknown): AppError | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.code !== "string" || typeof v.message !== "string") return null;
  const num = (x: unknown) => (typeof x === "number" ? x : null);
  const str = (x: unknown) => (typeof x === "string" ? x : null);
  return {
    code: v.code,
    message: v.message,
    status: num(v.status),
    traceId: str(v.traceId),
    retryAfterSecs: num(v.retryAfterSecs),
    resetDate: str(v.resetDate),
  };
}

/** Awaits a command that returns `Result<T, AppError>`: the data, or a thrown `BackendError`. */
async function unwrap<T>(call: () => Promise<Result<T, AppError>>): Promise<T> {
  let result: Result<T, AppError>;
  try {
    result = await call();
  } catch (error) {
    throw BackendError.from(error);
  }
  if (result.status === "error") throw BackendError.from(result.error);
  return result.data;
}

/** Awaits a command that cannot fail in Rust (the IPC itself still can). */
async function plain<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw BackendError.from(error);
  }
}

// --- app and workspace -------------------------------------------------------------------------

export const appReady = (): Promise<StartupInfo> => plain(() => commands.appReady());
/** GL compositing on while a panel that repaints much of the window is shown (no-op with a GPU);
 *  answers with the web view's compositing as WebKit's settings then say. */
export const setCompositing = (on: boolean): Promise<Compositing> => unwrap(() => commands.setCompositing(on));
export const workspaceStatus = (): Promise<WorkspaceStatus> => unwrap(() => commands.workspaceStatus());
export const connectDemo = (): Promise<ConnectionInfo> => unwrap(() => commands.connectDemo());
export const connectProfile = (name: string): Promise<ConnectionInfo> =>
  unwrap(() => commands.connectProfile(name));
export const disconnect = async (): Promise<void> => {
  await plain(() => commands.disconnect());
};

// --- agents and quota --------------------------------------------------------------------------

export const listAgents = (): Promise<Agent[]> => unwrap(() => commands.listAgents());
/** The agents saved on disk at the last refresh: instant, and there when Port is not. */
export const cachedAgents = (): Promise<AgentsSnapshot> => unwrap(() => commands.cachedAgents());
/** Fetches the agents from Port and saves them for the next start. */
export const refreshAgents = (): Promise<AgentsSnapshot> => unwrap(() => commands.refreshAgents());
export const agentPrefs = (): Promise<AgentPrefsView> => unwrap(() => commands.agentPrefs());
export const setAgentFavourite = (identifier: string, favourite: boolean): Promise<AgentPrefsView> =>
  unwrap(() => commands.setAgentFavourite(identifier, favourite));
/** Remembers a pick for "recently used" ("" is the general assistant). */
export const noteAgentUsed = (identifier: string): Promise<AgentPrefsView> => unwrap(() => commands.noteAgentUsed(identifier));
/** The open workspace's request options by agent ("" for the general assistant). */
export const requestOptions = (): Promise<Partial<Record<string, RequestOptions>>> => unwrap(() => commands.requestOptions());
/** Remembers Chat's request options for one agent of the open workspace; returns them all. */
export const saveRequestOptions = (agent: string, options: RequestOptions): Promise<Partial<Record<string, RequestOptions>>> =>
  unwrap(() => commands.saveRequestOptions(agent, options));
/** The pattern sets saved for the open workspace's agents (an earlier version's join it here). */
export const agentPatternSets = (): Promise<AgentPatternSets> => unwrap(() => commands.agentPatternSets());
/** Saves one agent's pattern set in the open workspace; returns the workspace's sets. */
export const saveAgentPatternSet = (agent: string, set: SavedPatternSet): Promise<AgentPatternSets> =>
  unwrap(() => commands.saveAgentPatternSet(agent, set));
export const getQuota = (): Promise<MonthlyQuotaUsage> => unwrap(() => commands.getQuota());
/** Figures recorded for a profile (the open workspace's when null); no request to Port. */
export const quotaFigures = (profile: string | null): Promise<QuotaFigures> =>
  unwrap(() => commands.quotaFigures(profile));
/** Asks Port for the monthly quota, records it and returns the open workspace's figures. */
export const refreshQuota = (): Promise<QuotaFigures> => unwrap(() => commands.refreshQuota());
export const quotaProfiles = (): Promise<string[]> => unwrap(() => commands.quotaProfiles());
export const quotaUsage = (profile: string | null, days: number): Promise<UsageBucket[]> =>
  unwrap(() => commands.quotaUsage(profile, days));
/** Writes the usage as CSV into Downloads; resolves with the path. */
export const quotaExportCsv = (profile: string | null, days: number): Promise<string> =>
  unwrap(() => commands.quotaExportCsv(profile, days));
export const quotaPreferences = (): Promise<QuotaPreferences> => unwrap(() => commands.quotaPreferences());
export const setQuotaPreferences = async (preferences: QuotaPreferences): Promise<void> => {
  await unwrap(() => commands.setQuotaPreferences(preferences));
};
/** Sends a run waiting in the limiter's queue now. */
export const quotaSendNow = (runId: string): Promise<boolean> => plain(() => commands.quotaSendNow(runId));

// --- credentials -------------------------------------------------------------------------------

export const listProfiles = (): Promise<ProfileSummary[]> => unwrap(() => commands.listProfiles());
/** The secret goes to Rust once, straight to the keychain; nothing here keeps it. */
export const addProfile = (name: string, target: Target, secret: SecretInput): Promise<ProfileSummary> =>
  unwrap(() => commands.addProfile(name, target, secret));
/** `secret: null` keeps the stored one. */
export const updateProfile = (name: string, target: Target, secret: SecretInput | null): Promise<ProfileSummary> =>
  unwrap(() => commands.updateProfile(name, target, secret));
export const removeProfile = async (name: string): Promise<void> => {
  await unwrap(() => commands.removeProfile(name));
};
export const setDefaultProfile = async (name: string): Promise<void> => {
  await unwrap(() => commands.setDefaultProfile(name));
};
export const testProfile = (name: string): Promise<TestReport> => unwrap(() => commands.testProfile(name));
/** Tests credentials as typed, before saving: nothing reaches the keychain or a file. */
export const testCredentials = (target: Target, secret: SecretInput): Promise<TestReport> =>
  unwrap(() => commands.testCredentials(target, secret));

// --- settings and links ------------------------------------------------------------------------

export const getSettings = (): Promise<AppSettings> => plain(() => commands.getSettings());
/** Only the fields given change. `lastAgent: ""` means the general assistant. */
export const updateSettings = (patch: Partial<SettingsPatch>): Promise<AppSettings> =>
  unwrap(() =>
    commands.updateSettings({
      theme: patch.theme ?? null,
      defaultTools: patch.defaultTools ?? null,
      lastAgent: patch.lastAgent ?? null,
    }),
  );
/** Rust's check of an output schema: valid JSON Schema, `type: "object"` at the root. */
export const checkOutputSchema = (schema: JsonValue): Promise<SchemaCheck> => plain(() => commands.checkOutputSchema(schema));
/** Whether a structured answer fits the schema it was asked for. */
export const checkStructuredAnswer = (schema: JsonValue, answer: JsonValue): Promise<SchemaCheck> =>
  plain(() => commands.checkStructuredAnswer(schema, answer));
/** The organisation's enabled providers with their enabled models, and its default. */
export const llmProviders = (): Promise<LlmChoices> => unwrap(() => commands.llmProviders());
/** Opens an https link in the system browser (Rust refuses anything else). */
export const openExternal = async (url: string): Promise<void> => {
  await unwrap(() => commands.openExternal(url));
};

// --- tool patterns and approvals --------------------------------------------------------------

/** The open workspace's tools (built-ins, the user's tools, actions, connectors); `refresh` asks
 * Port again instead of answering from the copy Rust keeps. */
export const patternCatalog = (refresh: boolean): Promise<PatternCatalog> =>
  unwrap(() => commands.patternCatalog(refresh));
/** Tools to test patterns against beside the workspace's own (a pasted or imported list). */
export const setExtraTools = (tools: ToolSpec[]): Promise<PatternCatalog> => unwrap(() => commands.setExtraTools(tools));
/** The Rust engine's verdict on a pattern set against the catalog: what the matcher shows. */
export const evaluatePatterns = (request: EvaluateRequest): Promise<Evaluation> =>
  unwrap(() => commands.evaluatePatterns(request));
export const explainPattern = (pattern: string): Promise<Explanation> => plain(() => commands.explainPattern(pattern));
export const patternPresets = (): Promise<Preset[]> => plain(() => commands.patternPresets());
/** Saves the default set for new general-assistant requests (one for every workspace). */
export const saveDefaultPatternSet = (set: SavedPatternSet): Promise<AppSettings> =>
  unwrap(() => commands.saveDefaultPatternSet(set));
export const loadApprovals = (): Promise<ApprovalsSnapshot> => unwrap(() => commands.loadApprovals());
export const previewApprovals = (base: Preferences, desired: Preferences): Promise<ApprovalChange[]> =>
  plain(() => commands.previewApprovals(base, desired));
/** Writes to Port unless Port's copy changed since `base` was loaded (then both come back), or
 * `force`. A save is re-read, and what Port holds is compared with what was wanted. */
export const saveApprovals = (base: Preferences, desired: Preferences, force: boolean): Promise<ApprovalsSaveOutcome> =>
  unwrap(() => commands.saveApprovals(base, desired, force));
export const resolveTools = (request: ResolveRequest): Promise<Resolution> => unwrap(() => commands.resolveTools(request));
// --- history -----------------------------------------------------------------------------------

/** A page of the history, newest first; `cursor` is the previous page's `nextCursor`. */
export const historyList = (filter: HistoryFilter, cursor: string | null, limit: number): Promise<Page<InvocationSummary>> =>
  unwrap(() => commands.historyList(filter, cursor, limit));
/** Full-text search, best matches first; any text is a valid query (never read as search syntax). */
export const historySearch = (
  query: string,
  filter: HistoryFilter,
  cursor: string | null,
  limit: number,
): Promise<Page<SearchHit>> => unwrap(() => commands.historySearch(query, filter, cursor, limit));
export const historyShow = (id: string): Promise<InvocationRecord> => unwrap(() => commands.historyShow(id));
export const historyConversation = (id: string): Promise<ConversationRecord> =>
  unwrap(() => commands.historyConversation(id));
export const historyStats = (filter: HistoryFilter): Promise<HistoryStats> => unwrap(() => commands.historyStats(filter));
export const historyFacets = (): Promise<Facets> => unwrap(() => commands.historyFacets());
/** Writes the export to `path`, or asks where with a save dialog when `path` is null. Resolves
 * with the path written, or null when the dialog was dismissed. */
export const historyExport = (request: ExportRequest, path: string | null = null): Promise<string | null> =>
  unwrap(() => commands.historyExport(request, path));
/** Resolves with how many invocations were removed. */
export const historyDelete = (target: DeleteTarget): Promise<number> => unwrap(() => commands.historyDelete(target));
export const historyWipe = async (): Promise<void> => {
  await unwrap(() => commands.historyWipe());
};
export const historyRetention = (): Promise<Retention> => unwrap(() => commands.historyRetention());
/** Resolves with how many invocations the new limit removed. */
export const historySetRetention = (retention: Retention): Promise<number> =>
  unwrap(() => commands.historySetRetention(retention));

// --- streaming ---------------------------------------------------------------------------------

export interface RunHandle {
  readonly runId: string;
  /** How the run ended. Never rejects: a failure to start is a `failed` outcome with its error. */
  readonly done: Promise<RunOutcome>;
  /** Asks Rust to stop the run; false when it had already ended. */
  cancel(): Promise<boolean>;
}

export interface InvokeOptions {
  /** Called for every event, in order, as it arrives. Keep it cheap: accumulate, don't render. */
  onEvent: (event: InvokeEvent) => void;
  /** The Chat conversation this message belongs to (kept in the history; Port never sees it). */
  conversationId?: string | null;
}

/** A cancel can reach Rust before the run is registered there; it is retried until then. */
const CANCEL_ATTEMPTS = 20;
const CANCEL_RETRY_MS = 50;

/** Starts one invocation on its own channel; several may stream at once. */
export function invoke(request: InvokeRequest, { onEvent, conversationId = null }: InvokeOptions): RunHandle {
  const runId = crypto.randomUUID();
  const channel = new Channel<InvokeEvent>(onEvent);
  let settled = false;
  const done: Promise<RunOutcome> = unwrap(() => commands.invoke(runId, request, conversationId, channel)).then(
    (outcome) => outcome,
    (error: unknown): RunOutcome => ({ status: "failed", error: BackendError.from(error).toAppError() }),
  );
  void done.finally(() => {
    settled = true;
  });
  return {
    runId,
    done,
    async cancel() {
      for (let attempt = 0; attempt < CANCEL_ATTEMPTS && !settled; attempt++) {
        if (await plain(() => commands.cancel(runId))) return true;
        await new Promise((resolve) => setTimeout(resolve, CANCEL_RETRY_MS));
      }
      return false;
    },
  };
}

/** Stops a run by id (for runs started elsewhere, e.g. another view). */
export const cancel = (runId: string): Promise<boolean> => plain(() => commands.cancel(runId));

// --- global events -----------------------------------------------------------------------------

export type Unlisten = () => void;

/** Listens synchronously from the caller's point of view: the returned function always stops
 * the listener, even when called before Tauri finished registering it. */
function listenSafely(register: () => Promise<() => void>): Unlisten {
  let stop: (() => void) | null = null;
  let stopped = false;
  register().then(
    (unlisten) => {
      if (stopped) quietly(unlisten);
      else stop = unlisten;
    },
    (error: unknown) => {
      console.warn("Portdesk: could not listen to a backend event", BackendError.from(error).message);
    },
  );
  return () => {
    stopped = true;
    if (stop) quietly(stop);
    stop = null;
  };
}

/** Unlistening can fail when the IPC is already gone (the window is closing): nothing to do then. */
function quietly(unlisten: () => unknown): void {
  const warn = (error: unknown) => {
    console.warn("Portdesk: could not stop listening", BackendError.from(error).message);
  };
  try {
    // Tauri's unlisten is typed `() => void` but is async: catch its rejection too.
    const result = unlisten();
    if (result instanceof Promise) result.catch(warn);
  } catch (error) {
    warn(error);
  }
}

export const onQuotaChanged = (callback: (usage: MonthlyQuotaUsage) => void): Unlisten =>
  listenSafely(() => events.quotaChanged.listen((event) => callback(event.payload.usage)));

/** New figures were recorded for a profile. */
export const onQuotaFiguresChanged = (callback: (profile: string) => void): Unlisten =>
  listenSafely(() => events.quotaFiguresChanged.listen((event) => callback(event.payload.profile)));

/** A threshold was crossed (once per window) or the monthly quota reset. */
export const onQuotaAlert = (callback: (alert: QuotaAlert) => void): Unlisten =>
  listenSafely(() => events.quotaAlertRaised.listen((event) => callback(event.payload.alert)));

/** A run waits in the limiter's queue (`event` set) or no longer does (`null`). */
export const onRunQueueChanged = (callback: (runId: string, event: GateEvent | null) => void): Unlisten =>
  listenSafely(() => events.runQueueChanged.listen((event) => callback(event.payload.runId, event.payload.event)));

export const onSettingsChanged = (callback: (settings: AppSettings) => void): Unlisten =>
  listenSafely(() => events.settingsChanged.listen((event) => callback(event.payload.settings)));

/** Something was recorded, deleted or imported: lists may be stale. Low-rate by design. */
export const onHistoryChanged = (callback: (invocationId: string | null) => void): Unlisten =>
  listenSafely(() => events.historyChanged.listen((event) => callback(event.payload.invocationId)));

export const onConnectionChanged = (callback: (connection: ConnectionInfo | null) => void): Unlisten =>
  listenSafely(() => events.connectionChanged.listen((event) => callback(event.payload.connection)));
