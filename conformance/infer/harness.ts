// The inferred-span conformance cases: every golden of goldens/infer/ (real templates × conversations ×
// add_generation_prompt) and goldens/infer-fixtures/ (our own small templates) rendered by spanja with
// `spanSource: "infer"` and compared with conformance/reference/infer.py, which implements the same
// definition on instrumented jinja2: text, spans (code points), and the fail-closed reason or render error.
// Shared by conformance/run.ts and test/conformance/infer.test.ts.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  CONFORMANCE,
  DEFAULT_NOW,
  GOLDENS,
  loadConversations,
  templateTextOrProblem,
  parseFixture,
  readJson,
  sha256,
  templateContext,
  type Conversation,
  type GoldenError,
  type TemplateGolden,
} from "../sources.ts";
import { rangesToCodePoints } from "../../src/codepoints.ts";
import { InferenceError, TemplateError } from "../../src/errors.ts";
import { Template } from "../../src/template.ts";

/** A fail-closed reason ({kind}) or a render error ({type}), as the reference records it. */
export type InferGoldenError = { kind: string; message: string } | GoldenError;

export interface InferGoldenCase {
  text: string | null;
  spans: { label: string; start: number; end: number; excerpt?: string }[];
  error: InferGoldenError | null;
  /** "interfered": the reference's loop markers changed what the template rendered; not comparable. */
  reference: "ok" | "interfered";
}

interface InferGolden {
  id?: string;
  template_sha256: string;
  special_tokens?: Record<string, unknown>;
  cases: Record<string, InferGoldenCase>;
}

export interface InferCase {
  id: string;
  unit: string;
  source: string;
  context: Record<string, unknown>;
  golden: InferGoldenCase;
  inputProblem?: string;
}

export interface InferResult {
  case: InferCase;
  /** "skipped": the reference could not attribute the case (interfered). */
  outcome: "pass" | "fail" | "skipped";
  diff: string;
}

const INFER = join(GOLDENS, "infer");
const INFER_FIXTURES = join(GOLDENS, "infer-fixtures");
const FIXTURES = join(CONFORMANCE, "fixtures-infer");

/** Every inferred-span case recorded in the goldens. */
export function inferCases(): InferCase[] {
  const out: InferCase[] = [];
  const conversations = new Map<string, Conversation>(loadConversations().map((c) => [c.name, c]));
  if (existsSync(INFER)) {
    for (const file of readdirSync(INFER).filter((f) => f.endsWith(".json")).sort()) {
      const g = readJson<InferGolden & TemplateGolden>(join(INFER, file));
      const { source, problem } = templateTextOrProblem(g);
      for (const [key, golden] of Object.entries(g.cases)) {
        const [name, agp] = key.split("|agp=");
        const conv = conversations.get(name);
        const context = conv === undefined ? {} : templateContext(conv, agp === "true", g.special_tokens ?? {});
        const missing = conv === undefined ? `conversation ${name} is gone (run npm run conformance:generate)` : undefined;
        out.push({ id: `${g.id ?? file} ${key}`, unit: `infer/${file.replace(/\.json$/, "")}`, source, context, golden, ...((problem ?? missing) ? { inputProblem: problem ?? missing } : {}) });
      }
    }
  }
  if (existsSync(INFER_FIXTURES)) {
    for (const file of readdirSync(INFER_FIXTURES).filter((f) => f.endsWith(".json")).sort()) {
      const name = file.replace(/\.json$/, "");
      const g = readJson<InferGolden & InferGoldenCase>(join(INFER_FIXTURES, file));
      const path = join(FIXTURES, `${name}.txt`);
      let source = "";
      let context: Record<string, unknown> = {};
      let problem: string | undefined;
      try {
        const f = parseFixture(readFileSync(path, "utf8"), path);
        source = f.template;
        context = f.context;
        if (sha256(source) !== g.template_sha256) problem = `${path} changed since the goldens were generated (run npm run conformance:generate)`;
      } catch (e) {
        problem = (e as Error).message;
      }
      const golden: InferGoldenCase = g.cases?.[""] ?? { text: g.text, spans: g.spans, error: g.error, reference: g.reference };
      out.push({ id: `fixture ${name}`, unit: "infer/fixtures", source, context, golden, ...(problem ? { inputProblem: problem } : {}) });
    }
  }
  return out;
}

const compiled = new Map<string, Template | Error>();

function templateFor(source: string): Template {
  let t = compiled.get(source);
  if (t === undefined) {
    try {
      t = new Template(source, { now: new Date(DEFAULT_NOW) });
    } catch (e) {
      t = e as Error;
    }
    compiled.set(source, t);
  }
  if (t instanceof Error) throw t;
  return t;
}

/** Renders each case with inferred spans and compares with the reference. */
export function runInferCases(cases: readonly InferCase[]): InferResult[] {
  return cases.map((c): InferResult => {
    const g = c.golden;
    if (c.inputProblem !== undefined) return { case: c, outcome: "fail", diff: c.inputProblem };
    if (g.reference === "interfered") return { case: c, outcome: "skipped", diff: "the reference's markers changed the render" };
    let text: string;
    let spans: { label: string; start: number; end: number }[];
    try {
      const r = templateFor(c.source).renderWithSpans(c.context, { spanSource: "infer" });
      text = r.text;
      spans = rangesToCodePoints(r.text, r.spans).map((s) => ({ label: s.label, start: s.start, end: s.end }));
    } catch (e) {
      const err = e as Error;
      if (g.error === null) return { case: c, outcome: "fail", diff: `spanja raised where the reference gave spans: ${err.message.split("\n")[0]}` };
      if ("kind" in g.error) {
        if (err instanceof InferenceError && err.reason === g.error.kind) return { case: c, outcome: "pass", diff: "" };
        return { case: c, outcome: "fail", diff: `reference fails closed (${g.error.kind}: ${g.error.message}); spanja: ${err.message.split("\n")[0]}` };
      }
      if (err instanceof TemplateError && !(err instanceof InferenceError)) return { case: c, outcome: "pass", diff: "" };
      return { case: c, outcome: "fail", diff: `reference raises ${g.error.type}: ${g.error.message}; spanja: ${err.message.split("\n")[0]}` };
    }
    if (g.error !== null) return { case: c, outcome: "fail", diff: `reference: ${"kind" in g.error ? g.error.kind : g.error.type}: ${g.error.message}; spanja gave spans` };
    if (text !== g.text) return { case: c, outcome: "fail", diff: "text differs" };
    const want = g.spans.map((s) => ({ label: s.label, start: s.start, end: s.end }));
    if (JSON.stringify(want) !== JSON.stringify(spans)) {
      const show = (xs: typeof spans) => xs.map((s) => `${s.label}[${s.start},${s.end}) ${JSON.stringify([...text].slice(s.start, s.end).join(""))}`).join("\n        ");
      return { case: c, outcome: "fail", diff: `spans differ\n      reference: ${show(want)}\n      spanja:    ${show(spans)}` };
    }
    return { case: c, outcome: "pass", diff: "" };
  });
}
