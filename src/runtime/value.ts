// The value model: how each Python value is represented in JS, decided once. Everything else asks here
// (kindOf, truthy, typeRepr) instead of testing representations itself.
//
//   None → null            bool → boolean          str → string (UTF-16; code-point ops in strings.ts)
//   int  → integral number float → non-integral number, or Float for an integral float (`1.0`, `4/2`)
//   list → array           tuple → Tuple           dict → plain object (caller's data, read in place) or
//   Map (built by templates)                       Undefined, Namespace, Callable, loop/cycler/… → classes
// Context data is never copied or converted: it is read lazily through sandbox.ts and never written.
import { SecurityError, UndefinedError, type TemplateRuntimeError } from "../errors.ts";
import type { RawSpan } from "../spans/output.ts";

/** An integral float (`1.0`): the one Python value a JS number cannot say. Non-integral floats stay numbers. */
export class Float {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/** Wraps a number as a Python float: callers use it to keep `1.0` a float in context data. */
export function float(n: number): number | Float {
  return Number.isInteger(n) || Object.is(n, -0) ? new Float(n) : n;
}

/** jinja2's default Undefined. Printing and iterating give nothing; attributes of it raise UndefinedError. */
export class Undefined {
  /** The missing name or attribute; for a missing element, the repr of the key. */
  readonly name: string | undefined;
  /** jinja2's object_type_repr of the object it was looked up on ("dict object"), if any. */
  readonly owner: string | undefined;
  /** True when the lookup was an item with a non-str key ("list object has no element 5"). */
  readonly element: boolean;
  /** A message that replaces the generated one; with `security`, using the value raises SecurityError. */
  readonly hint: string | undefined;
  readonly security: boolean;
  constructor(name?: string, owner?: string, element = false, hint?: string, security = false) {
    this.name = name;
    this.owner = owner;
    this.element = element;
    this.hint = hint;
    this.security = security;
  }
  /** jinja2 Undefined._undefined_message. */
  get message(): string {
    if (this.hint !== undefined) return this.hint;
    if (this.owner === undefined) return this.name === undefined ? "value is undefined" : `'${this.name}' is undefined`;
    if (this.element) return `${this.owner} has no element ${this.name}`;
    return `'${this.owner}' has no attribute '${this.name}'`;
  }
}

/** A shared Undefined with no name, for conditional expressions without else and the like. */
export const UNDEFINED = new Undefined();

/** A Python tuple. */
export class Tuple {
  readonly items: readonly Value[];
  constructor(items: readonly Value[]) {
    this.items = items;
  }
}

/** A Python namedtuple: a tuple whose items are also attributes (groupby's `grouper` / `list`). */
export class NamedTuple extends Tuple {
  readonly fields: readonly string[];
  constructor(items: readonly Value[], fields: readonly string[]) {
    super(items);
    this.fields = fields;
  }
  /** A field by name, or undefined. */
  field(name: string): Value | undefined {
    const i = this.fields.indexOf(name);
    return i === -1 ? undefined : this.items[i];
  }
}

/**
 * Base of the runtime objects a template can hold that are not plain data (namespace, loop, cycler,
 * joiner, macro …). sandbox.ts reads their attributes only through `getAttr`.
 */
export abstract class PyObject {
  /** jinja2's object_type_repr, e.g. "Namespace object". */
  abstract get typeName(): string;
  /** The attribute, or undefined when it has none. */
  abstract getAttr(name: string): Value | undefined;
  /** Python str() of the object. */
  abstract toPyStr(): string;
  /** Present on objects a template may call (callables, joiner, recursive loop). */
  call?(args: CallArgs, ctx: CallContext): Value;
  /**
   * Whether reading a missing attribute is a sandbox violation rather than Undefined: jinja2 refuses any
   * existing `_` attribute, and Python objects have many private ones.
   */
  isUnsafeAttr(name: string): boolean {
    return name.startsWith("_");
  }
}

/** jinja2's namespace(): the one mutable object templates get; `{% set ns.x = … %}` writes it. */
export class Namespace extends PyObject {
  readonly attrs: Map<string, Value>;
  constructor(attrs: Map<string, Value>) {
    super();
    this.attrs = attrs;
  }
  get typeName(): string {
    return "jinja2.utils.Namespace object";
  }
  getAttr(name: string): Value | undefined {
    return this.attrs.get(name);
  }
  toPyStr(): string {
    // jinja2: <Namespace {'a': 1}>; the caller formats the dict
    return "<Namespace>";
  }
  // jinja2's Namespace.__getattribute__ exposes only __class__ besides its items
  override isUnsafeAttr(name: string): boolean {
    return name === "__class__";
  }
}

/** Positional and keyword arguments of a call, after `*args` / `**kwargs` are spread. */
export interface CallArgs {
  args: Value[];
  kwargs: Map<string, Value>;
}

/** Per-render services a callable may use (limits, warnings, the clock, calling other callables). */
export interface CallContext {
  /** Calls any callable value (macro, builtin, bound method). */
  call(callee: Value, args: CallArgs): Value;
  /** A str.format field's attribute (`{0.name}`) or item (`{0[k]}`), read through the sandbox. */
  formatField(obj: Value, key: string | number, isAttr: boolean): Value;
}

/** A callable: builtin function, bound method, macro or caller. */
export class Callable extends PyObject {
  readonly name: string;
  readonly invoke: (args: CallArgs, ctx: CallContext) => Value;
  /** "function" (globals), "method" (bound str/dict/list method) or "macro". */
  readonly callableKind: "function" | "method" | "macro";
  /** Extra readable attributes (a macro's arguments, catch_kwargs …). */
  private readonly attrs: ReadonlyMap<string, Value> | undefined;
  constructor(
    name: string,
    invoke: (args: CallArgs, ctx: CallContext) => Value,
    callableKind: "function" | "method" | "macro" = "function",
    attrs?: ReadonlyMap<string, Value>,
  ) {
    super();
    this.name = name;
    this.invoke = invoke;
    this.callableKind = callableKind;
    this.attrs = attrs;
  }
  override call(args: CallArgs, ctx: CallContext): Value {
    return this.invoke(args, ctx);
  }
  get typeName(): string {
    return this.callableKind === "macro" ? "jinja2.runtime.Macro object" : "builtin_function_or_method object";
  }
  getAttr(name: string): Value | undefined {
    return name === "name" ? this.name : this.attrs?.get(name);
  }
  toPyStr(): string {
    return this.callableKind === "macro" ? `<Macro '${this.name}'>` : `<built-in function ${this.name}>`;
  }
}

/**
 * Rendered output that still carries labeled spans (macro, caller() or set-block output). It is a str
 * everywhere; printing it re-bases its spans, any other use turns it into its text (and drops spans with
 * a warning).
 */
export class SpannedString {
  readonly text: string;
  readonly spans: readonly RawSpan[];
  constructor(text: string, spans: readonly RawSpan[]) {
    this.text = text;
    this.spans = spans;
  }
}

/**
 * markupsafe's Markup: a str marked safe (`|safe`, `|e`, `Markup + str` …). It is a str everywhere a
 * SpannedString is (with no spans); markup.ts gives it Markup's own `+`, `%`, `*` and methods, which
 * escape their other operands. Printing writes its text: transformers renders with autoescape off.
 */
export class Markup extends SpannedString {
  constructor(text: string) {
    super(text, []);
  }
}

/** A dict as the caller passed it: a plain object whose own enumerable string keys are its items. */
export type PlainDict = { readonly [key: string]: unknown };

/** Any template value. */
export type Value =
  | null
  | boolean
  | number
  | string
  | Float
  | Undefined
  | Tuple
  | PyObject
  | SpannedString
  | readonly Value[]
  | ReadonlyMap<Value, Value>
  | PlainDict;

export type Kind =
  | "none"
  | "undefined"
  | "bool"
  | "int"
  | "float"
  | "str"
  | "list"
  | "tuple"
  | "dict"
  | "object"
  | "callable"
  | "host";

/** A plain object (the caller's dict) as opposed to a class instance, which templates may not see into. */
export function isPlainDict(v: unknown): v is PlainDict {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The Python kind of a value. Host values (functions, class instances, undefined) are "host": opaque. */
export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case "string":
      return "str";
    case "number":
      return Number.isInteger(v) ? "int" : "float";
    case "boolean":
      return "bool";
    case "object":
      if (v === null) return "none";
      if (Array.isArray(v)) return "list";
      if (v instanceof Map) return "dict";
      if (v instanceof Float) return "float";
      if (v instanceof Undefined) return "undefined";
      if (v instanceof Tuple) return "tuple";
      if (v instanceof SpannedString) return "str";
      if (v instanceof Callable) return "callable";
      if (v instanceof PyObject) return "object";
      if (isPlainDict(v)) return "dict";
      return "host";
    case "undefined":
      return "undefined";
    default:
      return "host";
  }
}


export function isString(v: unknown): v is string | SpannedString {
  return typeof v === "string" || v instanceof SpannedString;
}

/** The text of a str value (SpannedString included). */
export function strValue(v: string | SpannedString): string {
  return typeof v === "string" ? v : v.text;
}

export function isFloat(v: unknown): boolean {
  return v instanceof Float || (typeof v === "number" && !Number.isInteger(v));
}

export function isInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v);
}

export function isList(v: unknown): v is readonly Value[] {
  return Array.isArray(v);
}

export function isDict(v: unknown): v is ReadonlyMap<Value, Value> | PlainDict {
  return v instanceof Map || isPlainDict(v);
}

/** Python truthiness. */
export function truthy(v: Value | undefined): boolean {
  switch (typeof v) {
    case "boolean":
      return v;
    case "string":
      return v.length > 0;
    case "number":
      return v !== 0;
    case "undefined":
      return false;
    case "object":
      if (v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (v instanceof Map) return v.size > 0;
      if (v instanceof Float) return v.value !== 0;
      if (v instanceof Undefined) return false;
      if (v instanceof Tuple) return v.items.length > 0;
      if (v instanceof SpannedString) return v.text.length > 0;
      if (v instanceof PyObject) return true;
      if (isPlainDict(v)) {
        // a key whose value is undefined is absent (as in JSON), here as in dictKeys and dictGet
        for (const k in v) if (Object.hasOwn(v, k) && (v as PlainDict)[k] !== undefined) return true;
        return false;
      }
      return true;
    default:
      return true;
  }
}

/** jinja2's object_type_repr: "None", "dict object", "jinja2.utils.Namespace object" … for messages. */
export function typeRepr(v: Value | undefined): string {
  const k = kindOf(v);
  switch (k) {
    case "none":
      return "None";
    case "undefined":
      return "jinja2.runtime.Undefined object";
    case "object":
    case "callable":
      return (v as PyObject).typeName;
    case "host":
      return "object";
    case "list":
      return `${arrayTypeName(v as Value[])} object`;
    default:
      return v instanceof Markup ? "markupsafe.Markup object" : `${k} object`;
  }
}

/** Python's type name (`type(x).__name__`), for messages such as "'int' object is not iterable". */
export function pyTypeName(v: Value | undefined): string {
  const k = kindOf(v);
  switch (k) {
    case "none":
      return "NoneType";
    case "undefined":
      return "Undefined";
    case "object":
    case "callable":
      return (v as PyObject).typeName.replace(/ object$/, "").replace(/^.*\./, "");
    case "host":
      return "object";
    case "list":
      return arrayTypeName(v as Value[]);
    default:
      return v instanceof Markup ? "Markup" : k;
  }
}

/** Which dict view: Python's type name, as printed in `dict_items([('a', 1)])` and in messages. */
export type DictViewKind = "dict_keys" | "dict_values" | "dict_items";

/**
 * A snapshot of dict.keys() / values() / items(). It is an array so every filter, loop and test that
 * takes a list takes it (the sandbox keeps dicts immutable, so a snapshot equals the live view); it
 * differs where Python's view does: printing, subscripting, `+`, tojson, `is sequence`, `==`.
 */
export class DictView extends Array<Value> {
  // derived arrays (map, filter, slice) are plain lists, not views
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  viewKind: DictViewKind = "dict_items";

  /** Builds a view holding `items` (keys, values, or (key, value) Tuples). */
  static create(kind: DictViewKind, items: readonly Value[]): DictView {
    const v = new DictView();
    v.viewKind = kind;
    for (const x of items) v.push(x);
    return v;
  }
}

/**
 * The own property that makes an array a Python range (sequences.ts's makeRange): its start, stop and
 * step. A symbol, so no template attribute or item lookup can name it.
 */
export const RANGE: unique symbol = Symbol("range");

/** An array's Python type: "range" when it carries RANGE, else "list". */
function arrayTypeName(v: readonly Value[]): string {
  if ((v as { readonly [RANGE]?: unknown })[RANGE] !== undefined) return "range";
  return v instanceof DictView ? v.viewKind : "list";
}

/** A dict key as stored in template-built Maps: integral floats are folded into numbers (Python: 1.0 == 1). */
export function dictKey(k: Value): Value {
  return k instanceof Float ? k.value : k instanceof SpannedString ? k.text : k;
}

/** Looks a key up in a dict; undefined when absent. Plain objects answer only own string keys. */
export function dictGet(d: ReadonlyMap<Value, Value> | PlainDict, key: Value): Value | undefined {
  if (d instanceof Map) return d.get(dictKey(key));
  const k = typeof key === "string" ? key : key instanceof SpannedString ? key.text : undefined;
  if (k === undefined || !Object.hasOwn(d, k)) return undefined;
  const v = (d as PlainDict)[k];
  return v === undefined ? undefined : (v as Value);
}

/** The keys of a dict in insertion order. */
export function dictKeys(d: ReadonlyMap<Value, Value> | PlainDict): Value[] {
  if (d instanceof Map) return [...d.keys()];
  return Object.keys(d).filter((k) => (d as PlainDict)[k] !== undefined);
}

/** The [key, value] pairs of a dict in insertion order. */
export function dictEntries(d: ReadonlyMap<Value, Value> | PlainDict): [Value, Value][] {
  if (d instanceof Map) return [...d.entries()];
  const out: [Value, Value][] = [];
  for (const k of Object.keys(d)) {
    const v = (d as PlainDict)[k];
    if (v !== undefined) out.push([k, v as Value]);
  }
  return out;
}

export function dictSize(d: ReadonlyMap<Value, Value> | PlainDict): number {
  return d instanceof Map ? d.size : dictKeys(d).length;
}

/** The error jinja2 raises when an Undefined is used (attribute, call, arithmetic …). */
export function undefinedError(u: Undefined): TemplateRuntimeError {
  return u.security ? new SecurityError(u.message) : new UndefinedError(u.message);
}
