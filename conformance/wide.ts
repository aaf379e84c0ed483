// `npm run conformance:wide -- FOLDER [--show N]`: a held-out folder of chat templates (*.jinja files and
// tokenizer_config.json chat_templates, e.g. llama.cpp's models/templates from node-llama-cpp's git bundle,
// which is too large to be a devDependency: README "Where the real templates come from") rendered by
// reference/wide.py with every conversation, then by spanja, and compared as the corpus is: text, hf spans
// and errors, and inferred spans. For triage only: nothing is written into the repository.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatMismatches, loadEngine, runCases, type Case, type CaseResult } from "./compare.ts";
import { runInferCases, type InferCase, type InferGoldenCase, type InferResult } from "./infer/harness.ts";
import { CONFORMANCE, DEFAULT_NOW, loadConversations, templateContext, type GoldenCase } from "./sources.ts";

interface HeldOut {
  id: string;
  file: string;
  template: string;
  special_tokens: Record<string, unknown>;
  cases: Record<string, GoldenCase>;
  infer: Record<string, InferGoldenCase>;
  unstable: string[];
}

const folder = process.argv[2];
if (folder === undefined || folder.startsWith("--")) {
  console.error("usage: npm run conformance:wide -- FOLDER [--show N]");
  process.exit(2);
}
const showAt = process.argv.indexOf("--show");
const show = showAt >= 0 ? Number(process.argv[showAt + 1]) : 5;

const scratch = mkdtempSync(join(tmpdir(), "spanja-wide-"));
let templates: HeldOut[];
try {
  const out = join(scratch, "wide.json");
  const r = spawnSync("python3", [join(CONFORMANCE, "reference", "wide.py"), folder, out], { encoding: "utf8", stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) process.exit(r.status ?? 1);
  templates = (JSON.parse(readFileSync(out, "utf8")) as { templates: HeldOut[] }).templates;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const engine = await loadEngine();
const conversations = new Map(loadConversations().map((c) => [c.name, c]));
const options = { spanMode: "hf" as const, trimBlocks: true, lstripBlocks: true, keepTrailingNewline: false, now: new Date(DEFAULT_NOW) };
const context = (t: HeldOut, key: string) => {
  const [name, agp] = key.split("|agp=");
  const conv = conversations.get(name);
  if (conv === undefined) throw new Error(`conversation ${name} is gone`);
  return templateContext(conv, agp === "true", t.special_tokens);
};

let renderTotal = 0;
let renderFailed = 0;
let inferTotal = 0;
let inferFailed = 0;
let unstable = 0;
const failing: string[] = [];
for (const t of templates) {
  const cases: Case[] = Object.entries(t.cases).map(([key, golden]) => ({ id: `${t.id} ${key}`, unit: t.id, group: "wide", source: t.template, options, context: context(t, key), golden }));
  const inferCases: InferCase[] = Object.entries(t.infer).map(([key, golden]) => ({ id: `${t.id} ${key}`, unit: t.id, source: t.template, context: context(t, key), golden }));
  const rendered: CaseResult[] = runCases(engine, cases);
  const inferred: InferResult[] = runInferCases(inferCases);
  const badRender = rendered.filter((r) => !r.pass);
  const badInfer = inferred.filter((r) => r.outcome === "fail");
  renderTotal += rendered.length;
  renderFailed += badRender.length;
  inferTotal += inferred.length;
  inferFailed += badInfer.length;
  unstable += t.unstable.length;
  if (badRender.length + badInfer.length === 0) continue;
  failing.push(`${t.id} (${t.file}): ${badRender.length}/${rendered.length} render, ${badInfer.length}/${inferred.length} inferred differ`);
  if (badRender.length > 0) failing.push(formatMismatches(rendered, show));
  for (const r of badInfer.slice(0, show)) failing.push(`  ✗ infer ${r.case.id}\n    ${r.diff}`);
}
if (failing.length > 0) console.log(failing.join("\n"));
console.log(`${templates.length} templates: ${renderTotal - renderFailed}/${renderTotal} render cases identical, ${inferTotal - inferFailed}/${inferTotal} inferred-span cases identical (${unstable} cases left out: a memory address in Python's output)`);
process.exit(renderFailed + inferFailed > 0 ? 1 : 0);
