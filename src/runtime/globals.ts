// The template globals of transformers' environment: jinja2's range (the sandbox's safe_range), dict,
// lipsum, cycler, joiner, namespace, plus transformers' raise_exception and strftime_now.
import { LimitError, assertSpanja, runtimeError } from "../errors.ts";
import { builtin, callBuiltin, type Builtin } from "./args.ts";
import { pyEquals } from "./ops.ts";
import { pyStr } from "./pystr.ts";
import { iterate, typeNameOf } from "./sequences.ts";
import { cpLength } from "./strings.ts";
import { RenderState } from "./state.ts";
import {
  Callable,
  Markup,
  Namespace,
  PyObject,
  SpannedString,
  Tuple,
  Undefined,
  dictEntries,
  dictKey,
  isDict,
  isString,
  strValue,
  truthy,
  undefinedError,
  type CallArgs,
  type CallContext,
  type Value,
} from "./value.ts";

/** The render state behind a call context (globals are only ever called by a RenderState). */
function stateOf(ctx: CallContext): RenderState {
  assertSpanja(ctx instanceof RenderState, "a global was called without a RenderState");
  return ctx;
}

/** A global function bound with a Python signature. */
function fn(name: string, b: Builtin<RenderState>): Callable {
  return new Callable(name, (args, ctx) => callBuiltin(b, args, stateOf(ctx)));
}

/** Python's operator.index for range arguments. */
function rangeArg(v: Value): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  throw runtimeError("type", `'${typeNameOf(v)}' object cannot be interpreted as an integer`);
}

/** jinja2.sandbox.safe_range: Python range() as a list, refused past MAX_RANGE (limits.maxRange). */
function range(args: Value[], ctx: RenderState): Value[] {
  if (args.length === 0) throw runtimeError("type", "range expected at least 1 argument, got 0");
  if (args.length > 3) throw runtimeError("type", `range expected at most 3 arguments, got ${args.length}`);
  const n = args.map(rangeArg);
  const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
  if (step === 0) throw runtimeError("type", "range() arg 3 must not be zero");
  const len = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  const max = ctx.env.limits.maxRange;
  if (len > max) {
    throw new LimitError(
      max === 100_000
        ? "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."
        : `Range too big. The sandbox blocks ranges larger than ${max} (limits.maxRange).`,
    );
  }
  const out = new Array<number>(len);
  for (let i = 0; i < len; i++) out[i] = start + i * step;
  return out;
}

/** Inserts into a template dict with Python's key equality (1, 1.0 and True are one key; the first kept). */
function dictSet(d: Map<Value, Value>, key: Value, value: Value): void {
  if (Array.isArray(key) || isDict(key)) throw runtimeError("type", `unhashable type: '${typeNameOf(key)}'`);
  const k = dictKey(key);
  if (d.has(k)) {
    d.set(k, value);
    return;
  }
  if (typeof k !== "string") {
    for (const existing of d.keys()) {
      if (pyEquals(existing, k)) {
        d.set(existing, value);
        return;
      }
    }
  }
  d.set(k, value);
}

/** Python dict(*args, **kwargs): a mapping or an iterable of pairs, then the keywords. */
function buildDict(args: Value[], kwargs: Map<string, Value>): Map<Value, Value> {
  if (args.length > 1) throw runtimeError("type", `dict expected at most 1 argument, got ${args.length}`);
  const d = new Map<Value, Value>();
  if (args.length === 1) {
    const src = args[0];
    if (src instanceof Undefined) throw undefinedError(src);
    if (isDict(src)) for (const [k, v] of dictEntries(src)) dictSet(d, k, v);
    else {
      iterate(src).forEach((el, i) => {
        const seq = isString(el) || Array.isArray(el) || el instanceof Tuple || isDict(el) || el instanceof Undefined;
        if (!seq) throw runtimeError("type", `cannot convert dictionary update sequence element #${i} to a sequence`);
        const pair = iterate(el);
        if (pair.length !== 2) throw runtimeError("type", `dictionary update sequence element #${i} has length ${pair.length}; 2 is required`);
        dictSet(d, pair[0], pair[1]);
      });
    }
  }
  for (const [k, v] of kwargs) dictSet(d, k, v);
  return d;
}

/** jinja2.utils.Cycler: cycles through its items with next(), across loops. */
export class Cycler extends PyObject {
  private readonly items: readonly Value[];
  private pos = 0;
  constructor(items: readonly Value[]) {
    super();
    this.items = items;
  }
  get typeName(): string {
    return "jinja2.utils.Cycler object";
  }
  getAttr(name: string): Value | undefined {
    switch (name) {
      case "items":
        return new Tuple(this.items);
      case "pos":
        return this.pos;
      case "current":
        return this.items[this.pos];
      case "next":
        return new Callable("next", (a) => {
          noArgs("Cycler.next", a);
          const rv = this.items[this.pos];
          this.pos = (this.pos + 1) % this.items.length;
          return rv;
        }, "method");
      case "reset":
        return new Callable("reset", (a) => {
          noArgs("Cycler.reset", a);
          this.pos = 0;
          return null;
        }, "method");
      default:
        return undefined;
    }
  }
  toPyStr(): string {
    // Python prints the object's address here, which no two runs share
    return "<jinja2.utils.Cycler object>";
  }
}

/** Python's message for a method that takes only self. */
function noArgs(qualname: string, a: CallArgs): void {
  if (a.kwargs.size > 0) throw runtimeError("arguments", `${qualname}() got an unexpected keyword argument '${a.kwargs.keys().next().value}'`);
  if (a.args.length > 0) throw runtimeError("arguments", `${qualname}() takes 1 positional argument but ${a.args.length + 1} were given`);
}

/** jinja2.utils.Joiner: calling it returns "" the first time, then the separator. */
export class Joiner extends PyObject {
  private readonly sep: Value;
  private used = false;
  constructor(sep: Value) {
    super();
    this.sep = sep;
  }
  get typeName(): string {
    return "jinja2.utils.Joiner object";
  }
  getAttr(name: string): Value | undefined {
    return name === "sep" ? this.sep : name === "used" ? this.used : undefined;
  }
  override call(a: CallArgs): Value {
    noArgs("Joiner.__call__", a);
    if (!this.used) {
      this.used = true;
      return "";
    }
    return this.sep;
  }
  toPyStr(): string {
    return "<jinja2.utils.Joiner object>";
  }
}

function namespace(args: Value[], kwargs: Map<string, Value>): Namespace {
  const attrs = new Map<string, Value>();
  // Namespace keeps non-str keys too, but no attribute lookup can reach them
  for (const [k, v] of buildDict(args, kwargs)) if (typeof k === "string") attrs.set(k, v);
  return new Namespace(attrs);
}

const LOREM_IPSUM_WORDS = (
  "a ac accumsan ad adipiscing aenean aliquam aliquet amet ante aptent arcu at auctor augue bibendum blandit class " +
  "commodo condimentum congue consectetuer consequat conubia convallis cras cubilia cum curabitur curae cursus dapibus " +
  "diam dictum dictumst dignissim dis dolor donec dui duis egestas eget eleifend elementum elit enim erat eros est et " +
  "etiam eu euismod facilisi facilisis fames faucibus felis fermentum feugiat fringilla fusce gravida habitant " +
  "habitasse hac hendrerit hymenaeos iaculis id imperdiet in inceptos integer interdum ipsum justo lacinia lacus " +
  "laoreet lectus leo libero ligula litora lobortis lorem luctus maecenas magna magnis malesuada massa mattis mauris " +
  "metus mi molestie mollis montes morbi mus nam nascetur natoque nec neque netus nibh nisi nisl non nonummy nostra " +
  "nulla nullam nunc odio orci ornare parturient pede pellentesque penatibus per pharetra phasellus placerat platea " +
  "porta porttitor posuere potenti praesent pretium primis proin pulvinar purus quam quis quisque rhoncus ridiculus " +
  "risus rutrum sagittis sapien scelerisque sed sem semper senectus sit sociis sociosqu sodales sollicitudin suscipit " +
  "suspendisse taciti tellus tempor tempus tincidunt torquent tortor tristique turpis ullamcorper ultrices ultricies " +
  "urna ut varius vehicula vel velit venenatis vestibulum vitae vivamus viverra volutpat vulputate"
).split(" ");

/** Python random.randrange(a, b) for ints (Math.random stands in for Python's Mersenne Twister). */
function randrange(a: number, b: number): number {
  if (b <= a) throw runtimeError("type", `empty range for randrange() (${a}, ${b}, ${b - a})`);
  return a + Math.floor(Math.random() * (b - a));
}

/** jinja2.utils.generate_lorem_ipsum, the same algorithm over a different random source. */
function lipsum(nArg: Value, html: Value, minArg: Value, maxArg: Value, ctx: RenderState): Value {
  const [n, min, max] = [nArg, minArg, maxArg].map(rangeArg);
  const result: string[] = [];
  for (let para = 0; para < n; para++) {
    let nextCapitalized = true;
    let lastComma = 0;
    let lastFullstop = 0;
    let last = "";
    const p: string[] = [];
    const count = randrange(min, max);
    for (let idx = 0; idx < count; idx++) {
      ctx.countIteration();
      let word: string;
      do word = LOREM_IPSUM_WORDS[Math.floor(Math.random() * LOREM_IPSUM_WORDS.length)];
      while (word === last);
      last = word;
      if (nextCapitalized) {
        word = word[0].toUpperCase() + word.slice(1);
        nextCapitalized = false;
      }
      if (idx - randrange(3, 8) > lastComma) {
        lastComma = idx;
        lastFullstop += 2;
        word += ",";
      }
      if (idx - randrange(10, 20) > lastFullstop) {
        lastComma = lastFullstop = idx;
        word += ".";
        nextCapitalized = true;
      }
      p.push(word);
    }
    let text = p.join(" ");
    if (text.endsWith(",")) text = text.slice(0, -1) + ".";
    else if (!text.endsWith(".")) text += ".";
    result.push(text);
  }
  // the HTML form is Markup (its words need no escaping)
  return truthy(html) ? new Markup(result.map((x) => `<p>${x}</p>`).join("\n")) : result.join("\n\n");
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** ISO 8601 week-based year and week number of a local date: the week's Thursday decides. */
function isoWeek(d: Date): [number, number] {
  const monday0 = (d.getDay() + 6) % 7;
  const thursday = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate() - monday0 + 3));
  const year = thursday.getUTCFullYear();
  return [year, 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 604_800_000)];
}

interface Spec {
  flag: string;
  width: number | null;
}

/** Thrown when a conversion is padded past what CPython's buffer would ever hold. */
class TooLong {}

/** The longest result CPython's time.strftime returns for the current format (see `strftime`). */
let widthCap = Infinity;

function pad(s: string, width: number, char: string): string {
  if (width > widthCap) throw new TooLong();
  return s.padStart(width, char);
}

/** glibc padding of a number: zeros to `digits` by default (spaces for %e %k %l), flags `_` `-` `0`. */
function num(n: number, digits: number, spec: Spec, spacePad = false): string {
  const s = String(n);
  const w = spec.width ?? digits;
  if (spec.flag === "-" && spec.width === null) return s;
  const padChar = spec.flag === "_" || spec.flag === "-" ? " " : spec.flag === "0" ? "0" : spacePad ? " " : "0";
  return pad(s, w, padChar);
}

/** glibc's years (%Y %C %G): unpadded unless a width is given, then zero-padded. */
function yearish(n: number, spec: Spec): string {
  return spec.width === null ? String(n) : num(n, spec.width, spec);
}

/** glibc padding of text: spaces to the width, zeros with the `0` flag; `^` upper-cases, `#` swaps. */
function text(s: string, spec: Spec, swap: "upper" | "lower" | null = null): string {
  let t = s;
  if (spec.flag.includes("^")) t = t.toUpperCase();
  else if (spec.flag.includes("#") && swap !== null) t = swap === "upper" ? t.toUpperCase() : t.toLowerCase();
  return spec.width === null ? t : pad(t, spec.width, spec.flag.includes("0") ? "0" : " ");
}

/** One glibc conversion in the C locale; undefined for an unknown one. */
function conversion(c: string, d: Date, spec: Spec): string | undefined {
  const hour12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  const yday = Math.round((Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - Date.UTC(d.getFullYear(), 0, 1)) / 86_400_000);
  const sub = (f: string): string => text(glibcStrftime(f, d), spec);
  switch (c) {
    case "a": return text(DAYS[d.getDay()].slice(0, 3), spec, "upper");
    case "A": return text(DAYS[d.getDay()], spec, "upper");
    case "b": case "h": return text(MONTHS[d.getMonth()].slice(0, 3), spec, "upper");
    case "B": return text(MONTHS[d.getMonth()], spec, "upper");
    case "c": return sub("%a %b %e %H:%M:%S %Y");
    case "C": return yearish(Math.floor(d.getFullYear() / 100), spec);
    case "d": return num(d.getDate(), 2, spec);
    case "D": case "x": return sub("%m/%d/%y");
    case "e": return num(d.getDate(), 2, spec, true);
    case "F": return sub("%Y-%m-%d");
    case "G": return yearish(isoWeek(d)[0], spec);
    case "g": return num(isoWeek(d)[0] % 100, 2, spec);
    case "H": return num(d.getHours(), 2, spec);
    case "I": return num(hour12, 2, spec);
    case "j": return num(yday + 1, 3, spec);
    case "k": return num(d.getHours(), 2, spec, true);
    case "l": return num(hour12, 2, spec, true);
    case "m": return num(d.getMonth() + 1, 2, spec);
    case "M": return num(d.getMinutes(), 2, spec);
    case "n": return text("\n", spec);
    case "p": return text(d.getHours() < 12 ? "AM" : "PM", spec, "lower");
    case "P": return text(d.getHours() < 12 ? "am" : "pm", spec);
    case "r": return sub("%I:%M:%S %p");
    case "R": return sub("%H:%M");
    case "s": return num(Math.floor(d.getTime() / 1000), 1, spec);
    case "S": return num(d.getSeconds(), 2, spec);
    case "t": return text("\t", spec);
    case "T": case "X": return sub("%H:%M:%S");
    case "u": return num(d.getDay() === 0 ? 7 : d.getDay(), 1, spec);
    case "U": return num(Math.floor((yday + 7 - d.getDay()) / 7), 2, spec);
    case "V": return num(isoWeek(d)[1], 2, spec);
    case "w": return num(d.getDay(), 1, spec);
    case "W": return num(Math.floor((yday + 7 - ((d.getDay() + 6) % 7)) / 7), 2, spec);
    case "y": return num(d.getFullYear() % 100, 2, spec);
    case "Y": return yearish(d.getFullYear(), spec);
    // a naive datetime's struct tm has tm_isdst = -1: glibc prints no zone
    case "z": case "Z": return "";
    case "%": return text("%", spec);
    default: return undefined;
  }
}

/** glibc strftime (C locale) with its flags `_ - 0 ^ #`, widths and the E/O modifiers. */
function glibcStrftime(format: string, d: Date): string {
  let out = "";
  let i = 0;
  while (i < format.length) {
    const ch = format[i];
    if (ch !== "%") {
      out += ch;
      i++;
      continue;
    }
    const start = i++;
    let flag = "";
    while (i < format.length && "_-0^#".includes(format[i])) flag += format[i++];
    let width: number | null = null;
    while (i < format.length && format[i] >= "0" && format[i] <= "9") width = (width ?? 0) * 10 + Number(format[i++]);
    let modifier = "";
    if (i < format.length && (format[i] === "E" || format[i] === "O")) modifier = format[i++];
    const spec: Spec = { flag: flag.includes("0") ? "0" : flag.includes("_") ? "_" : flag.includes("-") ? "-" : flag, width };
    spec.flag += flag.includes("^") ? "^" : flag.includes("#") ? "#" : "";
    const c = i < format.length ? format[i] : "";
    const badModifier = modifier !== "" && !(modifier === "E" ? "cCxXyY%" : "deHIklmMSuUVwWy%").includes(c);
    const conv = c === "" || badModifier ? undefined : conversion(c, d, spec);
    if (conv === undefined) {
      // glibc's bad_format: the directive is copied as written, padded to its width
      const raw = format.slice(start, c === "" ? i : i + 1);
      out += spec.width === null ? raw : pad(raw, spec.width, spec.flag.startsWith("0") ? "0" : " ");
    } else out += conv;
    i = c === "" ? i : i + 1;
  }
  return out;
}

/**
 * datetime.strftime of a naive local time: Python replaces %f (microseconds; a Date has milliseconds)
 * and %z / %Z (empty for a naive datetime) itself, then hands the rest to glibc's strftime. CPython's
 * time.strftime (wcsftime on Linux) tries buffers of 1024, 2048 … wide characters and gives up with "" once a buffer of 256 times the
 * format's length was too small, so a huge width prints nothing.
 */
export function strftime(format: string, d: Date): string {
  let fmt = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== "%" || i + 1 >= format.length) {
      fmt += ch;
      continue;
    }
    const next = format[++i];
    if (next === "f") fmt += String(d.getMilliseconds() * 1000).padStart(6, "0");
    else if (next !== "z" && next !== "Z") fmt += "%" + next;
  }
  let buffer = 1024;
  while (buffer < 256 * cpLength(fmt)) buffer *= 2;
  widthCap = buffer;
  try {
    const out = glibcStrftime(fmt, d);
    return cpLength(out) < buffer ? out : "";
  } catch (e) {
    if (e instanceof TooLong) return "";
    throw e;
  } finally {
    widthCap = Infinity;
  }
}

function raiseException(message: Value): never {
  throw runtimeError("raised", pyStr(message));
}

function strftimeNow(format: Value, ctx: RenderState): string {
  if (!isString(format)) throw runtimeError("type", `strftime() argument 1 must be str, not ${typeNameOf(format)}`);
  return strftime(format instanceof SpannedString ? format.text : strValue(format), ctx.env.now());
}

/** Every global, keyed by name. */
export const GLOBALS: ReadonlyMap<string, Value> = new Map<string, Value>([
  ["range", fn("range", builtin<RenderState>("safe_range", "*args", (a, ctx) => range(a[0] as Value[], ctx)))],
  ["dict", fn("dict", builtin<RenderState>("dict", "*args, **kwargs", (a) => buildDict(a[0] as Value[], a[1] as Map<string, Value>)))],
  ["lipsum", fn("lipsum", builtin<RenderState>("generate_lorem_ipsum", "n=5, html=True, min=20, max=100", (a, ctx) => lipsum(a[0], a[1], a[2], a[3], ctx)))],
  [
    "cycler",
    fn("cycler", builtin<RenderState>("Cycler.__init__", "*items", (a) => {
      const items = a[0] as Value[];
      if (items.length === 0) throw runtimeError("type", "at least one item has to be provided");
      return new Cycler(items);
    })),
  ],
  ["joiner", fn("joiner", builtin<RenderState>("Joiner.__init__", "sep=', '", (a) => new Joiner(a[0])))],
  ["namespace", fn("namespace", builtin<RenderState>("namespace", "*args, **kwargs", (a) => namespace(a[0] as Value[], a[1] as Map<string, Value>)))],
  ["raise_exception", fn("raise_exception", builtin<RenderState>("raise_exception", "message", (a) => raiseException(a[0])))],
  ["strftime_now", fn("strftime_now", builtin<RenderState>("strftime_now", "format", (a, ctx) => strftimeNow(a[0], ctx)))],
]);
