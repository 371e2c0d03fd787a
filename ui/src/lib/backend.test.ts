import { describe, expect, it, vi } from "vitest";

import { QUOTA, appError, fail, mockBackend } from "../test/mockBackend";
import * as backend from "./backend";
import { BackendError, type InvokeEvent, type InvokeRequest } from "./backend";

const request: InvokeRequest = {
  agent: null,
  prompt: "What services do we have?",
  tools: ["^list_.*"],
  labels: {},
  toolApprovalOverrides: {},
  outputSchema: null,
  model: null,
  mcpServers: [],
  chatMode: null,
  systemPrompt: null,
  executionMode: null,
};

describe("commands", () => {
  it("map to the Rust command names with camelCased arguments", async () => {
    const mock = mockBackend();
    await backend.workspaceStatus();
    await backend.connectDemo();
    await backend.listAgents();
    await backend.getQuota();
    await backend.updateSettings({ lastAgent: "ops" });
    await expect(backend.cancel("run-1")).resolves.toBe(true);
    expect(mock.calls.map((c) => c.cmd)).toEqual([
      "workspace_status",
      "connect_demo",
      "list_agents",
      "get_quota",
      "update_settings",
      "cancel",
    ]);
    // A partial patch is completed with nulls: Rust's SettingsPatch has every field.
    expect(mock.callsOf("update_settings")[0]?.args).toEqual({
      patch: { theme: null, defaultTools: null, lastAgent: "ops" },
    });
    expect(mock.callsOf("cancel")[0]?.args).toEqual({ runId: "run-1" });
  });

  it("send profile arguments as Rust expects them", async () => {
    const summary = {
      name: "work",
      target: { kind: "region", region: "eu", legacy: false },
      targetLabel: "EU (api.port.io)",
      auth: "client_secret",
      maskedClientId: "abcd…wxyz",
      configured: true,
      isDefault: false,
    };
    const mock = mockBackend({
      handlers: {
        add_profile: () => summary,
        update_profile: () => summary,
        remove_profile: () => null,
        set_default_profile: () => null,
        test_profile: () => ({ remainingQuota: 10, monthlyLimit: 20 }),
        connect_profile: () => ({ kind: "profile", profileName: "work", label: "work · EU", baseUrl: "https://api.port.io" }),
        open_external: () => null,
      },
    });
    const target = { kind: "region", region: "eu", legacy: false } as const;
    await backend.addProfile("work", target, { kind: "clientSecret", clientId: "id", clientSecret: "s3cret" });
    await backend.updateProfile("work", target, null);
    await backend.setDefaultProfile("work");
    await expect(backend.testProfile("work")).resolves.toEqual({ remainingQuota: 10, monthlyLimit: 20 });
    await backend.connectProfile("work");
    await backend.removeProfile("work");
    await backend.openExternal("https://app.port.io/");
    expect(mock.calls).toEqual([
      {
        cmd: "add_profile",
        args: { name: "work", target, secret: { kind: "clientSecret", clientId: "id", clientSecret: "s3cret" } },
      },
      { cmd: "update_profile", args: { name: "work", target, secret: null } },
      { cmd: "set_default_profile", args: { name: "work" } },
      { cmd: "test_profile", args: { name: "work" } },
      { cmd: "connect_profile", args: { name: "work" } },
      { cmd: "remove_profile", args: { name: "work" } },
      { cmd: "open_external", args: { url: "https://app.port.io/" } },
    ]);
  });

  it("turn a Rust AppError into a thrown, typed BackendError", async () => {
    mockBackend({
      handlers: {
        test_profile: () => {
          fail(appError("auth_failed", "Port refused the credentials", { status: 401, traceId: "t-1" }));
        },
        get_quota: () => {
          fail(appError("rate_limited", "slow down", { retryAfterSecs: 30 }));
        },
      },
    });
    const error = await backend.testProfile("work").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: "auth_failed", message: "Port refused the credentials", status: 401, traceId: "t-1" });
    await expect(backend.getQuota()).rejects.toMatchObject({ code: "rate_limited", retryAfterSecs: 30 });
  });

  it("give a stable code to failures that are not AppErrors", async () => {
    mockBackend({
      handlers: {
        list_agents: () => {
          // What Tauri rejects with when arguments do not deserialize, for example.
          fail("invalid args `request` for command `invoke`");
        },
      },
    });
    await expect(backend.listAgents()).rejects.toMatchObject({
      name: "BackendError",
      code: "ipc_failed",
      message: "invalid args `request` for command `invoke`",
    });
  });
});

describe("invoke", () => {
  it("creates a channel per run and delivers its events in order", async () => {
    const mock = mockBackend();
    const seen: InvokeEvent[] = [];
    const run = backend.invoke(request, { onEvent: (e) => seen.push(e) });

    expect(run.runId).toMatch(/^[0-9a-f-]{36}$/);
    const call = mock.callsOf("invoke")[0];
    expect(call?.args.runId).toBe(run.runId);
    expect(call?.args.request).toEqual(request);
    const mockRun = mock.runs[0];
    if (!mockRun) throw new Error("no run");

    // Index 1 arrives before index 0: the channel still hands them over in order.
    mockRun.sendIndexed(1, { type: "answer_delta", delta: "world" });
    expect(seen).toEqual([]);
    mockRun.sendIndexed(0, { type: "answer_delta", delta: "hello " });
    mockRun.sendIndexed(2, { type: "done", rateLimitUsage: null, monthlyQuotaUsage: QUOTA, data: "{}" });
    expect(seen.map((e) => (e.type === "answer_delta" ? e.delta : e.type))).toEqual(["hello ", "world", "done"]);

    mockRun.end({ status: "completed", error: null });
    await expect(run.done).resolves.toEqual({ status: "completed", error: null });
  });

  it("runs in parallel on separate channels", () => {
    const mock = mockBackend();
    const a: string[] = [];
    const b: string[] = [];
    backend.invoke(request, { onEvent: (e) => a.push(e.type) });
    backend.invoke(request, { onEvent: (e) => b.push(e.type) });
    const [first, second] = mock.runs;
    second?.send({ type: "answer_delta", delta: "x" });
    first?.send({ type: "invocation_id", id: "inv" });
    expect(a).toEqual(["invocation_id"]);
    expect(b).toEqual(["answer_delta"]);
    expect(first?.runId).not.toBe(second?.runId);
  });

  it("cancel calls `cancel` with the run id", async () => {
    const mock = mockBackend();
    const run = backend.invoke(request, { onEvent: vi.fn() });
    await expect(run.cancel()).resolves.toBe(true);
    expect(mock.callsOf("cancel")).toEqual([{ cmd: "cancel", args: { runId: run.runId } }]);
    mock.runs[0]?.end({ status: "cancelled", error: appError("cancelled") });
    await expect(run.done).resolves.toMatchObject({ status: "cancelled" });
  });

  it("retries a cancel that reached Rust before the run was registered", async () => {
    let answers = [false, false, true];
    const mock = mockBackend({
      handlers: {
        cancel: () => {
          const [next, ...rest] = answers;
          answers = rest;
          return next ?? false;
        },
      },
    });
    const run = backend.invoke(request, { onEvent: vi.fn() });
    await expect(run.cancel()).resolves.toBe(true);
    expect(mock.callsOf("cancel")).toHaveLength(3);
  });

  it("resolves a run that could not start as failed, with the error", async () => {
    const mock = mockBackend();
    const run = backend.invoke(request, { onEvent: vi.fn() });
    mock.runs[0]?.reject(appError("not_connected", "No workspace is open"));
    await expect(run.done).resolves.toEqual({
      status: "failed",
      error: expect.objectContaining({ code: "not_connected", message: "No workspace is open" }) as unknown,
    });
  });
});

describe("events", () => {
  it("deliver typed payloads and stop after unlisten", async () => {
    const mock = mockBackend();
    const seen: unknown[] = [];
    const stop = backend.onQuotaChanged((usage) => seen.push(usage));
    // Let the listener registration settle.
    await new Promise((r) => setTimeout(r, 0));
    await mock.emit("quota-changed", { usage: QUOTA });
    expect(seen).toEqual([QUOTA]);
    stop();
    await mock.emit("quota-changed", { usage: QUOTA });
    expect(seen).toHaveLength(1);
  });
});
