// The conformance harness itself, driven by stub engines: inputs load and match the goldens, offsets
// convert both ways, and each kind of difference is reported; the same for the ids/masks cases with a stub
// ChatTokenizer. Needs neither Python nor the real engine.
import { describe, expect, it } from "vitest";
import {
  KNOWN_WORDING,
  allCases,
  compareCase,
  errorFamily,
  familyMatches,
  formatMismatches,
  formatTable,
  runCases,
  tally,
  textDiff,
  utf16ToCodePoints,
  type Case,
  type Engine,
  type EngineOptions,
  type Outcome,
} from "../../conformance/compare.ts";
import { maskCases, runMaskCases, type MaskCase } from "../../conformance/masks/harness.ts";
import { parseFixture } from "../../conformance/sources.ts";

class StubError extends Error {
  readonly kind: string;
  readonly detail: string;
  constructor(name: string, kind: string, detail: string) {
    super(detail);
    this.name = name;
    this.kind = kind;
    this.detail = detail;
  }
}

function cpToUtf16(text: string, cp: number): number {
  const cps = [...text];
  return cps.slice(0, cp).join("").length + Math.max(0, cp - cps.length);
}

/** An engine that answers from the goldens: what a perfect spanja would return. */
function oracle(cases: readonly Case[], tweak: (text: string) => string = (t) => t): Engine {
  const answers = new Map<string, Case>();
  const key = (source: string, options: EngineOptions | undefined, context: object) => `${JSON.stringify(options)}\u0000${source}\u0000${JSON.stringify(context)}`;
  for (const c of cases) answers.set(key(c.source, c.options, c.context), c);
  class Template {
    private readonly source: string;
    private readonly options: EngineOptions | undefined;
    constructor(source: string, options?: EngineOptions) {
      this.source = source;
      this.options = options;
    }
    renderWithSpans(context: object) {
      const c = answers.get(key(this.source, this.options, context));
      if (c === undefined) throw new Error("stub: unknown case");
      const g = c.golden;
      if (g.error !== null) {
        const fam = errorFamily(g.error.type);
        const names: Record<string, [string, string]> = {
          syntax: ["TemplateSyntaxError", "syntax"],
          undefined: ["UndefinedError", "undefined"],
          security: ["SecurityError", "security"],
          raised: ["TemplateRuntimeError", "raised"],
          runtime: ["TemplateRuntimeError", "type"],
          compile: ["TemplateSyntaxError", "syntax"],
          python: ["TemplateRuntimeError", "type"],
        };
        // a syntax-family error keeps its own class (TemplateAssertionError is one); a Python one names its class
        const err = new StubError(fam === "syntax" ? g.error.type : names[fam][0], names[fam][1], g.error.message);
        throw fam === "python" ? Object.assign(err, { pythonException: g.error.type }) : err;
      }
      const text = g.text ?? "";
      return { text: tweak(text), spans: g.spans.map((s) => ({ label: s.label, start: cpToUtf16(text, s.start), end: cpToUtf16(text, s.end) })), warnings: [] };
    }
  }
  return { Template };
}

const cases = allCases();

describe("conformance inputs", () => {
  it("load, with a golden for every case and every template found in node_modules", () => {
    const problems = cases.filter((c) => c.inputProblem !== undefined).map((c) => `${c.id}: ${c.inputProblem}`);
    expect(problems).toEqual([]);
    expect(cases.filter((c) => c.unit.startsWith("fixtures/")).length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => c.unit.startsWith("templates/")).length).toBeGreaterThan(1000);
  });

  it("parse fixtures byte for byte after the first `---` line", () => {
    expect(parseFixture('{"a": 1}\n---\n---\n x\n', "t")).toEqual({ context: { a: 1 }, options: {}, template: "---\n x\n" });
    expect(parseFixture('{\n"$options": {"trim_blocks": false}\n}\n---\n', "t")).toEqual({ context: {}, options: { trim_blocks: false }, template: "" });
    expect(() => parseFixture("{}\n--- \nx", "t")).toThrow(/no line/);
  });
});

describe("harness with a stub engine", () => {
  it("a perfect engine passes every case", () => {
    const results = runCases(oracle(cases), cases);
    const failed = results.filter((r) => !r.pass);
    expect(formatMismatches(failed, 5)).toBe("");
    const table = formatTable(tally(results));
    expect(table).toContain("fixtures/spans");
    expect(table).toContain("templates/@huggingface/ollama-utils");
  });

  it("reports text differences, and spans shifted by them", () => {
    const spanCases = cases.filter((c) => c.unit === "fixtures/spans");
    const results = runCases(oracle(spanCases, (t) => `!${t}`), spanCases);
    const withText = results.filter((r) => r.case.golden.error === null);
    expect(withText.every((r) => !r.text && !r.pass)).toBe(true);
    expect(formatMismatches(results, 1)).toContain("text differs at 1:1");
  });

  it("reports an engine that throws where Python rendered, and one that renders where Python raised", () => {
    const ok = cases.find((c) => c.id === "spans/generation-simple") as Case;
    const err = cases.find((c) => c.id === "errors/err-raise-exception") as Case;
    const threw: Outcome = { ok: false, name: "Error", kind: undefined, detail: undefined, templateError: false, message: "boom" };
    expect(compareCase(ok, threw).pass).toBe(false);
    const rendered: Outcome = { ok: true, text: "before", spans: [] };
    const r = compareCase(err, rendered);
    expect([r.pass, r.raised]).toEqual([false, false]);
    expect(r.diff).toContain("expected TemplateError");
  });

  it("fails an error with Python's family but other wording, unless known-wording.json allows it", () => {
    const err = cases.find((c) => c.id === "errors/err-raise-exception") as Case;
    const golden = err.golden.error!;
    const as = (detail: string): Outcome => ({ ok: false, name: "TemplateRuntimeError", kind: "raised", detail, templateError: true, message: detail });
    expect(compareCase(err, as(golden.message)).pass).toBe(true);
    const other = compareCase(err, as(`${golden.message}!`));
    expect([other.errorClass, other.errorDetail, other.pass]).toEqual([true, false, false]);
    expect(other.diff).toContain("other wording");
    const allowed = [...KNOWN_WORDING.keys()].map((id) => cases.find((c) => c.id === id) as Case);
    expect(allowed.length).toBeGreaterThan(0);
    for (const c of allowed) {
      const r = compareCase(c, { ok: false, name: "TemplateSyntaxError", kind: "syntax", detail: "some other words", templateError: true, message: "" });
      expect(r.errorDetail).toBe(false);
      expect(r.pass).toBe(r.errorClass);
    }
  });

  it("compares spans in code points", () => {
    const c = cases.find((x) => x.id === "spans/generation-code-points") as Case;
    const good = runCases(oracle([c]), [c])[0];
    expect(good.pass).toBe(true);
    const wrong: Outcome = { ok: true, text: c.golden.text ?? "", spans: c.golden.spans.map((s) => ({ label: s.label, start: cpToUtf16(c.golden.text ?? "", s.start), end: s.end })) };
    expect(compareCase(c, wrong).spans).toBe(false);
  });
});

describe("error families", () => {
  const e = (name: string, kind: string): Outcome => ({ ok: false, name, kind, detail: "d", templateError: true, message: "d" });
  it("map Python classes to spanja classes", () => {
    expect(familyMatches({ type: "TemplateSyntaxError", message: "" }, e("TemplateSyntaxError", "syntax"))).toBe(true);
    expect(familyMatches({ type: "TemplateAssertionError", message: "" }, e("TemplateAssertionError", "unknown-filter"))).toBe(true);
    expect(familyMatches({ type: "TemplateAssertionError", message: "" }, e("TemplateSyntaxError", "syntax"))).toBe(false);
    expect(familyMatches({ type: "UndefinedError", message: "" }, e("TemplateRuntimeError", "type"))).toBe(false);
    expect(familyMatches({ type: "SecurityError", message: "" }, e("SecurityError", "security"))).toBe(true);
    expect(familyMatches({ type: "TemplateError", message: "" }, e("TemplateRuntimeError", "raised"))).toBe(true);
    expect(familyMatches({ type: "TemplateError", message: "" }, e("TemplateRuntimeError", "type"))).toBe(false);
    expect(familyMatches({ type: "TypeError", message: "" }, e("LimitError", "limit"))).toBe(true);
    const py = (cls: string): Outcome => ({ ...e("TemplateRuntimeError", "type"), pythonException: cls } as Outcome);
    expect(familyMatches({ type: "ZeroDivisionError", message: "" }, py("ZeroDivisionError"))).toBe(true);
    expect(familyMatches({ type: "ZeroDivisionError", message: "" }, py("TypeError"))).toBe(false);
    expect(familyMatches({ type: "ValueError", message: "" }, e("TemplateRuntimeError", "type"))).toBe(false);
    expect(familyMatches({ type: "SyntaxError", message: "" }, e("TemplateSyntaxError", "syntax"))).toBe(true);
    expect(familyMatches({ type: "TemplateRuntimeError", message: "" }, e("TemplateSyntaxError", "syntax"))).toBe(false);
  });
  it("require a TemplateError, never a plain JS error", () => {
    const plain: Outcome = { ok: false, name: "TypeError", kind: undefined, detail: undefined, templateError: false, message: "x is not a function" };
    expect(familyMatches({ type: "TypeError", message: "" }, plain)).toBe(false);
  });
});

describe("offsets", () => {
  it("convert UTF-16 to code points, counting past the end one per unit", () => {
    const t = "a😀b";
    expect([0, 1, 3, 4].map((o) => utf16ToCodePoints(t, o))).toEqual([0, 1, 2, 3]);
    expect(utf16ToCodePoints(t, 6)).toBe(5);
    expect(utf16ToCodePoints("\ud800x", 1)).toBe(1);
  });
  it("describe where texts differ", () => {
    expect(textDiff("ab\ncd", "ab\nxd")).toContain("differs at 2:1");
  });
});

describe("ids/masks harness with a stub ChatTokenizer", () => {
  const cases = maskCases();
  /** A ChatTokenizer that answers from the goldens, optionally spoiling one field. */
  function chatOracle(spoil?: (golden: MaskCase["golden"]) => Record<string, unknown>): Engine {
    const answers = new Map<string, MaskCase>();
    const key = (conversation: unknown, options: Record<string, unknown>) => {
      const { chat_template, return_assistant_tokens_mask, return_thinking_mask, mask_policy, ...rest } = options;
      return JSON.stringify([chat_template, conversation, rest]);
    };
    for (const c of cases) answers.set(key(c.conversation, { chat_template: c.source, ...c.options }), c);
    return {
      Template: oracle([]).Template,
      ChatTokenizer: {
        fromJSON: () => ({
          applyChatTemplate(conversation: unknown, options: Record<string, unknown>) {
            const c = answers.get(key(conversation, options));
            if (c === undefined) throw new Error("stub: unknown case");
            const g = c.golden;
            if (c.failClosed !== undefined) throw Object.assign(new StubError("InferenceError", "inference", g.error?.message ?? ""), { reason: c.failClosed });
            if (g.error !== null) {
              const fam = errorFamily(g.error.type);
              const name = fam === "syntax" ? g.error.type : fam === "compile" ? "TemplateSyntaxError" : fam === "undefined" ? "UndefinedError" : fam === "security" ? "SecurityError" : "TemplateRuntimeError";
              const err = new StubError(name, fam === "raised" ? "raised" : "type", g.error.message);
              throw fam === "python" ? Object.assign(err, { pythonException: g.error.type }) : err;
            }
            const texts = g.samples.map((s) => s.text);
            return { text: g.batched ? texts : texts[0], ...g, ...(spoil ? spoil(g) : {}) };
          },
        }),
      },
    };
  }

  it("loads every golden of goldens/masks with its inputs", () => {
    expect(cases.filter((c) => c.inputProblem !== undefined).map((c) => `${c.id}: ${c.inputProblem}`)).toEqual([]);
    expect(cases.length).toBeGreaterThan(250);
    expect(cases.filter((c) => c.unit === "masks/quirks").length).toBeGreaterThanOrEqual(12);
  });

  it("a perfect ChatTokenizer passes every case, and the table shows ids and masks", () => {
    const results = runMaskCases(chatOracle(), cases);
    expect(formatMismatches(results.filter((r) => !r.pass), 3)).toBe("");
    const table = formatTable(tally(results));
    expect(table).toMatch(/area \/ source\s+cases\s+text\s+spans\s+ids\s+masks/);
    expect(table).toContain("masks/quirks");
  });

  it("reports a wrong mask as a masks failure, ids still matching", () => {
    const quirks = cases.filter((c) => c.id === "quirks end-token-zero");
    const flip = (m: unknown) => (m as number[]).map((x, i) => (i === 0 ? 1 - x : x));
    const [r] = runMaskCases(chatOracle((g) => ({ assistant_masks: flip(g.assistant_masks) })), quirks);
    expect([r.pass, r.ids, r.masks, r.text]).toEqual([false, true, false, true]);
    expect(r.diff).toContain("assistant_masks differ");
  });
});
