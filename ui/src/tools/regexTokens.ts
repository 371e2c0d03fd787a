// Splits a JavaScript regex (no flags, as Port compiles tool patterns) into coloured spans for the
// editor. Colouring only: whether a pattern is valid, and where it fails, comes from the Rust engine,
// so a mistake here can paint a wrong colour but never change what is reported or matched.

export type TokenKind = "escape" | "class" | "group" | "quantifier" | "anchor" | "alternation" | "dot" | "literal";

export interface Token {
  from: number;
  to: number;
  kind: TokenKind;
}

const GROUP_PREFIXES = ["(?<=", "(?<!", "(?:", "(?=", "(?!"];

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (to: number, kind: TokenKind) => {
    const last = tokens.at(-1);
    // Runs of plain text become one span: fewer DOM nodes per keystroke.
    if (kind === "literal" && last?.kind === "literal" && last.to === i) last.to = to;
    else tokens.push({ from: i, to, kind });
    i = to;
  };
  while (i < source.length) {
    const c = source[i];
    if (c === "\\") {
      push(escapeEnd(source, i), "escape");
    } else if (c === "[") {
      push(classEnd(source, i), "class");
    } else if (c === "(") {
      const prefix = GROUP_PREFIXES.find((p) => source.startsWith(p, i));
      if (prefix) push(i + prefix.length, "group");
      else if (source.startsWith("(?<", i)) {
        const close = source.indexOf(">", i);
        push(close === -1 ? i + 3 : close + 1, "group");
      } else push(i + 1, "group");
    } else if (c === ")") {
      push(i + 1, "group");
    } else if (c === "*" || c === "+" || c === "?") {
      push(source[i + 1] === "?" ? i + 2 : i + 1, "quantifier");
    } else if (c === "{") {
      const braced = /^\{\d+(,\d*)?\}\??/.exec(source.slice(i));
      push(braced ? i + braced[0].length : i + 1, braced ? "quantifier" : "literal");
    } else if (c === "^" || c === "$") {
      push(i + 1, "anchor");
    } else if (c === "|") {
      push(i + 1, "alternation");
    } else if (c === ".") {
      push(i + 1, "dot");
    } else {
      push(i + 1, "literal");
    }
  }
  return tokens;
}

function escapeEnd(source: string, at: number): number {
  const next = source[at + 1];
  if (next === undefined) return at + 1;
  if (next === "u") {
    const braced = /^\{[0-9a-fA-F]+\}/.exec(source.slice(at + 2));
    if (braced) return at + 2 + braced[0].length;
    return /^[0-9a-fA-F]{4}/.test(source.slice(at + 2)) ? at + 6 : at + 2;
  }
  if (next === "x") return /^[0-9a-fA-F]{2}/.test(source.slice(at + 2)) ? at + 4 : at + 2;
  if (next === "c") return /^[A-Za-z]/.test(source.slice(at + 2)) ? at + 3 : at + 2;
  if (next === "k" && source[at + 2] === "<") {
    const close = source.indexOf(">", at);
    return close === -1 ? at + 2 : close + 1;
  }
  if (/[0-9]/.test(next)) {
    const digits = /^[0-9]+/.exec(source.slice(at + 1));
    return at + 1 + (digits ? digits[0].length : 1);
  }
  return at + 2;
}

function classEnd(source: string, at: number): number {
  let i = at + 1;
  if (source[i] === "^") i++;
  // A `]` right after `[` or `[^` closes an empty class in JavaScript (unlike POSIX).
  while (i < source.length) {
    if (source[i] === "\\") i += 2;
    else if (source[i] === "]") return i + 1;
    else i++;
  }
  return source.length;
}
