// Operators against Python: fixtures/binops.json and unops.json hold python3's answers for each case
// (test/runtime/tools/expect.py); the few known divergences are listed and checked separately.
import { describe, expect, it } from "vitest";
import { binaryOp, compareValues, contains, pyCompare, pyEquals, unaryOp, type ArithOp } from "../../src/runtime/ops.ts";
import { Float, Tuple, Undefined, type Value } from "../../src/runtime/value.ts";
import { compare, decode, label, loadFixture, outcome, type Answer, type Tagged } from "./pyvalues.ts";
import { testState } from "./state.ts";

interface OpCase extends Answer {
  op: string;
  a: Tagged;
  b?: Tagged;
}

/** Cases spanja answers differently on purpose (COMPATIBILITY.md): the key is `op a b` as label() prints them. */
const DIVERGES: Record<string, string> = {
  // Python ints are unbounded: 10 ** 400 prints 401 digits; spanja's ints are doubles
  "** 10 400": "integer result of ** is too large",
  // Python returns a complex number for a negative base and a fractional exponent
  "** -8 0.5": "complex results of ** are not supported",
};

function run(c: OpCase): Answer {
  const a = decode(c.a);
  const state = testState();
  if (c.b === undefined) return outcome(() => unaryOp(c.op as "-" | "+" | "not", a));
  const b = decode(c.b);
  return outcome(() => {
    switch (c.op) {
      case "==":
        return pyEquals(a, b);
      case "!=":
        return !pyEquals(a, b);
      case "in":
        return contains(b, a);
      case "<":
      case "<=":
      case ">":
      case ">=":
        return compareValues(c.op, a, b);
      default:
        return binaryOp(c.op as ArithOp, a, b, state);
    }
  });
}

function key(c: OpCase): string {
  return [c.op, JSON.stringify(c.a), c.b === undefined ? "" : JSON.stringify(c.b)].join(" ").trim();
}

for (const name of ["binops", "unops"]) {
  describe(`${name} match Python (fixtures/${name}.json)`, () => {
    const cases = loadFixture<OpCase>(name).cases.filter((c) => DIVERGES[key(c)] === undefined);
    it.each(cases.map((c) => [`${c.op} ${label(c.a)} ${c.b === undefined ? "" : label(c.b)}`, c] as const))("%s", (_, c) => {
      expect(compare(run(c), c)).toBe("");
    });
  });
}

describe("known divergences", () => {
  it.each(Object.entries(DIVERGES))("%s", (k, message) => {
    const c = loadFixture<OpCase>("binops").cases.find((x) => key(x) === k) as OpCase;
    expect(c).toBeDefined();
    expect(run(c).message).toContain(message);
  });
});

describe("limits and details", () => {
  it("checks string repetition against maxStringLength before building", () => {
    const state = testState({ maxStringLength: 10 });
    expect(binaryOp("*", "ab", 5, state)).toBe("ababababab");
    expect(() => binaryOp("*", "ab", 6, state)).toThrow(/maxStringLength/);
    expect(() => binaryOp("*", [1, 2], 6, state)).toThrow(/maxStringLength/);
    expect(() => binaryOp("+", "abcdef", "ghijk", state)).toThrow(/maxStringLength/);
  });

  it("keeps Python's int/float split in results", () => {
    // python3: 4/2 → 2.0, 7//2 → 3, 7.0//2 → 3.0, 2**-1 → 0.5, True+1 → 2
    expect(binaryOp("/", 4, 2)).toEqual(new Float(2));
    expect(binaryOp("//", 7, 2)).toBe(3);
    expect(binaryOp("//", new Float(7), 2)).toEqual(new Float(3));
    expect(binaryOp("**", 2, -1)).toBe(0.5);
    expect(binaryOp("+", true, 1)).toBe(2);
    expect(Object.is(binaryOp("*", 0, -1), 0)).toBe(true);
  });

  it("raises Undefined's own error for arithmetic and ordering", () => {
    const u = new Undefined("x");
    expect(() => binaryOp("+", u, 1)).toThrow("'x' is undefined");
    expect(() => compareValues("<", 1, u)).toThrow("'x' is undefined");
    expect(pyEquals(u, new Undefined("y"))).toBe(true);
  });

  it("sorts with Python's < (pyCompare)", () => {
    const items: Value[] = ["b", "a", "\u{1F600}", "\uffff"];
    expect([...items].sort(pyCompare)).toEqual(["a", "b", "\uffff", "\u{1F600}"]);
    expect(() => [1, "a"].sort(pyCompare)).toThrow("'<' not supported between instances of 'str' and 'int'");
    expect(pyCompare(new Tuple([1, 2]), new Tuple([1, 3]))).toBe(-1);
  });
});
