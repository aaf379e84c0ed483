// ChatTokenizer on the real Qwen3 tokenizer: the golden case of the Qwen3-0.6B community patch, thinking
// masks and exclude_think_from_mask, transformers' options (tokenize, return_dict, padding, truncation,
// continue_final_message, template variables), offsets and charToToken, and invalid input.
import { beforeAll, describe, expect, it } from "vitest";
import { BatchChatEncoding, ChatEncoding, ChatTokenizer, TemplateError } from "../../src/node.ts";
import { TINY_TEMPLATE, marked, taggedTemplate, tinyTokenizer, tokenizerFiles } from "./helpers.ts";

let tok: ChatTokenizer;
let tagged: string;
beforeAll(async () => {
  const files = tokenizerFiles("qwen3");
  tok = await ChatTokenizer.fromFiles(files.json, files.config);
  tagged = taggedTemplate("qwen3");
});

// The golden case (templates/README.md, qwen3): Qwen3-0.6B with the generation tag placed as in the community patch.
const GOLDEN_CONVERSATION = [
  { role: "user", content: "Hello assistant" },
  { role: "assistant", content: "Hello user" },
  { role: "user", content: "How are you?" },
  { role: "assistant", content: "I'm good" },
];
const GOLDEN_IDS = [
  151644, 872, 198, 9707, 17847, 151645, 198, 151644, 77091, 198, 9707, 1196, 151645, 198, 151644, 872, 198, 4340, 525, 498, 30, 151645, 198, 151644, 77091, 198, 151667,
  271, 151668, 271, 40, 2776, 1661, 151645, 198,
];
const GOLDEN_MASK = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1];

function templateError(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return e as TemplateError;
  }
  throw new Error("expected a TemplateError");
}

describe("the golden case (templates/README.md, qwen3) with templates/qwen3.json", () => {
  it("gives transformers' input_ids and assistant_masks exactly", () => {
    const r = tok.applyChatTemplate(GOLDEN_CONVERSATION, { chat_template: tagged, return_assistant_tokens_mask: true });
    expect(r.input_ids).toEqual(GOLDEN_IDS);
    expect(r.assistant_masks).toEqual(GOLDEN_MASK);
    expect(r.attention_mask).toEqual(GOLDEN_IDS.map(() => 1));
    expect(r.warnings).toEqual([]);
    expect(r).toEqual({ input_ids: GOLDEN_IDS, attention_mask: GOLDEN_IDS.map(() => 1), assistant_masks: GOLDEN_MASK, warnings: [] });
  });

  it("marks the inserted <think>\\n\\n</think>\\n\\n as thinking, and exclude_think_from_mask removes it", () => {
    const r = tok.applyChatTemplate(GOLDEN_CONVERSATION, { chat_template: tagged, return_assistant_tokens_mask: true, return_thinking_mask: true, exclude_think_from_mask: true });
    const think = [26, 27, 28, 29];
    expect(think.map((i) => r.input_ids[i])).toEqual([151667, 271, 151668, 271]);
    expect(r.thinking_masks).toEqual(GOLDEN_IDS.map((_, i) => (think.includes(i) ? 1 : 0)));
    expect(r.assistant_masks).toEqual(GOLDEN_MASK.map((m, i) => (think.includes(i) ? 0 : m)));
    expect(Object.keys(r)).toEqual(["input_ids", "attention_mask", "assistant_masks", "thinking_masks", "warnings"]);
  });

  it("gives the same masks under the exact policy (no quirk is hit)", () => {
    const r = tok.applyChatTemplate(GOLDEN_CONVERSATION, { chat_template: tagged, return_assistant_tokens_mask: true, mask_policy: "exact" });
    expect(r.assistant_masks).toEqual(GOLDEN_MASK);
  });

  it("marks reasoning and keeps the answer when exclude_think_from_mask is on", () => {
    const conv = [
      { role: "user", content: "Is 91 prime?" },
      { role: "assistant", reasoning_content: "91 = 7 × 13.", content: "No." },
    ];
    const r = tok.applyChatTemplate(conv, { chat_template: tagged, return_assistant_tokens_mask: true, return_thinking_mask: true, exclude_think_from_mask: true });
    const { text, offsets } = r;
    expect(marked(text, offsets, r.thinking_masks as number[])).toContain('"<think>"* "\\n"* "9"* "1"* " ="* " "* "7"* " ×"* " "* "1"* "3"* ".\\n"* "</think>"* "\\n\\n"* "No"');
    expect(marked(text, offsets, r.assistant_masks as number[])).toContain('"</think>" "\\n\\n" "No"* "."* "<|im_end|>"* "\\n"*');
  });
});

describe("transformers' options", () => {
  const conv = [
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello!" },
  ];

  it("tokenize: false returns the rendered string, a list for a batch", () => {
    const text = tok.applyChatTemplate(conv, { tokenize: false, add_generation_prompt: true, enable_thinking: false });
    const turn = "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nHello!<|im_end|>\n";
    expect(text).toBe(`${turn}<|im_start|>assistant\n<think>\n\n</think>\n\n`);
    expect(tok.applyChatTemplate([conv, conv.slice(0, 1)], { tokenize: false })).toEqual([turn, "<|im_start|>user\nHi<|im_end|>\n"]);
  });

  it("return_dict: false returns input_ids only", () => {
    const ids = tok.applyChatTemplate(conv, { return_dict: false });
    expect(ids).toEqual(tok.applyChatTemplate(conv).input_ids);
    expect(tok.applyChatTemplate([conv, conv], { return_dict: false })).toEqual([ids, ids]);
  });

  it("extra keys are template variables and override special tokens", () => {
    const t = "{{ eos_token }}|{{ pad_token }}|{{ enable_thinking }}|{{ messages | length }}|{{ tools }}|{{ documents }}|{{ add_generation_prompt }}";
    expect(tok.applyChatTemplate(conv, { chat_template: t, tokenize: false, enable_thinking: false, pad_token: "P" })).toBe("<|im_end|>|P|False|2|None|None|False");
  });

  it("continue_final_message leaves the final message open, with transformers' sentinel", () => {
    const prefill = [...conv.slice(0, 1), { role: "assistant", content: "Hello" }];
    expect(tok.applyChatTemplate(prefill, { tokenize: false, continue_final_message: true })).toBe("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nHello");
    // a trailing space the template strips away is stripped from the result too
    const spaced = [...conv.slice(0, 1), { role: "assistant", content: "Hello " }];
    const strip = "{% for m in messages %}{{ m.content | trim }}<end>{% endfor %}";
    expect(tok.applyChatTemplate(spaced, { chat_template: strip, tokenize: false, continue_final_message: true })).toBe("Hi<end>Hello");
    // the last text block of list content
    const parts = [{ role: "assistant", content: [{ type: "text", text: "A" }, { type: "image" }] }];
    const t = "{% for m in messages %}{% for p in m.content %}{{ p.text }}{% endfor %}!{% endfor %}";
    expect(tok.applyChatTemplate(parts, { chat_template: t, tokenize: false, continue_final_message: true })).toBe("A");
    // the caller's messages are not modified
    expect(prefill[1].content).toBe("Hello");
    expect(parts[0].content[0]).toEqual({ type: "text", text: "A" });
  });

  it("continue_final_message raises transformers' ValueErrors", () => {
    expect(templateError(() => tok.applyChatTemplate(conv, { continue_final_message: true, add_generation_prompt: true })).detail).toMatch(/^continue_final_message and add_generation_prompt are not compatible/);
    expect(templateError(() => tok.applyChatTemplate(conv, { continue_final_message: true, return_assistant_tokens_mask: true })).detail).toBe(
      "continue_final_message is not compatible with return_assistant_tokens_mask.",
    );
    expect(templateError(() => tok.applyChatTemplate([{ role: "user" }], { continue_final_message: true })).detail).toBe('continue_final_message is set but the final message has no "content" to continue!');
    expect(templateError(() => tok.applyChatTemplate(conv, { continue_final_message: true, chat_template: "{{ messages[0].role }}" })).detail).toBe(
      'continue_final_message is set to "content" but this is not an accepted field in the chat_template',
    );
    const e = templateError(() => tok.applyChatTemplate(conv, { continue_final_message: true, chat_template: "{% for m in messages %}{{ m.content[:2] }}{% endfor %}" }));
    expect(e.detail).toMatch(/^continue_final_message is set but the final message does not appear in the chat/);
    expect(templateError(() => tok.applyChatTemplate([{ role: "user", content: [{ type: "image" }] }], { continue_final_message: true })).detail).toBe(
      "continue_final_message is set but we could not find any text to continue in the final message!",
    );
  });

  it("return_assistant_tokens_mask requires tokenize and return_dict", () => {
    const msg = "`return_assistant_tokens_mask=True` requires `return_dict=True` and `tokenize=True`";
    expect(templateError(() => tok.applyChatTemplate(conv, { return_assistant_tokens_mask: true, tokenize: false })).detail).toBe(msg);
    expect(templateError(() => tok.applyChatTemplate(conv, { return_assistant_tokens_mask: true, return_dict: false })).detail).toBe(msg);
  });

  it("with span_source tags, warns about a template without a generation tag; require_generation_tag makes it an error", () => {
    const r = tok.applyChatTemplate(conv, { return_assistant_tokens_mask: true, span_source: "tags" });
    expect(r.assistant_masks).toEqual(r.input_ids.map(() => 0));
    expect(r.warnings).toEqual([{ code: "no-generation", message: "return_assistant_tokens_mask==True but chat template does not contain `{% generation %}` keyword." }]);
    expect(templateError(() => tok.applyChatTemplate(conv, { return_assistant_tokens_mask: true, require_generation_tag: true })).kind).toBe("invalid-input");
  });
});

describe("batches, padding and truncation", () => {
  const short = [{ role: "user", content: "Hi" }];
  const long = [
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello there!" },
  ];

  it("a batch without padding has rows of different lengths", () => {
    const r = tok.applyChatTemplate([short, long], { chat_template: tagged, return_assistant_tokens_mask: true });
    expect(r).toBeInstanceOf(BatchChatEncoding);
    expect(r.input_ids.map((x) => x.length)).toEqual([6, 18]);
    expect(r.assistant_masks).toEqual([[0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]]);
    expect(r.warnings).toEqual([[], []]);
  });

  it("pads right by default and left when asked, with the pad token id from tokenizer_config", () => {
    const pad = tok.tokenToId("<|endoftext|>");
    expect(pad).toBe(151643);
    const right = tok.applyChatTemplate([short, long], { chat_template: tagged, padding: true, return_assistant_tokens_mask: true });
    expect(right.input_ids[0]).toEqual([...tok.applyChatTemplate(short).input_ids, ...Array(12).fill(pad)]);
    expect(right.attention_mask[0]).toEqual([...Array(6).fill(1), ...Array(12).fill(0)]);
    const left = tok.applyChatTemplate([short, long], { chat_template: tagged, padding: "longest", padding_side: "left", return_assistant_tokens_mask: true });
    expect(left.attention_mask[0]).toEqual([...Array(12).fill(0), ...Array(6).fill(1)]);
    expect(left.input_ids[1]).toEqual(right.input_ids[1]);
    expect(left.assistant_masks?.[1]).toEqual(right.assistant_masks?.[1]);
    const fixed = tok.applyChatTemplate(short, { padding: "max_length", max_length: 8 });
    expect(fixed.attention_mask).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(fixed.offsets.slice(6)).toEqual([[0, 0], [0, 0]]);
  });

  it("truncates to max_length", () => {
    const r = tok.applyChatTemplate(long, { truncation: true, max_length: 4 });
    expect(r.input_ids).toEqual(tok.applyChatTemplate(long).input_ids.slice(0, 4));
    expect(tok.applyChatTemplate(long, { truncation: true, max_length: 100 }).input_ids).toEqual(tok.applyChatTemplate(long).input_ids);
  });
});

describe("tokenizer_config settings (a tiny tokenizer)", () => {
  const a = [{ role: "user", content: "hi" }];
  const b = [{ role: "assistant", content: "hello" }];
  const tiny = (config: Record<string, unknown>) => ChatTokenizer.fromJSON(tinyTokenizer(), { chat_template: TINY_TEMPLATE, pad_token: "<pad>", ...config });

  // the Rust library's id for <pad>: the next id after the vocabulary (tokenizer.json's added_tokens say 100,
  // which Rust only warns about); transformers pads with pad_token_id = token_to_id(pad_token)
  const PAD = 31;

  it("pads with the Rust library's id of the pad token, not the id tokenizer.json's added_tokens claims", () => {
    const t = tiny({});
    expect(t.tokenToId("<pad>")).toBe(PAD);
    expect(t.applyChatTemplate([{ role: "user", content: "<pad>" }]).input_ids.slice(-2)).toEqual([PAD, 29]);
  });

  it("takes padding_side from tokenizer_config, and the option overrides it", () => {
    const t = tiny({ padding_side: "left" });
    expect(t.applyChatTemplate([a, b], { padding: true }).input_ids[0]).toEqual([...Array(8).fill(PAD), 20, 18, 4, 17, 28, 7, 8, 29]);
    expect(t.applyChatTemplate([a, b], { padding: true, padding_side: "right" }).input_ids[0]).toEqual([20, 18, 4, 17, 28, 7, 8, 29, ...Array(8).fill(PAD)]);
  });

  it("takes truncation_side from tokenizer_config", () => {
    expect(tiny({ truncation_side: "left" }).applyChatTemplate(b, { truncation: true, max_length: 3 }).input_ids).toEqual([11, 14, 29]);
  });

  it("pads and truncates to model_max_length when max_length is not given", () => {
    const t = tiny({ model_max_length: 9 });
    expect(t.applyChatTemplate(a, { padding: "max_length" }).input_ids).toEqual([20, 18, 4, 17, 28, 7, 8, 29, PAD]);
    expect(t.applyChatTemplate(b, { truncation: true }).input_ids.length).toBe(9);
    const huge = tiny({ model_max_length: 1e30 });
    expect(templateError(() => huge.applyChatTemplate(a, { padding: "max_length" })).detail).toMatch(/needs max_length/);
  });

  it("refuses padding without a pad token, even for one conversation (as transformers)", () => {
    const t = tiny({ pad_token: null });
    expect(templateError(() => t.applyChatTemplate(a, { padding: true })).detail).toMatch(/^Asking to pad but the tokenizer does not have a padding token/);
    expect(t.applyChatTemplate(a).input_ids.length).toBe(8);
  });

  it("reads the pad token from an AddedToken object", () => {
    const t = tiny({ pad_token: { content: "<pad>", lstrip: false } });
    expect(t.applyChatTemplate([a, b], { padding: true }).input_ids[0].slice(-1)).toEqual([PAD]);
  });

  it("chooses among named templates as transformers does", () => {
    const t = ChatTokenizer.fromJSON(tinyTokenizer(), {
      chat_template: [
        { name: "default", template: "default" },
        { name: "tool_use", template: "tools" },
      ],
    });
    expect(t.applyChatTemplate(a, { tokenize: false })).toBe("default");
    expect(t.applyChatTemplate(a, { tokenize: false, tools: [] })).toBe("tools");
    expect(t.applyChatTemplate(a, { tokenize: false, chat_template: "tool_use" })).toBe("tools");
    expect(t.applyChatTemplate(a, { tokenize: false, chat_template: "{{ 'mine' }}" })).toBe("mine");
  });
});

describe("offsets and charToToken", () => {
  it("give each position its range in UTF-16 and in code points, and find tokens by character", () => {
    const conv = [{ role: "user", content: "😀 ok" }];
    const r = tok.applyChatTemplate(conv, { padding: "max_length", max_length: 12, padding_side: "left" });
    expect(r).toBeInstanceOf(ChatEncoding);
    const at = r.text.indexOf("ok");
    const t = r.charToToken(at);
    expect(t).not.toBeNull();
    const [s, e] = r.offsets[t as number];
    expect(r.text.slice(s, e)).toBe(" ok");
    expect(r.offset_mapping[t as number]).toEqual([s - 1, e - 1]);
    expect(r.charToToken(at - 1, "codepoint")).toBe(t);
    expect(r.charToToken(0)).toBe(r.attention_mask.indexOf(1));
    expect(r.charToToken(r.text.length)).toBeNull();
    // both halves of the emoji's surrogate pair belong to its first byte-level token
    const emoji = r.text.indexOf("😀");
    expect(r.charToToken(emoji + 1)).toBe(r.charToToken(emoji));
  });

  it("a batch answers per conversation, as transformers' char_to_token(batch_index, char_index)", () => {
    const r = tok.applyChatTemplate([[{ role: "user", content: "a" }], [{ role: "user", content: "bb" }]], { padding: true, padding_side: "left" });
    expect(r.text[1].length).toBe(r.text[0].length + 1);
    expect(r.charToToken(1, 0)).toBe(0);
    expect(r.charToToken(0, 0)).toBe(r.attention_mask[0].indexOf(1));
    expect(r.encodings[1].text).toBe(r.text[1]);
  });
});

describe("invalid input", () => {
  const bad: [string, () => unknown, RegExp][] = [
    ["not a list", () => tok.applyChatTemplate("hi" as never), /must be a list of messages/],
    ["empty", () => tok.applyChatTemplate([]), /^Cannot apply chat template to an empty conversation/],
    ["a message that is not an object", () => tok.applyChatTemplate(["hi"] as never), /message 0 of the conversation must be an object, got string/],
    ["a batch with a non-list", () => tok.applyChatTemplate([[{ role: "user", content: "a" }], "x"] as never), /conversation 1 must be a list of messages/],
    ["an unknown mask_policy", () => tok.applyChatTemplate([{ role: "user", content: "a" }], { mask_policy: "loose" as never }), /mask_policy must be "hf" or "exact"/],
    ["a non-boolean flag", () => tok.applyChatTemplate([{ role: "user", content: "a" }], { tokenize: "no" as never }), /tokenize must be true or false/],
    ["bad padding", () => tok.applyChatTemplate([{ role: "user", content: "a" }], { padding: "all" as never }), /padding must be/],
    ["bad tools", () => tok.applyChatTemplate([{ role: "user", content: "a" }], { tools: ["f"] as never }), /^Tools should either be a JSON schema/],
    ["bad documents", () => tok.applyChatTemplate([{ role: "user", content: "a" }], { documents: [1] as never }), /^Documents should be a list of dicts/],
    ["messages as an option", () => tok.applyChatTemplate([{ role: "user", content: "a" }], { messages: [] }), /messages is the conversation/],
  ];
  for (const [what, fn, re] of bad) {
    it(`rejects ${what} with kind invalid-input`, () => {
      const e = templateError(fn);
      expect(e.kind).toBe("invalid-input");
      expect(e.detail).toMatch(re);
    });
  }

  it("reports a missing file by path", async () => {
    await expect(ChatTokenizer.fromFiles("/nonexistent/tokenizer.json")).rejects.toThrow(/cannot read \/nonexistent\/tokenizer.json/);
  });

  it("lets template errors through", () => {
    expect(() => tok.applyChatTemplate([{ role: "user", content: "a" }], { chat_template: "{{ raise_exception('no') }}" })).toThrow(/no/);
  });
});
