// Python operators on template values: arithmetic with int and float kept apart, sequence concatenation
// and repetition, printf `%`, equality, ordering and `in`, each raising Python's TypeError text.
// Ints are doubles: exact to 2^53, rounded beyond (Python's are unbounded); see COMPATIBILITY.md.
import { runtimeError, spanjaBug } from "../errors.ts";
import { PyIterator } from "./iterators.ts";
import { markupConcat } from "./markup.ts";
import type { LengthCheck } from "./pyformat.ts";
import { percentFormat } from "./printf.ts";
import { pyStr } from "./pystr.ts";
import { DictView, isPyList, isRange, sameRange, typeNameOf } from "./sequences.ts";
import { cpCompare, cpFind } from "./strings.ts";
import {
  Float,
  Markup,
  SpannedString,
  Tuple,
  Undefined,
  dictEntries,
  dictSize,
  float,
  isPlainDict,
  truthy,
  undefinedError,
  type PlainDict,
  type Value,
} from "./value.ts";

/** The arithmetic operators binaryOp implements (ast.ts BinOpName without the short-circuit ones). */
export type ArithOp = "+" | "-" | "*" | "/" | "//" | "%" | "**" | "~";

/** A number operand: its value and whether Python sees a float (bool and int are ints). */
interface Num {
  n: number;
  isFloat: boolean;
}

function asNum(v: Value): Num | null {
  if (typeof v === "number") return { n: v, isFloat: !Number.isInteger(v) };
  if (typeof v === "boolean") return { n: v ? 1 : 0, isFloat: false };
  if (v instanceof Float) return { n: v.value, isFloat: true };
  return null;
}

function textOf(v: Value): string | null {
  return typeof v === "string" ? v : v instanceof SpannedString ? v.text : null;
}

function isList(v: Value): v is readonly Value[] {
  return isPyList(v);
}

/** Python int results never carry JS's -0. */
function int(n: number): number {
  return n === 0 ? 0 : n;
}

function unsupported(op: string, a: Value, b: Value): never {
  throw runtimeError("type", `unsupported operand type(s) for ${op}: '${typeNameOf(a)}' and '${typeNameOf(b)}'`);
}

function lengthCheck(state: LengthCheck | undefined, n: number): void {
  state?.checkStringLength(n);
}

/** Python `a op b` for + - * / // % ** and jinja2's `~` (str() of both, Undefined as ''). */
export function binaryOp(op: ArithOp, a: Value, b: Value, state?: LengthCheck): Value {
  if (op === "~") {
    const sa = pyStr(a);
    const sb = pyStr(b);
    lengthCheck(state, sa.length + sb.length);
    return sa + sb;
  }
  const as = textOf(a);
  // str.__mod__ is tried before the right operand's __rmod__, so `"%s" % undefined` formats ''
  if (op === "%" && as !== null) {
    // Markup.__mod__ escapes each argument; a Markup argument of a str keeps its repr (`%r`)
    if (a instanceof Markup) return new Markup(percentFormat(as, b, state, true));
    return percentFormat(as, b instanceof SpannedString && !(b instanceof Markup) ? b.text : b, state);
  }
  if (a instanceof Undefined) throw undefinedError(a);
  if (b instanceof Undefined) throw undefinedError(b);
  const x = asNum(a);
  const y = asNum(b);
  if (x !== null && y !== null) return arith(op, x, y);
  switch (op) {
    case "+": {
      const bs = textOf(b);
      if (as !== null) {
        // Markup.__add__ returns NotImplemented for a non-str, and no right operand takes it
        if (bs === null && a instanceof Markup) return unsupported("+", a, b);
        if (bs === null) throw runtimeError("type", `can only concatenate str (not "${typeNameOf(b)}") to str`);
        // Markup.__add__, or its __radd__, which Python tries first as it belongs to a str subclass
        if (a instanceof Markup || b instanceof Markup) return markupConcat(a, b, state);
        lengthCheck(state, as.length + bs.length);
        return as + bs;
      }
      if (isList(a)) {
        if (!isList(b)) throw runtimeError("type", `can only concatenate list (not "${typeNameOf(b)}") to list`);
        // spanja: list and tuple concatenation are held to the string limit, as repetition is
        lengthCheck(state, a.length + b.length);
        return [...a, ...b];
      }
      if (a instanceof Tuple) {
        if (!(b instanceof Tuple)) throw runtimeError("type", `can only concatenate tuple (not "${typeNameOf(b)}") to tuple`);
        lengthCheck(state, a.items.length + b.items.length);
        return new Tuple([...a.items, ...b.items]);
      }
      return unsupported("+", a, b);
    }
    case "*": {
      // sequence repetition, either side; a non-int count is Python's "can't multiply sequence". Markup
      // defines __mul__ and __rmul__, which Python tries first, and hands any count to str's, which wants an
      // index: `[1] * markup` is Markup.__rmul__'s error about the list
      if (a instanceof Markup && (y === null || y.isFloat)) throw runtimeError("type", `'${typeNameOf(b)}' object cannot be interpreted as an integer`);
      if (b instanceof Markup && (x === null || x.isFloat)) throw runtimeError("type", `'${typeNameOf(a)}' object cannot be interpreted as an integer`);
      if (isSequence(a) && y !== null) return repeat(a, y, state);
      if (isSequence(b) && x !== null) return repeat(b, x, state);
      if (isSequence(a)) throw runtimeError("type", `can't multiply sequence by non-int of type '${typeNameOf(b)}'`);
      if (isSequence(b)) throw runtimeError("type", `can't multiply sequence by non-int of type '${typeNameOf(a)}'`);
      return unsupported("*", a, b);
    }
    case "**":
      return unsupported("** or pow()", a, b);
    default:
      return unsupported(op, a, b);
  }
}

function isSequence(v: Value): boolean {
  return typeof v === "string" || v instanceof SpannedString || isList(v) || v instanceof Tuple;
}

function repeat(seq: Value, count: Num, state?: LengthCheck): Value {
  if (count.isFloat) throw runtimeError("type", `can't multiply sequence by non-int of type 'float'`);
  const n = Math.max(0, count.n);
  const s = textOf(seq);
  if (s !== null) {
    const markup = seq instanceof Markup;
    if (n === 0 || s.length === 0) return markup ? new Markup("") : "";
    lengthCheck(state, s.length * n);
    return markup ? new Markup(s.repeat(n)) : s.repeat(n);
  }
  const items = seq instanceof Tuple ? seq.items : (seq as readonly Value[]);
  // spanja: list repetition is held to the string limit too (Python has none)
  if (n > 0 && items.length > 0) lengthCheck(state, items.length * n);
  const m = items.length;
  const out: Value[] = new Array<Value>(m === 0 ? 0 : m * n);
  // item by item: `push(...items)` passes every item as an argument and overflows the stack on long lists
  for (let i = 0, k = 0; i < n && m > 0; i++) for (let j = 0; j < m; j++) out[k++] = items[j];
  return seq instanceof Tuple ? new Tuple(out) : out;
}

function isSafe(n: number): boolean {
  return Math.abs(n) <= Number.MAX_SAFE_INTEGER;
}

function arith(op: ArithOp, x: Num, y: Num): Value {
  const a = x.n;
  const b = y.n;
  const isF = x.isFloat || y.isFloat;
  switch (op) {
    case "+":
      return isF ? float(a + b) : int(a + b);
    case "-":
      return isF ? float(a - b) : int(a - b);
    case "*":
      return isF ? float(a * b) : int(a * b);
    case "/":
      if (b === 0) throw runtimeError("zero-division", isF ? "float division by zero" : "division by zero");
      return float(a / b);
    case "//":
      if (b === 0) throw runtimeError("zero-division", isF ? "float floor division by zero" : "integer division or modulo by zero");
      return isF ? float(floatDivmod(a, b)[0]) : intDivmod(a, b)[0];
    case "%":
      if (b === 0) throw runtimeError("zero-division", isF ? "float modulo" : "integer modulo by zero");
      return isF ? float(floatDivmod(a, b)[1]) : intDivmod(a, b)[1];
    case "**":
      return power(a, b, isF);
    default:
      return spanjaBug(`operator ${op}`);
  }
}

/** Python's int floor division and modulo (the remainder takes the divisor's sign). */
function intDivmod(a: number, b: number): [number, number] {
  if (!isSafe(a) || !isSafe(b)) {
    // beyond 2^53 the doubles are already rounded; at least divide them exactly
    const A = BigInt(a);
    const B = BigInt(b);
    let q = A / B;
    let r = A % B;
    if (r !== 0n && r < 0n !== B < 0n) {
      q -= 1n;
      r += B;
    }
    return [int(Number(q)), int(Number(r))];
  }
  let r = a % b;
  let q = (a - r) / b;
  if (r !== 0 && r < 0 !== b < 0) {
    r += b;
    q -= 1;
  }
  return [int(q), int(r)];
}

/** CPython float_divmod: fmod, then fix the sign, then snap the quotient to an integral value. */
function floatDivmod(vx: number, wx: number): [number, number] {
  // C's `if (mod)` is true for NaN, unlike JS truthiness
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod !== 0) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1;
    }
  } else mod = wx < 0 ? -0 : 0;
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else floordiv = vx / wx < 0 || Object.is(vx / wx, -0) ? -0 : 0;
  return [floordiv, mod];
}

/** CPython float_pow's special cases, in its order, then C pow(). */
function power(a: number, b: number, isF: boolean): Value {
  if (!isF && b >= 0) return intPower(a, b);
  if (b === 0) return new Float(1);
  if (a !== a) return a;
  if (b !== b) return a === 1 ? new Float(1) : b;
  if (!Number.isFinite(b)) {
    const av = Math.abs(a);
    if (av === 1) return new Float(1);
    return b > 0 === av > 1 ? Infinity : new Float(0);
  }
  if (a === 0 && b < 0) throw runtimeError("zero-division", "0.0 cannot be raised to a negative power");
  if (a < 0 && Number.isFinite(a) && !Number.isInteger(b)) {
    throw runtimeError("unsupported", "spanja: complex results of ** are not supported (Python returns a complex number)");
  }
  const r = Math.pow(a, b);
  if (!Number.isFinite(r) && Number.isFinite(a)) throw runtimeError("overflow", "(34, 'Numerical result out of range')");
  return float(r);
}

/** int ** non-negative int: exact by squaring while it stays a safe integer (Math.pow may round). */
function intPower(a: number, b: number): number {
  if (a === 0 || a === 1 || b === 0) return b === 0 ? 1 : a;
  if (a === -1) return b % 2 === 0 ? 1 : -1;
  let result = 1;
  let base = a;
  let e = b;
  while (isSafe(result) && isSafe(base)) {
    if (e % 2 === 1) result *= base;
    e = Math.floor(e / 2);
    if (e === 0) {
      if (isSafe(result)) return int(result);
      break;
    }
    base *= base;
  }
  if (b * Math.log2(Math.abs(a)) > 1100) {
    throw runtimeError("limit", "integer result of ** is too large (spanja's ints are doubles; Python's are unbounded)");
  }
  return Number(BigInt(a) ** BigInt(b));
}

/** Python unary `-`, `+` and `not`. */
export function unaryOp(op: "-" | "+" | "not", v: Value): Value {
  if (op === "not") return !truthy(v);
  if (v instanceof Undefined) throw undefinedError(v);
  const x = asNum(v);
  if (x === null) throw runtimeError("type", `bad operand type for unary ${op}: '${typeNameOf(v)}'`);
  if (op === "+") return x.isFloat ? float(x.n) : x.n;
  return x.isFloat ? float(-x.n) : int(-x.n);
}

// ---- equality, hashing, ordering, membership ----

/** Python `a == b`: 1 == 1.0 == True, deep list / tuple / dict equality, any two Undefined are equal. */
export function pyEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === "string" && typeof b === "string") return false;
  const x = asNum(a);
  if (x !== null) {
    const y = asNum(b);
    return y !== null && x.n === y.n;
  }
  const as = textOf(a);
  if (as !== null) return as === textOf(b);
  if (a === null || b === null) return false;
  // jinja2 Undefined.__eq__: type(self) is type(other)
  if (a instanceof Undefined || a === undefined) return b instanceof Undefined || b === undefined;
  if (a instanceof DictView || b instanceof DictView) return viewEquals(a, b);
  // range.__eq__: only another range, equal when the items are
  if (isRange(a) || isRange(b)) return isRange(a) && isRange(b) && sameRange(a, b);
  if (Array.isArray(a)) return Array.isArray(b) && seqEquals(a, b as readonly Value[]);
  if (a instanceof Tuple) return b instanceof Tuple && seqEquals(a.items, b.items);
  if (isDictValue(a)) return isDictValue(b) && dictEquals(a, b);
  return false;
}

function seqEquals(a: readonly Value[], b: readonly Value[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!pyEquals(a[i], b[i])) return false;
  return true;
}

type DictValue = ReadonlyMap<Value, Value> | PlainDict;

function isDictValue(v: Value): v is DictValue {
  return v instanceof Map || isPlainDict(v);
}

function dictEquals(a: DictValue, b: DictValue): boolean {
  if (dictSize(a) !== dictSize(b)) return false;
  for (const [k, v] of dictEntries(a)) {
    const w = dictLookup(b, k);
    if (w === undefined || !pyEquals(v, w)) return false;
  }
  return true;
}

/** keys() and items() views compare as sets; values() views only by identity. */
function viewEquals(a: Value, b: Value): boolean {
  if (!(a instanceof DictView) || !(b instanceof DictView) || a.viewKind !== b.viewKind) return false;
  if (a.viewKind === "dict_values") return a === b;
  return a.length === b.length && a.every((x) => b.some((y) => pyEquals(x, y)));
}

/** Python hash() would accept it (dict keys, `in dict`): lists, dicts and views are unhashable. */
export function checkHashable(v: Value): void {
  if ((Array.isArray(v) && !isRange(v)) || v instanceof Map || isPlainDict(v)) {
    throw runtimeError("type", `unhashable type: '${typeNameOf(v)}'`);
  }
  if (v instanceof Tuple) for (const x of v.items) checkHashable(x);
}

/** A dict's value for key with Python's hash equality (True finds 1, 1.0 finds 1); undefined if absent. */
export function dictLookup(d: DictValue, key: Value): Value | undefined {
  const ks = textOf(key);
  if (d instanceof Map) {
    const direct = d.get(ks ?? (key instanceof Float ? key.value : key));
    if (direct !== undefined || ks !== null) return direct;
    checkHashable(key);
    for (const [k, v] of d) if (pyEquals(k, key)) return v;
    return undefined;
  }
  if (ks === null) {
    checkHashable(key);
    return undefined;
  }
  if (!Object.hasOwn(d, ks)) return undefined;
  const v = (d as PlainDict)[ks];
  return v === undefined ? undefined : (v as Value);
}

function lt(a: Value, b: Value): boolean {
  return compareValues("<", a, b);
}

/** Python `<`, `<=`, `>`, `>=`: numbers, str by code point, list and tuple lexicographically. */
export function compareValues(op: "<" | "<=" | ">" | ">=", a: Value, b: Value): boolean {
  if (a instanceof Undefined) throw undefinedError(a);
  if (b instanceof Undefined) throw undefinedError(b);
  const x = asNum(a);
  const y = asNum(b);
  if (x !== null && y !== null) return cmpResult(op, x.n < y.n ? -1 : x.n > y.n ? 1 : x.n === y.n ? 0 : NaN);
  const as = textOf(a);
  const bs = textOf(b);
  if (as !== null && bs !== null) return cmpResult(op, cpCompare(as, bs));
  // keys() and items() views order as sets: <= is subset, < proper subset
  if (a instanceof DictView && b instanceof DictView && a.viewKind !== "dict_values" && b.viewKind !== "dict_values") {
    const sub = (x: DictView, y: DictView): boolean => x.every((i) => y.some((j) => pyEquals(i, j)));
    const [ab, ba] = [sub(a, b), sub(b, a)];
    return op === "<" ? ab && !ba : op === "<=" ? ab : op === ">" ? ba && !ab : ba;
  }
  const la = isList(a) ? a : a instanceof Tuple ? a.items : null;
  const lb = isList(b) ? b : b instanceof Tuple ? b.items : null;
  if (la !== null && lb !== null && isList(a) === isList(b)) {
    // the first unequal pair decides with the same operator; otherwise the lengths do
    const n = Math.min(la.length, lb.length);
    for (let i = 0; i < n; i++) {
      if (!pyEquals(la[i], lb[i])) return compareValues(op, la[i], lb[i]);
    }
    return cmpResult(op, la.length - lb.length);
  }
  throw runtimeError("type", `'${op}' not supported between instances of '${typeNameOf(a)}' and '${typeNameOf(b)}'`);
}

function cmpResult(op: "<" | "<=" | ">" | ">=", c: number): boolean {
  switch (op) {
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
  }
}

/** Python `item in container`: substring, membership by ==, dict keys; the default Undefined holds nothing. */
export function contains(container: Value, item: Value): boolean {
  const cs = textOf(container);
  if (cs !== null) {
    const is = textOf(item);
    if (is === null) throw runtimeError("type", `'in <string>' requires string as left operand, not ${typeNameOf(item)}`);
    return cpFind(cs, is) !== -1;
  }
  if (container instanceof DictView) {
    if (container.viewKind === "dict_keys") checkHashable(item);
    if (container.viewKind === "dict_items" && !(item instanceof Tuple && item.items.length === 2)) return false;
    return container.some((x) => pyEquals(x, item));
  }
  if (Array.isArray(container)) return container.some((x: Value) => pyEquals(x, item));
  if (container instanceof Tuple) return container.items.some((x) => pyEquals(x, item));
  // a generator is consumed up to the first equal item
  if (container instanceof PyIterator) {
    for (const x of container) if (pyEquals(x, item)) return true;
    return false;
  }
  if (isDictValue(container)) return dictLookup(container, item) !== undefined;
  // Undefined has no __contains__ but iterates empty
  if (container instanceof Undefined || container === undefined) return false;
  throw runtimeError("type", `argument of type '${typeNameOf(container)}' is not iterable`);
}

/** Sorting comparator with Python's `<` (for sort-like filters): raises TypeError on mixed types. */
export function pyCompare(a: Value, b: Value): number {
  return lt(a, b) ? -1 : lt(b, a) ? 1 : 0;
}
