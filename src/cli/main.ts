#!/usr/bin/env node
// spanja's command line: argument parsing and printing only.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ChatTokenizer } from "../chat/chat-tokenizer.ts";
import { applyRecipe, readOriginal, type TaggingRecipe } from "../chat/tagging.ts";
import { TemplateError } from "../errors.ts";
import type { Span } from "../spans/output.ts";
import { rangesToCodePoints } from "../spans/units.ts";
import { parseJSON } from "../runtime/parse-json.ts";
import { Template } from "../template.ts";
import { BATCH_HELP, runBatch } from "./batch.ts";
import { DEMO_MESSAGES, DEMO_TOOLS } from "./demo.ts";

const HELP = `spanja: render chat templates exactly as transformers does, with labeled spans

usage:
  spanja                                  the main job: Qwen3's real model folder (tokenizer and stock
                                          template) on a conversation with reasoning and tool calls; tokens
                                          coloured by inferred assistant and thinking masks, beside the
                                          tagged template's, and with exclude_think_from_mask
  spanja render TEMPLATE [--context FILE] [--infer] [--hf] [--json] [--no-color]
                                          render a template file (- for stdin) with a JSON context
options:
  --context FILE   template variables as JSON (messages, add_generation_prompt, …)
  --infer          infer assistant and think spans from the message loop (templates without tags)
  --hf             transformers' span arithmetic instead of exact spans
  --json           print {text, spans, warnings} as JSON (spans in code points, as Python counts)
  --no-color       mark spans with ⟦label⟧…⟦/label⟧ instead of colours
  spanja batch --model DIR --input FILE --output FILE [options]
                                          a JSONL dataset → ids and masks per row (spanja batch --help)`;

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const COLORS: Record<string, string> = { assistant: "\x1b[42;30m", think: "\x1b[45;30m" };
const RESET = "\x1b[0m";

/** Text with span boundaries shown as colours (or markers); nested spans show the innermost label. */
function highlight(text: string, spans: readonly Span[], color: boolean): string {
  const events: { at: number; open: boolean; label: string }[] = [];
  for (const s of spans) events.push({ at: s.start, open: true, label: s.label }, { at: s.end, open: false, label: s.label });
  events.sort((a, b) => a.at - b.at || Number(a.open) - Number(b.open));
  let out = "";
  let pos = 0;
  const stack: string[] = [];
  for (const e of events) {
    out += text.slice(pos, e.at);
    pos = e.at;
    if (e.open) stack.push(e.label);
    else stack.splice(stack.lastIndexOf(e.label), 1);
    if (color) out += stack.length ? RESET + COLORS[stack[stack.length - 1]] : RESET;
    else out += e.open ? `⟦${e.label}⟧` : `⟦/${e.label}⟧`;
  }
  return out + text.slice(pos) + (color ? RESET : "");
}

function printResult(text: string, spans: Span[], warnings: { message: string }[], color: boolean): void {
  console.log(highlight(text, spans, color));
  console.log("");
  const cps = rangesToCodePoints(text, spans);
  for (const [i, s] of spans.entries()) {
    const preview = JSON.stringify(text.slice(s.start, s.end));
    console.log(`  ${s.label.padEnd(9)} [${cps[i].start}, ${cps[i].end})  ${preview.length > 70 ? preview.slice(0, 67) + "…\"" : preview}`);
  }
  for (const w of warnings) console.log(`  warning: ${w.message}`);
}

/** Tokens coloured by mask: thinking (magenta), assistant (green), prompt (plain); markers without colour. */
function showTokens(text: string, offsets: readonly [number, number][], assistant: readonly number[], thinking: readonly number[], color: boolean): string {
  let out = "";
  let prev = "";
  let pos = 0;
  for (let i = 0; i < offsets.length; i++) {
    // byte-level pieces of one character share its range: print each character once
    const piece = text.slice(Math.max(pos, offsets[i][0]), offsets[i][1]);
    pos = Math.max(pos, offsets[i][1]);
    const cls = thinking[i] ? "think" : assistant[i] ? "assistant" : "";
    if (color) out += (cls ? COLORS[cls] : RESET) + piece + RESET;
    else {
      if (cls !== prev) out += (prev ? `⟦/${prev}⟧` : "") + (cls ? `⟦${cls}⟧` : "");
      out += piece;
    }
    prev = cls;
  }
  return color ? out : out + (prev ? `⟦/${prev}⟧` : "");
}

async function demo(color: boolean): Promise<void> {
  const require = createRequire(import.meta.url);
  const recipe = JSON.parse(readFileSync(join(root, "templates", "qwen3.json"), "utf8")) as TaggingRecipe;
  const configPath = require.resolve(`${recipe.source.package}/${recipe.source.file}`);
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
  const count = (m: readonly number[] | undefined) => (m ?? []).reduce((a, b) => a + b, 0);
  const agree = (a: readonly number[] | undefined, b: readonly number[] | undefined) => (a ?? []).every((x, i) => x === (b ?? [])[i]);

  console.log(`Qwen3: model folder ${folder} (ChatTokenizer.fromPretrained, ${loadMs.toFixed(0)} ms)`);
  console.log(`${inferred.input_ids.length} tokens; a conversation with reasoning and tool calls; the stock template has no {% generation %} tag`);
  const legend = color ? `${COLORS.assistant} assistant ${RESET} ${COLORS.think} think ${RESET} prompt` : "⟦assistant⟧ ⟦think⟧ prompt";
  console.log(`${legend}\n`);
  console.log(`── inferred from the stock template's message loop (render, prompt renders, tokenize and masks: ${inferMs.toFixed(1)} ms): ${count(inferred.assistant_masks)} assistant tokens, ${count(inferred.thinking_masks)} of them thinking`);
  console.log(showTokens(inferred.text, inferred.offsets, inferred.assistant_masks ?? [], inferred.thinking_masks ?? [], color));
  const same = tags.text === inferred.text && agree(tags.assistant_masks, inferred.assistant_masks) && agree(tags.thinking_masks, inferred.thinking_masks);
  console.log(`\n── the tagged template (templates/qwen3.json) on the same conversation: ${count(tags.assistant_masks)} assistant tokens, ${count(tags.thinking_masks)} thinking; its masks and the inferred ones are ${same ? "identical" : "DIFFERENT"}`);
  if (!same) console.log(showTokens(tags.text, tags.offsets, tags.assistant_masks ?? [], tags.thinking_masks ?? [], color));
  console.log(`\n── inferred, exclude_think_from_mask: true: ${count(without.assistant_masks)} assistant tokens; the reasoning leaves the mask`);
  const none = new Array<number>(without.input_ids.length).fill(0);
  console.log(showTokens(without.text, without.offsets, without.assistant_masks ?? [], none, color));
  for (const w of [...inferred.warnings, ...tags.warnings]) console.log(`  ${w.code}: ${w.message}`);
}

function render(args: string[], color: boolean): void {
  const file = args[0];
  if (!file) throw new Error("render: missing TEMPLATE (a file, or - for stdin)");
  const source = readFileSync(file === "-" ? 0 : file, "utf8");
  const ci = args.indexOf("--context");
  const contextFile = ci === -1 ? null : args[ci + 1];
  if (ci !== -1 && contextFile === undefined) throw new Error("render: --context needs a file (or - for stdin)");
  // the context keeps its numbers as Python's json does: 1.0 stays a float
  const context = contextFile === null ? {} : (parseJSON(readFileSync(contextFile === "-" ? 0 : contextFile, "utf8"), contextFile === "-" ? "<stdin>" : contextFile) as object);
  const t = new Template(source, { name: file, spanMode: args.includes("--hf") ? "hf" : "exact" });
  const r = t.renderWithSpans(context, { spanSource: args.includes("--infer") ? "infer" : "tags" });
  if (args.includes("--json")) console.log(JSON.stringify({ text: r.text, spans: rangesToCodePoints(r.text, r.spans), warnings: r.warnings }, null, 2));
  else printResult(r.text, r.spans, r.warnings, color);
}

async function main(argv: string[]): Promise<number> {
  const color = !argv.includes("--no-color") && (process.stdout.isTTY || process.env.FORCE_COLOR !== undefined);
  const args = argv.filter((a) => a !== "--no-color");
  try {
    if (args[0] === "--help" || args[0] === "-h") console.log(HELP);
    else if (args.length === 0) await demo(color);
    else if (args[0] === "render") render(args.slice(1), color);
    else if (args[0] === "batch") {
      if (args.includes("--help")) console.log(BATCH_HELP);
      else return (await runBatch(args.slice(1))).exitCode;
    }
    else {
      console.error(`spanja: unknown command '${args[0]}'\n\n${HELP}`);
      return 2;
    }
    return 0;
  } catch (e) {
    console.error(e instanceof TemplateError ? e.message : `spanja: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
