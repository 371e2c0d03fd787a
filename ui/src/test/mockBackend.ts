// A stand-in for the Rust side, built on Tauri's own IPC mocks: records every command with its
// arguments, answers with per-command handlers, and lets tests push events down a run's channel
// the way Rust does (indexed messages, delivered in order).

import { mockIPC } from "@tauri-apps/api/mocks";

import type {
  AppError,
  AppSettings,
  ConnectionInfo,
  HistoryStats,
  InvokeEvent,
  LlmChoices,
  RequestOptions,
  SavedPatternSet,
  MonthlyQuotaUsage,
  QuotaFigures,
  QuotaPreferences,
  RunOutcome,
  WorkspaceStatus,
} from "../lib/backend";

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

export type Handler = (args: Record<string, unknown>) => unknown;

interface TauriInternals {
  runCallback: (id: number, data: unknown) => void;
  invoke: (cmd: string, args?: unknown) => Promise<unknown>;
}

function internals(): TauriInternals {
  return (window as unknown as { __TAURI_INTERNALS__: TauriInternals }).__TAURI_INTERNALS__;
}

/** Fails a mocked command the way Rust does: the invoke promise rejects with the plain
 * `AppError` object (not an `Error`), which the generated bindings turn into `{status: "error"}`. */
export function fail(error: AppError | string): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- exactly what Tauri rejects with
  throw error;
}

/** What a Rust `Err(AppError)` looks like to the UI: the invoke promise rejects with it. */
export function appError(code: string, message = `${code} happened`, extra: Partial<AppError> = {}): AppError {
  return { code, message, status: null, traceId: null, retryAfterSecs: null, resetDate: null, ...extra };
}

export const DEFAULT_SETTINGS: AppSettings = {
  theme: "system",
  defaultTools: ["^(list|get|search|track|describe)_.*"],
  lastAgent: null,
  defaultToolChecks: [],
};

export const PROVIDERS: LlmChoices = {
  providers: [
    {
      provider: "port",
      enabled: true,
      models: [
        { name: "claude-sonnet-4-5", enabled: true },
        { name: "gpt-5", enabled: true },
      ],
    },
    { provider: "anthropic", enabled: true, models: [{ name: "claude-opus-4-1", enabled: true }] },
  ],
  defaults: { provider: "port", model: "claude-sonnet-4-5" },
};

export const DEMO: ConnectionInfo = {
  kind: "demo",
  profileName: null,
  label: "Demo workspace",
  baseUrl: "http://127.0.0.1:40123",
};

export const QUOTA: MonthlyQuotaUsage = {
  monthlyLimit: 500,
  remainingQuota: 412,
  month: "2025-11",
  remainingTimeMs: 3 * 24 * 3600 * 1000,
};

/** Figures as Rust computes them, relative to now. */
export function quotaFigures(overrides: Partial<QuotaFigures> = {}): QuotaFigures {
  const now = Date.now();
  return {
    profile: "demo",
    nowMs: now,
    ownProvider: false,
    window: {
      maxRequests: 200,
      remainingRequests: 197,
      maxTokens: 500_000,
      remainingTokens: 494_000,
      resetAtMs: now + 42_000,
      readAtMs: now - 3_000,
      hasReset: false,
    },
    monthly: {
      limit: 500,
      remaining: 412,
      used: 88,
      month: "2025-11",
      resetAtMs: now + 3 * 86_400_000,
      daysLeft: 3,
      pace: { expectedUsed: 450, used: 88, ratio: 0.2 },
      projection: null,
      readAtMs: now - 3_000,
    },
    decision: { kind: "go" },
    ...overrides,
  };
}

export const QUOTA_PREFERENCES: QuotaPreferences = {
  warnRequestsPercent: 10,
  warnTokensPercent: 10,
  warnMonthlyPercent: 20,
  reserveRequests: 0,
  reserveTokens: 0,
  maxRetries: 3,
};

const NO_DURATIONS = { count: 0, p50Ms: null, p90Ms: null, p99Ms: null, maxMs: null };

export const EMPTY_STATS: HistoryStats = {
  invocations: 0,
  conversations: 0,
  perDay: [],
  perAgent: [],
  perStatus: [],
  tools: [],
  duration: NO_DURATIONS,
  timeToFirstToken: NO_DURATIONS,
};

/** One streaming run as the mock sees it: push events, then end it. */
export class MockRun {
  private index = 0;
  private finish!: (outcome: RunOutcome) => void;
  private fail!: (error: AppError) => void;
  readonly result: Promise<RunOutcome>;

  constructor(
    readonly runId: string,
    readonly request: Record<string, unknown>,
    private readonly channelId: number,
  ) {
    this.result = new Promise<RunOutcome>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
  }

  /** Sends events as Rust does: each message carries its index. */
  send(...events: InvokeEvent[]): void {
    for (const message of events) {
      internals().runCallback(this.channelId, { index: this.index++, message });
    }
  }

  /** Sends messages with explicit indices (to test out-of-order delivery). */
  sendIndexed(index: number, message: InvokeEvent): void {
    internals().runCallback(this.channelId, { index, message });
  }

  end(outcome: RunOutcome = { status: "completed", error: null }): void {
    this.finish(outcome);
  }

  reject(error: AppError): void {
    this.fail(error);
  }
}

export interface MockBackend {
  calls: Call[];
  runs: MockRun[];
  /** Calls of one command, in order. */
  callsOf(cmd: string): Call[];
  /** Emits a global event (quota-changed, …) to the listeners the UI registered. */
  emit(event: string, payload: unknown): Promise<void>;
}

export interface MockOptions {
  status?: Partial<WorkspaceStatus>;
  settings?: Partial<AppSettings>;
  /** The open workspace's remembered request options, by agent. */
  requestOptions?: Partial<Record<string, RequestOptions>>;
  /** The pattern sets saved for the open workspace's agents. */
  agentPatternSets?: Partial<Record<string, SavedPatternSet>>;
  handlers?: Record<string, Handler>;
}

export function mockBackend({
  status,
  settings,
  requestOptions: saved,
  agentPatternSets: savedSets,
  handlers = {},
}: MockOptions = {}): MockBackend {
  const calls: Call[] = [];
  const runs: MockRun[] = [];
  // Request options saved in this run, so a re-read sees them as the store would.
  const requestOptions: Partial<Record<string, RequestOptions>> = { ...saved };
  const agentSets: Partial<Record<string, SavedPatternSet>> = { ...savedSets };
  const defaults: Record<string, Handler> = {
    app_ready: () => ({ msSinceStart: 321.5, version: "0.1.0" }),
    set_compositing: () => "webKitDecides",
    workspace_status: () => ({ connection: null, hasProfiles: false, notices: [], ...status }),
    get_settings: () => ({ ...DEFAULT_SETTINGS, ...settings }),
    request_options: () => ({ ...requestOptions }),
    save_request_options: (args) => {
      requestOptions[args.agent as string] = args.options as RequestOptions;
      return { ...requestOptions };
    },
    agent_pattern_sets: () => ({ sets: { ...agentSets }, notice: null }),
    save_agent_pattern_set: (args) => {
      agentSets[args.agent as string] = args.set as SavedPatternSet;
      return { sets: { ...agentSets }, notice: null };
    },
    save_default_pattern_set: (args) => {
      const set = args.set as SavedPatternSet;
      return { ...DEFAULT_SETTINGS, ...settings, defaultTools: set.patterns, defaultToolChecks: set.checks };
    },
    llm_providers: () => PROVIDERS,
    pattern_catalog: () => ({ revision: 1, tools: [], connectors: ["notion", "github"], problems: [] }),
    update_settings: (args) => {
      const patch = args.patch as Record<string, unknown>;
      return {
        ...DEFAULT_SETTINGS,
        ...settings,
        ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null)),
      };
    },
    list_agents: () => [],
    cached_agents: () => ({ agents: [], fetchedAtMs: null, notice: null }),
    // Tests that only say what Port lists (list_agents) get it through the refresh too.
    refresh_agents: (args) => ({
      agents: (handlers.list_agents ?? (() => []))(args),
      fetchedAtMs: Date.now(),
      notice: null,
    }),
    agent_prefs: () => ({ favourites: [], recent: [], notice: null }),
    set_agent_favourite: (args) => ({
      favourites: args.favourite ? [args.identifier] : [],
      recent: [],
      notice: null,
    }),
    note_agent_used: (args) => ({ favourites: [], recent: [args.identifier], notice: null }),
    get_quota: () => QUOTA,
    quota_figures: () => quotaFigures(),
    refresh_quota: () => quotaFigures(),
    quota_profiles: () => ["demo"],
    quota_usage: () => [],
    quota_export_csv: () => "/tmp/portdesk-usage.csv",
    quota_preferences: () => QUOTA_PREFERENCES,
    set_quota_preferences: () => null,
    quota_send_now: () => true,
    list_profiles: () => [],
    connect_demo: () => DEMO,
    cancel: () => true,
    history_list: () => ({ items: [], nextCursor: null }),
    history_search: () => ({ items: [], nextCursor: null }),
    history_stats: () => EMPTY_STATS,
    history_retention: () => ({ kind: "forever" }),
    history_facets: () => ({ agents: [], generalAssistant: false, profiles: [], tools: [], labelKeys: [] }),
    invoke: (args) => {
      const channel = args.onEvent as { id: number };
      const run = new MockRun(args.runId as string, args.request as Record<string, unknown>, channel.id);
      runs.push(run);
      return run.result;
    },
  };
  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      const handler = handlers[cmd] ?? defaults[cmd];
      if (!handler) fail(appError("internal", `no mock for ${cmd}`));
      return handler(args);
    },
    { shouldMockEvents: true },
  );
  return {
    calls,
    runs,
    callsOf: (cmd) => calls.filter((c) => c.cmd === cmd),
    emit: async (event, payload) => {
      await internals().invoke("plugin:event|emit", { event, payload });
    },
  };
}
