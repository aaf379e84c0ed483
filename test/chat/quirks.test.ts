// transformers' mask quirks on the real Qwen3 tokenizer, each under "hf" (reproduced, with a warning) and
// "exact" (what the template meant): a span inside a macro, a span whose start maps to no token, an end
// token of 0, truncation cutting a span, left and right padding, a batch of different lengths.
import { beforeAll, describe, expect, it } from "vitest";
import { ChatTokenizer, type ChatEncoding } from "../../src/node.ts";
import { marked, tokenizerFiles } from "./helpers.ts";

let tok: ChatTokenizer;
beforeAll(async () => {
  const files = tokenizerFiles("qwen3");
  tok = await ChatTokenizer.fromFiles(files.json, files.config);
});

/** Content only: the assistant's content is the span, nothing between turns. */
const PLAIN = "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% else %}{{ m.content }}{% endif %}{% endfor %}";
/** Each message on its own line; the assistant's content is the span. */
const LINES = "{%- for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% else %}{{ m.content }}{% endif %}{{ '\\n' }}{% endfor %}";
/** ChatML turns written by a macro; the span is inside the macro. */
const MACRO =
  "{%- macro turn(m) %}{{ '<|im_start|>' + m.role + '\\n' }}{% if m.role == 'assistant' %}{% generation %}{{ m.content + '<|im_end|>' }}{% endgeneration %}{% else %}{{ m.content + '<|im_end|>' }}{% endif %}{{ '\\n' }}{% endmacro %}\n{%- for m in messages %}{{ turn(m) }}{% endfor %}";

type Policy = "hf" | "exact";
function masks(conversation: object[], template: string, policy: Policy, extra: Record<string, unknown> = {}): ChatEncoding {
  return tok.applyChatTemplate(conversation, { chat_template: template, return_assistant_tokens_mask: true, mask_policy: policy, ...extra });
}
const show = (e: ChatEncoding) => marked(e.text, e.offsets, e.assistant_masks as number[]);
const codes = (e: { warnings: { code: string }[] }) => e.warnings.map((w) => w.code);

describe("a span inside a macro", () => {
  const conv = [
    { role: "user", content: "Hello" },
    { role: "assistant", content: "Hi there, friend" },
  ];
  it("hf: transformers counts only the top-level output, so the span covers the turn's header", () => {
    const e = masks(conv, MACRO, "hf");
    expect(show(e)).toBe('"<|im_start|>" "user" "\\n" "Hello" "<|im_end|>" "\\n" "<|im_start|>"* "assistant"* "\\n"* "Hi"* " there"* "," " friend" "<|im_end|>" "\\n"');
    expect(codes(e)).toEqual(["span-misplaced-hf", "straddle"]);
    expect(e.warnings[0].message).toBe(
      "transformers' arithmetic records the assistant span at [33, 59) where the template's output has [55, 81) (a tag inside a macro, call, set or filter block)",
    );
  });
  it("exact: the content and its end-of-turn token", () => {
    const e = masks(conv, MACRO, "exact");
    expect(show(e)).toBe('"<|im_start|>" "user" "\\n" "Hello" "<|im_end|>" "\\n" "<|im_start|>" "assistant" "\\n" "Hi"* " there"* ","* " friend"* "<|im_end|>"* "\\n"');
    expect(e.warnings).toEqual([]);
  });
});

describe("a span whose start maps to no token (a combining mark NFC merged into the letter before it)", () => {
  const conv = [
    { role: "user", content: "cafe" },
    { role: "assistant", content: "\u0301 au lait" },
    { role: "user", content: " ok" },
    { role: "assistant", content: " bye" },
  ];
  it("hf: the loop stops there, so this span and every later one are dropped", () => {
    const e = masks(conv, PLAIN, "hf");
    expect(e.assistant_masks).toEqual(e.input_ids.map(() => 0));
    expect(codes(e)).toEqual(["span-dropped-hf", "span-dropped-hf", "uncovered"]);
  });
  it("exact: both answers are marked; the mark itself belongs to no token", () => {
    const e = masks(conv, PLAIN, "exact");
    expect(show(e)).toBe('"ca" "fe" " au"* " la"* "it"* " ok" " bye"*');
    expect(codes(e)).toEqual(["uncovered"]);
  });
});

describe("an end token of 0", () => {
  const conv = [
    { role: "assistant", content: "Hi" },
    { role: "user", content: "How are you?" },
    { role: "assistant", content: "Fine" },
  ];
  it("hf: `range(start, end + 1 if end else len)` marks everything from the span to the end", () => {
    const e = masks(conv, LINES, "hf");
    expect(e.assistant_masks).toEqual(e.input_ids.map(() => 1));
    expect(codes(e)).toEqual(["span-to-end"]);
  });
  it("exact: only the two answers", () => {
    expect(show(masks(conv, LINES, "exact"))).toBe('"Hi"* "\\n" "How" " are" " you" "?\\n" "Fine"* "\\n"');
  });
});

describe("truncation cutting a span", () => {
  const conv = [
    { role: "user", content: "Hello" },
    { role: "assistant", content: "Hi there, my friend" },
    { role: "user", content: "More" },
    { role: "assistant", content: "Sure" },
  ];
  it("hf: the cut span runs to the end; the next span's start is gone, so the loop stops", () => {
    const e = masks(conv, LINES, "hf", { truncation: true, max_length: 4 });
    expect(show(e)).toBe('"Hello" "\\n" "Hi"* " there"*');
    expect(codes(e)).toEqual(["span-to-end", "span-dropped-hf", "truncated", "truncated"]);
  });
  it("exact: the kept part of the span, with a warning for what was cut", () => {
    const e = masks(conv, LINES, "exact", { truncation: true, max_length: 4 });
    expect(show(e)).toBe('"Hello" "\\n" "Hi"* " there"*');
    expect(codes(e)).toEqual(["truncated", "truncated"]);
  });
  it("hf with the cut inside the last token of the span's end: the span stays bounded", () => {
    const e = masks(conv, LINES, "hf", { truncation: true, max_length: 7 });
    expect(show(e)).toBe('"Hello" "\\n" "Hi"* " there"* ","* " my"* " friend"*');
  });
});

describe("padding and batches", () => {
  const first = [
    { role: "assistant", content: "Hi" },
    { role: "user", content: "x" },
  ];
  const second = [
    { role: "user", content: "Hello" },
    { role: "assistant", content: "Hi there, friend" },
  ];

  it("hf, right padding: a span running to the end marks the padding too", () => {
    const r = tok.applyChatTemplate([first, second], { chat_template: LINES, return_assistant_tokens_mask: true, padding: true });
    expect(r.attention_mask[0]).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(r.assistant_masks).toEqual([
      [1, 1, 1, 1, 1, 1, 1],
      [0, 0, 1, 1, 1, 1, 0],
    ]);
    expect(r.warnings[0].map((w) => w.code)).toEqual(["span-to-end"]);
    expect(r.warnings[0][0].message).toContain("padding included");
  });

  it("hf, left padding: the same span's end token is no longer 0, so it marks itself only", () => {
    const r = tok.applyChatTemplate([first, second], { chat_template: LINES, return_assistant_tokens_mask: true, padding: true, padding_side: "left" });
    expect(r.attention_mask[0]).toEqual([0, 0, 0, 1, 1, 1, 1]);
    expect(r.assistant_masks).toEqual([
      [0, 0, 0, 1, 0, 0, 0],
      [0, 0, 1, 1, 1, 1, 0],
    ]);
    expect(r.warnings).toEqual([[], []]);
  });

  it("exact ignores padding on either side", () => {
    for (const padding_side of ["left", "right"] as const) {
      const r = tok.applyChatTemplate([first, second], { chat_template: LINES, return_assistant_tokens_mask: true, padding: true, padding_side, mask_policy: "exact" });
      const pads = r.attention_mask[0].map((a) => 1 - a);
      const own = masks(first, LINES, "exact").assistant_masks as number[];
      expect(r.assistant_masks?.[0]).toEqual(padding_side === "left" ? [...pads.filter(Boolean).map(() => 0), ...own] : [...own, ...pads.filter(Boolean).map(() => 0)]);
    }
  });

  it("a batch of different lengths without padding keeps each row's own length", () => {
    const r = tok.applyChatTemplate([first, second, first], { chat_template: LINES, return_assistant_tokens_mask: true });
    expect(r.input_ids.map((x) => x.length)).toEqual([4, 7, 4]);
    expect(r.assistant_masks).toEqual([
      [1, 1, 1, 1],
      [0, 0, 1, 1, 1, 1, 0],
      [1, 1, 1, 1],
    ]);
  });
});

describe("thinking masks follow the same rule", () => {
  const THINK = "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{% think %}<think>{{ m.reasoning }}</think>{% endthink %}{{ m.content }}{% endgeneration %}{% else %}{{ m.content }}{% endif %}{{ '\\n' }}{% endfor %}";
  const conv = [
    { role: "user", content: "Q" },
    { role: "assistant", reasoning: "hmm", content: "A" },
  ];
  it("marks the think block, and exclude_think_from_mask leaves the answer", () => {
    for (const mask_policy of ["hf", "exact"] as const) {
      const r = tok.applyChatTemplate(conv, { chat_template: THINK, return_assistant_tokens_mask: true, return_thinking_mask: true, exclude_think_from_mask: true, mask_policy });
      expect(marked(r.text, r.offsets, r.thinking_masks as number[])).toBe('"Q" "\\n" "<think>"* "h"* "mm"* "</think>"* "A" "\\n"');
      expect(marked(r.text, r.offsets, r.assistant_masks as number[])).toBe('"Q" "\\n" "<think>" "h" "mm" "</think>" "A"* "\\n"');
    }
  });
  it("warns when the template has no think tag", () => {
    const r = tok.applyChatTemplate(conv, { chat_template: LINES, return_thinking_mask: true });
    expect(codes(r)).toEqual(["no-think"]);
    expect(r.thinking_masks).toEqual(r.input_ids.map(() => 0));
  });
});
