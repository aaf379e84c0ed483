// Deep nesting is a TemplateSyntaxError, never a stack overflow; huge templates parse; parse time stays low.
import { describe, expect, it } from "vitest";
import { TemplateSyntaxError } from "../../src/errors.ts";
import { Source } from "../../src/source.ts";
import { MAX_CHAIN, MAX_NESTING, parse, type SyntaxOptions } from "../../src/syntax/parser.ts";
import { normalize, realTemplates } from "./jinja2.ts";

const OPTIONS: SyntaxOptions = { trimBlocks: true, lstripBlocks: true, loopControls: true, regionTags: true };

const NESTED: Record<string, (n: number) => string> = {
  parentheses: (n) => `{{ ${"(".repeat(n)}1${")".repeat(n)} }}`,
  lists: (n) => `{{ ${"[".repeat(n)}1${"]".repeat(n)} }}`,
  dicts: (n) => `{{ ${"{'a': ".repeat(n)}1${"}".repeat(n)} }}`,
  calls: (n) => `{{ ${"f(".repeat(n)}1${")".repeat(n)} }}`,
  subscripts: (n) => `{{ x${"[y".repeat(n)}${"]".repeat(n)} }}`,
  "filter arguments": (n) => `{{ x${"|f(y".repeat(n)}${")".repeat(n)} }}`,
  nots: (n) => `{{ ${"not ".repeat(n)}x }}`,
  "unary minus": (n) => `{{ ${"- ".repeat(n)}x }}`,
  "else branches": (n) => `{{ ${"a if b else ".repeat(n)}c }}`,
  ifs: (n) => "{% if x %}".repeat(n) + "{% endif %}".repeat(n),
  fors: (n) => "{% for x in y %}".repeat(n) + "{% endfor %}".repeat(n),
  macros: (n) => "{% macro m() %}".repeat(n) + "{% endmacro %}".repeat(n),
  "blocks and brackets": (n) => "{% if x %}".repeat(n >> 1) + `{{ ${"(".repeat(n - (n >> 1))}1${")".repeat(n - (n >> 1))} }}` + "{% endif %}".repeat(n >> 1),
};

function parseDeep(template: string): unknown {
  try {
    return parse(new Source(template), OPTIONS);
  } catch (e) {
    return e;
  }
}

describe("nesting limit", () => {
  for (const [name, make] of Object.entries(NESTED)) {
    it(`${name}: ${MAX_NESTING} levels parse, more raise a TemplateSyntaxError`, () => {
      expect(parseDeep(make(MAX_NESTING))).toMatchObject({ kind: "Template" });
      for (const n of [MAX_NESTING + 1, 1000, 20_000]) {
        const e = parseDeep(make(n));
        expect(e).toBeInstanceOf(TemplateSyntaxError);
        expect((e as TemplateSyntaxError).detail).toMatch(/^template is nested too deeply \(more than 150 levels/);
      }
    });
  }

  it("leaves stack for the caller: the deepest template still parses from a deep call stack", () => {
    const recurse = (depth: number): unknown => (depth === 0 ? parseDeep(NESTED.parentheses(MAX_NESTING)) : recurse(depth - 1));
    expect(recurse(2000)).toMatchObject({ kind: "Template" });
  });
});

describe("large templates", () => {
  it("parses a 2 MB template of text, tags and long expressions without recursion trouble", () => {
    const unit = "<|im_start|>{{ message.role }}\n{% if message.content %}{{ message.content | trim }}{% endif %}<|im_end|>\n";
    const big = unit.repeat(Math.ceil(2_000_000 / unit.length));
    const t0 = performance.now();
    const ast = parse(new Source(big), OPTIONS);
    const ms = performance.now() - t0;
    expect(ast.body.length).toBeGreaterThan(60_000);
    expect(ms).toBeLessThan(10_000);
  });

  it("parses a 2 MB single line", () => {
    const line = "a{{ x }}".repeat(250_000);
    expect(parse(new Source(line), OPTIONS).body).toHaveLength(500_000);
  });
});

// Operator runs, filter chains, postfix chains, conditionals and elifs nest left-deep (or right-deep) in the AST;
// the compiler and the renderer walk them recursively, so their length is capped too.
const CHAINS: Record<string, (n: number) => string> = {
  "binary operators": (n) => `{{ x${" ~ x".repeat(n)} }}`,
  "and / or": (n) => `{{ x${" and x".repeat(n)} }}`,
  comparisons: (n) => `{{ x${" < x".repeat(n)} }}`,
  filters: (n) => `{{ x${"|f".repeat(n)} }}`,
  "tests and filters": (n) => `{{ x${" is t|f".repeat(Math.ceil(n / 2))} }}`,
  attributes: (n) => `{{ x${".a".repeat(n)} }}`,
  calls: (n) => `{{ f${"()".repeat(n)} }}`,
  conditionals: (n) => `{{ x${" if y".repeat(n)} }}`,
  elifs: (n) => `{% if x %}${"{% elif y %}".repeat(n)}{% endif %}`,
  "set block filters": (n) => `{% set x${" | f".repeat(n)} %}{% endset %}`,
  "filter block filters": (n) => `{% filter f${" | f".repeat(n)} %}{% endfilter %}`,
};

describe("chain limit", () => {
  for (const [name, make] of Object.entries(CHAINS)) {
    it(`${name}: ${MAX_CHAIN} in a row parse, more raise a TemplateSyntaxError`, () => {
      expect(parseDeep(make(MAX_CHAIN - 1))).toMatchObject({ kind: "Template" });
      const e = parseDeep(make(MAX_CHAIN + 2));
      expect(e).toBeInstanceOf(TemplateSyntaxError);
      expect((e as TemplateSyntaxError).detail).toMatch(/^expression is too long \(more than 1000 /);
    });
  }
});

describe("speed", () => {
  it("parses Qwen3's chat template in well under a millisecond once warm", async () => {
    const templates = await realTemplates();
    const qwen = templates.find((t) => t.name.includes("qwen3"))!;
    const source = new Source(normalize(qwen.template));
    for (let i = 0; i < 200; i++) parse(source, OPTIONS);
    // The best of several batches: test machines are shared, a single timing is mostly noise.
    let perParse = Infinity;
    for (let batch = 0; batch < 10; batch++) {
      const t0 = performance.now();
      for (let i = 0; i < 50; i++) parse(source, OPTIONS);
      perParse = Math.min(perParse, (performance.now() - t0) / 50);
    }
    const all = templates.map((t) => new Source(normalize(t.template), t.name));
    const t1 = performance.now();
    for (const s of all) parse(s, OPTIONS);
    const allMs = performance.now() - t1;
    console.log(`qwen3 chat template: ${perParse.toFixed(3)} ms per parse; all ${all.length} real templates: ${allMs.toFixed(1)} ms`);
    // Generous: under vitest module imports become getters (plain node: about 0.3 ms here).
    expect(perParse).toBeLessThan(10);
  });
});
