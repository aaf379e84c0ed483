// chat/config.ts and chat/variables.ts: special tokens as the Python reference passes them (checked against
// the goldens it wrote for all seven tokenizer configs), template choice, and the order of template variables.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseTemplate, readConfig, specialTokensOf } from "../../src/chat/config.ts";
import { extraVariables, templateVariables } from "../../src/chat/variables.ts";
import { TemplateError } from "../../src/errors.ts";
import { tokenizerConfig } from "./helpers.ts";

const GOLDENS = join(import.meta.dirname, "../../conformance/goldens/templates");

describe("special tokens", () => {
  for (const name of ["qwen3", "llama3", "llama3_1", "deepseek_v3", "gemma3", "gptoss", "llama2"]) {
    it(`${name}: the same as conformance/reference passes to templates`, () => {
      const config = tokenizerConfig(name);
      const expected = (() => {
        try {
          return (JSON.parse(readFileSync(join(GOLDENS, `lenml-${name}.json`), "utf8")) as { special_tokens: Record<string, unknown> }).special_tokens;
        } catch {
          return null; // no chat template in this package, so no golden; check by hand below
        }
      })();
      const got = specialTokensOf(config);
      if (expected !== null) expect(got).toEqual(expected);
      expect(Object.keys(got).every((k) => got[k] !== null && got[k] !== "")).toBe(true);
    });
  }

  it("reads AddedToken objects, drops unset tokens and empty lists, adds extra_special_tokens last", () => {
    const tokens = specialTokensOf({
      eos_token: { content: "</s>", lstrip: false },
      bos_token: "<s>",
      unk_token: null,
      pad_token: "",
      additional_special_tokens: [],
      extra_special_tokens: { image_token: { content: "<img>" }, empty: "" },
    });
    expect(tokens).toEqual({ bos_token: "<s>", eos_token: "</s>", image_token: "<img>" });
    expect(Object.keys(tokens)).toEqual(["bos_token", "eos_token", "image_token"]);
    expect(specialTokensOf({ additional_special_tokens: [{ content: "<a>" }, "<b>"] })).toEqual({ additional_special_tokens: ["<a>", "<b>"] });
  });

  it("config: pad token, sides and model_max_length", () => {
    const c = readConfig(tokenizerConfig("gemma3"));
    expect([c.padToken, c.paddingSide, c.truncationSide, c.modelMaxLength]).toEqual(["<pad>", "left", "right", 32768]);
    expect(readConfig(tokenizerConfig("llama3")).modelMaxLength).toBeNull();
    expect(readConfig(tokenizerConfig("deepseek_v3")).padToken).toBe("<｜end▁of▁sentence｜>");
    expect(() => readConfig({ padding_side: "middle" })).toThrow(TemplateError);
  });

  it("config: with no padding_side, the side of transformers' tokenizer class (left for Llama, Gemma, Cohere …)", () => {
    expect(readConfig(tokenizerConfig("deepseek_v3")).paddingSide).toBe("left"); // LlamaTokenizerFast, no padding_side
    for (const cls of ["LlamaTokenizer", "LlamaTokenizerFast", "CodeLlamaTokenizerFast", "GemmaTokenizer", "Siglip2Tokenizer", "CohereTokenizerFast", "XLNetTokenizer"]) {
      expect(readConfig({ tokenizer_class: cls }).paddingSide, cls).toBe("left");
    }
    for (const cls of ["Qwen2TokenizerFast", "PreTrainedTokenizerFast", "GPT2Tokenizer", "LlamaTokenizerFastX", 3]) {
      expect(readConfig({ tokenizer_class: cls }).paddingSide, String(cls)).toBe("right");
    }
    expect(readConfig({ tokenizer_class: "LlamaTokenizerFast", padding_side: "right" }).paddingSide).toBe("right");
    expect(() => readConfig([])).toThrow(/must hold a JSON object/);
    expect(() => readConfig({ chat_template: 3 })).toThrow(/chat_template must be a string or a list/);
  });
});

describe("template choice (transformers' get_chat_template)", () => {
  const named = readConfig({
    chat_template: [
      { name: "default", template: "D" },
      { name: "tool_use", template: "T" },
      { name: "rag", template: "R" },
    ],
  });
  it("picks tool_use when tools are given, default otherwise, or the named one", () => {
    expect(chooseTemplate(named, undefined, false)).toBe("D");
    expect(chooseTemplate(named, null, true)).toBe("T");
    expect(chooseTemplate(named, "rag", true)).toBe("R");
  });
  it("treats any other chat_template as a template source", () => {
    expect(chooseTemplate(named, "{{ x }}", false)).toBe("{{ x }}");
    expect(chooseTemplate(readConfig({ chat_template: "S" }), "tool_use", true)).toBe("tool_use");
    expect(chooseTemplate(readConfig({ chat_template: "S" }), undefined, true)).toBe("S");
  });
  it("raises transformers' errors when there is nothing to choose", () => {
    const noDefault = readConfig({ chat_template: [{ name: "rag", template: "R" }, { name: "a", template: "A" }] });
    expect(() => chooseTemplate(noDefault, undefined, false)).toThrow(/Available template names are \['a', 'rag'\]\./);
    expect(() => chooseTemplate(readConfig({}), undefined, false)).toThrow(/tokenizer.chat_template is not set and no template argument was passed/);
  });
});

describe("template variables", () => {
  it("come in transformers' order, and the caller's keys override special tokens", () => {
    const extra = extraVariables({ add_generation_prompt: true, padding: true, enable_thinking: false, eos_token: "E", tools: [], skipped: undefined });
    expect(extra).toEqual({ enable_thinking: false, eos_token: "E" });
    const vars = templateVariables([], undefined, null, true, { bos_token: "<s>", eos_token: "</s>" }, extra);
    expect(Object.keys(vars)).toEqual(["messages", "tools", "documents", "add_generation_prompt", "bos_token", "eos_token", "enable_thinking"]);
    expect(vars).toMatchObject({ tools: null, documents: null, add_generation_prompt: true, eos_token: "E" });
  });
});
