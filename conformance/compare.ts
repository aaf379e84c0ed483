// Builds the conformance cases (fixtures and real templates × conversations), renders them with an
// engine and compares text, spans and errors with the Python goldens. Shared by run.ts and the tests.
// The engine is reached only through the small `Engine` interface below, so the harness can be
// exercised with a stub and never depends on engine internals.
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  DEFAULT_NOW,
  ROOT,
  caseKey,
  fixtureGoldenPath,
  loadConversations,
  loadFixtures,
  loadTemplateGoldens,
  templateTextOrProblem,
  readJson,
  sha256,
  templateContext,
  type FixtureGolden,
  type FixtureOptions,
  type GoldenCase,
  type GoldenError,
} from "./sources.ts";

/** What the harness needs from spanja's public API (src/index.ts). */
export interface EngineOptions {
  spanMode: "exact" | "hf";
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  keepTrailingNewline?: boolean;
  now?: Date;
}

export interface EngineSpan {
  label: string;
  /** UTF-16 offsets into text. */
  start: number;
  end: number;
}

export interface EngineTemplate {
  renderWithSpans(context: object): { text: string; spans: EngineSpan[]; warnings?: unknown };
}

/** What the ids/masks harness needs from spanja's ChatTokenizer (conformance/masks/harness.ts). */
export interface EngineChatTokenizer {
  applyChatTemplate(conversation: unknown, options: Record<string, unknown>): unknown;
}

export interface Engine {
  Template: new (source: string, options?: EngineOptions) => EngineTemplate;
  /** Needed for the ids/masks cases only. */
  ChatTokenizer?: { fromJSON(tokenizerJson: object, tokenizerConfig: object): EngineChatTokenizer };
}

/** Imports the real engine; the specifier is computed so the harness type-checks before src/index.ts exists. */
export async function loadEngine(): Promise<Engine> {
  const url = new URL("../src/index.ts", import.meta.url).href;
  const mod = (await import(url)) as Partial<Engine>;
  if (typeof mod.Template !== "function") throw new Error("src/index.ts does not export a Template class");
  return mod as Engine;
}

/** One rendering to check. `unit` is what a test covers (a fixture area or a template); `group` a table row. */
export interface Case {
  id: string;
  unit: string;
  group: string;
  source: string;
  options: EngineOptions;
  context: Record<string, unknown>;
  golden: GoldenCase;
  /** Set when the inputs do not match the goldens (stale, missing); the case then fails without rendering. */
  inputProblem?: string;
}

function engineOptions(o: FixtureOptions): EngineOptions {
  return {
    spanMode: "hf",
    trimBlocks: o.trim_blocks ?? true,
    lstripBlocks: o.lstrip_blocks ?? true,
    keepTrailingNewline: o.keep_trailing_newline ?? false,
    now: new Date(o.now ?? DEFAULT_NOW),
  };
}

/** Error cases whose wording differs from Python's by choice (case id → the text naming it in COMPATIBILITY.md). */
export const KNOWN_WORDING: ReadonlyMap<string, string> = new Map(
  Object.entries(readJson<Record<string, string>>(join(ROOT, "conformance", "known-wording.json"))).filter(([k]) => !k.startsWith("$")),
);

const EMPTY: GoldenCase = { text: null, spans: [], error: null };

/** Every fixture with its golden. */
export function fixtureCases(goldens?: string): Case[] {
  return loadFixtures().map((f) => {
    const base = {
      id: `${f.area}/${f.name}`,
      unit: `fixtures/${f.area}`,
      group: `fixtures/${f.area}`,
      source: f.template,
      options: engineOptions(f.options),
      context: f.context,
    };
    const path = fixtureGoldenPath(f, goldens);
    if (!existsSync(path)) return { ...base, golden: EMPTY, inputProblem: "no golden (run npm run conformance:generate)" };
    const golden = readJson<FixtureGolden>(path);
    const stale = golden.template_sha256 !== sha256(f.template) ? "golden is stale: template changed (run npm run conformance:generate)" : undefined;
    return { ...base, golden: { text: golden.text, spans: golden.spans, error: golden.error }, ...(stale ? { inputProblem: stale } : {}) };
  });
}

/** Every real template × conversation × add_generation_prompt recorded in the goldens. */
export function templateCases(goldens?: string): Case[] {
  const conversations = new Map(loadConversations().map((c) => [c.name, c]));
  const out: Case[] = [];
  for (const g of loadTemplateGoldens(goldens)) {
    const { source, problem } = templateTextOrProblem(g);
    const group = `templates/${g.source.package}`;
    const seen = new Set<string>();
    for (const conv of conversations.values()) {
      for (const agp of [false, true]) {
        const key = caseKey(conv.name, agp);
        seen.add(key);
        const golden = g.cases[key];
        out.push({
          id: `${g.id} ${key}`,
          unit: `templates/${g.id}`,
          group,
          source,
          options: engineOptions({}),
          context: templateContext(conv, agp, g.special_tokens),
          golden: golden ?? EMPTY,
          ...(problem ? { inputProblem: problem } : golden ? {} : { inputProblem: "no golden for this conversation (run npm run conformance:generate)" }),
        });
      }
    }
    for (const key of Object.keys(g.cases)) {
      if (!seen.has(key)) {
        out.push({ id: `${g.id} ${key}`, unit: `templates/${g.id}`, group, source, options: engineOptions({}), context: {}, golden: g.cases[key], inputProblem: "golden has a case whose conversation file is gone (run npm run conformance:generate)" });
      }
    }
  }
  return out;
}

export function allCases(goldens?: string): Case[] {
  return [...fixtureCases(goldens), ...templateCases(goldens)];
}

/** A span converted to code points. */
export interface CpSpan {
  label: string;
  start: number;
  end: number;
}

/**
 * UTF-16 offset → code points. Offsets past the end count one per unit (the inverse of the engine's
 * toUtf16Offset), because transformers' arithmetic can point past the text (a region in a discarded
 * set block).
 */
export function utf16ToCodePoints(text: string, offset: number): number {
  const within = Math.min(offset, text.length);
  let cp = 0;
  for (let i = 0; i < within; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < within) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    cp++;
  }
  return cp + Math.max(0, offset - text.length);
}

/** Code-point slice of text, like Python's text[start:end]. */
export function cpSlice(text: string, start: number, end: number): string {
  return [...text].slice(start, end).join("");
}

/** The outcome of rendering one case with the engine. */
export type Outcome =
  | { ok: true; text: string; spans: CpSpan[] }
  | { ok: false; name: string; kind: string | undefined; detail: string | undefined; templateError: boolean; message: string; pythonException?: string };

/** An engine throw as an Outcome (class name, kind, detail). */
export function failure(e: unknown): Outcome {
  if (e instanceof Error) {
    const rec = e as Error & { kind?: unknown; detail?: unknown; pythonException?: unknown };
    const templateError = typeof rec.kind === "string" && typeof rec.detail === "string";
    return {
      ok: false,
      name: e.name,
      kind: typeof rec.kind === "string" ? rec.kind : undefined,
      detail: typeof rec.detail === "string" ? rec.detail : undefined,
      templateError,
      message: e.message,
      ...(typeof rec.pythonException === "string" ? { pythonException: rec.pythonException } : {}),
    };
  }
  return { ok: false, name: typeof e, kind: undefined, detail: undefined, templateError: false, message: String(e) };
}

/**
 * Renders cases, compiling each distinct (source, options) once. A throw from the constructor counts
 * as the template's error for every case that uses it.
 */
export function renderCases(engine: Engine, cases: readonly Case[]): Outcome[] {
  const compiled = new Map<string, EngineTemplate | Outcome>();
  return cases.map((c) => {
    if (c.inputProblem !== undefined) return { ok: false, name: "InputProblem", kind: undefined, detail: c.inputProblem, templateError: false, message: c.inputProblem };
    const key = `${JSON.stringify(c.options)}\u0000${c.source}`;
    let t = compiled.get(key);
    if (t === undefined) {
      try {
        t = new engine.Template(c.source, c.options);
      } catch (e) {
        t = failure(e);
      }
      compiled.set(key, t);
    }
    if ("ok" in t) return t;
    try {
      const r = t.renderWithSpans(c.context);
      return { ok: true, text: r.text, spans: r.spans.map((s) => ({ label: s.label, start: utf16ToCodePoints(r.text, s.start), end: utf16ToCodePoints(r.text, s.end) })) };
    } catch (e) {
      return failure(e);
    }
  });
}

/** Python exception class → what spanja must throw. */
export type ErrorFamily = "syntax" | "compile" | "undefined" | "security" | "raised" | "runtime" | "python";

export function errorFamily(pythonType: string): ErrorFamily {
  switch (pythonType) {
    case "TemplateSyntaxError":
    case "TemplateAssertionError":
      return "syntax";
    case "UndefinedError":
      return "undefined";
    case "SecurityError":
      return "security";
    case "TemplateError":
      // jinja2's base class is raised directly only by transformers' raise_exception.
      return "raised";
    case "TemplateRuntimeError":
      return "runtime";
    case "SyntaxError":
      // Python's compiler rejecting jinja2's generated code ('break' outside loop): a syntax error here
      return "compile";
    default:
      return "python";
  }
}

/** Whether the engine's error belongs to the family of Python's. Every engine error must be a TemplateError. */
export function familyMatches(expected: GoldenError, got: Outcome): boolean {
  if (got.ok || !got.templateError) return false;
  switch (errorFamily(expected.type)) {
    case "syntax":
      // TemplateAssertionError (an unknown filter or test at compile time) is its own class in both
      return got.name === expected.type;
    case "undefined":
      return got.name === "UndefinedError";
    case "security":
      return got.name === "SecurityError";
    case "raised":
      return got.kind === "raised";
    case "runtime":
      return got.name !== "TemplateSyntaxError";
    case "compile":
      return got.name === "TemplateSyntaxError";
    case "python":
      // the engine names the Python class of its error; a construct spanja refuses (unsupported) or a
      // limit it enforces counts as raising whatever Python raised there
      return got.pythonException === expected.type || got.kind === "unsupported" || got.kind === "limit";
  }
}

/** The part of a case a result report needs (render cases and ids/masks cases). */
export interface ReportedCase {
  id: string;
  unit: string;
  group: string;
  golden: { error: GoldenError | null };
}

export interface CaseResult {
  case: ReportedCase;
  outcome: Outcome;
  /** Text equal (or both raised when Python raised). */
  text: boolean;
  /** Spans equal in label, start, end and order (or both raised); null for ids/masks cases. */
  spans: boolean | null;
  /** ids/masks cases: input_ids and attention_mask equal (or both raised); null for render cases. */
  ids?: boolean | null;
  /** ids/masks cases: assistant_masks and thinking_masks equal (or both raised); null for render cases. */
  masks?: boolean | null;
  /** Both raised or both rendered. */
  raised: boolean;
  /** Python raised: the engine's error class matches the family. null when Python did not raise. */
  errorClass: boolean | null;
  /** Python raised: the engine's detail equals str(e). null when Python did not raise. */
  errorDetail: boolean | null;
  /** text, spans, raised and errorClass all hold, and the error's wording equals Python's (or is in known-wording.json). */
  pass: boolean;
  /** A short explanation of the first difference, empty when the case passes. */
  diff: string;
}

function spanText(s: CpSpan): string {
  return `${s.label}[${s.start},${s.end})`;
}

/** Where two strings first differ, with a little context on each side, JSON-escaped. */
export function textDiff(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const before = expected.slice(0, i);
  const line = before.split("\n").length;
  const col = i - before.lastIndexOf("\n");
  const from = Math.max(0, i - 30);
  const show = (s: string) => JSON.stringify((from > 0 ? "…" : "") + s.slice(from, i + 40) + (s.length > i + 40 ? "…" : ""));
  return `text differs at ${line}:${col} (code unit ${i}; lengths ${expected.length} vs ${actual.length})\n      expected ${show(expected)}\n      actual   ${show(actual)}`;
}

export function compareCase(c: Case, outcome: Outcome): CaseResult {
  const g = c.golden;
  if (g.error !== null) {
    const raised = !outcome.ok;
    const errorClass = familyMatches(g.error, outcome);
    const errorDetail = !outcome.ok && outcome.detail === g.error.message;
    const wordingOk = errorDetail || KNOWN_WORDING.has(c.id);
    let diff = "";
    if (outcome.ok) diff = `expected ${g.error.type}: ${g.error.message}\n      but rendered ${JSON.stringify(outcome.text.slice(0, 80))}`;
    else if (!errorClass) diff = `expected ${g.error.type} (family ${errorFamily(g.error.type)}): ${g.error.message}\n      got ${outcome.name}${outcome.kind ? ` (${outcome.kind})` : ""}: ${outcome.detail ?? outcome.message}`;
    else if (!wordingOk) diff = `same error family, other wording\n      python ${JSON.stringify(g.error.message)}\n      spanja ${JSON.stringify(outcome.detail ?? outcome.message)}`;
    return { case: c, outcome, text: raised, spans: raised, raised, errorClass, errorDetail, pass: raised && errorClass && wordingOk, diff };
  }
  if (!outcome.ok) {
    return {
      case: c,
      outcome,
      text: false,
      spans: false,
      raised: false,
      errorClass: null,
      errorDetail: null,
      pass: false,
      diff: `expected output but got ${outcome.name}${outcome.kind ? ` (${outcome.kind})` : ""}: ${(outcome.detail ?? outcome.message).split("\n")[0]}`,
    };
  }
  const text = outcome.text === g.text;
  const want = g.spans.map((s) => spanText(s)).join(" ");
  const got = outcome.spans.map((s) => spanText(s)).join(" ");
  const spans = want === got;
  const diffs: string[] = [];
  if (!text) diffs.push(textDiff(g.text ?? "", outcome.text));
  if (!spans) diffs.push(`spans differ (code points)\n      expected ${want || "(none)"}\n      actual   ${got || "(none)"}`);
  return { case: c, outcome, text, spans, raised: true, errorClass: null, errorDetail: null, pass: text && spans, diff: diffs.join("\n    ") };
}

export function runCases(engine: Engine, cases: readonly Case[]): CaseResult[] {
  const outcomes = renderCases(engine, cases);
  return cases.map((c, i) => compareCase(c, outcomes[i]));
}

/** Counts for one table row. */
export interface Tally {
  group: string;
  cases: number;
  text: number;
  spanCases: number;
  spans: number;
  maskCases: number;
  ids: number;
  masks: number;
  raised: number;
  errorCases: number;
  errorClass: number;
  errorDetail: number;
  pass: number;
}

export function tally(results: readonly CaseResult[], key: (r: CaseResult) => string = (r) => r.case.group): Tally[] {
  const rows = new Map<string, Tally>();
  for (const r of results) {
    const k = key(r);
    let t = rows.get(k);
    if (!t) {
      t = { group: k, cases: 0, text: 0, spanCases: 0, spans: 0, maskCases: 0, ids: 0, masks: 0, raised: 0, errorCases: 0, errorClass: 0, errorDetail: 0, pass: 0 };
      rows.set(k, t);
    }
    t.cases++;
    if (r.text) t.text++;
    if (r.spans !== null) t.spanCases++;
    if (r.spans) t.spans++;
    if (r.ids !== undefined && r.ids !== null) t.maskCases++;
    if (r.ids) t.ids++;
    if (r.masks) t.masks++;
    if (r.raised) t.raised++;
    if (r.errorClass !== null) t.errorCases++;
    if (r.errorClass) t.errorClass++;
    if (r.errorDetail) t.errorDetail++;
    if (r.pass) t.pass++;
  }
  return [...rows.values()];
}

function pct(n: number, d: number): string {
  return d === 0 ? "-" : `${((100 * n) / d).toFixed(1)}%`;
}

/** A fixed-width table: one row per group and a total. */
export function formatTable(rows: readonly Tally[]): string {
  const total: Tally = { group: "total", cases: 0, text: 0, spanCases: 0, spans: 0, maskCases: 0, ids: 0, masks: 0, raised: 0, errorCases: 0, errorClass: 0, errorDetail: 0, pass: 0 };
  for (const r of rows) {
    for (const k of ["cases", "text", "spanCases", "spans", "maskCases", "ids", "masks", "raised", "errorCases", "errorClass", "errorDetail", "pass"] as const) total[k] += r[k];
  }
  const header = ["area / source", "cases", "text", "spans", "ids", "masks", "errors", "err class", "err detail", "pass", "%"];
  const count = (n: number, of: number) => (of === 0 ? "-" : `${n}`);
  const line = (t: Tally) => [
    t.group,
    `${t.cases}`,
    `${t.text}`,
    count(t.spans, t.spanCases),
    count(t.ids, t.maskCases),
    count(t.masks, t.maskCases),
    `${t.raised}`,
    `${t.errorClass}/${t.errorCases}`,
    `${t.errorDetail}/${t.errorCases}`,
    `${t.pass}`,
    pct(t.pass, t.cases),
  ];
  const body = [...rows.map(line), line(total)];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [fmt(header), rule, ...rows.map((r) => fmt(line(r))), rule, fmt(line(total))].join("\n");
}

/** The first `limit` failures, one block each. */
export function formatMismatches(results: readonly CaseResult[], limit: number): string {
  const failed = results.filter((r) => !r.pass);
  const shown = failed.slice(0, limit).map((r) => `  ✗ ${r.case.id}\n    ${r.diff}`);
  if (failed.length > limit) shown.push(`  … and ${failed.length - limit} more`);
  return shown.join("\n");
}

/** Error cases where the engine raised the right family but with other wording (known-wording.json lists the chosen ones). */
export function formatDetailMismatches(results: readonly CaseResult[], limit: number): string {
  const off = results.filter((r) => r.errorClass === true && r.errorDetail === false);
  const shown = off.slice(0, limit).map((r) => {
    const o = r.outcome;
    return `  ~ ${r.case.id}\n      python ${JSON.stringify(r.case.golden.error?.message ?? "")}\n      spanja ${JSON.stringify(o.ok ? "" : (o.detail ?? o.message))}`;
  });
  if (off.length > limit) shown.push(`  … and ${off.length - limit} more`);
  return shown.join("\n");
}

