// Sequence filters: first, last, random, length, list, reverse, join, sum, min, max, unique, sort,
// dictsort, items, batch, slice, groupby. unique, items, batch and slice return lazy generators and
// reverse a reverse iterator, as in jinja2 (iterators.ts).
import { runtimeError } from "../../errors.ts";
import { builtin } from "../args.ts";
import { binaryOp, compareValues } from "../ops.ts";
import { pyStr } from "../pystr.ts";
import { PyIterator, generator } from "../iterators.ts";
import { sameKind } from "../markup.ts";
import { DictView, isPyList, isRange, iterate, length, pyIter, toList, typeNameOf } from "../sequences.ts";
import type { RenderState } from "../state.ts";
import { cpChars } from "../strings.ts";
import { Markup, NamedTuple, Tuple, Undefined, dictEntries, dictGet, isDict, isString, strValue, truthy, undefinedError, type Value } from "../value.ts";
import {
  makeAttrGetter,
  cFilter,
  eq,
  hashKey,
  ignoreCase,
  makeMultiAttrGetter,
  passFilter,
  pySorted,
  type Filter,
} from "./common.ts";
import { indexArg } from "./strings.ts";

/** jinja2's environment.undefined(hint): an Undefined that prints empty and fails with the hint. */
function hinted(hint: string): Undefined {
  return new Undefined(undefined, undefined, false, hint);
}

/**
 * jinja2's _GroupTuple, the namedtuple groupby returns: a 2-tuple (grouper, list) that prints as a
 * plain tuple and also answers `.grouper` and `.list`.
 */
export class GroupTuple extends NamedTuple {
  constructor(grouper: Value, list: Value[]) {
    super([grouper, list], ["grouper", "list"]);
  }
}

function first(seq: Value): Value {
  // next(iter(seq)): a generator gives up one item only
  if (seq instanceof PyIterator) {
    const r = seq.next();
    return r.done === true ? hinted("No first item, sequence was empty.") : r.value;
  }
  const items = iterate(seq);
  return items.length > 0 ? items[0] : hinted("No first item, sequence was empty.");
}

/** Python reversed(): sequences and dicts (keys) are reversible, other values are not. */
function reversedItems(v: Value): Value[] | undefined {
  // str has no __reversed__: reversed() indexes, and Markup.__getitem__ returns Markup
  if (v instanceof Markup) return cpChars(v.text).reverse().map((c) => new Markup(c));
  if (isString(v) || Array.isArray(v) || v instanceof Tuple || isDict(v) || v instanceof Undefined) return iterate(v).slice().reverse();
  return undefined;
}

function last(seq: Value): Value {
  const items = reversedItems(seq);
  if (items === undefined) throw runtimeError("type", `'${typeNameOf(seq)}' object is not reversible`);
  return items.length > 0 ? items[0] : hinted("No last item, sequence was empty.");
}

/** random.choice(seq): len() then seq[i]. jinja2 uses Python's global random; spanja Math.random. */
function random(seq: Value): Value {
  const n = length(seq);
  if (n === 0) return hinted("No random item, sequence was empty.");
  const i = Math.floor(Math.random() * n);
  if (isDict(seq)) {
    // seq[i] on a dict looks up the key i
    const v = dictGet(seq, i);
    if (v === undefined) throw runtimeError("key", String(i));
    return v;
  }
  if (seq instanceof DictView) {
    throw runtimeError("type", `'${typeNameOf(seq)}' object is not subscriptable`);
  }
  // seq[i]: Markup.__getitem__ returns Markup
  const item = iterate(seq)[i];
  return seq instanceof Markup ? new Markup(item as string) : item;
}

/** Python's type of reversed(v) for the reversible values (reversedItems), by kind. */
function reverseIteratorType(v: Value): string {
  if (v instanceof DictView) return v.viewKind.replace("dict_", "dict_reverse").replace(/s$/, "") + "iterator";
  if (isRange(v)) return "range_iterator";
  if (Array.isArray(v)) return "list_reverseiterator";
  if (isDict(v)) return "dict_reversekeyiterator";
  // tuple and Undefined have no __reversed__: the generic `reversed` over __len__ / __getitem__
  return "reversed";
}

/** jinja2 do_reverse: a str reversed; reversed(value); else list(value) reversed. */
function reverse(value: Value): Value {
  // value[::-1]: a Markup slice is Markup
  if (isString(value)) return sameKind(value, cpChars(strValue(value)).reverse().join(""));
  const items = reversedItems(value);
  if (items !== undefined) return new PyIterator(reverseIteratorType(value), null, items[Symbol.iterator]());
  if (value instanceof PyIterator) return value.drain().reverse();
  throw runtimeError("filter-argument", "argument must be iterable");
}

function join(value: Value, d: Value, attribute: Value, ctx: RenderState): string {
  const sep = pyStr(d);
  let items = iterate(value);
  if (attribute !== null) items = items.map(makeAttrGetter(ctx, attribute));
  let out = "";
  for (let i = 0; i < items.length; i++) {
    out += (i > 0 ? sep : "") + pyStr(items[i]);
    ctx.checkStringLength(out.length);
  }
  return out;
}

function sum(iterable: Value, attribute: Value, start: Value, ctx: RenderState): Value {
  let items = iterate(iterable);
  if (attribute !== null) items = items.map(makeAttrGetter(ctx, attribute));
  if (isString(start)) throw runtimeError("type", "sum() can't sum strings [use ''.join(seq) instead]");
  let acc: Value = start;
  let i = 0;
  // lists summed onto a list: Python copies the growing list at every step; one list gives the same result
  // in linear time, each step held to the limit as `+` is
  if (isPyList(start) && items.length > 0) {
    const out: Value[] = [...start];
    for (; i < items.length && isPyList(items[i]); i++) {
      const item = items[i] as readonly Value[];
      ctx.checkStringLength(out.length + item.length);
      for (let j = 0; j < item.length; j++) out.push(item[j]);
    }
    acc = out;
  }
  for (; i < items.length; i++) acc = binaryOp("+", acc, items[i], ctx);
  return acc;
}

/** Python min()/max() with a key: the first item whose key is strictly smaller (larger). */
function minMax(value: Value, caseSensitive: Value, attribute: Value, ctx: RenderState, max: boolean): Value {
  const items = iterate(value);
  if (items.length === 0) return hinted("No aggregated item, sequence was empty.");
  const key = makeAttrGetter(ctx, attribute, truthy(caseSensitive) ? undefined : ignoreCase);
  let best = items[0];
  let bestKey = key(best);
  for (let i = 1; i < items.length; i++) {
    const k = key(items[i]);
    // CPython's min_max: min asks `k < best`, max asks `k > best`
    if (compareValues(max ? ">" : "<", k, bestKey)) {
      best = items[i];
      bestKey = k;
    }
  }
  return best;
}

function unique(value: Value, caseSensitive: Value, attribute: Value, ctx: RenderState): PyIterator {
  return generator("sync_do_unique", function* () {
    const key = makeAttrGetter(ctx, attribute, truthy(caseSensitive) ? undefined : ignoreCase);
    const seen = new Set<string>();
    for (const item of pyIter(value)) {
      const h = hashKey(key(item));
      if (seen.has(h)) continue;
      seen.add(h);
      yield item;
    }
  });
}

function sort(value: Value, reverse: Value, caseSensitive: Value, attribute: Value, ctx: RenderState): Value[] {
  const key = makeMultiAttrGetter(ctx, attribute, truthy(caseSensitive) ? undefined : ignoreCase);
  return pySorted(iterate(value), key, truthy(reverse));
}

/** `value.items()` of a dict, as a list of (key, value) tuples; Python's errors otherwise. */
function itemsOf(value: Value): Tuple[] {
  if (value instanceof Undefined) throw undefinedError(value);
  if (!isDict(value)) throw runtimeError("attribute", `'${typeNameOf(value)}' object has no attribute 'items'`);
  return dictEntries(value).map(([k, v]) => new Tuple([k, v]));
}

function dictsort(value: Value, caseSensitive: Value, by: Value, reverse: Value): Value[] {
  let pos: number;
  const byText = isString(by) ? strValue(by) : null;
  if (byText === "key") pos = 0;
  else if (byText === "value") pos = 1;
  else throw runtimeError("filter-argument", 'You can only sort by either "key" or "value"');
  const cs = truthy(caseSensitive);
  return pySorted(itemsOf(value), (item) => {
    const v = (item as Tuple).items[pos];
    return cs ? v : ignoreCase(v);
  }, truthy(reverse));
}

function items(value: Value): PyIterator {
  return generator("do_items", function* () {
    if (value instanceof Undefined) return;
    if (!isDict(value)) throw runtimeError("type", "Can only get item pairs from a mapping.");
    for (const [k, v] of dictEntries(value)) yield new Tuple([k, v]);
  });
}

function batch(value: Value, linecount: Value, fillWith: Value, ctx: RenderState): PyIterator {
  return generator("do_batch", () => batches(value, linecount, fillWith, ctx));
}

function* batches(value: Value, linecount: Value, fillWith: Value, ctx: RenderState): Generator<Value, void, undefined> {
  let tmp: Value[] = [];
  const n = typeof linecount === "boolean" ? Number(linecount) : linecount;
  for (const item of pyIter(value)) {
    // `len(tmp) == linecount`: with 0 an empty batch comes before the first item, as in jinja2
    if (typeof n === "number" && tmp.length === n) {
      yield tmp;
      tmp = [];
    }
    tmp.push(item);
  }
  if (tmp.length > 0) {
    if (fillWith !== null && typeof n === "number" && tmp.length < n) {
      if (!Number.isInteger(n)) throw runtimeError("type", `can't multiply sequence by non-int of type '${typeNameOf(linecount)}'`);
      // a padded batch is built like `[fill_with] * n`: bounded like repetition
      ctx.checkStringLength(n);
      while (tmp.length < n) tmp.push(fillWith);
    } else if (typeof n !== "number") {
      throw runtimeError("type", `'<' not supported between instances of 'int' and '${typeNameOf(linecount)}'`);
    }
    yield tmp;
  }
}

function pyFloorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function slice(value: Value, slices: Value, fillWith: Value, ctx: RenderState): PyIterator {
  return generator("sync_do_slice", () => sliceGroups(value, slices, fillWith, ctx));
}

function* sliceGroups(value: Value, slices: Value, fillWith: Value, ctx: RenderState): Generator<Value, void, undefined> {
  const seq = toList(value);
  const n = indexArg(slices);
  if (n === 0) throw runtimeError("zero-division", "integer division or modulo by zero");
  const perSlice = pyFloorDiv(seq.length, n);
  const withExtra = seq.length - perSlice * n;
  let offset = 0;
  for (let k = 0; k < n; k++) {
    ctx.countIteration();
    const start = offset + k * perSlice;
    if (k < withExtra) offset += 1;
    const end = offset + (k + 1) * perSlice;
    const tmp = seq.slice(start, end);
    if (fillWith !== null && k >= withExtra) tmp.push(fillWith);
    yield tmp;
  }
}

function groupby(value: Value, attribute: Value, dflt: Value, caseSensitive: Value, ctx: RenderState): GroupTuple[] {
  const cs = truthy(caseSensitive);
  const expr = makeAttrGetter(ctx, attribute, cs ? undefined : ignoreCase, dflt);
  const sorted = pySorted(iterate(value), expr, false);
  const groups: { key: Value; list: Value[] }[] = [];
  for (const item of sorted) {
    const k = expr(item);
    const cur = groups[groups.length - 1];
    // itertools.groupby: consecutive items whose keys are == share a group
    if (cur !== undefined && eq(cur.key, k)) cur.list.push(item);
    else groups.push({ key: k, list: [item] });
  }
  // case-insensitive: the grouper is the first item's value as written, not the lowercased key
  const output = cs ? null : makeAttrGetter(ctx, attribute, undefined, dflt);
  return groups.map((g) => new GroupTuple(output === null ? g.key : output(g.list[0]), g.list));
}

/** The sequence filters, keyed by jinja2 name. */
export const SEQUENCE_FILTERS: ReadonlyMap<string, Filter> = new Map<string, Filter>([
  ["batch", builtin("do_batch", "value, linecount, fill_with=None", (a, ctx) => batch(a[0], a[1], a[2], ctx))],
  ["count", cFilter("len", (v) => length(v))],
  ["dictsort", builtin("do_dictsort", "value, case_sensitive=False, by='key', reverse=False", (a) => dictsort(a[0], a[1], a[2], a[3]))],
  ["first", passFilter("sync_do_first", "seq", (a) => first(a[0]))],
  ["groupby", passFilter("sync_do_groupby", "value, attribute, default=None, case_sensitive=False", (a, ctx) => groupby(a[0], a[1], a[2], a[3], ctx))],
  ["items", builtin("do_items", "value", (a) => items(a[0]))],
  ["join", passFilter("sync_do_join", "value, d='', attribute=None", (a, ctx) => join(a[0], a[1], a[2], ctx))],
  ["last", passFilter("do_last", "seq", (a) => last(a[0]))],
  ["length", cFilter("len", (v) => length(v))],
  ["list", builtin("sync_do_list", "value", (a) => toList(a[0]))],
  ["max", passFilter("do_max", "value, case_sensitive=False, attribute=None", (a, ctx) => minMax(a[0], a[1], a[2], ctx, true))],
  ["min", passFilter("do_min", "value, case_sensitive=False, attribute=None", (a, ctx) => minMax(a[0], a[1], a[2], ctx, false))],
  ["random", passFilter("do_random", "seq", (a) => random(a[0]))],
  ["reverse", builtin("do_reverse", "value", (a) => reverse(a[0]))],
  ["slice", builtin("sync_do_slice", "value, slices, fill_with=None", (a, ctx) => slice(a[0], a[1], a[2], ctx))],
  ["sort", passFilter("do_sort", "value, reverse=False, case_sensitive=False, attribute=None", (a, ctx) => sort(a[0], a[1], a[2], a[3], ctx))],
  ["sum", passFilter("sync_do_sum", "iterable, attribute=None, start=0", (a, ctx) => sum(a[0], a[1], a[2], ctx))],
  ["unique", passFilter("sync_do_unique", "value, case_sensitive=False, attribute=None", (a, ctx) => unique(a[0], a[1], a[2], ctx))],
]);
