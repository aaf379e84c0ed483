// jinja2's tests (`x is odd`, `x is defined` …): tests.py TESTS with jinja2's argument names, each
// answering as the Python function does for spanja's values (bool is a number, str is a sequence …).
import { builtin, type Builtin } from "./args.ts";
import { PyIterator } from "./iterators.ts";
import { binaryOp, checkHashable, compareValues, contains, pyEquals } from "./ops.ts";
import { pyStr } from "./pystr.ts";
import { pyIsLower, pyIsUpper } from "./pychars.ts";
import { DictView } from "./sequences.ts";
import type { RenderState } from "./state.ts";
import { Float, Markup, PyObject, SpannedString, Tuple, Undefined, isPlainDict, kindOf, type Value } from "./value.ts";

type Test = Builtin<RenderState>;

/** `value % 2 == 1` with Python's `%`, so a str operand does printf formatting and fails as Python does. */
function modEquals(value: Value, num: Value, target: number, ctx: RenderState): boolean {
  return pyEquals(binaryOp("%", value, num, ctx), target);
}

function isStr(v: Value): boolean {
  return typeof v === "string" || v instanceof SpannedString;
}

/**
 * test_sameas is Python `is`. spanja has no object identity for immutable values, so equal None, bool,
 * int and str values count as the same object (CPython caches small ints and interns short strings,
 * but `1000 is sameas 1000` is False there); containers and objects compare by identity.
 */
function sameAs(a: Value, b: Value): boolean {
  if (a instanceof Float || b instanceof Float) return false;
  // a Markup is an object: the same one only when it is the same value passed around
  if (a instanceof Markup || b instanceof Markup) return a === b;
  if (a instanceof SpannedString || b instanceof SpannedString) return false;
  return a === b;
}

/** Python callable(): functions, macros, joiner, the loop object … and jinja2's Undefined (it has __call__). */
function isCallable(v: Value): boolean {
  return v instanceof Undefined || (v instanceof PyObject && typeof v.call === "function");
}

/** len(value) and value.__getitem__ both exist: str, list, tuple, dict and jinja2's Undefined. */
function isSequence(v: Value): boolean {
  if (v instanceof DictView) return false;
  return isStr(v) || Array.isArray(v) || v instanceof Tuple || v instanceof Map || isPlainDict(v) || v instanceof Undefined;
}

/** iter(value) succeeds. jinja2's LoopContext is iterable too (its __iter__ returns itself). */
function isIterable(v: Value): boolean {
  if (isSequence(v) || v instanceof DictView || v instanceof PyIterator) return true;
  return v instanceof PyObject && v.typeName === "jinja2.runtime.LoopContext object";
}

/** `value in env.filters`: a dict lookup, so an unhashable value raises. */
function nameIn(names: ReadonlyMap<string, unknown>, v: Value): boolean {
  const k = typeof v === "string" ? v : v instanceof SpannedString ? v.text : undefined;
  if (k === undefined) checkHashable(v);
  return k !== undefined && names.has(k);
}

const list: Test[] = [
  builtin("odd", "value", ([v], ctx: RenderState) => modEquals(v, 2, 1, ctx)),
  builtin("even", "value", ([v], ctx: RenderState) => modEquals(v, 2, 0, ctx)),
  builtin("divisibleby", "value, num", ([v, n], ctx: RenderState) => modEquals(v, n, 0, ctx)),
  builtin("defined", "value", ([v]) => !(v instanceof Undefined || v === undefined)),
  builtin("undefined", "value", ([v]) => v instanceof Undefined || v === undefined),
  builtin("filter", "value", ([v], ctx: RenderState) => nameIn(ctx.env.filters, v)),
  builtin("test", "value", ([v], ctx: RenderState) => nameIn(ctx.env.tests, v)),
  builtin("none", "value", ([v]) => v === null),
  builtin("boolean", "value", ([v]) => typeof v === "boolean"),
  builtin("false", "value", ([v]) => v === false),
  builtin("true", "value", ([v]) => v === true),
  // tests.py: integer excludes bool; float is only a float; number is numbers.Number (bool included)
  builtin("integer", "value", ([v]) => kindOf(v) === "int"),
  builtin("float", "value", ([v]) => kindOf(v) === "float"),
  builtin("lower", "value", ([v]) => pyIsLower(pyStr(v))),
  builtin("upper", "value", ([v]) => pyIsUpper(pyStr(v))),
  builtin("string", "value", ([v]) => isStr(v)),
  builtin("mapping", "value", ([v]) => v instanceof Map || isPlainDict(v)),
  builtin("number", "value", ([v]) => typeof v === "number" || typeof v === "boolean" || v instanceof Float),
  builtin("sequence", "value", ([v]) => isSequence(v)),
  builtin("iterable", "value", ([v]) => isIterable(v)),
  builtin("callable", "obj", ([v]) => isCallable(v)),
  builtin("sameas", "value, other", ([a, b]) => sameAs(a, b)),
  // hasattr(value, '__html__'): only Markup has it (jinja2's default Undefined does not)
  builtin("escaped", "value", ([v]) => v instanceof Markup),
  builtin("in", "value, seq", ([v, seq]) => contains(seq, v)),
];

const eq = (name: string): Test => builtin(name, "a, b", ([a, b]) => pyEquals(a, b));
const ne = (name: string): Test => builtin(name, "a, b", ([a, b]) => !pyEquals(a, b));
const cmp = (name: string, op: "<" | "<=" | ">" | ">="): Test => builtin(name, "a, b", ([a, b]) => compareValues(op, a, b));

list.push(
  eq("=="),
  eq("eq"),
  eq("equalto"),
  ne("!="),
  ne("ne"),
  cmp(">", ">"),
  cmp("gt", ">"),
  cmp("greaterthan", ">"),
  cmp("ge", ">="),
  cmp(">=", ">="),
  cmp("<", "<"),
  cmp("lt", "<"),
  cmp("lessthan", "<"),
  cmp("<=", "<="),
  cmp("le", "<="),
);

/** Every jinja2 test by name (tests.py TESTS), for RenderEnv.tests. */
export const TESTS: ReadonlyMap<string, Test> = new Map(list.map((t) => [t.name, t]));
