// markupsafe for the runtime: escape(), Markup(), jinja2's soft_str, Markup's `+` and `*`, the field
// escaping its `%` and format() apply, its unescape() and striptags(), and which str methods return
// Markup. The Markup class itself is in value.ts. Autoescape is off in transformers' environment, so
// Markup only changes what templates compute, never how output is written.
import { runtimeError } from "../errors.ts";
import { ENTITIES, LEGACY_ENTITIES } from "./filters/entities.ts";
import { formatValue, type LengthCheck } from "./pyformat.ts";
import { pyRepr, pyStr } from "./pystr.ts";
import { iterate } from "./sequences.ts";
import { split } from "./strmethods.ts";
import { Markup, SpannedString, Tuple, type Value } from "./value.ts";

/** markupsafe.escape of a str: & < > ' " (markupsafe writes &#39; and &#34;). */
export function htmlEscape(s: string): string {
  return s.replace(/[&<>'"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "'" ? "&#39;" : "&#34;"));
}

/** html.unescape's replacements for numeric references to C1 controls and NUL (HTML5 rules). */
const INVALID_CHARREFS: Record<number, string> = {
  0x00: "\ufffd", 0x0d: "\r", 0x80: "\u20ac", 0x81: "\x81", 0x82: "\u201a", 0x83: "\u0192", 0x84: "\u201e",
  0x85: "\u2026", 0x86: "\u2020", 0x87: "\u2021", 0x88: "\u02c6", 0x89: "\u2030", 0x8a: "\u0160", 0x8b: "\u2039",
  0x8c: "\u0152", 0x8d: "\x8d", 0x8e: "\u017d", 0x8f: "\x8f", 0x90: "\x90", 0x91: "\u2018", 0x92: "\u2019",
  0x93: "\u201c", 0x94: "\u201d", 0x95: "\u2022", 0x96: "\u2013", 0x97: "\u2014", 0x98: "\u02dc", 0x99: "\u2122",
  0x9a: "\u0161", 0x9b: "\u203a", 0x9c: "\u0153", 0x9d: "\x9d", 0x9e: "\u017e", 0x9f: "\u0178",
};

/** Code points html.unescape drops: C0/C1 controls except whitespace, noncharacters. */
function invalidCodepoint(n: number): boolean {
  return (
    (n >= 0x1 && n <= 0x8) || n === 0xb || (n >= 0xe && n <= 0x1f) || (n >= 0x7f && n <= 0x9f) || (n >= 0xfdd0 && n <= 0xfdef) || (n & 0xfffe) === 0xfffe
  );
}

const CHARREF = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/g;

/** Python html.unescape (named references limited to ENTITIES; see entities.ts). */
export function htmlUnescape(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(CHARREF, (_m, ref: string) => {
    if (ref[0] === "#") {
      const hex = ref[1] === "x" || ref[1] === "X";
      // int(digits) in Python: any number of leading zeros; past 0x10FFFF only "too big" matters
      const digits = ref.slice(hex ? 2 : 1).replace(/;$/, "").replace(/^0+(?=.)/, "");
      const num = digits.length > 8 ? Infinity : parseInt(digits, hex ? 16 : 10);
      if (num in INVALID_CHARREFS) return INVALID_CHARREFS[num];
      if ((num >= 0xd800 && num <= 0xdfff) || num > 0x10ffff) return "\ufffd";
      if (invalidCodepoint(num)) return "";
      return String.fromCodePoint(num);
    }
    const named = ref.endsWith(";") ? ENTITIES.get(ref.slice(0, -1)) : LEGACY_ENTITIES.has(ref) ? ENTITIES.get(ref) : undefined;
    if (named !== undefined) return named;
    // the longest legacy name that prefixes the reference (`&ampx` is "&x")
    for (let x = ref.length - 1; x > 1; x--) {
      const head = ref.slice(0, x);
      if (LEGACY_ENTITIES.has(head)) return (ENTITIES.get(head) as string) + ref.slice(x);
    }
    return "&" + ref;
  });
}

/** markupsafe Markup.striptags: drop comments, then tags, collapse whitespace, unescape. */
export function striptags(value: string): string {
  let v = value;
  for (let start = v.indexOf("<!--"); start !== -1; start = v.indexOf("<!--")) {
    const end = v.indexOf("-->", start);
    if (end === -1) break;
    v = v.slice(0, start) + v.slice(end + 3);
  }
  for (let start = v.indexOf("<"); start !== -1; start = v.indexOf("<")) {
    const end = v.indexOf(">", start);
    if (end === -1) break;
    v = v.slice(0, start) + v.slice(end + 1);
  }
  return htmlUnescape((split(v, null, -1, false) as string[]).join(" "));
}

/** markupsafe.escape: a Markup is already safe; anything else is str()'d and escaped. A new object
 *  either way, as in Python (`m|e is sameas m` is false). */
export function escape(v: Value): Markup {
  return new Markup(v instanceof Markup ? v.text : htmlEscape(pyStr(v)));
}

/** Markup(v) (the `safe` filter): v's str() marked safe, not escaped; a new object. */
export function markSafe(v: Value): Markup {
  return new Markup(pyStr(v));
}

/** jinja2's soft_str: a Markup stays Markup, anything else becomes its str(). */
export function softStr(v: Value): string | Markup {
  return v instanceof Markup ? v : pyStr(v);
}

/** The result of a str operation on `source`: Markup when source was (markupsafe's overrides). */
export function sameKind(source: Value, result: string): string | Markup {
  return source instanceof Markup ? new Markup(result) : result;
}

/** Markup.__add__ / __radd__ for two str operands, one of them Markup: the other one is escaped. */
export function markupConcat(a: Value, b: Value, check?: LengthCheck): Markup {
  const x = escape(a).text;
  const y = escape(b).text;
  check?.checkStringLength(x.length + y.length);
  return new Markup(x + y);
}

/**
 * EscapeFormatter.format_field (Markup.format / format_map): a Markup field is inserted as it is and
 * takes no format spec; any other value is formatted as str.format would, then escaped.
 */
export function escapeFormatField(v: Value, spec: string, check?: LengthCheck): string {
  if (v instanceof Markup) {
    if (spec !== "") throw runtimeError("value", "Unsupported format specification for Markup.");
    return v.text;
  }
  return htmlEscape(formatValue(v, spec, check));
}

/** How markupsafe overrides a str method: which arguments it escapes first and what kind it returns. */
interface Override {
  /** Argument slots (after self) passed through escape(); "items" escapes every item of slot 1 (join). */
  escapes: readonly number[] | "items";
  /** "markup": the str result as Markup; "list" / "tuple": each item as Markup. */
  result: "markup" | "list" | "tuple";
}

const AS_MARKUP: Override = { escapes: [], result: "markup" };

// markupsafe.Markup's overrides. Every other str method (find, count, startswith, isX …) is str's own
// and returns plain values; format / format_map are wrapped in pymethods.ts (they need the formatter).
const OVERRIDES: ReadonlyMap<string, Override> = new Map<string, Override>([
  ...["capitalize", "title", "lower", "upper", "lstrip", "rstrip", "strip", "expandtabs", "swapcase", "zfill", "casefold", "removeprefix", "removesuffix"].map(
    (name): [string, Override] => [name, AS_MARKUP],
  ),
  ["replace", { escapes: [2], result: "markup" }],
  ["ljust", { escapes: [2], result: "markup" }],
  ["rjust", { escapes: [2], result: "markup" }],
  ["center", { escapes: [2], result: "markup" }],
  ["join", { escapes: "items", result: "markup" }],
  ["split", { escapes: [], result: "list" }],
  ["rsplit", { escapes: [], result: "list" }],
  ["splitlines", { escapes: [], result: "list" }],
  ["partition", { escapes: [], result: "tuple" }],
  ["rpartition", { escapes: [], result: "tuple" }],
]);

/**
 * The methods markupsafe 3 writes in Python, with how many of their parameters (self or cls included) are
 * positional-only: everything before `/` (inspect.signature(Markup.x)). format and format_map are checked
 * by jinja2's sandbox before markupsafe sees them, as for str.
 */
export const MARKUP_POSITIONAL_ONLY: ReadonlyMap<string, number> = new Map([
  ...["capitalize", "title", "lower", "upper", "swapcase", "casefold", "unescape", "striptags"].map((n): [string, number] => [n, 1]),
  ...["lstrip", "rstrip", "strip", "zfill", "removeprefix", "join", "partition", "rpartition", "escape"].map((n): [string, number] => [n, 2]),
  ...["ljust", "rjust", "center"].map((n): [string, number] => [n, 3]),
  ["replace", 4],
  ...["expandtabs", "split", "rsplit", "splitlines", "removesuffix"].map((n): [string, number] => [n, 1]),
]);

/** A str method implementation as Markup's: markupsafe's escaping of arguments and Markup results. */
export function asMarkupMethod<C>(name: string, impl: (a: Value[], ctx: C) => Value): (a: Value[], ctx: C) => Value {
  const o = OVERRIDES.get(name);
  if (o === undefined) return impl;
  return (a, ctx) => {
    const args = a.slice();
    if (o.escapes === "items") args[1] = iterate(args[1]).map(escape);
    else for (const i of o.escapes) if (args[i] !== undefined) args[i] = escape(args[i]);
    const r = impl(args, ctx);
    if (o.result === "markup") return markSafe(r);
    const items = (r instanceof Tuple ? r.items : (r as Value[])).map(markSafe);
    return o.result === "tuple" ? new Tuple(items) : items;
  };
}

/** The methods Markup adds to str: unescape, striptags and the escape classmethod (held to the string limit as `|e` is). */
export const MARKUP_ONLY: ReadonlyMap<string, (a: Value[], check?: LengthCheck) => Value> = new Map<string, (a: Value[], check?: LengthCheck) => Value>([
  ["unescape", (a) => htmlUnescape((a[0] as SpannedString).text)],
  ["striptags", (a) => striptags((a[0] as SpannedString).text)],
  [
    "escape",
    (a, check) => {
      const m = escape(a[1]);
      check?.checkStringLength(m.text.length);
      return m;
    },
  ],
]);

/** Python's repr of `markup.name` for the methods markupsafe writes in Python; undefined for str's own. */
export function markupMethodRepr(name: string, self: Markup): string | undefined {
  if (name === "escape") return "<bound method Markup.escape of <class 'markupsafe.Markup'>>";
  if (!OVERRIDES.has(name) && !MARKUP_ONLY.has(name)) return undefined;
  return `<bound method Markup.${name} of ${pyRepr(self)}>`;
}
