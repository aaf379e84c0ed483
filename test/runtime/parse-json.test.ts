// parseJSON reads JSON as Python's json.loads does: floats stay floats (`1.0`), NaN and Infinity are
// accepted, errors name the file, line and column. Checked against python3: for random JSON texts,
// spanja's tojson of parseJSON(text) equals json.dumps(json.loads(text)).
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Template, TemplateError, parseJSON, Float } from "../../src/index.ts";
import { PYTHON } from "../properties/python.ts";

const TOJSON = new Template("{{ x|tojson }}");
const RUNS = Number(process.env.SPANJA_PROPERTY_RUNS ?? 400);

describe("parseJSON", () => {
  it("keeps a float written with a fraction or an exponent, as Python does", () => {
    const v = parseJSON('{"a": 1.0, "b": 1, "c": 1e2, "d": -0.0, "e": 2.5, "f": [3.000, -0]}') as Record<string, unknown>;
    expect(v.a).toBeInstanceOf(Float);
    expect(v.b).toBe(1);
    expect(TOJSON.render({ x: v })).toBe('{"a": 1.0, "b": 1, "c": 100.0, "d": -0.0, "e": 2.5, "f": [3.0, 0]}');
    expect(new Template("{{ x.a }} {{ x.c }} {{ x.f }}").render({ x: v })).toBe("1.0 100.0 [3.0, 0]");
  });

  it("accepts NaN and Infinity, keeps the first place of a duplicate key with the last value, and never sets a prototype", () => {
    const v = parseJSON('{"k": 1, "n": NaN, "i": [Infinity, -Infinity], "k": 2, "__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(["k", "n", "i", "__proto__"]);
    expect(v.k).toBe(2);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(TOJSON.render({ x: v })).toBe('{"k": 2, "n": NaN, "i": [Infinity, -Infinity], "__proto__": {"polluted": true}}');
  });

  it("errors name the file, line and column, in json's words", () => {
    const cases: [string, RegExp][] = [
      ['{"a": 1,\n "b": }', /^ctx\.json: Expecting value: line 2 column 7 \(char 15\)$/],
      ['{"a" 1}', /Expecting ':' delimiter: line 1 column 6/],
      ["[1, 2", /Expecting ',' delimiter: line 1 column 6/],
      ['"abc', /Unterminated string starting at: line 1 column 1/],
      ['"a\tb"', /Invalid control character at: line 1 column 3/],
      ["[1] x", /Extra data: line 1 column 5/],
      ["{'a': 1}", /Expecting property name enclosed in double quotes/],
      ["[" .repeat(1001) + "]".repeat(1001), /nesting deeper than 1000 levels/],
    ];
    for (const [text, message] of cases) {
      try {
        parseJSON(text, "ctx.json");
        throw new Error(`accepted ${text}`);
      } catch (e) {
        expect(e).toBeInstanceOf(TemplateError);
        expect((e as TemplateError).detail).toMatch(message);
      }
    }
  });
});

// ---- random JSON texts, written the ways people write numbers ----
const num = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.constantFrom("1.0", "2.50", "1e2", "-0.0", "1E-7", "123456789.0", "0.1", "-3.25e+3", "0", "-0", "1e400", "5e-324"),
  // integers beyond 2^53 lose precision in JS (COMPATIBILITY.md, big integers): not generated
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)).filter((t) => /[.eE]/.test(t) || Math.abs(Number(t)) <= Number.MAX_SAFE_INTEGER),
);
const str = fc.oneof(fc.string(), fc.constantFrom('"', "\\", "é", "😀", "\u2028", "a\nb")).map((s) => JSON.stringify(s).replace(/é/g, "\\u00e9"));
const key = fc.oneof(fc.constantFrom("role", "content", "arguments", "temperature", "x y", "é"), fc.string().filter((k) => !/^(0|[1-9]\d*)$/.test(k))).map((k) => JSON.stringify(k));
const json = fc.letrec<{ v: string; a: string; o: string }>((tie) => ({
  v: fc.oneof({ depthSize: "small" }, num, str, fc.constantFrom("true", "false", "null", "NaN"), tie("a"), tie("o")),
  a: fc.array(tie("v"), { maxLength: 4 }).map((xs) => `[${xs.join(", ")}]`),
  o: fc.array(fc.tuple(key, tie("v")), { maxLength: 4 }).map((kv) => `{${kv.map(([k, v]) => `${k}:${v}`).join(" ,\n")}}`),
})).v;

describe.skipIf(PYTHON === null)("parseJSON against Python's json module", () => {
  it(`tojson(parseJSON(t)) equals json.dumps(json.loads(t)) on ${RUNS} texts`, () => {
    const texts = fc.sample(json, { numRuns: RUNS, seed: 7 });
    const script = "import json, sys\nprint(json.dumps([json.dumps(json.loads(t), ensure_ascii=False) for t in json.load(sys.stdin)]))";
    const r = spawnSync("python3", ["-c", script], { input: JSON.stringify(texts), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(r.stderr);
    const want = JSON.parse(r.stdout) as string[];
    const differences = texts.map((t, i) => [t, want[i], TOJSON.render({ x: parseJSON(t) })]).filter(([, a, b]) => a !== b);
    expect(differences.slice(0, 3)).toEqual([]);
  });
});
