// The template globals of transformers' environment: jinja2's range (the sandbox's safe_range), dict,
// lipsum, cycler, joiner, namespace, plus transformers' raise_exception and strftime_now.
import { LimitError, assertSpanja, runtimeError } from "../errors.ts";
import { builtin, callBuiltin, type Builtin } from "./args.ts";
import { pyEquals } from "./ops.ts";
import { pyStr } from "./pystr.ts";
import { isRange, iterate, makeRange, rangeLength, typeNameOf, type PyRange } from "./sequences.ts";
import { RenderState } from "./state.ts";
import { strftime } from "./strftime.ts";
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

/** jinja2.sandbox.safe_range: Python range(), refused past MAX_RANGE (limits.maxRange). */
function range(args: Value[], ctx: RenderState): PyRange {
  if (args.length === 0) throw runtimeError("type", "range expected at least 1 argument, got 0");
  if (args.length > 3) throw runtimeError("type", `range expected at most 3 arguments, got ${args.length}`);
  const n = args.map(rangeArg);
  const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
  if (step === 0) throw runtimeError("value", "range() arg 3 must not be zero");
  const len = rangeLength(start, stop, step);
  const max = ctx.env.limits.maxRange;
  if (len > max) {
    throw new LimitError(
      max === 100_000
        ? "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."
        : `Range too big. The sandbox blocks ranges larger than ${max} (limits.maxRange).`,
    );
  }
  return makeRange(start, stop, step, len);
}

/** Inserts into a template dict with Python's key equality (1, 1.0 and True are one key; the first kept). */
function dictSet(d: Map<Value, Value>, key: Value, value: Value): void {
  if ((Array.isArray(key) && !isRange(key)) || isDict(key)) throw runtimeError("type", `unhashable type: '${typeNameOf(key)}'`);
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
        if (pair.length !== 2) throw runtimeError("value", `dictionary update sequence element #${i} has length ${pair.length}; 2 is required`);
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
  if (b <= a) throw runtimeError("value", `empty range for randrange() (${a}, ${b}, ${b - a})`);
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
      if (items.length === 0) throw runtimeError("runtime", "at least one item has to be provided");
      return new Cycler(items);
    })),
  ],
  ["joiner", fn("joiner", builtin<RenderState>("Joiner.__init__", "sep=', '", (a) => new Joiner(a[0])))],
  ["namespace", fn("namespace", builtin<RenderState>("namespace", "*args, **kwargs", (a) => namespace(a[0] as Value[], a[1] as Map<string, Value>)))],
  ["raise_exception", fn("raise_exception", builtin<RenderState>("raise_exception", "message", (a) => raiseException(a[0])))],
  ["strftime_now", fn("strftime_now", builtin<RenderState>("strftime_now", "format", (a, ctx) => strftimeNow(a[0], ctx)))],
]);
