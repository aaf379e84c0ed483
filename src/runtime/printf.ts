// printf-style formatting, Python's `str % args` ("%s and %d" % (a, b), "%(name)s" % d, %r, %5.2f, %-3s,
// %%), with CPython's argument rules (a lone non-tuple argument, mappings) and error messages.
import { runtimeError } from "../errors.ts";
import { isNeg } from "./decimal.ts";
import { floatBody, pad, type LengthCheck } from "./pyformat.ts";
import { intStr, pyAscii, pyRepr, pyStr } from "./pystr.ts";
import { DictView, typeNameOf } from "./sequences.ts";
import { cpChars, cpLength } from "./strings.ts";
import { escape, htmlEscape } from "./markup.ts";
import { pyParseFloat, pyParseInt } from "./pynumbers.ts";
import { Float, SpannedString, Tuple, Undefined, dictGet, float, isPlainDict, isString, strValue, undefinedError, type Value } from "./value.ts";

/** What follows `%` and its optional `(key)`: flags, width, precision, length modifier, conversion. */
const PRINTF = /([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.)?/sy;

/** The `(key)` of a conversion starting at `at` (just after `%`): CPython counts nested parentheses. */
function mappingKey(fmt: string, at: number): { key: string; end: number } | null {
  if (fmt[at] !== "(") return null;
  let depth = 1;
  for (let j = at + 1; j < fmt.length; j++) {
    if (fmt[j] === "(") depth++;
    else if (fmt[j] === ")" && --depth === 0) return { key: fmt.slice(at + 1, j), end: j + 1 };
  }
  throw runtimeError("value", "incomplete format key");
}

function realNumber(v: Value, conv: string, forInt: boolean): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Float) return v.value;
  // jinja2 Undefined defines __int__ / __float__ as failures
  if (v instanceof Undefined) throw undefinedError(v);
  if (forInt) throw runtimeError("type", `%${conv} format: a real number is required, not ${typeNameOf(v)}`);
  throw runtimeError("type", `must be real number, not ${typeNameOf(v)}`);
}

function truncInt(x: number): number {
  if (x !== x) throw runtimeError("value", "cannot convert float NaN to integer");
  if (!Number.isFinite(x)) throw runtimeError("overflow", "cannot convert float infinity to integer");
  return Math.trunc(x);
}

function isMappingArg(v: Value): boolean {
  // PyMapping_Check: anything subscriptable that is not a tuple or str (so lists and Undefined too)
  return v instanceof Map || isPlainDict(v) || (Array.isArray(v) && !(v instanceof DictView)) || v instanceof Undefined;
}

function mappingItem(d: Value, key: string): Value {
  if (d instanceof Undefined) throw undefinedError(d);
  if (Array.isArray(d)) throw runtimeError("type", `${typeNameOf(d)} indices must be integers or slices, not str`);
  const v = dictGet(d as ReadonlyMap<Value, Value>, key);
  if (v === undefined) throw runtimeError("key", pyRepr(key));
  return v;
}

/**
 * Python `fmt % args` for a str left operand (`"%s and %d" % (a, b)`, `"%(name)s" % d`). With `markup`,
 * Markup.__mod__'s: every argument is wrapped in markupsafe's _MarkupEscapeHelper (markupArg).
 */
export function percentFormat(fmt: string, args: Value, check?: LengthCheck, markup = false): string {
  const tuple = args instanceof Tuple ? args.items : null;
  const mapping = tuple === null && isMappingArg(args) ? args : null;
  let argIdx = tuple === null ? -2 : 0;
  const argLen = tuple === null ? -1 : tuple.length;
  const next = (): Value => {
    if (argIdx < argLen) {
      const i = argIdx++;
      return tuple === null ? args : tuple[i];
    }
    throw runtimeError("type", "not enough arguments for format string");
  };
  let out = "";
  let i = 0;
  while (i < fmt.length) {
    const p = fmt.indexOf("%", i);
    if (p === -1) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, p);
    const keyed = mappingKey(fmt, p + 1);
    PRINTF.lastIndex = keyed === null ? p + 1 : keyed.end;
    const m = PRINTF.exec(fmt) as RegExpExecArray;
    i = PRINTF.lastIndex;
    const [, flags, w, pr, conv] = m;
    if (conv === undefined) throw runtimeError("value", "incomplete format");
    if (conv === "%" && i - p === 2) {
      out += "%";
      continue;
    }
    let value: Value | undefined;
    if (keyed !== null) {
      if (mapping === null) throw runtimeError("type", "format requires a mapping");
      value = mappingItem(mapping, keyed.key);
      // CPython: a keyed conversion uses up the one argument, so a later `%s` has none left
      argIdx = argLen;
    }
    const star = (): number => {
      const a = next();
      // under Markup every argument is a _MarkupEscapeHelper, never an int
      if (markup || typeof a !== "number" || !Number.isInteger(a)) {
        if (typeof a === "boolean" && !markup) return a ? 1 : 0;
        throw runtimeError("type", "* wants int");
      }
      return a;
    };
    let width = w === undefined ? 0 : w === "*" ? star() : Number(w);
    let left = flags.includes("-");
    if (width < 0) {
      left = true;
      width = -width;
    }
    const prec = pr === undefined ? null : pr === "*" ? Math.max(0, star()) : Number(pr || "0");
    // CPython fetches the argument before it looks at the conversion character (so `%5%` needs one)
    if (value === undefined) value = next();
    const field = markup
      ? printfOne(markupArg(value, conv), conv === "r" || conv === "a" ? "s" : conv, flags, width, left, prec, i - 1, check)
      : printfOne(value, conv, flags, width, left, prec, i - 1, check);
    // each field is within the limit; together they may not be
    check?.checkStringLength(out.length + field.length);
    out += field;
  }
  if (argIdx < argLen && mapping === null) throw runtimeError("type", "not all arguments converted during string formatting");
  return out;
}

/**
 * What _MarkupEscapeHelper gives each conversion: `%s` the escaped str, `%r` / `%a` the escaped repr
 * (then formatted as `%s`), numbers through int() / float() (so a numeric str is accepted); it has no
 * __index__, so `%x` / `%o` / `%c` always fail.
 */
function markupArg(v: Value, conv: string): Value {
  if (conv === "s") return escape(v).text;
  if (conv === "r") return htmlEscape(pyRepr(v));
  if (conv === "a") return htmlEscape(pyAscii(v));
  if ("diueEfFgG".includes(conv)) {
    if (!isString(v)) return v;
    const text = strValue(v);
    const isInt = "diu".includes(conv);
    const n = isInt ? pyParseInt(text, 10) : pyParseFloat(text);
    if (n !== undefined) return isInt ? n : float(n);
    throw runtimeError("value", isInt ? `invalid literal for int() with base 10: ${pyRepr(text)}` : `could not convert string to float: ${pyRepr(text)}`);
  }
  if (conv === "o" || conv === "x" || conv === "X") throw runtimeError("type", `%${conv} format: an integer is required, not _MarkupEscapeHelper`);
  if (conv === "c") throw runtimeError("type", "%c requires int or char");
  return v;
}

function printfOne(v: Value, conv: string, flags: string, width: number, left: boolean, prec: number | null, at: number, check?: LengthCheck): string {
  const zero = flags.includes("0") && !left;
  const sign = flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
  const alt = flags.includes("#");
  const padTo = (s: string): string => pad(s, width, left ? "<" : ">", " ", check);
  const number = (neg: boolean, prefix: string, body: string): string => {
    const head = (neg ? "-" : sign) + prefix;
    if (zero && cpLength(head) + body.length < width) {
      check?.checkStringLength(width);
      return head + "0".repeat(width - head.length - body.length) + body;
    }
    return padTo(head + body);
  };
  switch (conv) {
    case "s":
    case "r":
    case "a": {
      let s = conv === "s" ? pyStr(v) : conv === "r" ? pyRepr(v) : pyAscii(v);
      if (prec !== null && cpLength(s) > prec) s = cpChars(s).slice(0, prec).join("");
      return padTo(s);
    }
    case "d":
    case "i":
    case "u": {
      const n = truncInt(realNumber(v, conv, true));
      let digits = intStr(Math.abs(n));
      if (prec !== null && digits.length < prec) {
        check?.checkStringLength(prec);
        digits = digits.padStart(prec, "0");
      }
      return number(n < 0, "", digits);
    }
    case "o":
    case "x":
    case "X": {
      if (typeof v !== "boolean" && !(typeof v === "number" && Number.isInteger(v))) {
        if (v instanceof Undefined) throw undefinedError(v);
        throw runtimeError("type", `%${conv} format: an integer is required, not ${typeNameOf(v)}`);
      }
      const n = typeof v === "boolean" ? (v ? 1 : 0) : v;
      let digits = BigInt(Math.abs(n)).toString(conv === "o" ? 8 : 16);
      if (conv === "X") digits = digits.toUpperCase();
      if (prec !== null && digits.length < prec) {
        check?.checkStringLength(prec);
        digits = digits.padStart(prec, "0");
      }
      const prefix = alt ? (conv === "o" ? "0o" : conv === "x" ? "0x" : "0X") : "";
      return number(n < 0, prefix, digits);
    }
    case "e":
    case "E":
    case "f":
    case "F":
    case "g":
    case "G": {
      const x = realNumber(v, conv, false);
      return number(isNeg(x) && x === x, "", floatBody(Math.abs(x), conv, prec, alt, false, check));
    }
    case "c": {
      if (typeof v === "string" || v instanceof SpannedString) {
        const s = typeof v === "string" ? v : v.text;
        if (cpLength(s) !== 1) throw runtimeError("type", "%c requires int or char");
        return padTo(s);
      }
      if (typeof v === "boolean" || (typeof v === "number" && Number.isInteger(v))) {
        const n = typeof v === "boolean" ? (v ? 1 : 0) : v;
        if (n < 0 || n > 0x10ffff) throw runtimeError("overflow", "%c arg not in range(0x110000)");
        return padTo(String.fromCodePoint(n));
      }
      throw runtimeError("type", "%c requires int or char");
    }
    default: {
      const cp = conv.codePointAt(0) as number;
      throw runtimeError("value", `unsupported format character '${conv}' (0x${cp.toString(16)}) at index ${at}`);
    }
  }
}
