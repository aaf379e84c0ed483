// jinja2's tests against jinja2: fixtures/tests.json holds env.call_test(name, value, args) as python3
// answers it (test/runtime/tools/expect.py).
import { describe, expect, it } from "vitest";
import { callBuiltin } from "../../src/runtime/args.ts";
import { TESTS } from "../../src/runtime/tests.ts";
import { LoopObject } from "../../src/runtime/loop.ts";
import { Callable } from "../../src/runtime/value.ts";
import { compare, decode, label, loadFixture, outcome, type Answer, type Tagged } from "./pyvalues.ts";
import { testState } from "./state.ts";

interface TestCase extends Answer {
  name: string;
  v: Tagged;
  args: Tagged[];
}

describe("tests match jinja2 (fixtures/tests.json)", () => {
  const cases = loadFixture<TestCase>("tests").cases;
  it.each(cases.map((c) => [`${label(c.v)} is ${c.name}(${c.args.map(label).join(", ")})`, c] as const))("%s", (_, c) => {
    const t = TESTS.get(c.name);
    expect(t).toBeDefined();
    const got = outcome(() => callBuiltin(t!, { args: [decode(c.v), ...c.args.map(decode)], kwargs: new Map() }, testState()));
    expect(compare(got, c)).toBe("");
  });
});

describe("the table", () => {
  it("has every test jinja2 registers", () => {
    // python3: sorted(jinja2.defaults.DEFAULT_TESTS)
    const jinja = ["!=", "<", "<=", "==", ">", ">=", "boolean", "callable", "defined", "divisibleby", "eq", "equalto", "escaped", "even", "false", "filter", "float", "ge", "greaterthan", "gt", "in", "integer", "iterable", "le", "lessthan", "lower", "lt", "mapping", "ne", "none", "number", "odd", "sameas", "sequence", "string", "test", "true", "undefined", "upper"];
    expect([...TESTS.keys()].sort()).toEqual(jinja.sort());
  });

  it("sees callables and the loop object as Python does", () => {
    const state = testState();
    const is = (name: string, v: Parameters<typeof decode>[0] | object) => callBuiltin(TESTS.get(name)!, { args: [v as never], kwargs: new Map() }, state);
    expect(is("callable", new Callable("f", () => null))).toBe(true);
    // jinja2's LoopContext has __iter__ and __len__ but no __getitem__
    const loop = new LoopObject([1, 2], 0, null);
    expect(is("iterable", loop)).toBe(true);
    expect(is("sequence", loop)).toBe(false);
  });
});
