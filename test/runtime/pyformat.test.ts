// format(value, spec) against Python: fixtures/formats.json holds python3's answers (test/runtime/tools/expect.py).
// printf `%` and str.format are covered through binops.json and methods.json.
import { describe, expect, it } from "vitest";
import { formatValue } from "../../src/runtime/pyformat.ts";
import { compare, decode, label, loadFixture, outcome, type Answer, type Tagged } from "./pyvalues.ts";
import { testState } from "./state.ts";

interface FormatCase extends Answer {
  v: Tagged;
  spec: string;
}

describe("format() matches Python (fixtures/formats.json)", () => {
  const cases = loadFixture<FormatCase>("formats").cases;
  it.each(cases.map((c) => [`format(${label(c.v)}, ${JSON.stringify(c.spec)})`, c] as const))("%s", (_, c) => {
    expect(compare(outcome(() => formatValue(decode(c.v), c.spec)), c)).toBe("");
  });
});

describe("limits", () => {
  it("checks the padded width against maxStringLength", () => {
    const state = testState({ maxStringLength: 100 });
    expect(formatValue("a", ">100", state)).toHaveLength(100);
    expect(() => formatValue("a", ">101", state)).toThrow(/maxStringLength/);
    expect(() => formatValue(1, "0101", state)).toThrow(/maxStringLength/);
  });
});
