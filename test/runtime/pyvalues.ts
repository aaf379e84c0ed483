// Test helpers: the tagged JSON of test/runtime/tools/expect.py decoded into template values, the fixtures
// it writes (answers computed by python3 + jinja2), and a uniform way to compare an outcome with Python's.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { TemplateError } from "../../src/errors.ts";
import { pyRepr, pyStr } from "../../src/runtime/pystr.ts";
import { DictView, type DictViewKind } from "../../src/runtime/sequences.ts";
import { Float, Namespace, Tuple, Undefined, dictKey, type PlainDict, type Value } from "../../src/runtime/value.ts";

/** Tagged JSON as expect.py writes it. */
export type Tagged = null | boolean | number | string | Tagged[] | { [tag: string]: unknown };

function pairs(x: unknown): [Value, Value][] {
  return (x as [Tagged, Tagged][]).map(([k, v]) => [decode(k), decode(v)]);
}

/** The template value a tagged JSON value stands for (dicts built by templates become Maps). */
export function decode(j: Tagged): Value {
  if (j === null || typeof j !== "object") return j;
  if (Array.isArray(j)) return j.map(decode);
  if ("f" in j) return floatOf(j.f as string);
  if ("t" in j) return new Tuple((j.t as Tagged[]).map(decode));
  if ("dv" in j) {
    const entries = pairs(j.d);
    const kind = `dict_${j.dv as string}` as DictViewKind;
    const items = kind === "dict_items" ? entries.map(([k, v]) => new Tuple([k, v])) : entries.map(([k, v]) => (kind === "dict_keys" ? k : v));
    return DictView.create(kind, items);
  }
  if ("d" in j) return new Map(pairs(j.d).map(([k, v]) => [dictKey(k), v]));
  if ("o" in j) {
    const o: Record<string, Value> = {};
    for (const [k, v] of Object.entries(j.o as Record<string, Tagged>)) o[k] = decode(v);
    return o as PlainDict;
  }
  if ("u" in j) return new Undefined((j.u as string | null) ?? undefined);
  if ("ns" in j) return new Namespace(new Map(pairs(j.ns) as [string, Value][]));
  throw new Error(`unknown tag ${JSON.stringify(j)}`);
}

function floatOf(repr: string): Value {
  const n = repr === "nan" ? NaN : repr === "inf" ? Infinity : repr === "-inf" ? -Infinity : Number(repr);
  return Number.isInteger(n) || Object.is(n, -0) ? new Float(n) : n;
}

/** A fixture file: Python's answers for one kind of case. */
export interface Fixture<C> {
  python: string;
  jinja2: string;
  kind: string;
  cases: C[];
}

export function loadFixture<C>(name: string): Fixture<C> {
  return JSON.parse(readFileSync(resolve(import.meta.dirname, "fixtures", `${name}.json`), "utf8")) as Fixture<C>;
}

/** What Python answered: a result (its repr and str) or an exception (class name and message). */
export interface Answer {
  repr?: string;
  str?: string;
  error?: string;
  message?: string;
}

/** Runs f and describes the outcome the way expect.py describes Python's. */
export function outcome(f: () => Value): Answer {
  try {
    const v = f();
    return { repr: pyRepr(v), str: pyStr(v) };
  } catch (e) {
    // the Python class the error's kind stands for (spanja's own kinds, which have none, show as themselves)
    if (e instanceof TemplateError) return { error: e.pythonException ?? `spanja kind ${e.kind}`, message: e.detail };
    throw e;
  }
}


/** Compares an outcome with Python's answer; returns a description of the difference or "". */
export function compare(got: Answer, want: Answer): string {
  if (want.error !== undefined) {
    if (got.error === undefined) return `expected ${want.error}: ${want.message}, got ${got.repr}`;
    if (want.error !== got.error) return `expected ${want.error} (${want.message}), got ${got.error}: ${got.message}`;
    return got.message === want.message ? "" : `message: expected ${JSON.stringify(want.message)}, got ${JSON.stringify(got.message)}`;
  }
  if (got.error !== undefined) return `expected ${want.repr}, got error ${got.error}: ${got.message}`;
  // object addresses are already the fixed one spanja prints: tools/expect.py normalizes them
  return got.repr === want.repr ? "" : `expected ${want.repr}, got ${got.repr}`;
}

/** A short label for a case in test names. */
export function label(x: unknown): string {
  const s = JSON.stringify(x);
  return s.length > 90 ? s.slice(0, 87) + "..." : s;
}
