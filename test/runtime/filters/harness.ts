// Test helper: a RenderState over the real filter, test and global tables, and a runner for the case
// tables whose expected column expect.py fills in from python3 (Python's repr of the result, or
// `!ErrorType: message`).
import { expect, it } from "vitest";
import { TemplateError } from "../../../src/errors.ts";
import { DEFAULT_LIMITS, type Limits } from "../../../src/options.ts";
import { callBuiltin } from "../../../src/runtime/args.ts";
import { FILTERS } from "../../../src/runtime/filters/index.ts";
import { GLOBALS } from "../../../src/runtime/globals.ts";
import { pyRepr } from "../../../src/runtime/pystr.ts";
import { RenderState } from "../../../src/runtime/state.ts";
import { TESTS } from "../../../src/runtime/tests.ts";
import { PyIterator } from "../../../src/runtime/iterators.ts";
import { isRange } from "../../../src/runtime/sequences.ts";
import { Tuple, type Value } from "../../../src/runtime/value.ts";
import { formatFieldReader } from "../../../src/runtime/sandbox.ts";
import { Output } from "../../../src/spans/output.ts";
import { pyArgs } from "./pylit.ts";

/** The clock expect.py pins (naive local time). */
export const NOW = new Date(2026, 0, 5, 9, 7, 3, 123);

/** A fresh render state with transformers' environment. */
export function makeState(limits: Partial<Limits> = {}, now: Date = NOW): RenderState {
  const env = { filters: FILTERS, tests: TESTS, limits: { ...DEFAULT_LIMITS, ...limits }, now: () => now, immutable: true, formatField: formatFieldReader(true) };
  return new RenderState(env, new Output(env.limits.maxOutputLength));
}

/** Applies a filter by name to Python-syntax arguments (the first is the operand). */
export function applyFilter(name: string, src: string, state: RenderState = makeState()): Value {
  const f = FILTERS.get(name);
  if (f === undefined) throw new Error(`no filter ${name}`);
  return callBuiltin(f, pyArgs(src), state);
}

/** Calls a global by name with Python-syntax arguments. */
export function callGlobal(name: string, src: string, state: RenderState = makeState()): Value {
  const g = GLOBALS.get(name);
  if (g === undefined) throw new Error(`no global ${name}`);
  return state.call(g, pyArgs(src));
}

/** expect.py's deep(): generators, iterators and ranges become lists (read now, so their errors surface), at any depth. */
export function listed(v: Value): Value {
  if (isRange(v)) return Array.from(v);
  if (v instanceof PyIterator) return v.drain().map(listed);
  if (Array.isArray(v) && v.constructor === Array) return v.some((x) => x instanceof PyIterator || Array.isArray(x) || x instanceof Tuple) ? v.map(listed) : v;
  if (v instanceof Tuple && v.constructor === Tuple) return new Tuple(v.items.map(listed));
  return v;
}

/** Python's repr of the result, or `!Type: message` as expect.py writes errors, Type the kind's Python class. */
function outcome(run: () => Value): string {
  try {
    return pyRepr(listed(run()));
  } catch (e) {
    if (e instanceof TemplateError) return `!${e.pythonException ?? `(spanja kind ${e.kind})`}: ${e.detail}`;
    throw e;
  }
}

/** One `it` per row: [name, python args, expected from python3]. */
export function caseTable(kind: "filter" | "global", rows: readonly (readonly [string, string, string])[]): void {
  for (const [name, src, expected] of rows) {
    it(`${name}(${src}) → ${expected}`, () => {
      const got = outcome(() => (kind === "filter" ? applyFilter(name, src) : callGlobal(name, src)));
      expect(got).toBe(expected);
    });
  }
}
