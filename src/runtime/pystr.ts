// Python str() and repr() of every template value: what `{{ x }}` prints. Floats follow Python's repr
// (shortest round-trip digits, scientific below 1e-4 and from 1e16), strings Python's quoting and escapes.
// The Python str family: pystr = value to text (str, repr) · strings = code-point length, index, slice, find ·
// pychars = per-character classes, case mappings, strip · strmethods = str method bodies · pymethods = method tables.
import { runtimeError } from "../errors.ts";
import { isPrintable } from "./pychars.ts";
import { DictView, isRange } from "./sequences.ts";
import { Float, Markup, Namespace, PyObject, RANGE, SpannedString, Tuple, Undefined, dictEntries, isPlainDict, type Value } from "./value.ts";

/** Python float repr: `1.0`, `0.1`, `1e-05`, `1e+16`, `-0.0`, `inf`, `nan`. */
export function floatRepr(n: number): string {
  if (n !== n) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  // toExponential() without an argument gives the shortest round-trip digits, as Python's repr does
  const e = n.toExponential();
  const at = e.indexOf("e");
  const neg = n < 0;
  const digits = e.slice(neg ? 1 : 0, at).replace(".", "");
  const exp = Number(e.slice(at + 1));
  const sign = neg ? "-" : "";
  if (exp < -4 || exp >= 16) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ex = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? "-" : "+"}${ex < 10 ? "0" : ""}${ex}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/**
 * Python str(int). Integers beyond 2^53 were already rounded when they became JS numbers (Python's
 * are exact): the digits printed are those of the double.
 */
export function intStr(n: number): string {
  // String() would print the shortest round-trip digits (18446744073709552000), not the value's
  return Math.abs(n) <= Number.MAX_SAFE_INTEGER ? String(n) : BigInt(n).toString();
}

/** Python str(): what `{{ v }}` prints. Undefined (the sandbox's unsafe one too) prints as ''. */
export function pyStr(v: Value | undefined): string {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return Number.isInteger(v) ? intStr(v) : floatRepr(v);
    case "boolean":
      return v ? "True" : "False";
    case "undefined":
      return "";
    default:
      if (v === null) return "None";
      if (v instanceof SpannedString) return v.text;
      if (v instanceof Undefined) return "";
      if (v instanceof Float) return floatRepr(v.value);
      return new Repr(false).repr(v);
  }
}

/** Python repr(). */
export function pyRepr(v: Value | undefined): string {
  return new Repr(false).repr(v);
}

/** Python ascii(): repr() with every non-ASCII character escaped (`%a`, `{!a}`). */
export function pyAscii(v: Value | undefined): string {
  return new Repr(true).repr(v);
}

const SIMPLE = /^[ !#-&(-[\]-~]*$/;

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, "0");
}

/** Python's repr of a str: single quotes unless the text has ' and no ", then the escapes repr uses. */
export function strRepr(s: string, ascii = false): string {
  if (SIMPLE.test(s)) return `'${s}'`;
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const c of s) {
    const cp = c.codePointAt(0) as number;
    if (c === quote || c === "\\") out += "\\" + c;
    else if (c === "\t") out += "\\t";
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (cp < 0x20 || cp === 0x7f) out += "\\x" + hex(cp, 2);
    else if (cp < 0x7f) out += c;
    else if (!ascii && isPrintable(cp)) out += c;
    else if (cp <= 0xff) out += "\\x" + hex(cp, 2);
    else if (cp <= 0xffff) out += "\\u" + hex(cp, 4);
    else out += "\\U" + hex(cp, 8);
  }
  return out + quote;
}

/**
 * Deep enough that no JSON a caller would pass trips it, shallow enough for the JS stack; Python's
 * own limit (about 1000 frames) raises RecursionError in the same region.
 */
const MAX_DEPTH = 900;

/** One repr traversal: tracks containers in progress so a self-containing value prints `[...]` as Python does. */
class Repr {
  private readonly ascii: boolean;
  private readonly active = new Set<object>();

  constructor(ascii: boolean) {
    this.ascii = ascii;
  }

  repr(v: Value | undefined): string {
    switch (typeof v) {
      case "string":
        return strRepr(v, this.ascii);
      case "number":
        return Number.isInteger(v) ? intStr(v) : floatRepr(v);
      case "boolean":
        return v ? "True" : "False";
      case "undefined":
        return "Undefined";
    }
    if (v === null) return "None";
    if (v instanceof Markup) return `Markup(${strRepr(v.text, this.ascii)})`;
    if (v instanceof SpannedString) return strRepr(v.text, this.ascii);
    if (v instanceof Float) return floatRepr(v.value);
    if (v instanceof Undefined) return "Undefined";
    if (v instanceof Namespace) return this.nested(v, "{...}", () => `<Namespace ${this.dict([...v.attrs.entries()])}>`);
    if (v instanceof PyObject) return v.toPyStr();
    if (v instanceof DictView) return this.nested(v, "...", () => `${v.viewKind}(${this.list(v)})`);
    if (isRange(v)) {
      const { start, stop, step } = v[RANGE];
      return step === 1 ? `range(${start}, ${stop})` : `range(${start}, ${stop}, ${step})`;
    }
    if (Array.isArray(v)) return this.nested(v, "[...]", () => this.list(v));
    if (v instanceof Tuple) {
      const items = v.items;
      if (items.length === 1) return this.nested(v, "(...)", () => `(${this.repr(items[0])},)`);
      return this.nested(v, "(...)", () => `(${items.map((x) => this.repr(x)).join(", ")})`);
    }
    if (v instanceof Map || isPlainDict(v)) return this.nested(v, "{...}", () => this.dict(dictEntries(v)));
    return "<object object>";
  }

  private list(items: readonly Value[]): string {
    let out = "[";
    for (let i = 0; i < items.length; i++) out += (i > 0 ? ", " : "") + this.repr(items[i]);
    return out + "]";
  }

  private dict(entries: readonly [Value, Value][]): string {
    let out = "{";
    for (let i = 0; i < entries.length; i++) out += `${i > 0 ? ", " : ""}${this.repr(entries[i][0])}: ${this.repr(entries[i][1])}`;
    return out + "}";
  }

  private nested(v: object, cycle: string, f: () => string): string {
    if (this.active.has(v)) return cycle;
    if (this.active.size >= MAX_DEPTH) throw runtimeError("limit", "maximum recursion depth exceeded while getting the repr of an object");
    this.active.add(v);
    try {
      return f();
    } finally {
      this.active.delete(v);
    }
  }
}
