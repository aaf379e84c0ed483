// Filters that apply other filters, tests or lookups: map, select, reject, selectattr, rejectattr,
// attr and default. The map/select family return lazy generators, as jinja2's do.
import { runtimeError } from "../../errors.ts";
import { builtin, callBuiltin } from "../args.ts";
import { pyRepr } from "../pystr.ts";
import { getAttr } from "../sandbox.ts";
import { generator, type PyIterator } from "../iterators.ts";
import { pyIter, typeNameOf } from "../sequences.ts";
import type { RenderState } from "../state.ts";
import { Undefined, dictGet, isDict, isString, strValue, truthy, typeRepr, undefinedError, type Value } from "../value.ts";
import { makeAttrGetter, hashKey, passFilter, type Filter } from "./common.ts";

type Kind = "filter" | "test";

/**
 * environment.call_filter / call_test by a name given as a value: "No filter named 'x'." for a
 * missing one, with the Undefined's own message when the name itself was undefined.
 */
function callByName(ctx: RenderState, kind: Kind, name: Value, item: Value, args: Value[], kwargs: Map<string, Value>): Value {
  if (!isString(name)) hashKey(name);
  const table = kind === "filter" ? ctx.env.filters : ctx.env.tests;
  const fn = isString(name) ? table.get(strValue(name)) : undefined;
  if (fn === undefined) {
    let msg = `No ${kind} named ${pyRepr(name)}.`;
    if (name instanceof Undefined) msg += ` (${undefinedError(name).detail}; did you forget to quote the callable name?)`;
    throw runtimeError(kind === "filter" ? "unknown-filter" : "unknown-test", msg);
  }
  return callBuiltin(fn, { args: [item, ...args], kwargs }, ctx);
}

/** jinja2 prepare_map: `attribute=` (with `default=`) looks items up; otherwise a filter name and its arguments. */
function prepareMap(ctx: RenderState, args: Value[], kwargs: Map<string, Value>): (item: Value) => Value {
  if (args.length === 0 && kwargs.has("attribute")) {
    const rest = new Map(kwargs);
    const attribute = rest.get("attribute") as Value;
    rest.delete("attribute");
    const dflt = rest.get("default") ?? null;
    rest.delete("default");
    if (rest.size > 0) throw runtimeError("filter-argument", `Unexpected keyword argument ${pyRepr(rest.keys().next().value as string)}`);
    return makeAttrGetter(ctx, attribute, undefined, dflt);
  }
  if (args.length === 0) throw runtimeError("filter-argument", "map requires a filter argument");
  const [name, ...rest] = args;
  return (item) => callByName(ctx, "filter", name, item, rest, kwargs);
}

function map(value: Value, args: Value[], kwargs: Map<string, Value>, ctx: RenderState): PyIterator {
  return generator("sync_do_map", function* () {
    // `if value:` guards everything, so a falsy value never reports argument errors
    if (!truthy(value)) return;
    const func = prepareMap(ctx, args, kwargs);
    for (const item of pyIter(value)) yield func(item);
  });
}

/** jinja2 select_or_reject: an optional attribute lookup, then a test (or truthiness), negated for reject. */
function selectOrReject(value: Value, args: Value[], kwargs: Map<string, Value>, ctx: RenderState, select: boolean, lookupAttr: boolean): PyIterator {
  return generator("select_or_reject", function* () {
    if (!truthy(value)) return;
    const test = prepareSelectOrReject(args, kwargs, ctx, lookupAttr);
    for (const item of pyIter(value)) if (test(item) === select) yield item;
  });
}

/** jinja2 prepare_select_or_reject: the predicate, attribute lookup included. */
function prepareSelectOrReject(args: Value[], kwargs: Map<string, Value>, ctx: RenderState, lookupAttr: boolean): (item: Value) => boolean {
  let trans = (x: Value): Value => x;
  let off = 0;
  if (lookupAttr) {
    if (args.length === 0) throw runtimeError("filter-argument", "Missing parameter for attribute name");
    trans = makeAttrGetter(ctx, args[0]);
    off = 1;
  }
  let test: (x: Value) => boolean;
  if (args.length > off) {
    const name = args[off];
    const rest = args.slice(off + 1);
    test = (x) => truthy(callByName(ctx, "test", name, x, rest, kwargs));
  } else test = (x) => truthy(x);
  return (item) => test(trans(item));
}

/**
 * jinja2 do_attr: only a real attribute, never the item fallback `obj.name` has. A dict with a key
 * "x" has no attribute "x" (unless it is a dict method); the sandbox's unsafe names stay unsafe.
 */
function attr(obj: Value, name: Value, ctx: RenderState): Value {
  if (obj instanceof Undefined) throw undefinedError(obj);
  const n = isString(name) ? strValue(name) : null;
  if (n === null) throw runtimeError("type", `attribute name must be string, not '${typeNameOf(name)}'`);
  const v = getAttr(obj, n, ctx.env.immutable);
  if (isDict(obj)) {
    const item = dictGet(obj, n);
    // getAttr answered with the item: the dict has no such attribute
    if (item !== undefined && item === v) return new Undefined(n, typeRepr(obj));
  }
  return v;
}

function dflt(value: Value, defaultValue: Value, boolean: Value): Value {
  return value instanceof Undefined || (truthy(boolean) && !truthy(value)) ? defaultValue : value;
}

const defaultFilter = builtin("do_default", "value, default_value='', boolean=False", (a) => dflt(a[0], a[1], a[2]));

function pass(name: string, select: boolean, lookupAttr: boolean): Filter {
  return builtin<RenderState>(name, "value, *args, **kwargs", (a, ctx) =>
    selectOrReject(a[0], a[1] as Value[], a[2] as Map<string, Value>, ctx, select, lookupAttr),
  );
}

/** The higher-order filters, keyed by jinja2 name. */
export const FUNCTIONAL_FILTERS: ReadonlyMap<string, Filter> = new Map<string, Filter>([
  ["attr", passFilter("do_attr", "obj, name", (a, ctx) => attr(a[0], a[1], ctx))],
  ["d", defaultFilter],
  ["default", defaultFilter],
  ["map", builtin<RenderState>("sync_do_map", "value, *args, **kwargs", (a, ctx) => map(a[0], a[1] as Value[], a[2] as Map<string, Value>, ctx))],
  ["reject", pass("sync_do_reject", false, false)],
  ["rejectattr", pass("sync_do_rejectattr", false, true)],
  ["select", pass("sync_do_select", true, false)],
  ["selectattr", pass("sync_do_selectattr", true, true)],
]);
