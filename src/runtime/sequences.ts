// Python iteration, len() and slicing of template values, and DictView (what dict.items() / keys() /
// values() return). Knows nothing of output or templates.
import { runtimeError } from "../errors.ts";
import { PyIterator } from "./iterators.ts";
import { cpChars, cpLength, cpSlice, sliceItems } from "./strings.ts";
import {
  PyObject,
  Markup,
  SpannedString,
  Tuple,
  Undefined,
  dictKeys,
  dictSize,
  isPlainDict,
  pyTypeName,
  undefinedError,
  type Value,
} from "./value.ts";

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

/** Python's type(v).__name__, dict views included ("dict_items", "NoneType", "int" …). */
export function typeNameOf(v: Value | undefined): string {
  return v instanceof DictView ? v.viewKind : pyTypeName(v);
}

/**
 * Python iteration as jinja2's for loop sees it: list/tuple items, str code points, dict keys; the
 * default Undefined iterates as empty. The returned array may be the value itself: don't mutate it.
 */
export function iterate(v: Value): Value[] {
  if (Array.isArray(v)) return v instanceof DictView ? Array.from(v) : (v as Value[]);
  if (typeof v === "string") return cpChars(v);
  if (v instanceof Tuple) return v.items as Value[];
  if (v instanceof SpannedString) return cpChars(v.text);
  if (v instanceof Map || isPlainDict(v)) return dictKeys(v);
  // a generator gives what is left of it, and is exhausted afterwards
  if (v instanceof PyIterator) return v.drain();
  // jinja2 Undefined.__iter__ yields nothing (the sandbox's unsafe Undefined too)
  if (v instanceof Undefined || v === undefined) return [];
  throw runtimeError("type", `'${typeNameOf(v)}' object is not iterable`);
}

/** Python iter(v), read lazily: a generator is consumed only as far as the caller reads. */
export function pyIter(v: Value): Iterable<Value> {
  return v instanceof PyIterator ? v : iterate(v);
}

/** Python list(v): a fresh list of the items `iterate` gives. */
export function toList(v: Value): Value[] {
  const items = iterate(v);
  return items === v || (v instanceof Tuple && items === v.items) ? items.slice() : items;
}

/** Python len(v). The default Undefined has length 0; the loop object its length. */
export function length(v: Value): number {
  if (typeof v === "string") return cpLength(v);
  if (Array.isArray(v)) return v.length;
  if (v instanceof Tuple) return v.items.length;
  if (v instanceof SpannedString) return cpLength(v.text);
  if (v instanceof Map || isPlainDict(v)) return dictSize(v);
  if (v instanceof Undefined || v === undefined) return 0;
  if (v instanceof PyObject) {
    const n = v.getAttr("length");
    // jinja2's LoopContext defines __len__ (= loop.length); no other runtime object does
    if (v.typeName === "jinja2.runtime.LoopContext object" && typeof n === "number") return n;
  }
  throw runtimeError("type", `object of type '${typeNameOf(v)}' has no len()`);
}

/** A slice bound: None, or an int (bool counts); anything else is Python's TypeError. */
function sliceBound(v: Value | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  throw runtimeError("type", "slice indices must be integers or None or have an __index__ method");
}

/**
 * Python v[start:stop:step] for str, list and tuple, returning the same kind. jinja2 compiles slices to
 * plain Python subscripts (not environment.getitem), so errors are Python's, not an Undefined.
 */
export function sliceValue(v: Value, start: Value, stop: Value, step: Value): Value {
  if (v instanceof Undefined) throw undefinedError(v);
  const isStr = typeof v === "string" || v instanceof SpannedString;
  const isSeq = isStr || (Array.isArray(v) && !(v instanceof DictView)) || v instanceof Tuple;
  if (!isSeq) {
    // dict.__getitem__ hashes the slice first (unhashable before Python 3.12)
    if (v instanceof Map || isPlainDict(v)) throw runtimeError("type", "unhashable type: 'slice'");
    throw runtimeError("type", `'${typeNameOf(v)}' object is not subscriptable`);
  }
  const a = sliceBound(start);
  const b = sliceBound(stop);
  const c = sliceBound(step);
  if (isStr) {
    const text = cpSlice(typeof v === "string" ? v : (v as SpannedString).text, a, b, c);
    // Markup.__getitem__ returns Markup
    return v instanceof Markup ? new Markup(text) : text;
  }
  if (v instanceof Tuple) return new Tuple(sliceItems(v.items, a, b, c));
  return sliceItems(v as readonly Value[], a, b, c);
}
