// transformers' tojson against json.dumps: fixtures/tojson.json holds python3's answers for
// tojson(value, **kwargs) with transformers' defaults (test/runtime/tools/expect.py).
import { describe, expect, it } from "vitest";
import { toJson } from "../../src/runtime/tojson.ts";
import type { Value } from "../../src/runtime/value.ts";
import { compare, decode, label, loadFixture, outcome, type Answer, type Tagged } from "./pyvalues.ts";

interface JsonCase extends Answer {
  v: Tagged;
  kwargs: Record<string, Tagged>;
}

/** Cases spanja answers differently on purpose (COMPATIBILITY.md), by label(v). */
const DIVERGES: Record<string, string> = {
  // value.ts dictKey folds an integral float key into an int: {2.0: …} prints "2", Python "2.0"
  [`{"d":[[1,"bool"],[1.5,"float"],[null,"none"],[{"f":"2.0"},"f2"]]}`]: `{"1": "bool", "1.5": "float", "null": "none", "2": "f2"}`,
  // a JS number cannot hold 2^53 + 1: the int arrives rounded
  ["9007199254740992"]: "9007199254740992",
};

describe("known divergences", () => {
  it.each(Object.entries(DIVERGES))("%s", (v, want) => {
    expect(toJson(decode(JSON.parse(v) as Tagged))).toBe(want);
  });
});

describe("tojson matches json.dumps (fixtures/tojson.json)", () => {
  const cases = loadFixture<JsonCase>("tojson").cases.filter((c) => DIVERGES[JSON.stringify(c.v)] === undefined);
  it.each(cases.map((c) => [`${label(c.v)} ${label(c.kwargs)}`, c] as const))("%s", (_, c) => {
    const kw = c.kwargs;
    const opt = (k: string): Value | undefined => (k in kw ? decode(kw[k]) : undefined);
    const got = outcome(() => toJson(decode(c.v), opt("indent") ?? null, { ensureAscii: opt("ensure_ascii"), separators: opt("separators"), sortKeys: opt("sort_keys") }));
    expect(compare(got, c)).toBe("");
  });
});

describe("details", () => {
  it("refuses circular data as json does", () => {
    const a: Value[] = [];
    a.push(a);
    expect(() => toJson(a)).toThrow("Circular reference detected");
  });

  it("writes lone surrogates through, as Python's str keeps them", () => {
    expect(toJson("\udc80")).toBe('"\udc80"');
    expect(toJson("\udc80", null, { ensureAscii: true })).toBe('"\\udc80"');
  });
});
