// `npm run conformance`: renders every conformance case with spanja and compares it with the Python
// goldens. Prints a table per fixture area and template source, then the first mismatches.
// Options: --filter <text> (case ids containing text), --show <n> (mismatches listed, default 20),
// --by-template (one row per template instead of per source), --details (list error wording differences).
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

let engine: Engine;
try {
  engine = await loadEngine();
} catch (e) {
  console.error(`spanja engine unavailable: ${(e as Error).message}`);
  console.error(`${cases.length} cases not run.`);
  process.exit(1);
}

const results = runCases(engine, cases);
const elapsed = performance.now() - started;
console.log(formatTable(tally(results, byTemplate ? (r) => r.case.unit : undefined)));
console.log("\ntext/spans count a case whose golden is an error as matching when spanja raised too;");
console.log("err class/detail are counted over those error cases; pass = text, spans, errors and err class.");
const failed = results.filter((r) => !r.pass).length;
if (failed > 0) console.log(`\nfirst mismatches:\n${formatMismatches(results, show)}`);
if (details) {
  const listing = formatDetailMismatches(results, show);
  if (listing) console.log(`\nerror wording differences (informational):\n${listing}`);
}
console.log(`\n${results.length} cases in ${(elapsed / 1000).toFixed(2)}s: ${results.length - failed} pass, ${failed} fail`);
process.exit(failed > 0 ? 1 : 0);
