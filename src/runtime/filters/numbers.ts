// Number filters: abs, int, float, round, filesizeformat, with Python's parsing (int(s, base), float(s))
// and Python's correctly rounded, round-half-even decimal rounding, done exactly on the double's value.
import { runtimeError } from "../../errors.ts";
import { fixedDigits, isNeg, scaledRound } from "../decimal.ts";
import { builtin } from "../args.ts";
import { pyParseFloat, pyParseInt } from "../pynumbers.ts";
import { pyRepr } from "../pystr.ts";
import { typeNameOf } from "../sequences.ts";
import { Float, Undefined, float, isString, strValue, truthy, undefinedError, type Value } from "../value.ts";
import { cFilter, type Filter } from "./common.ts";

/** Python float(v) for the float filter and filesizeformat; undefined for TypeError / ValueError. */
function toFloat(v: Value): number | undefined {
  if (v instanceof Undefined) throw undefinedError(v);
  if (typeof v === "number") return v;
  if (v instanceof Float) return v.value;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (isString(v)) return pyParseFloat(strValue(v));
  return undefined;
}

function doInt(value: Value, dflt: Value, base: Value): Value {
  if (isString(value)) {
    const b = typeof base === "number" && Number.isInteger(base) ? base : typeof base === "boolean" ? Number(base) : NaN;
    // int(value, base) raises for a bad base too; every failure falls back to int(float(value))
    if (b === 0 || (b >= 2 && b <= 36)) {
      const n = pyParseInt(strValue(value), b);
      if (n !== undefined) return n;
    }
    const f = pyParseFloat(strValue(value));
    return f === undefined || !Number.isFinite(f) ? dflt : Math.trunc(f) + 0;
  }
  if (value instanceof Undefined) throw undefinedError(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number" || value instanceof Float) {
    const f = typeof value === "number" ? value : value.value;
    if (f !== f) return dflt;
    // int(inf) raises OverflowError, which the filter's first `except (TypeError, ValueError)` lets through
    if (!Number.isFinite(f)) throw runtimeError("overflow", "cannot convert float infinity to integer");
    return Math.trunc(f) + 0;
  }
  return dflt;
}

function doFloat(value: Value, dflt: Value): Value {
  const f = toFloat(value);
  return f === undefined ? dflt : float(f);
}

/** Python round(x, ndigits) of a float (ndigits given): correctly rounded, half to even. */
export function roundFloat(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || ndigits > 323) return x;
  if (ndigits < -308) return 0 * x;
  const neg = isNeg(x);
  const r = Number(`${scaledRound(Math.abs(x), ndigits)}e${-ndigits}`);
  if (!Number.isFinite(r)) throw runtimeError("overflow", "rounded value too large to represent");
  return neg ? -r : r;
}

/** Python's `f"{x:.{digits}f}"`: exact value rounded half to even. */
export function formatFixed(x: number, digits: number): string {
  if (x !== x) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  return (isNeg(x) ? "-" : "") + fixedDigits(Math.abs(x), digits);
}

function intFromFloat(f: number): number {
  if (f !== f) throw runtimeError("value", "cannot convert float NaN to integer");
  if (!Number.isFinite(f)) throw runtimeError("overflow", "cannot convert float infinity to integer");
  return f;
}

function doRound(value: Value, precision: Value, methodArg: Value): Value {
  const method = isString(methodArg) ? strValue(methodArg) : methodArg;
  if (method !== "common" && method !== "ceil" && method !== "floor") throw runtimeError("filter-argument", "method must be common, ceil or floor");
  const isNum = typeof value === "number" || typeof value === "boolean" || value instanceof Float;
  if (method === "common") {
    if (!isNum) throw runtimeError("type", `type ${typeNameOf(value)} doesn't define __round__ method`);
    const isInt = typeof value === "boolean" || (typeof value === "number" && Number.isInteger(value));
    const x = typeof value === "number" ? value : typeof value === "boolean" ? Number(value) : value.value;
    if (precision === null) {
      // round(x, None) is round(x): an int
      return isInt ? x : intFromFloat(roundFloat(x, 0)) + 0;
    }
    const n = precision === true ? 1 : precision === false ? 0 : precision;
    if (typeof n !== "number" || !Number.isInteger(n)) throw runtimeError("type", `'${typeNameOf(precision)}' object cannot be interpreted as an integer`);
    if (isInt) {
      if (n >= 0) return x;
      const q = scaledRound(Math.abs(x), n);
      return Number(x < 0 ? -q : q) * 10 ** -n;
    }
    return float(roundFloat(x, n));
  }
  if (value instanceof Undefined) throw undefinedError(value);
  if (value === null) throw runtimeError("type", "unsupported operand type(s) for *: 'NoneType' and 'int'");
  if (!isNum) throw runtimeError("type", `must be real number, not ${typeNameOf(value)}`);
  const x = typeof value === "number" ? value : typeof value === "boolean" ? Number(value) : value.value;
  const p = typeof precision === "boolean" ? Number(precision) : precision;
  if (typeof p !== "number") throw runtimeError("type", `unsupported operand type(s) for ** or pow(): 'int' and '${typeNameOf(precision)}'`);
  const scale = 10 ** p;
  const scaled = intFromFloat(x * scale);
  // math.ceil / math.floor return an int, which has no -0: ceil(-0.5) / 1 is 0.0
  return float((method === "ceil" ? Math.ceil(scaled) : Math.floor(scaled)) / scale + 0);
}

const PREFIXES_DECIMAL = ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const PREFIXES_BINARY = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

function filesizeformat(value: Value, binary: Value): string {
  let bytes: number | undefined;
  if (value instanceof Undefined) throw undefinedError(value);
  if (isString(value)) {
    bytes = pyParseFloat(strValue(value));
    if (bytes === undefined) throw runtimeError("value", `could not convert string to float: ${pyRepr(strValue(value))}`);
  } else {
    bytes = toFloat(value);
    if (bytes === undefined) throw runtimeError("type", `float() argument must be a string or a real number, not '${typeNameOf(value)}'`);
  }
  const bin = truthy(binary);
  const base = bin ? 1024 : 1000;
  const prefixes = bin ? PREFIXES_BINARY : PREFIXES_DECIMAL;
  if (bytes === 1) return "1 Byte";
  if (bytes < base) return `${Math.trunc(intFromFloat(bytes)) + 0} Bytes`;
  let unit = 0;
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2);
    if (bytes < unit) return `${formatFixed((base * bytes) / unit, 1)} ${prefixes[i]}`;
  }
  return `${formatFixed((base * bytes) / unit, 1)} ${prefixes[prefixes.length - 1]}`;
}

function abs(v: Value): Value {
  if (typeof v === "number") return Math.abs(v);
  if (v instanceof Float) return new Float(Math.abs(v.value));
  if (typeof v === "boolean") return v ? 1 : 0;
  throw runtimeError("type", `bad operand type for abs(): '${typeNameOf(v)}'`);
}

/** The number filters, keyed by jinja2 name. */
export const NUMBER_FILTERS: ReadonlyMap<string, Filter> = new Map<string, Filter>([
  ["abs", cFilter("abs", abs)],
  ["filesizeformat", builtin("do_filesizeformat", "value, binary=False", (a) => filesizeformat(a[0], a[1]))],
  ["float", builtin("do_float", "value, default=0.0", (a) => doFloat(a[0], a[1]))],
  ["int", builtin("do_int", "value, default=0, base=10", (a) => doInt(a[0], a[1], a[2]))],
  ["round", builtin("do_round", "value, precision=0, method='common'", (a) => doRound(a[0], a[1], a[2]))],
]);
