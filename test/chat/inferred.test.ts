// Masks from inferred spans on real tokenizers and stock templates: the published Qwen3 answer (the golden
// case of templates/README.md, qwen3), thinking masks with exclude_think_from_mask and exclude_empty_think, Llama 3's
// assistant-first turn, DeepSeek after tool outputs, a harmony-format template on gpt-oss's tokenizer, and
// fail-closed errors through applyChatTemplate.
import { beforeAll, describe, expect, it } from "vitest";
import { ChatTokenizer, DEFAULT_THINK_MARKERS, InferenceError, VOCABULARY_THINK_MARKERS, type ChatEncoding } from "../../src/index.ts";
import { tinyTokenizer, tokenizerConfig, tokenizerJson } from "./helpers.ts";

/** The text of the tokens a mask marks, runs joined with "¦". */
function maskedText(enc: ChatEncoding, mask: readonly number[]): string {
  const runs: string[] = [];
  let run = "";
  enc.offsets.forEach(([s, e], i) => {
    if (mask[i]) run += enc.text.slice(s, e);
    else if (run !== "") {
      runs.push(run);
      run = "";
    }
  });
  if (run !== "") runs.push(run);
  return runs.join("¦");
}

const PR_CONVERSATION = [
  { role: "user", content: "Hello assistant" },
  { role: "assistant", content: "Hello user" },
  { role: "user", content: "How are you?" },
  { role: "assistant", content: "I'm good" },
];

describe("Qwen3's stock template", () => {
  let qwen: ChatTokenizer;
  beforeAll(() => {
    qwen = ChatTokenizer.fromJSON(tokenizerJson("qwen3"), tokenizerConfig("qwen3"));
  });

  it("gives the assistant_masks of the Qwen3-0.6B assistant-mask PR (the golden case) exactly, with a spans-inferred warning", () => {
    const r = qwen.applyChatTemplate(PR_CONVERSATION, { return_assistant_tokens_mask: true });
    expect(r.input_ids).toEqual([
      151644, 872, 198, 9707, 17847, 151645, 198, 151644, 77091, 198, 9707, 1196, 151645, 198, 151644, 872, 198, 4340, 525, 498, 30, 151645, 198, 151644, 77091, 198,
      151667, 271, 151668, 271, 40, 2776, 1661, 151645, 198,
    ]);
    expect(r.assistant_masks).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(r.warnings.map((w) => w.code)).toEqual(["spans-inferred"]);
  });

  it("the empty think block the turn renders: a thinking mask; exclude_think_from_mask and exclude_empty_think take it out", () => {
    const think = qwen.applyChatTemplate(PR_CONVERSATION, { return_assistant_tokens_mask: true, return_thinking_mask: true });
    expect(maskedText(think, think.thinking_masks as number[])).toBe("<think>\n\n</think>\n\n");
    for (const option of ["exclude_think_from_mask", "exclude_empty_think"]) {
      const r = qwen.applyChatTemplate(PR_CONVERSATION, { return_assistant_tokens_mask: true, [option]: true });
      expect(maskedText(r, r.assistant_masks as number[])).toBe("Hello user<|im_end|>\n¦I'm good<|im_end|>\n");
    }
  });

  it("real reasoning stays under exclude_empty_think and leaves under exclude_think_from_mask", () => {
    const chat = [PR_CONVERSATION[0], { role: "assistant", content: "Hi!", reasoning_content: "Greet back." }];
    const keep = qwen.applyChatTemplate(chat, { return_assistant_tokens_mask: true, exclude_empty_think: true });
    expect(maskedText(keep, keep.assistant_masks as number[])).toBe("<think>\nGreet back.\n</think>\n\nHi!<|im_end|>\n");
    const drop = qwen.applyChatTemplate(chat, { return_assistant_tokens_mask: true, exclude_think_from_mask: true });
    expect(maskedText(drop, drop.assistant_masks as number[])).toBe("Hi!<|im_end|>\n");
  });

  it("enable_thinking=false: the empty block the prompt supplies is never in the mask", () => {
    const r = qwen.applyChatTemplate(PR_CONVERSATION, { return_assistant_tokens_mask: true, return_thinking_mask: true, enable_thinking: false });
    expect(maskedText(r, r.assistant_masks as number[])).toBe("Hello user<|im_end|>\n¦I'm good<|im_end|>\n");
    expect((r.thinking_masks as number[]).every((m) => m === 0)).toBe(true);
  });

  it("span_source tags on the stock template keeps transformers' all-zero mask; a bad span_source is refused", () => {
    const r = qwen.applyChatTemplate(PR_CONVERSATION, { return_assistant_tokens_mask: true, span_source: "tags" });
    expect((r.assistant_masks as number[]).every((m) => m === 0)).toBe(true);
    expect(() => qwen.applyChatTemplate(PR_CONVERSATION, { return_assistant_tokens_mask: true, span_source: "auto" as "infer" })).toThrow(/span_source must be/);
  });

  it("fails closed with the reason: an assistant-first conversation, whose prompt raises in Qwen3's template", () => {
    try {
      qwen.applyChatTemplate([{ role: "assistant", content: "Hi" }, { role: "user", content: "?" }], { return_assistant_tokens_mask: true });
      throw new Error("expected an InferenceError");
    } catch (e) {
      expect(e).toBeInstanceOf(InferenceError);
      expect((e as InferenceError).reason).toBe("prompt-render-failed");
      expect((e as InferenceError).message).toMatch(/messages\[:0\], add_generation_prompt=True\) raises: /);
    }
  });
});

describe("other stock templates", () => {
  it("Llama 3: content<|eot_id|>, also for an assistant-first turn that carries <|begin_of_text|>", () => {
    const llama = ChatTokenizer.fromJSON(tokenizerJson("llama3"), tokenizerConfig("llama3"));
    const r = llama.applyChatTemplate([{ role: "assistant", content: "Welcome!" }, { role: "user", content: "Hi" }, { role: "assistant", content: "Hello." }], {
      return_assistant_tokens_mask: true,
      mask_policy: "exact",
    });
    expect(r.text.startsWith("<|begin_of_text|><|start_header_id|>assistant")).toBe(true);
    expect(maskedText(r, r.assistant_masks as number[])).toBe("Welcome!<|eot_id|>¦Hello.<|eot_id|>");
  });

  it("DeepSeek V3 after tool outputs: <｜tool▁outputs▁end｜> is prompt, not output", () => {
    const ds = ChatTokenizer.fromJSON(tokenizerJson("deepseek_v3"), tokenizerConfig("deepseek_v3"));
    const r = ds.applyChatTemplate(
      [
        { role: "user", content: "Weather in Rome?" },
        { role: "assistant", content: "", tool_calls: [{ type: "function", function: { name: "weather", arguments: '{"city": "Rome"}' } }] },
        { role: "tool", content: "25 and clear" },
        { role: "assistant", content: "It is 25 °C and clear." },
      ],
      { return_assistant_tokens_mask: true },
    );
    const masked = maskedText(r, r.assistant_masks as number[]).split("¦");
    expect(masked[masked.length - 1]).toBe("It is 25 °C and clear.<｜end▁of▁sentence｜>");
    expect(r.text).toContain("<｜tool▁outputs▁end｜>It is 25");
  });
});

// A harmony-format template of our own (no gpt-oss template ships on npm), on gpt-oss's real tokenizer.
const HARMONY =
  "{%- for m in messages %}" +
  "{%- if m.role == 'user' %}<|start|>user<|message|>{{ m.content }}<|end|>" +
  "{%- elif m.role == 'assistant' %}" +
  "{%- if m.thinking %}<|start|>assistant<|channel|>analysis<|message|>{{ m.thinking }}<|end|>{% endif %}" +
  "{%- if m.tool_calls %}<|start|>assistant to=functions.{{ m.tool_calls[0].function.name }}<|channel|>commentary json<|message|>{{ m.tool_calls[0].function.arguments | tojson }}<|call|>" +
  "{%- else %}<|start|>assistant<|channel|>final<|message|>{{ m.content }}<|return|>{% endif %}" +
  "{%- elif m.role == 'tool' %}<|start|>functions.{{ m.name }} to=assistant<|channel|>commentary<|message|>{{ m.content }}<|end|>" +
  "{%- endif %}{%- endfor %}" +
  "{%- if add_generation_prompt %}<|start|>assistant{% endif %}";

describe("gpt-oss's tokenizer with a harmony-format template", () => {
  it("a tool call's span, and the analysis channel as thinking", () => {
    const oss = ChatTokenizer.fromJSON(tokenizerJson("gptoss"), { chat_template: HARMONY });
    const chat = [
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: "", thinking: "Call the tool.", tool_calls: [{ function: { name: "get_weather", arguments: { city: "Paris" } } }] },
      { role: "tool", name: "get_weather", content: "18 C" },
      { role: "assistant", content: "18 °C in Paris." },
    ];
    const r = oss.applyChatTemplate(chat, { return_assistant_tokens_mask: true, return_thinking_mask: true, mask_policy: "exact" });
    expect(maskedText(r, r.assistant_masks as number[]).split("¦")).toEqual([
      '<|channel|>analysis<|message|>Call the tool.<|end|><|start|>assistant to=functions.get_weather<|channel|>commentary json<|message|>{"city": "Paris"}<|call|>',
      "<|channel|>final<|message|>18 °C in Paris.<|return|>",
    ]);
    expect(maskedText(r, r.thinking_masks as number[])).toBe("<|channel|>analysis<|message|>Call the tool.<|end|>");
    const plain = oss.applyChatTemplate([chat[0], { ...chat[1], thinking: undefined }], { return_assistant_tokens_mask: true, mask_policy: "exact" });
    expect(maskedText(plain, plain.assistant_masks as number[])).toBe(' to=functions.get_weather<|channel|>commentary json<|message|>{"city": "Paris"}<|call|>');
  });
});

describe("reasoning formats", () => {
  it("the defaults always; another format only when the vocabulary has both of its tokens; think_markers replaces them", () => {
    const json = tinyTokenizer();
    const plain = ChatTokenizer.fromJSON(json, {});
    expect(plain.thinkMarkers()).toEqual(DEFAULT_THINK_MARKERS);
    const added = (id: number, content: string) => ({ id, content, special: true, single_word: false, lstrip: false, rstrip: false, normalized: false });
    const magistral = ChatTokenizer.fromJSON({ ...json, added_tokens: [...(json.added_tokens as object[]), added(101, "[THINK]"), added(102, "[/THINK]")] }, {});
    expect(magistral.thinkMarkers()).toEqual([...DEFAULT_THINK_MARKERS, VOCABULARY_THINK_MARKERS.find((m) => m.open === "[THINK]")]);
    const halfway = ChatTokenizer.fromJSON({ ...json, added_tokens: [...(json.added_tokens as object[]), added(101, "[THINK]")] }, {});
    expect(halfway.thinkMarkers()).toEqual(DEFAULT_THINK_MARKERS);
    const mine = [{ open: "<r>", close: "</r>" }];
    expect(plain.thinkMarkers(mine)).toEqual(mine);
    const r = magistral.applyChatTemplate([{ role: "user", content: "q" }, { role: "assistant", content: "[THINK]x[/THINK] yes" }], {
      chat_template: "{% for m in messages %}{{ m.role }}:{{ m.content }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}",
      return_assistant_tokens_mask: true,
      return_thinking_mask: true,
      mask_policy: "exact",
    });
    expect(maskedText(r, r.thinking_masks as number[])).toBe("[THINK]x[/THINK] ");
    expect(() => plain.applyChatTemplate([{ role: "user", content: "q" }], { return_assistant_tokens_mask: true, think_markers: [{ open: "", close: "x" }] })).toThrow(/think_markers/);
  });
});
