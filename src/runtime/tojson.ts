// transformers' tojson: Python json.dumps(x, ensure_ascii=False, indent=None, separators=None,
// sort_keys=False), not jinja2's HTML-escaping one. Floats print as Python's repr, keys keep their order.
import { runtimeError } from "../errors.ts";
import { pyCompare } from "./ops.ts";
import type { LengthCheck } from "./pyformat.ts";
import { floatRepr, intStr } from "./pystr.ts";
import { isPyList, typeNameOf } from "./sequences.ts";
import { Float, SpannedString, Tuple, dictEntries, isPlainDict, truthy, type Value } from "./value.ts";

/** The keyword arguments transformers' tojson passes on to json.dumps (besides indent). */
export interface JsonOptions {
  ensureAscii?: Value;
  separators?: Value;
  sortKeys?: Value;
  /** Refuses strings over limits.maxStringLength: the indent string and each indented container. */
  check?: LengthCheck;
}

const MAX_DEPTH = 900;

// json.encoder ESCAPE / ESCAPE_ASCII: control characters, quote and backslash (and, for ascii, all
// non-ASCII as \uXXXX, astral characters as surrogate pairs). DEL (0x7f) is written raw.
const NEEDS_ESCAPE = /[\x00-\x1f"\\]/;
const NEEDS_ESCAPE_ASCII = /[\x00-\x1f"\\\u0080-\uffff]/;
const SHORT: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

/** A JSON string literal as json.dumps writes it; lone surrogates pass through as Python keeps them. */
export function jsonString(s: string, ensureAscii = false): string {
  if (!(ensureAscii ? NEEDS_ESCAPE_ASCII : NEEDS_ESCAPE).test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const u = s.charCodeAt(i);
    const short = SHORT[c];
    if (short !== undefined) out += short;
    else if (u < 0x20 || (ensureAscii && u > 0x7f)) out += "\\u" + u.toString(16).padStart(4, "0");
    else out += c;
  }
  return out + '"';
}

function jsonFloat(n: number): string {
  if (n !== n) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return floatRepr(n);
}

function notSerializable(v: Value): never {
  throw runtimeError("type", `Object of type ${typeNameOf(v)} is not JSON serializable`);
}

/** json's conversion of a non-str dict key (float before bool: json checks isinstance(key, float) first). */
function jsonKey(k: Value): string {
  if (typeof k === "string") return k;
  if (k instanceof SpannedString) return k.text;
  if (k instanceof Float) return jsonFloat(k.value);
  if (typeof k === "number") return Number.isInteger(k) ? intStr(k) : jsonFloat(k);
  if (k === true) return "true";
  if (k === false) return "false";
  if (k === null) return "null";
  throw runtimeError("type", `keys must be str, int, float, bool or None, not ${typeNameOf(k)}`);
}

function indentString(indent: Value, check: LengthCheck | undefined): string | null {
  if (indent === null || indent === undefined) return null;
  if (typeof indent === "string") return indent;
  if (indent instanceof SpannedString) return indent.text;
  if (typeof indent === "boolean") return indent ? " " : "";
  if (typeof indent === "number" && Number.isInteger(indent)) {
    // json.dumps builds `' ' * indent`: held to the limit like any repetition
    check?.checkStringLength(indent);
    return " ".repeat(Math.max(0, indent));
  }
  // json: `' ' * indent` for any other type
  throw runtimeError("type", `can't multiply sequence by non-int of type '${typeNameOf(indent)}'`);
}

function separatorPair(sep: Value, indent: string | null): [string, string] {
  if (sep === null || sep === undefined) return indent === null ? [", ", ": "] : [",", ": "];
  const items = sep instanceof Tuple ? sep.items : Array.isArray(sep) ? (sep as readonly Value[]) : null;
  if (items === null) throw runtimeError("type", `cannot unpack non-iterable ${typeNameOf(sep)} object`);
  if (items.length !== 2) {
    throw runtimeError("value", items.length < 2 ? `not enough values to unpack (expected 2, got ${items.length})` : "too many values to unpack (expected 2)");
  }
  const [a, b] = items.map((x) => (typeof x === "string" ? x : x instanceof SpannedString ? x.text : notSerializableSep(x)));
  return [a, b];
}

function notSerializableSep(x: Value): never {
  throw runtimeError("type", `can only concatenate str (not "${typeNameOf(x)}") to str`);
}

/** JSON of a str, number, bool or None; null for anything else. */
function scalar(x: Value, ascii: boolean): string | null {
  switch (typeof x) {
    case "string":
      return jsonString(x, ascii);
    case "number":
      return Number.isInteger(x) ? intStr(x) : jsonFloat(x);
    case "boolean":
      return x ? "true" : "false";
  }
  if (x === null) return "null";
  if (x instanceof SpannedString) return jsonString(x.text, ascii);
  if (x instanceof Float) return jsonFloat(x.value);
  return null;
}

/** transformers' tojson filter: json.dumps(v, ensure_ascii=False, indent=indent, …). */
export function toJson(v: Value, indent: Value = null, options: JsonOptions = {}): string {
  const check = options.check;
  const ind = indentString(indent, check);
  const [itemSep, keySep] = separatorPair(options.separators ?? null, ind);
  const ascii = options.ensureAscii !== undefined && truthy(options.ensureAscii);
  const sortKeys = options.sortKeys !== undefined && truthy(options.sortKeys);
  const active = new Set<object>();

  const enter = (o: object): void => {
    if (active.has(o)) throw runtimeError("value", "Circular reference detected");
    if (active.size >= MAX_DEPTH) throw runtimeError("limit", "maximum recursion depth exceeded while encoding a JSON object");
    active.add(o);
  };

  const encode = (x: Value, level: number): string => {
    const sc = scalar(x, ascii);
    if (sc !== null) return sc;
    if (isPyList(x) || x instanceof Tuple) {
      const items: readonly Value[] = x instanceof Tuple ? x.items : (x as readonly Value[]);
      if (items.length === 0) return "[]";
      enter(x);
      const [open, sep, close] = layout(level);
      const out = joined(open, items.map((i) => encode(i, level + 1)), sep, close);
      active.delete(x);
      return "[" + out + "]";
    }
    if (x instanceof Map || isPlainDict(x)) {
      let entries = dictEntries(x);
      if (entries.length === 0) return "{}";
      enter(x);
      if (sortKeys) entries = [...entries].sort((a, b) => pyCompare(a[0], b[0]));
      const [open, sep, close] = layout(level);
      const out = joined(open, entries.map(([k, val]) => jsonString(jsonKey(k), ascii) + keySep + encode(val, level + 1)), sep, close);
      active.delete(x);
      return "{" + out + "}";
    }
    return notSerializable(x);
  };

  /** open + parts joined by sep + close, the length checked first (indentation grows with the depth) */
  const joined = (open: string, parts: string[], sep: string, close: string): string => {
    if (check !== undefined) {
      let n = open.length + (parts.length - 1) * sep.length + close.length + 2;
      for (const p of parts) n += p.length;
      check.checkStringLength(n);
    }
    return open + parts.join(sep) + close;
  };

  const layout = (level: number): [string, string, string] => {
    if (ind === null) return ["", itemSep, ""];
    check?.checkStringLength((level + 1) * ind.length);
    const inner = "\n" + ind.repeat(level + 1);
    return [inner, itemSep + inner, "\n" + ind.repeat(level)];
  };

  if (ind === null && !sortKeys) return compact(v, itemSep, keySep, ascii, 0, active);
  return encode(v, 0);
}

/**
 * The common case (no indent, insertion order): one string built by concatenation, plain objects read
 * with for-in instead of entry arrays. Same output as `encode` above.
 */
function compact(x: Value, itemSep: string, keySep: string, ascii: boolean, depth: number, active: Set<object>): string {
  const sc = scalar(x, ascii);
  if (sc !== null) return sc;
  const isList = isPyList(x);
  const isDict = !isList && (x instanceof Map || isPlainDict(x));
  if (!isList && !isDict && !(x instanceof Tuple)) return notSerializable(x);
  if (active.has(x as object)) throw runtimeError("value", "Circular reference detected");
  if (depth >= MAX_DEPTH) throw runtimeError("limit", "maximum recursion depth exceeded while encoding a JSON object");
  active.add(x as object);
  let out: string;
  if (!isDict) {
    const items: readonly Value[] = x instanceof Tuple ? x.items : (x as readonly Value[]);
    out = "[";
    for (let i = 0; i < items.length; i++) out += (i > 0 ? itemSep : "") + compact(items[i], itemSep, keySep, ascii, depth + 1, active);
    out += "]";
  } else if (x instanceof Map) {
    out = "{";
    let first = true;
    for (const [k, val] of x) {
      out += (first ? "" : itemSep) + jsonString(jsonKey(k), ascii) + keySep + compact(val, itemSep, keySep, ascii, depth + 1, active);
      first = false;
    }
    out += "}";
  } else {
    const d = x as Record<string, unknown>;
    out = "{";
    let first = true;
    for (const k in d) {
      if (!Object.hasOwn(d, k)) continue;
      const val = d[k];
      if (val === undefined) continue;
      out += (first ? "" : itemSep) + jsonString(k, ascii) + keySep + compact(val as Value, itemSep, keySep, ascii, depth + 1, active);
      first = false;
    }
    out += "}";
  }
  active.delete(x as object);
  return out;
}
