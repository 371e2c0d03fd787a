// The request options of the agent chosen in Chat: what the open workspace remembers for it, edits on
// top (shown at once, saved as they happen), the organisation's providers and the tool catalog (its
// connectors; its revision, which the pattern rows are checked against) once the drawer opens, and
// Rust's verdict on the output schema as it is edited.

import { useEffect, useState } from "react";

import { useWorkspace } from "../../app/workspace";
import { showToast } from "../../app/toasts";
import * as backend from "../../lib/backend";
import { BackendError, type LlmChoices, type RequestOptions } from "../../lib/backend";
import { EMPTY_OPTIONS, parseSchema } from "../request";
import type { Loaded } from "./RequestOptionsDrawer";
import type { SchemaProblem } from "./schemaField";

export interface RequestOptionsState {
  options: RequestOptions;
  /** False until the workspace's remembered options are read: a send waits for them. */
  ready: boolean;
  /** The options once the workspace's remembered ones are read. */
  whenReady: () => Promise<RequestOptions>;
  change: (next: RequestOptions) => void;
  providers: Loaded<LlmChoices>;
  connectors: readonly string[];
  /** The tool catalog's revision (the pattern rows are checked against it). */
  catalogRevision: Loaded<number>;
  /** Rust's objection to the current schema text (null: none, or not checked yet). */
  schemaError: SchemaProblem | null;
}

/** `key`: the agent identifier, "" for the general assistant. */
export function useRequestOptions(key: string, drawerOpened: boolean): RequestOptionsState {
  // The open workspace's: the Chat is mounted afresh for each workspace, drafts included.
  const { requestOptions, requestOptionsReady: ready, whenRequestOptionsRead, saveRequestOptions } = useWorkspace();
  // Edits show at once; the store follows (its answer may arrive after the next edit).
  const [drafts, setDrafts] = useState<Record<string, RequestOptions>>({});
  const options = drafts[key] ?? requestOptions[key] ?? EMPTY_OPTIONS;
  const [providers, setProviders] = useState<Loaded<LlmChoices>>({ state: "loading" });
  const [connectors, setConnectors] = useState<readonly string[]>([]);
  const [catalogRevision, setCatalogRevision] = useState<Loaded<number>>({ state: "loading" });
  // Rust's verdict on a schema text; it applies only while that text is the one being edited.
  const [schemaCheck, setSchemaCheck] = useState<{ text: string; error: SchemaProblem | null } | null>(null);

  const change = (next: RequestOptions) => {
    setDrafts((all) => ({ ...all, [key]: next }));
    saveRequestOptions(key, next).catch((error: unknown) => {
      showToast(`Could not remember the request options: ${BackendError.from(error).message}`, "error");
    });
  };

  // Providers and connectors are read when the drawer first opens (or a remembered model needs
  // checking before a send), not on every Chat start.
  const wanted = drawerOpened || options.model !== null;
  useEffect(() => {
    if (!wanted || providers.state === "ok") return;
    let live = true;
    backend.llmProviders().then(
      (data) => {
        if (live) setProviders({ state: "ok", data });
      },
      (error: unknown) => {
        if (live) setProviders({ state: "error", message: BackendError.from(error).message });
      },
    );
    backend.patternCatalog(false).then(
      (catalog) => {
        if (!live) return;
        setConnectors(catalog.connectors);
        setCatalogRevision({ state: "ok", data: catalog.revision });
      },
      (error: unknown) => {
        // No catalog: connectors can still be typed in; the pattern rows say why they are not checked.
        if (live) setCatalogRevision({ state: "error", message: BackendError.from(error).message });
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once when wanted, until loaded
  }, [wanted]);

  // The schema is checked by Rust's validator as it is edited (debounced), and again on send.
  const schemaText = options.outputSchema;
  useEffect(() => {
    const parsed = parseSchema(schemaText);
    if (parsed.kind !== "ok" || schemaText === null) return;
    let live = true;
    const timer = setTimeout(() => {
      backend.checkOutputSchema(parsed.schema).then(
        (check) => {
          const error = check.ok ? null : { message: check.error ?? "invalid schema", pointer: check.pointer };
          if (live) setSchemaCheck({ text: schemaText, error });
        },
        (error: unknown) => {
          if (live) setSchemaCheck({ text: schemaText, error: { message: BackendError.from(error).message, pointer: null } });
        },
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [schemaText]);

  const schemaError = schemaCheck !== null && schemaCheck.text === schemaText ? schemaCheck.error : null;

  const whenReady = async () => drafts[key] ?? (await whenRequestOptionsRead())[key] ?? EMPTY_OPTIONS;

  return { options, ready, whenReady, change, providers, connectors, catalogRevision, schemaError };
}
