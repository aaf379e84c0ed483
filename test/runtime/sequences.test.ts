// Iteration, len() and slicing against Python: fixtures/slices.json and iters.json hold python3's answers
// for v[start:stop:step], list(v) and len(v) (test/runtime/tools/expect.py).
import { describe, expect, it } from "vitest";
import { LoopObject } from "../../src/runtime/loop.ts";
import { iterate, length, sliceValue, toList } from "../../src/runtime/sequences.ts";
import { cpAt, cpChars, cpCompare, cpLength, cpSlice } from "../../src/runtime/strings.ts";
import { SpannedString, Tuple, Undefined } from "../../src/runtime/value.ts";
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
