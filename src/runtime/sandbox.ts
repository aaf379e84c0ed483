// THE sandbox policy: the only place that reads attributes and items of template data. A template sees
// own data properties of plain objects, Map entries, array indexes, registered Python methods and the
// attributes runtime objects expose; never a prototype, constructor or unregistered host function.
// Mirrors jinja2's SandboxedEnvironment.getattr / getitem and ImmutableSandboxedEnvironment.
import { callMethod, isMutatingMethod, lookupMethod } from "./pymethods.ts";
import { pyRepr } from "./pystr.ts";
import { cpAt } from "./strings.ts";
import { isRange, storedKey } from "./sequences.ts";
import {
  Markup,
  RANGE,
  NamedTuple,
  PyObject,
  SpannedString,
  Tuple,
  Undefined,
  dictGet,
  isPlainDict,
  typeRepr,
  undefinedError,
  type CallArgs,
  type CallContext,
  type Value,
} from "./value.ts";

/** Python dunder attributes every object has: reading one is refused as unsafe, as jinja2's sandbox does. */
const DUNDER = /^__[A-Za-z0-9_]+__$/;

function unsafe(obj: Value, name: string): Undefined {
  return new Undefined(name, typeRepr(obj), false, `access to attribute '${name}' of '${pyTypeNameOf(obj)}' object is unsafe.`, true);
}

function pyTypeNameOf(obj: Value): string {
  return typeRepr(obj).replace(/ object$/, "").replace(/^.*\./, "");
}

/** The Python attribute of obj, or undefined when Python would raise AttributeError. */
function pythonAttr(obj: Value, name: string, immutable: boolean): Value | undefined {
  if (obj instanceof PyObject) {
    const v = obj.getAttr(name);
    if (v !== undefined) return v;
    return obj.isUnsafeAttr(name) ? unsafe(obj, name) : undefined;
  }
  if (DUNDER.test(name)) return unsafe(obj, name);
  if (obj instanceof NamedTuple) {
    const v = obj.field(name);
    if (v !== undefined) return v;
  }
  if (isRange(obj) && (name === "start" || name === "stop" || name === "step")) return obj[RANGE][name];
  if (immutable && isMutatingMethod(obj, name)) return unsafe(obj, name);
  return lookupMethod(obj, name);
}

/** Python item access obj[key] without the attribute fallback; undefined for TypeError / LookupError. */
function pythonItem(obj: Value, key: Value): Value | undefined {
  if (typeof obj === "string" || obj instanceof SpannedString) {
    const idx = intIndex(key);
    if (idx === undefined) return undefined;
    const c = cpAt(typeof obj === "string" ? obj : obj.text, idx);
    // Markup.__getitem__ returns Markup
    return c !== undefined && obj instanceof Markup ? new Markup(c as string) : c;
  }
  if (Array.isArray(obj) || obj instanceof Tuple) {
    const items: readonly Value[] = Array.isArray(obj) ? obj : (obj as Tuple).items;
    const idx = intIndex(key);
    if (idx === undefined) return undefined;
    const i = idx < 0 ? items.length + idx : idx;
    return i >= 0 && i < items.length ? items[i] : undefined;
  }
  // an equal range finds a range key (storedKey gives the one the dict holds)
  if (obj instanceof Map) return dictGet(obj, isRange(key) ? storedKey(obj, key) : key);
  if (isPlainDict(obj)) return dictGet(obj, key);
  return undefined;
}

function intIndex(key: Value): number | undefined {
  if (typeof key === "number") return Number.isInteger(key) ? key : undefined;
  if (typeof key === "boolean") return key ? 1 : 0;
  return undefined;
}

/** Every attribute a Python dict has besides dunders: only these names can shadow a key. */
const DICT_ATTRS = new Set(["clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"]);

/** jinja2 `obj.name`: the Python attribute first, then the item. */
export function getAttr(obj: Value, name: string, immutable = true): Value {
  return name.charCodeAt(0) !== 95 && !DICT_ATTRS.has(name) ? plainDictFirst(obj, name, immutable) : getAttrSlow(obj, name, immutable);
}

/**
 * `obj.name` for a name fixed at compile time: the checks on the name are made once, so the hot case,
 * `message.content` on the caller's plain objects, is one own-property read.
 */
export function fixedAttrGetter(name: string, immutable: boolean): (obj: Value) => Value {
  if (name.charCodeAt(0) === 95 || DICT_ATTRS.has(name)) return (obj) => getAttrSlow(obj, name, immutable);
  if (name in Object.prototype) return (obj) => plainDictFirst(obj, name, immutable);
  // a name Object.prototype lacks can only be found on a plain object as an own property: one read.
  // Undefined is immutable, so one instance serves every miss of this name.
  const missing = new Undefined(name, "dict object");
  return (obj) => {
    if (typeof obj === "object" && obj !== null && !Array.isArray(obj)) {
      const proto = Object.getPrototypeOf(obj);
      if (proto === Object.prototype || proto === null) {
        const v = (obj as Record<string, unknown>)[name];
        return v !== undefined ? (v as Value) : missing;
      }
    }
    return getAttrSlow(obj, name, immutable);
  };
}

function plainDictFirst(obj: Value, name: string, immutable: boolean): Value {
  if (typeof obj === "object" && obj !== null && !Array.isArray(obj)) {
    const proto = Object.getPrototypeOf(obj);
    if (proto === Object.prototype || proto === null) {
      if (Object.hasOwn(obj, name)) {
        const v = (obj as Record<string, unknown>)[name];
        if (v !== undefined) return v as Value;
      }
      return new Undefined(name, "dict object");
    }
  }
  return getAttrSlow(obj, name, immutable);
}

function getAttrSlow(obj: Value, name: string, immutable: boolean): Value {
  if (obj instanceof Undefined || obj === undefined) throw undefinedError(obj ?? new Undefined());
  const attr = pythonAttr(obj, name, immutable);
  if (attr !== undefined) return attr;
  const item = pythonItem(obj, name);
  if (item !== undefined) return item;
  return new Undefined(name, typeRepr(obj));
}

/**
 * `obj.name(args)`: the same policy as getAttr then a call, without allocating a bound method when the
 * attribute is a registered Python method of a str, list, tuple or dict.
 */
export function callAttr(obj: Value, name: string, args: CallArgs, ctx: CallContext & { call(c: Value, a: CallArgs): Value }, immutable = true): Value {
  if (name.charCodeAt(0) !== 95 && !(immutable && isMutatingMethod(obj, name)) && !(obj instanceof PyObject) && !(obj instanceof NamedTuple)) {
    const r = callMethod(obj, name, args, ctx);
    if (r !== undefined) return r;
  }
  return ctx.call(getAttr(obj, name, immutable), args);
}

/** jinja2 `obj[key]`: the item first, then (for str keys) the Python attribute. */
export function getItem(obj: Value, key: Value, immutable = true): Value {
  if (obj instanceof Undefined || obj === undefined) throw undefinedError(obj ?? new Undefined());
  const item = pythonItem(obj, key);
  if (item !== undefined) return item;
  if (typeof key === "string") {
    const attr = pythonAttr(obj, key, immutable);
    if (attr !== undefined) return attr;
    return new Undefined(key, typeRepr(obj));
  }
  return new Undefined(pyRepr(key), typeRepr(obj), true);
}

/** str.format fields (`'{0.name}'.format(x)`) read through this same policy, as jinja2's SandboxedFormatter does. */
export function formatFieldReader(immutable: boolean): (obj: Value, key: string | number, isAttr: boolean) => Value {
  return (obj, key, isAttr) => (isAttr ? getAttr(obj, String(key), immutable) : getItem(obj, key, immutable));
}
