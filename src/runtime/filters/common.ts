// What the filter families share: jinja2's argument messages for filters that take a hidden first
// argument, make_attrgetter, ignore_case, Python's sorted() and hashing. Knows no filter by name.
import { runtimeError } from "../../errors.ts";
import { builtin, signature, type Builtin } from "../args.ts";
import { compareValues, pyEquals } from "../ops.ts";
import { getItem } from "../sandbox.ts";
import { isRange, sameRangeKey, typeNameOf } from "../sequences.ts";
import type { RenderState } from "../state.ts";
import { Float, PyObject, SpannedString, Tuple, Undefined, isString, strValue, type Value } from "../value.ts";

/** A filter as the tables hold it. */
export type Filter = Builtin<RenderState>;

/** Python's "takes N positional arguments but M were given" for a signature of `n` parameters. */
function tooMany(pyName: string, n: number, required: number, given: number): never {
  const takes = required === n ? `${n}` : `from ${required} to ${n}`;
  const plural = n === 1 && required === n ? "argument" : "arguments";
  throw runtimeError("arguments", `${pyName}() takes ${takes} positional ${plural} but ${given} ${given === 1 ? "was" : "were"} given`);
}

/**
 * A filter jinja2 decorates with pass_environment / pass_context / pass_eval_context. Python counts
 * that hidden first argument in its message: `[1]|first(2)` is "sync_do_first() takes 2 positional
 * arguments but 3 were given". Extra positionals are caught here, after keyword errors, as CPython does.
 */
export function passFilter(pyName: string, spec: string, impl: (a: Value[], ctx: RenderState) => Value): Filter {
  const sig = signature(pyName, spec);
  const n = sig.params.length;
  const required = sig.params.filter((p) => !p.hasDefault).length;
  return builtin<RenderState>(pyName, `${spec}, *__extra`, (a, ctx) => {
    const extra = a[n] as Value[];
    if (extra.length > 0) tooMany(pyName, n + 1, required + 1, n + extra.length + 1);
    return impl(a.slice(0, n), ctx);
  });
}

/**
 * A filter that is a C builtin of one argument (`len`, `abs`): its messages are "len() takes no
 * keyword arguments" and "len() takes exactly one argument (2 given)".
 */
export function cFilter(pyName: string, impl: (v: Value, ctx: RenderState) => Value): Filter {
  return builtin<RenderState>(pyName, "__obj, *__args, **__kwargs", (a, ctx) => {
    if ((a[2] as Map<string, Value>).size > 0) throw runtimeError("arguments", `${pyName}() takes no keyword arguments`);
    const extra = (a[1] as Value[]).length;
    if (extra > 0) throw runtimeError("arguments", `${pyName}() takes exactly one argument (${extra + 1} given)`);
    return impl(a[0], ctx);
  });
}

/** The text of a str value, else undefined. */
export function textOf(v: Value): string | undefined {
  return isString(v) ? strValue(v) : undefined;
}

/** jinja2 ignore_case: lowercases str keys, leaves the rest. */
export function ignoreCase(v: Value): Value {
  return typeof v === "string" ? v.toLowerCase() : v instanceof SpannedString ? v.text.toLowerCase() : v;
}

/** jinja2 _prepare_attribute_parts: "a.0.b" → ["a", 0, "b"] (digit parts become ints); None → []. */
export function attributeParts(attribute: Value): Value[] {
  if (attribute === null) return [];
  if (isString(attribute)) return strValue(attribute).split(".").map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p));
  return [attribute];
}

/**
 * jinja2 make_attrgetter: looks each part up with environment.getitem (item first, then attribute,
 * sandboxed). `default` (when not None) replaces an Undefined after EACH part, as jinja2 does.
 */
export function makeAttrGetter(ctx: RenderState, attribute: Value, postprocess?: (v: Value) => Value, dflt: Value = null): (item: Value) => Value {
  const parts = attributeParts(attribute);
  const immutable = ctx.env.immutable;
  return (item) => {
    let v = item;
    for (const part of parts) {
      v = getItem(v, part, immutable);
      if (dflt !== null && v instanceof Undefined) v = dflt;
    }
    return postprocess === undefined ? v : postprocess(v);
  };
}

/**
 * jinja2 make_multi_attrgetter: "age,name" → a list key per item. With no attribute the key is
 * `[item]`, a one-item list, so comparisons are list comparisons (same results, same errors).
 */
export function makeMultiAttrGetter(ctx: RenderState, attribute: Value, postprocess?: (v: Value) => Value): (item: Value) => Value[] {
  const getters = (isString(attribute) ? strValue(attribute).split(",") : [attribute]).map((a) => makeAttrGetter(ctx, a, postprocess));
  return (item) => getters.map((g) => g(item));
}

/** Python `a < b` (raises Python's TypeError for unorderable operands). */
export function lessThan(a: Value, b: Value): boolean {
  return compareValues("<", a, b);
}

/**
 * Python sorted(items, key=key, reverse=reverse): keys computed once, stable, only `<` consulted.
 * reverse keeps equal items in their original order, as Python's does.
 */
export function pySorted(items: readonly Value[], key: (v: Value) => Value, reverse: boolean): Value[] {
  const decorated = items.map((v, i) => ({ k: key(v), v, i }));
  decorated.sort((x, y) => {
    const [a, b] = reverse ? [y.k, x.k] : [x.k, y.k];
    if (lessThan(a, b)) return -1;
    if (lessThan(b, a)) return 1;
    return 0;
  });
  return decorated.map((d) => d.v);
}

/** Python `a == b`. */
export function eq(a: Value, b: Value): boolean {
  return pyEquals(a, b);
}

const identities = new WeakMap<object, number>();
let nextIdentity = 0;

/**
 * A string equal for Python-equal hashable values (1, 1.0 and True collide as in a Python set);
 * raises "unhashable type: 'list'" for lists and dicts. NaN never equals itself, so it gets an identity.
 */
export function hashKey(v: Value): string {
  switch (typeof v) {
    case "string":
      return `s${v}`;
    case "boolean":
      return v ? "n1" : "n0";
    case "number":
      return v !== v ? `o${identity({})}` : `n${v === 0 ? 0 : v}`;
  }
  if (v === null) return "None";
  if (v instanceof SpannedString) return `s${v.text}`;
  if (v instanceof Float) return v.value !== v.value ? `o${identity(v)}` : `n${v.value === 0 ? 0 : v.value}`;
  if (v instanceof Tuple) return `t${JSON.stringify(v.items.map(hashKey))}`;
  // jinja2 Undefined: hash(type(self)) and equal to any Undefined of the same type
  if (v instanceof Undefined) return "U";
  if (v instanceof PyObject) return `o${identity(v)}`;
  // range.__hash__: equal ranges (same items) hash alike, whatever their stop
  if (isRange(v)) return sameRangeKey(v);
  throw runtimeError("type", `unhashable type: '${typeNameOf(v)}'`);
}

function identity(o: object): number {
  let id = identities.get(o);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(o, id);
  }
  return id;
}
