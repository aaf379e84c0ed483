#!/usr/bin/env node
// spanja's command line: argument parsing and printing only.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyRecipe, type TaggingRecipe } from "../chat/tagging.ts";
import { TemplateError } from "../errors.ts";
import type { Span } from "../spans/output.ts";
import { rangesToCodePoints } from "../spans/units.ts";
import { Template } from "../template.ts";
import { DEMO_MESSAGES, DEMO_TOOLS } from "./demo.ts";

const HELP = `spanja: render chat templates exactly as transformers does, with labeled spans

usage:
  spanja                                  the main job: Qwen3's real template, tagged, on a demo conversation
  spanja render TEMPLATE [--context FILE] [--hf] [--json] [--no-color]
                                          render a template file (- for stdin) with a JSON context
options:
  --context FILE   template variables as JSON (messages, add_generation_prompt, …)
  --hf             transformers' span arithmetic instead of exact spans
  --json           print {text, spans, warnings} as JSON (spans in code points, as Python counts)
  --no-color       mark spans with ⟦label⟧…⟦/label⟧ instead of colours`;

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

function demo(color: boolean): void {
  const require = createRequire(import.meta.url);
  const recipe = JSON.parse(readFileSync(join(root, "templates", "qwen3.json"), "utf8")) as TaggingRecipe;
  const configPath = require.resolve(`${recipe.source.package}/${recipe.source.file}`);
  const config = JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>;
  const original = config[recipe.source.field] as string;
  const tagged = applyRecipe(original, recipe);
  const context = { messages: DEMO_MESSAGES, tools: DEMO_TOOLS, add_generation_prompt: false };
  const plain = new Template(original).render(context);
  const t = new Template(tagged, { name: "qwen3 (tagged)" });
  const r = t.renderWithSpans(context);
  console.log(`Qwen3 chat template from ${recipe.source.package}, tagged by templates/qwen3.json`);
  console.log(`rendered ${r.text.length} characters; identical to the untagged original: ${r.text === plain ? "yes" : "NO"}`);
  console.log(`${color ? COLORS.assistant + " assistant " + RESET + " " + COLORS.think + " think " + RESET : "⟦assistant⟧ ⟦think⟧"}  (exact spans)\n`);
  printResult(r.text, r.spans, r.warnings, color);
  const hf = new Template(tagged, { spanMode: "hf" }).renderWithSpans(context);
  const key = (spans: Span[]) => JSON.stringify(spans.map((s) => [s.start, s.end, s.label]).sort());
  const same = key(hf.spans) === key(r.spans);
  console.log(`\ntransformers' arithmetic (spanMode "hf") gives ${same ? "the same spans (recorded inner first)" : "different spans (see COMPATIBILITY.md)"} here.`);
}

function render(args: string[], color: boolean): void {
  const file = args[0];
  if (!file) throw new Error("render: missing TEMPLATE (a file, or - for stdin)");
  const source = readFileSync(file === "-" ? 0 : file, "utf8");
  const ci = args.indexOf("--context");
  const context = ci === -1 ? {} : (JSON.parse(readFileSync(args[ci + 1], "utf8")) as object);
  const t = new Template(source, { name: file, spanMode: args.includes("--hf") ? "hf" : "exact" });
  const r = t.renderWithSpans(context);
  if (args.includes("--json")) console.log(JSON.stringify({ text: r.text, spans: rangesToCodePoints(r.text, r.spans), warnings: r.warnings }, null, 2));
  else printResult(r.text, r.spans, r.warnings, color);
}

function main(argv: string[]): number {
  const color = !argv.includes("--no-color") && (process.stdout.isTTY || process.env.FORCE_COLOR !== undefined);
  const args = argv.filter((a) => a !== "--no-color");
  try {
    if (args[0] === "--help" || args[0] === "-h") console.log(HELP);
    else if (args.length === 0) demo(color);
    else if (args[0] === "render") render(args.slice(1), color);
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

process.exitCode = main(process.argv.slice(2));
