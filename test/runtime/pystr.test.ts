// pyStr / pyRepr / floatRepr against Python's str() and repr(): the table is fixtures/values.json,
// computed by python3 (test/runtime/tools/expect.py); the rest are jinja2 objects checked by hand in python3.
import { describe, expect, it } from "vitest";
import { floatRepr, intStr, pyAscii, pyRepr, pyStr, strRepr } from "../../src/runtime/pystr.ts";
import { Callable, Float, Namespace, Undefined, type Value } from "../../src/runtime/value.ts";
import { decode, label, loadFixture, type Tagged } from "./pyvalues.ts";

interface ValueCase {
  v: Tagged;
  str: string;
  repr: string;
}

const fixture = loadFixture<ValueCase>("values");

describe("pyStr and pyRepr match Python (fixtures/values.json)", () => {
  it.each(fixture.cases.map((c) => [label(c.v), c] as const))("%s", (_, c) => {
    const v = decode(c.v);
    expect(pyStr(v)).toBe(c.str);
    expect(pyRepr(v)).toBe(c.repr);
  });
});

describe("floatRepr", () => {
  // python3: repr(float(x)) for each
  it.each([
    [1, "1.0"],
    [-0, "-0.0"],
    [1e-5, "1e-05"],
    [0.0001, "0.0001"],
    [1e16, "1e+16"],
    [1e15, "1000000000000000.0"],
    [123456789.123, "123456789.123"],
    [1.5e300, "1.5e+300"],
    [5e-324, "5e-324"],
    [NaN, "nan"],
    [-Infinity, "-inf"],
  ])("%s → %s", (n, want) => {
    expect(floatRepr(n)).toBe(want);
  });

  it("prints ints beyond 2^53 with the double's digits", () => {
    // python3: str(int(1e22)) == '10000000000000000000000'; an int that arrived as a double keeps its value
    expect(intStr(1e22)).toBe("10000000000000000000000");
    expect(pyStr(2 ** 64)).toBe("18446744073709551616");
  });
});

describe("jinja2 objects", () => {
  it("prints Undefined as '' and repr 'Undefined', the sandbox's unsafe one too", () => {
    // jinja2: str(Undefined()) == '', repr(Undefined()) == 'Undefined'
    const unsafe = new Undefined("__class__", "dict object", false, "access to attribute '__class__' of 'dict' object is unsafe.", true);
    expect(pyStr(new Undefined("x"))).toBe("");
    expect(pyStr(unsafe)).toBe("");
    expect(pyRepr([new Undefined("x"), unsafe])).toBe("[Undefined, Undefined]");
  });

  it("prints a namespace as jinja2's Namespace.__repr__", () => {
    // jinja2: {{ namespace(a=1) }} → <Namespace {'a': 1}>; nested in a list the same
    const ns = new Namespace(new Map<string, Value>([["a", 1], ["b", "it's"]]));
    expect(pyStr(ns)).toBe(`<Namespace {'a': 1, 'b': "it's"}>`);
    expect(pyStr([ns])).toBe(`[<Namespace {'a': 1, 'b': "it's"}>]`);
  });

  it("prints callables with their own str", () => {
    expect(pyStr(new Callable("range", () => null))).toBe("<built-in function range>");
  });

  it("prints a self-containing list as Python does", () => {
    // python3: a = [1]; a.append(a); repr(a) == '[1, [...]]'; d = {}; d['d'] = d → "{'d': {...}}"
    const a: Value[] = [1];
    a.push(a);
    expect(pyRepr(a)).toBe("[1, [...]]");
    const d = new Map<Value, Value>();
    d.set("d", d);
    expect(pyRepr(d)).toBe("{'d': {...}}");
  });

  it("limits nesting depth with Python's RecursionError text", () => {
    let deep: Value = 1;
    for (let i = 0; i < 2000; i++) deep = [deep];
    expect(() => pyRepr(deep)).toThrow(/maximum recursion depth exceeded/);
  });

  it("keeps integral floats and ints apart", () => {
    expect(pyStr([1, new Float(1), 1.5])).toBe("[1, 1.0, 1.5]");
  });
});

describe("strRepr and pyAscii", () => {
  it.each([
    // python3: repr(s) / ascii(s)
    ["it's", `"it's"`, `"it's"`],
    [`a'b"c`, `'a\\'b"c'`, `'a\\'b"c'`],
    ["\u00e9\u{1F600}", "'\u00e9\u{1F600}'", "'\\xe9\\U0001f600'"],
    ["\u4e2d\u2028", "'\u4e2d\\u2028'", "'\\u4e2d\\u2028'"],
  ])("%j", (s, repr, ascii) => {
    expect(strRepr(s)).toBe(repr);
    expect(pyAscii(s)).toBe(ascii);
  });
});
