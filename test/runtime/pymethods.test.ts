// Python methods against Python: fixtures/methods.json holds what python3 + jinja2's sandbox answer for
// `obj.name(*args, **kwargs)` (test/runtime/tools/expect.py), mutating methods included (SecurityError).
import { describe, expect, it } from "vitest";
import { TemplateError } from "../../src/errors.ts";
import { getAttr } from "../../src/runtime/sandbox.ts";
import { isMutatingMethod, lookupMethod, METHOD_NAMES } from "../../src/runtime/pymethods.ts";
import { pyStr } from "../../src/runtime/pystr.ts";
import { Callable, Undefined, type Value } from "../../src/runtime/value.ts";
import { compare, decode, label, loadFixture, outcome, type Answer, type Tagged } from "./pyvalues.ts";
import { testState } from "./state.ts";

interface MethodCase extends Answer {
  obj: Tagged;
  name: string;
  args: Tagged[];
  kwargs: Record<string, Tagged>;
}

/** Cases spanja answers differently on purpose (COMPATIBILITY.md). */
const DIVERGES = new Set([
  // no bytes in spanja's value model
  "encode",
  // a dict view is a list to value.ts, so the missing attribute's message says 'list object'
  "index on dict_keys",
]);

function divergent(c: MethodCase): boolean {
  const view = typeof c.obj === "object" && c.obj !== null && "dv" in c.obj;
  return DIVERGES.has(c.name) || (view && DIVERGES.has(`${c.name} on dict_keys`));
}

/** `obj.name(...)` as a template evaluates it: through the sandbox, then a call. */
function call(c: MethodCase): Value {
  const state = testState();
  const obj = decode(c.obj);
  const m = getAttr(obj, c.name);
  if (m instanceof Undefined) {
    // calling the Undefined jinja2 returns for a missing or refused attribute raises its error
    return state.call(m, { args: [], kwargs: new Map() });
  }
  const kwargs = new Map(Object.entries(c.kwargs).map(([k, v]) => [k, decode(v)]));
  return state.call(m, { args: c.args.map(decode), kwargs });
}

describe("methods match Python (fixtures/methods.json)", () => {
  const cases = loadFixture<MethodCase>("methods").cases.filter((c) => !divergent(c));
  it.each(cases.map((c) => [`${label(c.obj)}.${c.name}(${c.args.map(label).join(", ")}${Object.keys(c.kwargs).length ? ", **" + label(c.kwargs) : ""})`, c] as const))(
    "%s",
    (_, c) => {
      expect(compare(outcome(() => call(c)), c)).toBe("");
    },
  );
});

describe("binding", () => {
  it("prints a bound method like CPython, at a fixed address", () => {
    // jinja2: {{ 'abc'.upper }} → <built-in method upper of str object at 0x7f…>
    expect(pyStr(lookupMethod("abc", "upper") as Callable)).toBe("<built-in method upper of str object at 0x000000000000>");
    expect(pyStr(lookupMethod({}, "get") as Callable)).toBe("<built-in method get of dict object at 0x000000000000>");
    expect(pyStr(lookupMethod("x", "format") as Callable)).toBe("<function str.format at 0x000000000000>");
  });

  it("follows jinja2's _mutable_spec for lists and dicts only", () => {
    for (const n of ["append", "clear", "pop", "reverse", "insert", "sort", "extend", "remove"]) expect(isMutatingMethod([], n)).toBe(true);
    for (const n of ["clear", "pop", "popitem", "setdefault", "update"]) expect(isMutatingMethod(new Map(), n)).toBe(true);
    expect(isMutatingMethod({ a: 1 }, "update")).toBe(true);
    expect(isMutatingMethod([], "index")).toBe(false);
    expect(isMutatingMethod("abc", "pop")).toBe(false);
    expect(lookupMethod([], "append")).toBeUndefined();
  });

  it("gives numbers their data attributes, None and Undefined nothing", () => {
    // python3: (7).real == 7, (1.5).imag == 0.0, True.numerator == 1
    expect(lookupMethod(7, "real")).toBe(7);
    expect(pyStr(lookupMethod(1.5, "imag") as Value)).toBe("0.0");
    expect(lookupMethod(true, "numerator")).toBe(1);
    expect(pyStr(lookupMethod(true, "bit_length") as Value)).toBe("<built-in method bit_length of bool object at 0x000000000000>");
    expect(lookupMethod(null, "strip")).toBeUndefined();
    expect(lookupMethod(new Undefined(), "strip")).toBeUndefined();
  });

  it("lists what exists", () => {
    expect(METHOD_NAMES.str).toContain("splitlines");
    expect(METHOD_NAMES.dict).toEqual(["copy", "fromkeys", "get", "items", "keys", "values"]);
  });

  it("checks built strings against maxStringLength", () => {
    const state = testState({ maxStringLength: 10 });
    const center = lookupMethod("ab", "center") as Callable;
    expect(() => state.call(center, { args: [11], kwargs: new Map() })).toThrow(/maxStringLength/);
    const replace = lookupMethod("aaaa", "replace") as Callable;
    expect(() => state.call(replace, { args: ["a", "xyz"], kwargs: new Map() })).toThrow(/maxStringLength/);
  });

  it("raises TemplateErrors only", () => {
    const strip = lookupMethod("a", "strip") as Callable;
    try {
      testState().call(strip, { args: [1], kwargs: new Map() });
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
    }
  });
});
