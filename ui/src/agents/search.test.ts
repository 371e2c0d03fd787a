import { describe, expect, it } from "vitest";

import { GENERAL_ASSISTANT } from "./agent";
import { NO_FILTERS, filterChoices, filterEntries, fuzzyScore, orderedEntries, searchEntries } from "./search";
import { ALL, COSTS, EXPLORER, INCIDENTS } from "./testAgents";

describe("agent search", () => {
  it("matches subsequences, preferring word starts and runs, and rejects the rest", () => {
    expect(fuzzyScore("inm", "Incident Manager")).not.toBeNull();
    expect(fuzzyScore("xyz", "Incident Manager")).toBeNull();
    expect(fuzzyScore("serv", "Service Explorer") ?? 0).toBeGreaterThan(fuzzyScore("sxr", "Service Explorer") ?? 0);
  });

  it("orders the general assistant first, then favourites, then recent, then by title", () => {
    const titles = orderedEntries(ALL, ["incident_manager"], ["service_explorer"]).map((e) => e.title);
    expect(titles).toEqual([GENERAL_ASSISTANT, "Incident Manager", "Service Explorer", "Cloud Cost Reporter"]);
    const plain = orderedEntries(ALL, [], []).map((e) => e.id);
    // Inactive agents sort after active ones.
    expect(plain).toEqual(["", "incident_manager", "service_explorer", "cost_reporter"]);
  });

  it("searches titles and identifiers fuzzily, descriptions as text", () => {
    const entries = orderedEntries(ALL, [], []);
    expect(searchEntries(entries, "inm")[0]?.id).toBe("incident_manager");
    expect(searchEntries(entries, "cost_rep").map((e) => e.id)).toEqual(["cost_reporter"]);
    expect(searchEntries(entries, "owners").map((e) => e.id)).toEqual(["service_explorer"]);
    expect(searchEntries(entries, "zzzz")).toEqual([]);
  });

  it("filters by status, provider and execution mode, keeping the general assistant first", () => {
    const entries = orderedEntries(ALL, [], []);
    expect(filterEntries(entries, { ...NO_FILTERS, status: "inactive" }).map((e) => e.id)).toEqual(["cost_reporter"]);
    expect(filterEntries(entries, { ...NO_FILTERS, status: "active" }).map((e) => e.id)).toEqual(["", "incident_manager", "service_explorer"]);
    expect(filterEntries(entries, { ...NO_FILTERS, provider: "openai" }).map((e) => e.id)).toEqual(["cost_reporter"]);
    expect(filterEntries(entries, { ...NO_FILTERS, mode: "Approval Required" }).map((e) => e.id)).toEqual(["incident_manager"]);
    // A search that ranks an agent above it still leaves the general assistant on top.
    expect(filterEntries(entries, { ...NO_FILTERS, query: "a" })[0]?.id).toBe("");
    const choices = filterChoices([EXPLORER, INCIDENTS, COSTS]);
    expect(choices.providers).toEqual(["(organisation default)", "openai", "port"]);
    expect(choices.modes).toEqual(["Approval Required", "Automatic"]);
  });
});
