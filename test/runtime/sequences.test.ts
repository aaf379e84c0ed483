// Iteration, len() and slicing against Python: fixtures/slices.json and iters.json hold python3's answers
// for v[start:stop:step], list(v) and len(v) (test/runtime/tools/expect.py).
import { describe, expect, it } from "vitest";
import { LoopObject } from "../../src/runtime/loop.ts";
import { isPyList, isRange, iterate, length, makeRange, rangeLength, sliceValue, toList, type PyRange } from "../../src/runtime/sequences.ts";
import { cpAt, cpChars, cpCompare, cpLength, cpSlice, sliceItems } from "../../src/runtime/strings.ts";
import { RANGE, SpannedString, Tuple, Undefined } from "../../src/runtime/value.ts";
import { compare, decode, label, loadFixture, outcome, type Answer, type Tagged } from "./pyvalues.ts";

interface SliceCase extends Answer {
  v: Tagged;
  start: Tagged;
  stop: Tagged;
  step: Tagged;
}

interface IterCase {
  v: Tagged;
  list: Answer;
  len: Answer;
}

describe("slices match Python (fixtures/slices.json)", () => {
  const cases = loadFixture<SliceCase>("slices").cases;
  it.each(cases.map((c) => [`${label(c.v)}[${[c.start, c.stop, c.step].map(label).join(":")}]`, c] as const))("%s", (_, c) => {
    expect(compare(outcome(() => sliceValue(decode(c.v), decode(c.start), decode(c.stop), decode(c.step))), c)).toBe("");
  });
});

describe("list() and len() match Python (fixtures/iters.json)", () => {
  const cases = loadFixture<IterCase>("iters").cases;
  it.each(cases.map((c) => [label(c.v), c] as const))("%s", (_, c) => {
    expect(compare(outcome(() => toList(decode(c.v))), c.list)).toBe("");
    expect(compare(outcome(() => length(decode(c.v))), c.len)).toBe("");
  });
});

describe("details", () => {
  it("does not copy lists for iteration, but toList does", () => {
    const a = [1, 2];
    expect(iterate(a)).toBe(a);
    expect(toList(a)).not.toBe(a);
    expect(toList(new Tuple([1]))).toEqual([1]);
  });

  it("iterates a SpannedString by code point", () => {
    expect(iterate(new SpannedString("a\u{1F600}", []))).toEqual(["a", "\u{1F600}"]);
  });

  it("iterates the sandbox's unsafe Undefined as empty, as jinja2 does", () => {
    // jinja2: {% for x in d.__class__ %} renders nothing; {{ d.__class__|length }} → 0
    const unsafe = new Undefined("__class__", "dict object", false, "unsafe", true);
    expect(iterate(unsafe)).toEqual([]);
    expect(length(unsafe)).toBe(0);
  });

  it("gives the loop object its length, as LoopContext.__len__ does", () => {
    expect(length(new LoopObject([1, 2, 3], 0, null))).toBe(3);
  });

  it("slices a SpannedString as a str", () => {
    expect(sliceValue(new SpannedString("abc", []), 1, null, null)).toBe("bc");
  });
});

describe("code-point strings", () => {
  const s = "a\u{1F600}b\udc80";
  it("measures and indexes by code point", () => {
    // python3: len('a😀b\udc80') == 4; s[1] == '😀'; s[-1] == '\udc80'
    expect(cpLength(s)).toBe(4);
    expect(cpAt(s, 1)).toBe("\u{1F600}");
    expect(cpAt(s, -1)).toBe("\udc80");
    expect(cpAt(s, 4)).toBeUndefined();
    expect(cpAt(s, -5)).toBeUndefined();
    expect(cpChars(s)).toEqual(["a", "\u{1F600}", "b", "\udc80"]);
  });

  it("slices by code point", () => {
    // python3: s[1:3] == '😀b', s[::-1] == '\udc80b😀a', s[::2] == 'ab'
    expect(cpSlice(s, 1, 3, null)).toBe("\u{1F600}b");
    expect(cpSlice(s, null, null, -1)).toBe("\udc80b\u{1F600}a");
    expect(cpSlice(s, null, null, 2)).toBe("ab");
    expect(cpSlice("abc", -2, null, null)).toBe("bc");
    expect(() => cpSlice("abc", null, null, 0)).toThrow("slice step cannot be zero");
  });

  it("orders by code point", () => {
    // python3: '\uffff' < '\U00010000' is True (UTF-16 order says the opposite)
    expect(cpCompare("\uffff", "\u{10000}")).toBe(-1);
    expect(cpCompare("\u{10000}", "\uffff")).toBe(1);
    expect(cpCompare("ab", "abc")).toBe(-1);
    expect(cpCompare("b", "abc")).toBe(1);
    expect(cpCompare("x", "x")).toBe(0);
  });
});

describe("range", () => {
  // Python's printing of sliced ranges is checked by the conformance fixtures (values/range-slicing);
  // here every slice of many small ranges is checked against slicing its items as a list
  it("a sliced range holds the items the same slice of a list would, and its bounds make them", () => {
    const bounds = [null, -4, -1, 0, 2, 7];
    for (const start of [-3, 0, 2])
      for (const stop of [-3, 0, 1, 5])
        for (const step of [-2, -1, 1, 3]) {
          const r = makeRange(start, stop, step, rangeLength(start, stop, step));
          for (const a of bounds)
            for (const b of bounds)
              for (const c of [null, -3, -1, 1, 2]) {
                const got = sliceValue(r, a, b, c);
                expect(isRange(got)).toBe(true);
                const { start: s0, stop: s1, step: s2 } = (got as PyRange)[RANGE];
                const remade = makeRange(s0, s1, s2, rangeLength(s0, s1, s2));
                expect([...(got as PyRange)]).toEqual(sliceItems([...r], a, b, c));
                expect([...remade]).toEqual([...(got as PyRange)]);
              }
        }
  });

  it("arrays derived from a range are lists", () => {
    const r = makeRange(0, 4, 1, 4);
    expect(isRange(r)).toBe(true);
    for (const d of [r.slice(), r.map((x) => x), r.filter(() => true), [...r], r.concat([]), Array.from(r), toList(r)]) {
      expect(isRange(d)).toBe(false);
      expect(isPyList(d)).toBe(true);
    }
    // iteration reads the items in place, as for a list
    expect(iterate(r)).toBe(r);
    expect(length(r)).toBe(4);
  });
});
