// A JSON value as a collapsible tree. Children are rendered only when their node is open, and
// long arrays and objects in pages, so a tool result of thousands of entities costs what its
// open part costs.

import { ChevronDown, ChevronRight } from "lucide-react";
import { useState } from "react";

import type { JsonValue } from "../lib/backend";

/** Children shown per page of a long array or object. */
const PAGE = 100;
/** Levels open from the start. */
const OPEN_DEPTH = 2;

type Json = JsonValue | undefined;

function isContainer(value: Json): value is JsonValue[] | Record<string, JsonValue> {
  return typeof value === "object" && value !== null;
}

function entriesOf(value: JsonValue[] | Record<string, JsonValue>): [string, Json][] {
  return Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
}

function Leaf({ value }: { value: Json }) {
  if (value === null || value === undefined) return <span className="json-null">null</span>;
  if (typeof value === "string") return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === "number") return <span className="json-number">{String(value)}</span>;
  if (typeof value === "boolean") return <span className="json-bool">{String(value)}</span>;
  return null;
}

function Node({ name, value, depth }: { name: string | null; value: Json; depth: number }) {
  const [open, setOpen] = useState(depth < OPEN_DEPTH);
  const [shown, setShown] = useState(PAGE);
  const label = name === null ? null : <span className="json-key">{name}: </span>;
  if (!isContainer(value)) {
    return (
      <li className="json-row">
        {label}
        <Leaf value={value} />
      </li>
    );
  }
  const entries = open ? entriesOf(value) : [];
  const size = Array.isArray(value) ? value.length : Object.keys(value).length;
  const [openMark, closeMark] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return (
    <li className="json-row">
      <button
        type="button"
        className="json-toggle"
        aria-expanded={open}
        onClick={() => {
          setOpen((o) => !o);
        }}
      >
        {open ? <ChevronDown size={12} aria-hidden="true" /> : <ChevronRight size={12} aria-hidden="true" />}
        {label}
        <span className="json-mark">
          {openMark}
          {open ? "" : ` ${size} ${Array.isArray(value) ? (size === 1 ? "item" : "items") : size === 1 ? "key" : "keys"} ${closeMark}`}
        </span>
      </button>
      {open ? (
        <>
          <ul className="json-children">
            {entries.slice(0, shown).map(([key, child]) => (
              <Node key={key} name={Array.isArray(value) ? null : key} value={child} depth={depth + 1} />
            ))}
            {entries.length > shown ? (
              <li>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setShown((n) => n + PAGE * 10);
                  }}
                >
                  Show {Math.min(PAGE * 10, entries.length - shown)} more of {entries.length - shown}
                </button>
              </li>
            ) : null}
          </ul>
          <span className="json-mark">{closeMark}</span>
        </>
      ) : null}
    </li>
  );
}

export function JsonTree({ value, testId }: { value: JsonValue; testId?: string }) {
  return (
    <ul className="json-tree" data-testid={testId}>
      <Node name={null} value={value} depth={0} />
    </ul>
  );
}

/** The text parsed as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): JsonValue | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  try {
    return JSON.parse(trimmed) as JsonValue;
  } catch {
    return undefined;
  }
}
