// Python iteration, len() and slicing of template values, DictView (what dict.items() / keys() /
// values() return; the class is in value.ts) and range (what the range() global returns). Knows nothing
// of output or templates.
import { runtimeError } from "../errors.ts";
import { PyIterator } from "./iterators.ts";
import { cpChars, cpLength, cpSlice, sliceIndices, sliceItems } from "./strings.ts";
import {
  DictView,
  PyObject,
  Markup,
  RANGE,
  SpannedString,
  Tuple,
  Undefined,
  dictKey,
  dictKeys,
  dictSize,
  isPlainDict,
  pyTypeName,
  undefinedError,
  type Value,
} from "./value.ts";

// DictView lives in value.ts (pyTypeName names it); the runtime imports it from here
export { DictView, type DictViewKind } from "./value.ts";

/** range(start, stop, step) as Python prints it. */
export interface RangeBounds {
  readonly start: number;
  readonly stop: number;
  readonly step: number;
}

/**
 * Python's range (what the `range()` global returns): a plain array of its items carrying its bounds
 * under the RANGE symbol. The items are materialized (safe_range bounds the length by limits.maxRange),
 * so every loop, filter and index that takes a list takes it at list speed; the bounds keep what Python
 * prints (`range(0, 3)`) and compares (a range never equals a list). Not an Array subclass as DictView
 * is: V8 builds a subclassed array several times slower, and `for i in range(n)` builds one per loop.
 * Derived arrays (map, filter, slice(), spread) are plain lists, as they do not copy the symbol.
 */
export type PyRange = Value[] & { readonly [RANGE]: RangeBounds };

/** range(start, stop, step) with its `count` items (the caller has computed and bounded it). */
export function makeRange(start: number, stop: number, step: number, count: number): PyRange {
  const items = new Array<Value>(count);
  for (let i = 0; i < count; i++) items[i] = start + i * step;
  (items as { [RANGE]?: RangeBounds })[RANGE] = { start, stop, step };
  return items as PyRange;
}

/** Is v a range (an array carrying its bounds)? */
export function isRange(v: Value | undefined): v is PyRange {
  return Array.isArray(v) && (v as { readonly [RANGE]?: RangeBounds })[RANGE] !== undefined;
}

/** range.__eq__: the same items, which the length, the first item and the step decide. */
export function sameRange(a: PyRange, b: PyRange): boolean {
  const n = a.length;
  return n === b.length && (n === 0 || a[RANGE].start === b[RANGE].start) && (n <= 1 || a[RANGE].step === b[RANGE].step);
}

/** range.__hash__ as a string: equal ranges (sameRange) get the same key, whatever their stop. */
export function sameRangeKey(r: PyRange): string {
  const n = r.length;
  return `r${n}:${n > 0 ? r[RANGE].start : ""}:${n > 1 ? r[RANGE].step : ""}`;
}

/**
 * The key a template-built dict stores for `key`: an equal range already among its keys stands for it
 * (ranges hash by their items, and Python keeps the first key). Other keys as value.ts's dictKey.
 */
export function storedKey(m: ReadonlyMap<Value, Value>, key: Value): Value {
  if (isRange(key)) {
    for (const k of m.keys()) if (isRange(k) && sameRange(k, key)) return k;
    return key;
  }
  return dictKey(key);
}

/** The number of items of range(start, stop, step) (step is not 0). */
export function rangeLength(start: number, stop: number, step: number): number {
  return step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
}

/** A Python list: an array that is neither a dict view nor a range. */
export function isPyList(v: Value | undefined): v is Value[] {
  return Array.isArray(v) && !(v instanceof DictView) && !isRange(v);
}

/** Python's type(v).__name__, dict views and range included ("dict_items", "range", "NoneType" …). */
export const typeNameOf: (v: Value | undefined) => string = pyTypeName;

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
  if (isRange(v)) return sliceRange(v, a, b, c);
  return sliceItems(v as readonly Value[], a, b, c);
}

/** range.__getitem__(slice): the range of the items the slice picks (Python's slice.indices arithmetic). */
function sliceRange(r: PyRange, start: number | null, stop: number | null, step: number | null): PyRange {
  const [i, j, k] = sliceIndices(r.length, start, stop, step);
  const { start: first, step: by } = r[RANGE];
  const [a, b, s] = [first + i * by, first + j * by, by * k];
  return makeRange(a, b, s, rangeLength(a, b, s));
}
