import { readFileSync } from "node:fs";
import { join } from "node:path";
// `npm run conformance`: renders every conformance case with spanja and compares it with the Python
// goldens; runs the ids/masks cases through ChatTokenizer and compares them with the reference pipeline
// (jinja2 text and spans, Rust tokenizers, transformers' mask loop). Prints a table per fixture area,
// template source and ids/masks group, then the first mismatches.
// Options: --filter <text> (case ids containing text), --show <n> (mismatches listed, default 20),
// --by-template (one row per template instead of per source), --details (list every error wording difference, the allowed ones of known-wording.json too).
import { inferCases, runInferCases } from "./infer/harness.ts";
import { maskCases, runMaskCases } from "./masks/harness.ts";
import { ROOT } from "./sources.ts";
import { allCases, formatDetailMismatches, formatMismatches, formatTable, loadEngine, runCases, tally, type Engine } from "./compare.ts";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const filter = option("--filter");
const show = Number(option("--show") ?? 20);
const byTemplate = process.argv.includes("--by-template");
const details = process.argv.includes("--details");

const started = performance.now();
const cases = allCases().filter((c) => filter === undefined || c.id.includes(filter));
const masks = maskCases().filter((c) => filter === undefined || c.id.includes(filter));

let engine: Engine;
try {
  engine = await loadEngine();
} catch (e) {
  console.error(`spanja engine unavailable: ${(e as Error).message}`);
  console.error(`${cases.length + masks.length} cases not run.`);
  process.exit(1);
}

const results = [...runCases(engine, cases), ...runMaskCases(engine, masks)];
const elapsed = performance.now() - started;
console.log(formatTable(tally(results, byTemplate ? (r) => r.case.unit : undefined)));
console.log("\ntext/spans count a case whose golden is an error as matching when spanja raised too;");
console.log("err class/detail are counted over those error cases; pass = text, spans, errors, err class and err detail");
console.log("(Python's wording, or a difference listed in known-wording.json).");
console.log('ids = input_ids and attention_mask, masks = assistant_masks and thinking_masks (mask_policy "hf"); "-" where not checked.');
const known = new Set(Object.keys(JSON.parse(readFileSync(join(ROOT, "conformance", "known-divergences.json"), "utf8"))).filter((k) => !k.startsWith("$")));
const divergent = results.filter((r) => !r.pass && known.has(r.case.id));
const failed = results.filter((r) => !r.pass && !known.has(r.case.id)).length;
if (divergent.length > 0) console.log(`\nknown divergences, explained in COMPATIBILITY.md: ${divergent.map((r) => r.case.id).join(", ")}`);
if (failed > 0) console.log(`\nfirst mismatches:\n${formatMismatches(results.filter((r) => !known.has(r.case.id)), show)}`);
if (details) {
  const listing = formatDetailMismatches(results, show);
  if (listing) console.log(`\nerror wording differences (those not in known-wording.json fail):\n${listing}`);
}

// inferred spans against conformance/reference/infer.py
const inferStarted = performance.now();
const inferResults = runInferCases(inferCases().filter((c) => filter === undefined || c.id.includes(filter)));
const count = (o: string) => inferResults.filter((r) => r.outcome === o).length;
const closed = new Map<string, number>();
for (const r of inferResults) {
  const e = r.case.golden.error;
  if (r.outcome === "pass" && e !== null && "kind" in e) closed.set(e.kind, (closed.get(e.kind) ?? 0) + 1);
}
console.log(`\ninferred spans: ${inferResults.length} cases in ${((performance.now() - inferStarted) / 1000).toFixed(2)}s: ${count("pass")} identical to the reference (${[...closed].map(([k, n]) => `${n} fail closed as ${k}`).join(", ") || "none fail closed"}), ${count("skipped")} the reference cannot attribute, ${count("fail")} differ`);
for (const r of inferResults.filter((x) => x.outcome === "fail").slice(0, show)) console.log(`  ${r.case.id}: ${r.diff}`);

console.log(`\n${results.length} cases in ${(elapsed / 1000).toFixed(2)}s: ${results.length - failed - divergent.length} pass, ${divergent.length} known divergences, ${failed} fail`);
process.exit(failed > 0 || count("fail") > 0 ? 1 : 0);
