// Inferred spans against the independent Python reference (conformance/reference/infer.py): every real
// template × conversation × add_generation_prompt, and the inference fixtures. Character-exact spans, the
// same text, and the same fail-closed reason (or a render error where Python raised).
import { describe, expect, it } from "vitest";
import { inferCases, runInferCases, type InferCase } from "../../conformance/infer/harness.ts";

const units = new Map<string, InferCase[]>();
for (const c of inferCases()) {
  const list = units.get(c.unit);
  if (list) list.push(c);
  else units.set(c.unit, [c]);
}

describe("inferred spans identical to the instrumented-jinja2 reference", () => {
  it("has the real templates and the fixtures", () => {
    expect(units.has("infer/fixtures")).toBe(true);
    expect([...units.keys()].filter((u) => u !== "infer/fixtures").length).toBeGreaterThan(90);
  });
  for (const [unit, list] of units) {
    it(`${unit} (${list.length} cases)`, () => {
      const results = runInferCases(list);
      const failed = results.filter((r) => r.outcome === "fail");
      if (failed.length > 0) {
        throw new Error(`${failed.length} of ${list.length} cases differ from the reference:\n${failed.slice(0, 6).map((r) => `  ${r.case.id}: ${r.diff}`).join("\n")}`);
      }
      // a case the reference could not attribute is never most of a unit
      expect(results.filter((r) => r.outcome === "skipped").length).toBeLessThan(Math.max(1, list.length / 2));
    });
  }
});
