// Python methods a sandboxed template may call, one table per type, with Python's argument names and
// TypeError wording; `lookupMethod` binds them. sandbox.ts decides when they are reached.
//   str:   capitalize casefold center count endswith expandtabs find format format_map index isalnum
//          isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle
//          isupper join ljust lower lstrip partition removeprefix removesuffix replace rfind rindex rjust
//          rpartition rsplit rstrip split splitlines startswith strip swapcase title upper zfill
//   dict:  copy fromkeys get items keys values        list: copy count index        tuple: count index
//   int / bool: as_integer_ratio bit_count bit_length conjugate, attributes real imag numerator denominator
//   float: as_integer_ratio conjugate hex is_integer, attributes real imag
// Missing (report in COMPATIBILITY.md): str.encode / translate / maketrans (no bytes), int.to_bytes,
// dict-view methods, and every mutating method (the sandbox refuses them; with `immutable: false` they
// are still absent because caller data is never written).
// The Python str family: pystr = value to text (str, repr) · strings = code-point length, index, slice, find ·
// pychars = per-character classes, case mappings, strip · strmethods = str method bodies · pymethods = method tables.
import { runtimeError } from "../errors.ts";
import { builtin, callBuiltin, type Builtin } from "./args.ts";
import { checkHashable, dictLookup, pyEquals } from "./ops.ts";
import {
  isAlphaCp,
  isDecimalCp,
  isDigitCp,
  isNumericCp,
  isPrintable,
  isPySpace,
  pyCapitalize,
  pyCasefold,
  pyIsIdentifier,
  pyIsLower,
  pyIsTitle,
  pyIsUpper,
  pyLower,
  pySwapcase,
  pyTitle,
  pyUpper,
} from "./pychars.ts";
import { asMarkupMethod, escapeFormatField, MARKUP_ONLY, MARKUP_POSITIONAL_ONLY, markupMethodRepr, sameKind } from "./markup.ts";
import { strFormat } from "./pyformat.ts";
import { pyRepr } from "./pystr.ts";
import { DictView, isRange, iterate, typeNameOf } from "./sequences.ts";
import { cpFind, cpFindLast, cpLength } from "./strings.ts";
import {
  adjust,
  affixMatch,
  allChars,
  center,
  check,
  expandtabs,
  fillChar,
  isAlnum,
  join,
  clinicStr,
  mustStr,
  padded,
  partition,
  replace,
  search,
  selfText,
  sliceIndex,
  split,
  splitlines,
  strip,
  toIndex,
  zfill,
} from "./strmethods.ts";
import {
  Callable,
  Float,
  Markup,
  SpannedString,
  Tuple,
  dictEntries,
  dictKey,
  float,
  isPlainDict,
  kindOf,
  type CallArgs,
  type CallContext,
  type PlainDict,
  type Value,
} from "./value.ts";

type Ctx = CallContext;

/**
 * How CPython reports arity and keyword mistakes for the method (each family words them differently);
 * "python": a method written in Python (markupsafe's), bound as a Python function.
 */
type Style = "noargs" | "onearg" | "clinic" | "old" | "kw" | "python";

interface Method {
  style: Style;
  /** The builtin; its first parameter is `self`. */
  fn: Builtin<Ctx>;
  /** Required positional arguments besides `self`. */
  required: number;
  /** "python" style: how many parameters, `self` included, are positional-only (before `/`). */
  positionalOnly?: number;
}

// ---- str.format ----

function format(s: string, args: readonly Value[], kwargs: (k: string) => Value | undefined, ctx: Ctx, markup = false): string {
  // fields (`'{0.name}'.format(x)`) are read through the render's sandbox, as jinja2's SandboxedFormatter
  // does; Markup.format escapes every field, as its SandboxedEscapeFormatter does
  return strFormat(s, args, kwargs, (o, k, isAttr) => ctx.formatField(o, k, isAttr), check(ctx), markup ? escapeFormatField : undefined);
}

// ---- tables ----

function m(style: Style, name: string, spec: string, impl: (a: Value[], ctx: Ctx) => Value): [string, Method] {
  const fn = builtin<Ctx>(name, spec, impl);
  return [name, { style, fn, required: fn.sig.params.filter((p) => !p.hasDefault).length - 1 }];
}

/** str.format, or Markup.format (escaping, Markup result) */
function formatMethod(markup: boolean): [string, Method] {
  // any keyword goes to the template, `self` included: the bound str takes a name no identifier can spell
  return m("kw", "format", "(self), *args, **kwargs", (a, ctx) => {
    const kw = a[2] as unknown as Map<string, Value>;
    return sameKind(a[0], format(selfText(a), a[1] as unknown as Value[], (k) => kw.get(k), ctx, markup));
  });
}

function formatMapMethod(markup: boolean): [string, Method] {
  return m("onearg", "format_map", "self, mapping", (a, ctx) => {
    const d = a[1];
    const r = format(selfText(a), [], (k) => {
      if (d instanceof Map || isPlainDict(d)) return dictLookup(d, k);
      // mapping[key] with a str key, as CPython words it for each kind of operand
      if (typeof d === "string" || d instanceof SpannedString) throw runtimeError("type", "string indices must be integers, not 'str'");
      if ((Array.isArray(d) && !(d instanceof DictView)) || d instanceof Tuple) throw runtimeError("type", `${typeNameOf(d)} indices must be integers or slices, not str`);
      throw runtimeError("type", `'${typeNameOf(d)}' object is not subscriptable`);
    }, ctx, markup);
    return sameKind(a[0], r);
  });
}

const STR = new Map<string, Method>([
  m("noargs", "capitalize", "self", (a) => pyCapitalize(selfText(a))),
  m("noargs", "casefold", "self", (a) => pyCasefold(selfText(a))),
  m("clinic", "center", "self, width, fillchar=' '", center),
  m("old", "count", "self, sub, start=None, end=None", (a) => search(a, "count")),
  m("old", "endswith", "self, suffix, start=None, end=None", (a) => affixMatch(a, "endswith")),
  m("kw", "expandtabs", "self, tabsize=8", expandtabs),
  m("old", "find", "self, sub, start=None, end=None", (a) => search(a, "find")),
  // any keyword goes to the template, `self` included: the bound str takes a name no identifier can spell
  formatMethod(false),
  formatMapMethod(false),
  m("old", "index", "self, sub, start=None, end=None", (a) => {
    const i = search(a, "find");
    if (i === -1) throw runtimeError("value", "substring not found");
    return i;
  }),
  m("noargs", "isalnum", "self", (a) => allChars(selfText(a), isAlnum)),
  m("noargs", "isalpha", "self", (a) => allChars(selfText(a), isAlphaCp)),
  m("noargs", "isascii", "self", (a) => /^[\x00-\x7f]*$/.test(selfText(a))),
  m("noargs", "isdecimal", "self", (a) => allChars(selfText(a), isDecimalCp)),
  m("noargs", "isdigit", "self", (a) => allChars(selfText(a), isDigitCp)),
  m("noargs", "isidentifier", "self", (a) => pyIsIdentifier(selfText(a))),
  m("noargs", "islower", "self", (a) => pyIsLower(selfText(a))),
  m("noargs", "isnumeric", "self", (a) => allChars(selfText(a), isNumericCp)),
  m("noargs", "isprintable", "self", (a) => selfText(a) === "" || allChars(selfText(a), isPrintable)),
  m("noargs", "isspace", "self", (a) => allChars(selfText(a), isPySpace)),
  m("noargs", "istitle", "self", (a) => pyIsTitle(selfText(a))),
  m("noargs", "isupper", "self", (a) => pyIsUpper(selfText(a))),
  m("onearg", "join", "self, iterable", join),
  m("clinic", "ljust", "self, width, fillchar=' '", (a, ctx) => {
    const s = selfText(a);
    return padded(s, 0, toIndex(a[1]) - cpLength(s), fillChar(a[2]), ctx);
  }),
  m("noargs", "lower", "self", (a) => pyLower(selfText(a))),
  m("clinic", "lstrip", "self, chars=None", (a) => strip(selfText(a), a[1], "lstrip", true, false)),
  m("onearg", "partition", "self, sep", (a) => partition(a, false)),
  m("onearg", "removeprefix", "self, prefix", (a) => {
    const s = selfText(a);
    const p = clinicStr(a[1], "removeprefix() argument must be str");
    return p !== "" && cpFind(s, p) === 0 ? s.slice(p.length) : s;
  }),
  m("onearg", "removesuffix", "self, suffix", (a) => {
    const s = selfText(a);
    const p = clinicStr(a[1], "removesuffix() argument must be str");
    return p !== "" && s.length >= p.length && cpFindLast(s, p) === s.length - p.length ? s.slice(0, s.length - p.length) : s;
  }),
  m("clinic", "replace", "self, old, new, count=-1", replace),
  m("old", "rfind", "self, sub, start=None, end=None", (a) => search(a, "rfind")),
  m("old", "rindex", "self, sub, start=None, end=None", (a) => {
    const i = search(a, "rfind");
    if (i === -1) throw runtimeError("value", "substring not found");
    return i;
  }),
  m("clinic", "rjust", "self, width, fillchar=' '", (a, ctx) => {
    const s = selfText(a);
    return padded(s, toIndex(a[1]) - cpLength(s), 0, fillChar(a[2]), ctx);
  }),
  m("onearg", "rpartition", "self, sep", (a) => partition(a, true)),
  m("kw", "rsplit", "self, sep=None, maxsplit=-1", (a) => split(selfText(a), a[1], a[2], true)),
  m("clinic", "rstrip", "self, chars=None", (a) => strip(selfText(a), a[1], "rstrip", false, true)),
  m("kw", "split", "self, sep=None, maxsplit=-1", (a) => split(selfText(a), a[1], a[2], false)),
  m("kw", "splitlines", "self, keepends=False", (a) => splitlines(selfText(a), a[1] !== false && a[1] !== 0 && a[1] !== null)),
  m("old", "startswith", "self, prefix, start=None, end=None", (a) => affixMatch(a, "startswith")),
  m("clinic", "strip", "self, chars=None", (a) => strip(selfText(a), a[1], "strip", true, true)),
  m("noargs", "swapcase", "self", (a) => pySwapcase(selfText(a))),
  m("noargs", "title", "self", (a) => pyTitle(selfText(a))),
  m("noargs", "upper", "self", (a) => pyUpper(selfText(a))),
  m("onearg", "zfill", "self, width", zfill),
]);

/** A method markupsafe writes in Python: bound and checked as a Python function (positionalOnly from its `/`). */
function asPython([name, meth]: [string, Method]): [string, Method] {
  const positionalOnly = MARKUP_POSITIONAL_ONLY.get(name);
  return positionalOnly === undefined ? [name, meth] : [name, { ...meth, style: "python", positionalOnly: Math.min(positionalOnly, meth.fn.sig.params.length) }];
}

/** Markup's methods: str's with markupsafe's overrides (markup.ts), its escaping format, and its own three. */
const MARKUP = new Map<string, Method>(
  [
    ...[...STR].map(([name, meth]): [string, Method] => [name, { ...meth, fn: { ...meth.fn, impl: asMarkupMethod(name, meth.fn.impl) } }]),
    formatMethod(true),
    formatMapMethod(true),
    ...[...MARKUP_ONLY].map(([name, impl]) => m("noargs", name, name === "escape" ? "cls, s" : "self", (a, ctx) => impl(a, check(ctx)))),
  ].map(asPython),
);

type Dict = ReadonlyMap<Value, Value> | PlainDict;

const DICT = new Map<string, Method>([
  m("noargs", "copy", "self", (a) => new Map(dictEntries(a[0] as Dict))),
  m("clinic", "fromkeys", "self, iterable, value=None", (a) => {
    const out = new Map<Value, Value>();
    for (const k of iterate(a[1])) {
      checkHashable(k);
      out.set(dictKey(k), a[2]);
    }
    return out;
  }),
  m("clinic", "get", "self, key, default=None", (a) => dictLookup(a[0] as Dict, a[1]) ?? a[2]),
  m("noargs", "items", "self", (a) => DictView.create("dict_items", dictEntries(a[0] as Dict).map(([k, v]) => new Tuple([k, v])))),
  m("noargs", "keys", "self", (a) => DictView.create("dict_keys", dictEntries(a[0] as Dict).map(([k]) => k))),
  m("noargs", "values", "self", (a) => DictView.create("dict_values", dictEntries(a[0] as Dict).map(([, v]) => v))),
]);

function seqItems(v: Value): readonly Value[] {
  return v instanceof Tuple ? v.items : (v as readonly Value[]);
}

function seqIndex(a: Value[], kind: "list" | "tuple"): number {
  const items = seqItems(a[0]);
  const msg = "slice indices must be integers or have an __index__ method";
  const [start, stop] = adjust(sliceIndex(a[2], msg), sliceIndex(a[3], msg), items.length);
  for (let i = start; i < stop; i++) if (pyEquals(items[i], a[1])) return i;
  throw runtimeError("value", kind === "list" ? `${pyRepr(a[1])} is not in list` : "tuple.index(x): x not in tuple");
}

const LIST = new Map<string, Method>([
  m("noargs", "copy", "self", (a) => seqItems(a[0]).slice()),
  m("onearg", "count", "self, value", (a) => seqItems(a[0]).filter((x) => pyEquals(x, a[1])).length),
  m("clinic", "index", "self, value, start=0, stop=9223372036854775807", (a) => seqIndex(a, "list")),
]);

// range.index takes no bounds; an int not there is "N is not in range", anything else the generic search's
const RANGE_METHODS = new Map<string, Method>([
  m("onearg", "count", "self, value", (a) => seqItems(a[0]).filter((x) => pyEquals(x, a[1])).length),
  m("onearg", "index", "self, value", (a) => {
    const i = seqItems(a[0]).findIndex((x) => pyEquals(x, a[1]));
    if (i >= 0) return i;
    const isInt = (typeof a[1] === "number" && Number.isInteger(a[1])) || typeof a[1] === "boolean";
    throw runtimeError("value", isInt ? `${pyRepr(a[1])} is not in range` : "sequence.index(x): x not in sequence");
  }),
]);

const TUPLE = new Map<string, Method>([
  m("onearg", "count", "self, value", (a) => seqItems(a[0]).filter((x) => pyEquals(x, a[1])).length),
  m("clinic", "index", "self, value, start=0, stop=9223372036854775807", (a) => seqIndex(a, "tuple")),
]);

// ---- int (and bool) and float ----

function intOf(v: Value): number {
  return typeof v === "boolean" ? (v ? 1 : 0) : (v as number);
}

function floatOf(v: Value): number {
  return v instanceof Float ? v.value : (v as number);
}

function bigToNumber(n: bigint): number {
  const x = Number(n);
  if (!Number.isFinite(x)) throw runtimeError("limit", "integer too large (spanja's ints are doubles; Python's are unbounded)");
  return x;
}

/** float.as_integer_ratio: the exact fraction, in lowest terms (a power of two below). */
function ratio(x: number): Tuple {
  if (x !== x) throw runtimeError("value", "cannot convert NaN to integer ratio");
  if (!Number.isFinite(x)) throw runtimeError("overflow", "cannot convert Infinity to integer ratio");
  if (x === 0) return new Tuple([0, 1]);
  let [m, e] = floatParts(x);
  while ((m & 1n) === 0n && e < 0) {
    m >>= 1n;
    e++;
  }
  const num = e >= 0 ? m << BigInt(e) : m;
  const den = e >= 0 ? 1n : 1n << BigInt(-e);
  return new Tuple([bigToNumber(x < 0 ? -num : num), bigToNumber(den)]);
}

/** |x| as mantissa and binary exponent of its last bit, plus the raw exponent field. */
function floatParts(x: number): [bigint, number, number] {
  const d = new DataView(new ArrayBuffer(8));
  d.setFloat64(0, x);
  const hi = d.getUint32(0);
  const bexp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(d.getUint32(4));
  return bexp === 0 ? [frac, -1074, 0] : [frac | (1n << 52n), bexp - 1075, bexp];
}

/** float.hex(): `0x1.999999999999ap-4`, subnormals as `0x0.…p-1022`. */
function floatHex(x: number): string {
  if (x !== x) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  if (x === 0) return `${sign}0x0.0p+0`;
  const [m, , bexp] = floatParts(x);
  const frac = (m & ((1n << 52n) - 1n)).toString(16).padStart(13, "0");
  const exp = bexp === 0 ? -1022 : bexp - 1023;
  return `${sign}0x${bexp === 0 ? 0 : 1}.${frac}p${exp < 0 ? "-" : "+"}${Math.abs(exp)}`;
}

const INT = new Map<string, Method>([
  m("noargs", "as_integer_ratio", "self", (a) => new Tuple([intOf(a[0]), 1])),
  m("noargs", "bit_count", "self", (a) => BigInt(Math.abs(intOf(a[0]))).toString(2).replace(/0/g, "").length),
  m("noargs", "bit_length", "self", (a) => (intOf(a[0]) === 0 ? 0 : BigInt(Math.abs(intOf(a[0]))).toString(2).length)),
  m("noargs", "conjugate", "self", (a) => intOf(a[0])),
]);

const FLOAT = new Map<string, Method>([
  m("noargs", "as_integer_ratio", "self", (a) => ratio(floatOf(a[0]))),
  m("noargs", "conjugate", "self", (a) => float(floatOf(a[0]))),
  m("noargs", "hex", "self", (a) => floatHex(floatOf(a[0]))),
  m("noargs", "is_integer", "self", (a) => Number.isInteger(floatOf(a[0]))),
]);

/** Data attributes of numbers (`(7).real`): Python's int and float have these besides methods. */
function numberAttr(obj: Value, name: string): Value | undefined {
  const k = kindOf(obj);
  if (k === "int" || k === "bool") {
    const n = intOf(obj);
    return name === "real" || name === "numerator" ? n : name === "imag" ? 0 : name === "denominator" ? 1 : undefined;
  }
  if (k === "float") return name === "real" ? float(floatOf(obj)) : name === "imag" ? new Float(0) : undefined;
  return undefined;
}

// jinja2 sandbox _mutable_spec: MutableSequence and MutableMapping method names (set has no literal here)
const MUTATING_LIST = new Set(["append", "clear", "pop", "reverse", "insert", "sort", "extend", "remove"]);
const MUTATING_DICT = new Set(["clear", "pop", "popitem", "setdefault", "update"]);

// one shared pair per type: typeOf runs on every method call and must not allocate
const T_STR: [string, Map<string, Method>] = ["str", STR];
const T_MARKUP: [string, Map<string, Method>] = ["Markup", MARKUP];
const T_BOOL: [string, Map<string, Method>] = ["bool", INT];
const T_INT: [string, Map<string, Method>] = ["int", INT];
const T_FLOAT: [string, Map<string, Method>] = ["float", FLOAT];
const T_LIST: [string, Map<string, Method>] = ["list", LIST];
const T_TUPLE: [string, Map<string, Method>] = ["tuple", TUPLE];
const T_RANGE: [string, Map<string, Method>] = ["range", RANGE_METHODS];
const T_DICT: [string, Map<string, Method>] = ["dict", DICT];

function typeOf(obj: Value): readonly [string, Map<string, Method>] | null {
  if (typeof obj === "string") return T_STR;
  if (obj instanceof Markup) return T_MARKUP;
  if (obj instanceof SpannedString) return T_STR;
  if (typeof obj === "boolean") return T_BOOL;
  if (typeof obj === "number") return Number.isInteger(obj) ? T_INT : T_FLOAT;
  if (obj instanceof Float) return T_FLOAT;
  if (obj instanceof DictView) return null;
  if (isRange(obj)) return T_RANGE;
  if (Array.isArray(obj)) return T_LIST;
  if (obj instanceof Tuple) return T_TUPLE;
  if (obj instanceof Map || isPlainDict(obj)) return T_DICT;
  return null;
}

/** CPython's arity / keyword check for the method, with its wording. */
function checkCall(type: string, name: string, meth: Method, call: CallArgs): void {
  const params = meth.fn.sig.params.length - 1;
  const n = call.args.length;
  // the common case, a call within the positional arity, needs no counting
  if (call.kwargs.size === 0 && n <= params && (meth.style === "kw" || n >= meth.required)) return;
  const required = meth.required;
  const plural = (k: number): string => (k === 1 ? "argument" : "arguments");
  if (name === "format_map") {
    // jinja2's sandbox wraps str.format_map (and Markup's) and checks the call itself
    if (call.kwargs.size > 0) throw runtimeError("arguments", "format_map() takes no keyword arguments");
    throw runtimeError("arguments", `format_map() takes exactly one argument (${n} given)`);
  }
  if (meth.style === "kw") {
    if (name === "format") return;
    if (n > params) throw runtimeError("arguments", `${name}() takes at most ${params} ${plural(params)} (${n} given)`);
    for (const k of call.kwargs.keys()) {
      const i = meth.fn.sig.params.findIndex((p) => p.name === k);
      if (i < 1) throw runtimeError("arguments", `'${k}' is an invalid keyword argument for ${name}()`);
      if (i <= n) throw runtimeError("arguments", `argument for ${name}() given by name ('${k}') and position (${i})`);
    }
    return;
  }
  if (meth.style === "python") return checkPythonCall(`${type}.${name}`, meth, call);
  if (call.kwargs.size > 0) throw runtimeError("arguments", meth.style === "old" ? `${name}() takes no keyword arguments` : `${type}.${name}() takes no keyword arguments`);
  switch (meth.style) {
    case "noargs":
      if (n > 0) throw runtimeError("arguments", `${type}.${name}() takes no arguments (${n} given)`);
      return;
    case "onearg":
      if (n !== 1) throw runtimeError("arguments", `${type}.${name}() takes exactly one argument (${n} given)`);
      return;
    case "clinic":
      if (n < required) throw runtimeError("arguments", `${name} expected at least ${required} ${plural(required)}, got ${n}`);
      if (n > params) throw runtimeError("arguments", `${name} expected at most ${params} ${plural(params)}, got ${n}`);
      return;
    case "old":
      if (n < required) throw runtimeError("arguments", `${name}() takes at least ${required} ${plural(required)} (${n} given)`);
      if (n > params) throw runtimeError("arguments", `${name}() takes at most ${params} ${plural(params)} (${n} given)`);
      return;
  }
}

/**
 * CPython's binding errors for a Python function (ceval's initialize_locals), in its order: keywords first
 * (positional-only names given by keyword, unknown names, a second value), then too many positional
 * arguments, then missing ones. Counts include `self`, as CPython's do.
 */
function checkPythonCall(qualname: string, meth: Method, call: CallArgs): void {
  const params = meth.fn.sig.params;
  const posOnly = meth.positionalOnly ?? params.length;
  const given = call.args.length + 1;
  const filled = params.map((_, i) => i < given);
  for (const k of call.kwargs.keys()) {
    const i = params.findIndex((p, j) => j >= posOnly && p.name === k);
    if (i < 0) {
      const asKeyword = [...call.kwargs.keys()].filter((kw) => params.some((p, j) => j > 0 && j < posOnly && p.name === kw));
      if (asKeyword.length > 0) throw runtimeError("arguments", `${qualname}() got some positional-only arguments passed as keyword arguments: '${asKeyword.join(", ")}'`);
      throw runtimeError("arguments", `${qualname}() got an unexpected keyword argument '${k}'`);
    }
    if (filled[i]) throw runtimeError("arguments", `${qualname}() got multiple values for argument '${k}'`);
    filled[i] = true;
  }
  if (given > params.length) {
    const required = params.filter((p) => !p.hasDefault).length;
    const takes = required === params.length ? `${params.length}` : `from ${required} to ${params.length}`;
    const plural = params.length === 1 && required === params.length ? "argument" : "arguments";
    throw runtimeError("arguments", `${qualname}() takes ${takes} positional ${plural} but ${given} ${given === 1 ? "was" : "were"} given`);
  }
  const missing = params.filter((p, i) => !filled[i] && !p.hasDefault).map((p) => `'${p.name}'`);
  if (missing.length > 0) {
    const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(", ")} and ${missing[missing.length - 1]}`;
    throw runtimeError("arguments", `${qualname}() missing ${missing.length} required positional argument${missing.length === 1 ? "" : "s"}: ${list}`);
  }
}

/** A method bound to its object; prints like CPython's, with a fixed address (Python's varies per run). */
export class BoundMethod extends Callable {
  readonly ownerType: string;
  /** Python's repr of a method markupsafe defines in Python (`<bound method Markup.upper of …>`). */
  private readonly pythonRepr: string | undefined;
  constructor(name: string, ownerType: string, invoke: (args: CallArgs, ctx: CallContext) => Value, pythonRepr?: string) {
    super(name, invoke, "method");
    this.ownerType = ownerType;
    this.pythonRepr = pythonRepr;
  }
  override toPyStr(): string {
    if (this.pythonRepr !== undefined) return this.pythonRepr;
    // jinja2 wraps str.format in a plain function (sandbox wrap_str_format)
    if ((this.ownerType === "str" || this.ownerType === "Markup") && (this.name === "format" || this.name === "format_map")) {
      return `<function ${this.ownerType}.${this.name} at 0x000000000000>`;
    }
    return `<built-in method ${this.name} of ${this.ownerType} object at 0x000000000000>`;
  }
}

/**
 * The bound Python method `obj.name` (or a number's data attribute such as `real`), or undefined when
 * the type has no such non-mutating attribute.
 */
export function lookupMethod(obj: Value, name: string): Callable | Value | undefined {
  const attr = numberAttr(obj, name);
  if (attr !== undefined) return attr;
  const t = typeOf(obj);
  if (t === null) return undefined;
  const meth = t[1].get(name);
  if (meth === undefined) return undefined;
  const [type] = t;
  const target = obj instanceof SpannedString && !(obj instanceof Markup) ? obj.text : obj;
  return new BoundMethod(
    name,
    type,
    (call, ctx) => {
      checkCall(type, name, meth, call);
      return callBuiltin(meth.fn, { args: [target, ...call.args], kwargs: call.kwargs }, ctx);
    },
    obj instanceof Markup ? markupMethodRepr(name, obj) : undefined,
  );
}

/**
 * Calls `obj.name(...)` without building a bound method (the hot path of `s.strip()` in templates);
 * undefined when obj's type has no such method, so the caller falls back to the attribute protocol.
 */
export function callMethod(obj: Value, name: string, call: CallArgs, ctx: CallContext): Value | undefined {
  const t = typeOf(obj);
  if (t === null) return undefined;
  const meth = t[1].get(name);
  if (meth === undefined) return undefined;
  checkCall(t[0], name, meth, call);
  const target = obj instanceof SpannedString && !(obj instanceof Markup) ? obj.text : obj;
  return callBuiltin(meth.fn, { args: [target, ...call.args], kwargs: call.kwargs }, ctx);
}

/** jinja2's modifies_known_mutable: would `obj.name` modify a list or dict (refused when immutable)? */
export function isMutatingMethod(obj: Value, name: string): boolean {
  if (Array.isArray(obj)) return !(obj instanceof DictView) && !isRange(obj) && MUTATING_LIST.has(name);
  if (obj instanceof Map || isPlainDict(obj)) return MUTATING_DICT.has(name);
  return false;
}

/** The method names each type offers, for documentation and tests. */
export const METHOD_NAMES: Readonly<Record<"str" | "dict" | "list" | "tuple" | "int" | "float", readonly string[]>> = {
  int: [...INT.keys()],
  float: [...FLOAT.keys()],
  str: [...STR.keys()],
  dict: [...DICT.keys()],
  list: [...LIST.keys()],
  tuple: [...TUPLE.keys()],
};
