// Every real chat template in node_modules parses, and its AST equals Python jinja2's (when python3 is available).
import { describe, expect, it } from "vitest";
import { Source } from "../../src/source.ts";
import { parse, type SyntaxOptions } from "../../src/syntax/parser.ts";
import { body, jinja2Parse, normalize, pythonUnavailable, realTemplates } from "./jinja2.ts";

const OPTIONS: SyntaxOptions = { trimBlocks: true, lstripBlocks: true, loopControls: true, regionTags: true };
const templates = await realTemplates();

describe("real chat templates", () => {
  it("finds them in node_modules", () => {
    expect(templates.length).toBeGreaterThanOrEqual(90);
  });

  it("parses every one", () => {
    const failures: string[] = [];
    for (const t of templates) {
      try {
        parse(new Source(normalize(t.template), t.name), OPTIONS);
      } catch (e) {
        failures.push(`${t.name}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  const skip = pythonUnavailable();
  it.skipIf(skip !== null)(`matches jinja2's AST, Text nodes included${skip ? ` (skipped: ${skip})` : ""}`, () => {
    const expected = jinja2Parse(templates.map((t) => t.template), OPTIONS);
    const mismatches: string[] = [];
    templates.forEach((t, i) => {
      const actual = body(parse(new Source(normalize(t.template), t.name), OPTIONS).body);
      const e = expected[i];
      if (!("dump" in e)) mismatches.push(`${t.name}: jinja2 failed: ${JSON.stringify(e)}`);
      else if (e.dump !== actual) mismatches.push(`${t.name}:\n  jinja2: ${e.dump}\n  spanja: ${actual}`);
    });
    expect(mismatches).toEqual([]);
  });
});
