// `spanja batch`: a dataset of conversations → one output row of ids and masks per input row, in input order,
// through ChatTokenizer.applyChatTemplate. Bad rows never stop the batch (unless --on-error fail): they go to
// --errors and the summary. Rows are read as a stream; --shard i/n keeps rows whose number ≡ i (mod n).
// Rows go to a pool of worker threads (--workers, default one per core) in chunks and come back in order.
import { closeSync, createReadStream, createWriteStream, ftruncateSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync, type WriteStream } from "node:fs";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import { Worker } from "node:worker_threads";
import type { WorkerSetup } from "./batch-worker.ts";
import { choiceFlag, CliError, countFlag, displayName, fileProblem, parseCommand, stringFlag, type Command } from "./args.ts";
import { processRow, type RowFormat, type RowResult } from "./batch-rows.ts";
import { loadModel, MODEL_FLAGS, modelSettings, withVars, type ModelSettings } from "./model-options.ts";
import { openParquetOutput, parquetRows, type OutputRecord } from "./parquet.ts";

export const BATCH: Command = {
  name: "batch",
  about: "A dataset of conversations → input_ids, attention_mask, assistant_masks and thinking_masks per row.",
  positionals: [],
  flags: {
    input: { type: "string", value: "FILE", help: 'JSONL, one conversation per line: {"messages": [...], "tools"?: [...], ...variables} or a messages array; or .parquet with a messages column; - reads stdin' },
    output: { type: "string", value: "FILE", help: 'JSONL, one line per good row in input order: {"row", "input_ids", "attention_mask", "assistant_masks", "thinking_masks"}; or .parquet; - writes stdout' },
    ...MODEL_FLAGS,
    "with-text": { type: "boolean", help: 'add the rendered "text" to each row' },
    keep: { type: "string", value: "FIELD", multiple: true, help: "copy this input field to the output row (an id to join on); it is not a template variable" },
    errors: { type: "string", value: "FILE", help: 'bad rows as JSONL {"row", "kind", "message"} (default: only counted)' },
    "on-error": { type: "string", value: "skip|fail", help: "skip bad rows (default) or stop at the first one" },
    resume: { type: "boolean", help: "append to an existing output after its last complete row (JSONL files only)" },
    shard: { type: "string", value: "I/N", help: "only the rows whose number ≡ I (mod N), numbered from 0" },
    workers: { type: "string", value: "N", help: "worker threads (default: one per core; 1 runs in this thread)" },
    quiet: { type: "boolean", help: "no progress or summary on stderr" },
  },
  notes: [
    "Exit code: 0 when every row passed, 3 when some rows were bad, 1 on a setup error, 2 on a usage error.",
    "Without --resume the output appears only when the batch ends (a temporary file, renamed).",
  ],
};

export interface BatchSummary {
  rows: number;
  written: number;
  failed: number;
  tokens: number;
  masked: number;
  warnings: Map<string, number>;
}

interface Parsed extends ModelSettings {
  input: string;
  output: string;
  errors: string | null;
  failFast: boolean;
  resume: boolean;
  format: RowFormat;
  shard: [number, number];
  quiet: boolean;
  workers: number;
}

function parse(argv: string[]): Parsed {
  const { values } = parseCommand(BATCH, argv);
  for (const required of ["input", "output"]) if (values[required] === undefined) throw new CliError(`spanja batch: --${required} is required`, 2);
  const settings = modelSettings("batch", values);
  const onError = choiceFlag("batch", values, "on-error", ["skip", "fail"] as const) ?? "skip";
  // one worker per core: the main thread only reads, orders and writes (idle 90% of the time, profiled)
  const workers = countFlag("batch", values, "workers") ?? availableParallelism();
  let shard: [number, number] = [0, 1];
  const s = stringFlag(values, "shard");
  if (s !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(s);
    if (m === null || Number(m[2]) === 0 || Number(m[1]) >= Number(m[2])) throw new CliError(`spanja batch: --shard takes I/N with 0 <= I < N, got ${s}`, 2);
    shard = [Number(m[1]), Number(m[2])];
  }
  const keep = (values.keep as string[] | undefined) ?? [];
  const clash = keep.find((k) => ["row", "messages", "input_ids", "attention_mask", "assistant_masks", "thinking_masks", "text", "warnings"].includes(k));
  if (clash !== undefined) throw new CliError(`spanja batch: --keep ${clash}: that name is spanja's own (input or output)`, 2);
  const output = stringFlag(values, "output") as string;
  if (values.resume && output === "-") throw new CliError("spanja batch: --resume needs an output file, not stdout", 2);
  if (values.resume && isParquet(output)) throw new CliError("spanja batch: --resume needs a JSONL output (a Parquet file cannot be appended to)", 2);
  if (keep.length > 0 && isParquet(output)) throw new CliError("spanja batch: --keep needs a JSONL output for now", 2);
  return {
    ...settings,
    input: stringFlag(values, "input") as string,
    output,
    errors: stringFlag(values, "errors") ?? null,
    failFast: onError === "fail",
    resume: values.resume === true,
    format: { withText: values["with-text"] === true, keep },
    shard,
    quiet: values.quiet === true,
    workers,
  };
}

/** Where the rows go: a stream of lines, finished (renamed into place) or aborted (removed) at the end. */
interface Sink {
  write(line: string): Promise<void> | void;
  finish(): Promise<void>;
  abort(): void;
}

function write(stream: NodeJS.WritableStream, line: string): Promise<void> | void {
  if (!stream.write(line + "\n")) return new Promise((resolve) => stream.once("drain", () => resolve()));
}

/** A file stream whose first write error is kept, reported by `closed`. */
function fileStream(path: string, flags: "w" | "a"): { stream: WriteStream; closed: () => Promise<void> } {
  const stream = createWriteStream(path, { flags });
  let failure: Error | null = null;
  stream.on("error", (e) => (failure ??= e));
  const closed = () => new Promise<void>((resolve, reject) => stream.end(() => (failure ? reject(new CliError(`${path}: ${fileProblem(failure)}`)) : resolve())));
  return { stream, closed };
}

function isParquet(path: string): boolean {
  return path.toLowerCase().endsWith(".parquet");
}

/**
 * stdout; a temporary file renamed into place at the end; or, resuming, the output file itself in append
 * mode; or a Parquet file (also written to a temporary file), which takes the rows back as records.
 */
function openOutput(path: string, append: boolean, withText: boolean): Sink {
  if (isParquet(path)) {
    let parquet: ReturnType<typeof openParquetOutput>;
    try {
      parquet = openParquetOutput(path, { withText });
    } catch (e) {
      throw new CliError(`spanja batch: ${(e as Error).message}`);
    }
    return { write: (line) => parquet.write(JSON.parse(line) as OutputRecord), finish: () => parquet.finish(), abort: () => parquet.abort() };
  }
  if (path === "-") return { write: (line) => write(process.stdout, line), finish: async () => {}, abort: () => {} };
  const target = append ? path : `${path}.partial-${process.pid}`;
  const { stream, closed } = fileStream(target, append ? "a" : "w");
  return {
    write: (line) => write(stream, line),
    finish: async () => {
      await closed();
      if (!append) renameSync(target, path);
    },
    abort: () => {
      stream.destroy();
      if (!append) rmSync(target, { force: true });
    },
  };
}

/** The row number of a JSONL output line (or errors line); null when the line is not one of ours. */
function rowOf(line: string): number | null {
  const m = /^\{"row":(\d+)[,}]/.exec(line);
  return m === null ? null : Number(m[1]);
}

/**
 * Where a resumed batch starts: the last complete row of the output file. A partial last line (the batch
 * was killed while writing it) is cut off. Returns -1 when there is no output yet.
 */
function resumeOutput(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, "r+");
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return -1;
    throw new CliError(`${path}: ${fileProblem(e)}`);
  }
  try {
    // read backwards until the last complete line (between the last two newlines) is in `tail`
    let pos = statSync(path).size;
    let tail = Buffer.alloc(0);
    const block = Buffer.alloc(1 << 16);
    const newlines = () => {
      const last = tail.lastIndexOf(10);
      return { last, prev: last > 0 ? tail.lastIndexOf(10, last - 1) : -1 };
    };
    while (pos > 0) {
      const n = Math.min(block.length, pos);
      pos -= n;
      readSync(fd, block, 0, n, pos);
      tail = Buffer.concat([block.subarray(0, n), tail]);
      const { last, prev } = newlines();
      if (last !== -1 && prev !== -1) break;
    }
    const { last, prev } = newlines();
    if (last === -1) {
      ftruncateSync(fd, 0);
      return -1;
    }
    const row = rowOf(tail.subarray(prev + 1, last).toString("utf8"));
    if (row === null) throw new CliError(`${path}: --resume: the last line is not a spanja batch row; is this the output of spanja batch?`);
    ftruncateSync(fd, pos + last + 1);
    return row;
  } finally {
    closeSync(fd);
  }
}

/** The errors file of a resumed batch keeps the bad rows up to the resume point; later ones will be redone. */
function resumeErrors(path: string, after: number): void {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return;
    throw new CliError(`${path}: ${fileProblem(e)}`);
  }
  const kept = text.split("\n").filter((l) => {
    const row = rowOf(l);
    return row !== null && row <= after;
  });
  writeFileSync(path, kept.map((l) => l + "\n").join(""));
}

/**
 * The errors file, written synchronously: bad rows are few, and a bad row is then on disk before any later
 * output row, so a killed batch resumes without losing one.
 */
function openErrors(path: string, append: boolean): { write(line: string): void; close(): void } {
  let fd: number;
  try {
    fd = openSync(path, append ? "a" : "w");
  } catch (e) {
    throw new CliError(`${path}: ${fileProblem(e)}`);
  }
  return { write: (line) => void writeSync(fd, line + "\n"), close: () => closeSync(fd) };
}

/** Answers chunks of rows: in this thread (one worker) or on a pool of worker threads. */
interface RowEngine {
  run(rows: [number, string][]): Promise<RowResult[]>;
  close(): Promise<void>;
}

async function localEngine(p: Parsed, where: string): Promise<RowEngine> {
  const tok = await loadModel("batch", p.model);
  const options = withVars(p.options, p.vars);
  return { run: async (rows) => rows.map(([row, line]) => processRow(tok, line, row, where, options, p.format)), close: async () => {} };
}

/**
 * A worker's heap. V8's default young generation lets each worker's resident memory grow to about 600 MB of
 * garbage on chat rows; a 16 MB one keeps it near 230 MB (measured: 2 workers, 2,000 Qwen3 rows, 818 → 453 MB
 * peak RSS, no slower). The old generation's cap leaves room for rows of hundreds of thousands of tokens.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 1024 };

/** The pool: each worker loads the model once; a chunk goes to the worker with the fewest chunks in flight. */
async function poolEngine(p: Parsed, where: string): Promise<RowEngine> {
  // src/ runs as .ts (Node strips types), dist/ as .js
  const file = new URL(`./batch-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);
  const pending = new Map<number, (r: RowResult[]) => void>();
  let next = 0;
  let failure: Error | null = null;
  let closing = false;
  const started: Worker[] = [];
  const setup: WorkerSetup = { model: p.model, where, options: p.options, vars: p.vars, format: p.format };
  const workers = await Promise.all(
    Array.from({ length: p.workers }, () => {
      const w = new Worker(file, { workerData: setup, resourceLimits: WORKER_HEAP });
      started.push(w);
      const load = { inFlight: 0 };
      return new Promise<{ w: Worker; load: { inFlight: number } }>((resolve, reject) => {
        w.on("message", (m: { ready?: boolean; setupError?: string; id?: number; results?: RowResult[] }) => {
          if (m.ready) resolve({ w, load });
          else if (m.setupError !== undefined) reject(new CliError(m.setupError));
          else if (m.id !== undefined) {
            load.inFlight--;
            pending.get(m.id)?.(m.results as RowResult[]);
            pending.delete(m.id);
          }
        });
        const fail = (e: Error) => {
          failure ??= e;
          reject(e);
          for (const done of pending.values()) done([]);
        };
        w.on("error", fail);
        // a worker that dies without an error event (killed, out of memory) must not leave the batch waiting
        w.on("exit", (code) => {
          if (!closing) fail(new Error(`a worker thread exited (code ${code})`));
        });
      });
    }),
  ).catch(async (e: unknown) => {
    closing = true;
    await Promise.all(started.map((w) => w.terminate()));
    throw e instanceof CliError ? e : new CliError(`spanja batch: a worker failed to start: ${(e as Error).message}`);
  });
  return {
    run: (rows) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        const id = next++;
        pending.set(id, (r) => (failure ? reject(failure) : resolve(r)));
        const target = workers.reduce((a, b) => (b.load.inFlight < a.load.inFlight ? b : a));
        target.load.inFlight++;
        target.w.postMessage({ id, rows });
      }),
    close: async () => {
      closing = true;
      await Promise.all(workers.map(({ w }) => w.terminate()));
    },
  };
}

/**
 * The input: checked now (a missing file is a setup error before any worker starts), read when `rows` is
 * called, with how far into it the reader is (a fraction, for the ETA) when its size is known.
 */
function openInput(path: string): { rows: () => AsyncIterable<string>; progress: () => number | null } {
  if (path === "-") return { rows: () => createInterface({ input: process.stdin, crlfDelay: Infinity }), progress: () => null };
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw Object.assign(new Error(), { code: "EISDIR" });
    size = st.size;
  } catch (e) {
    throw new CliError(`${path}: ${fileProblem(e)}`);
  }
  // a broken Parquet file is reported, with its name, when its footer or a row group is read
  if (isParquet(path)) return { rows: () => parquetRows(path), progress: () => null };
  let stream: ReturnType<typeof createReadStream> | null = null;
  return {
    rows: () => {
      stream = createReadStream(path, "utf8");
      stream.on("error", () => {}); // reported by the line reader
      return createInterface({ input: stream, crlfDelay: Infinity });
    },
    progress: () => (stream !== null && size > 0 ? stream.bytesRead / size : null),
  };
}

const CHUNK = 32;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** Runs `spanja batch` with its command-line arguments; returns the summary and the exit code to use. */
export async function runBatch(argv: string[], stderr: NodeJS.WritableStream = process.stderr): Promise<{ summary: BatchSummary; exitCode: number }> {
  const p = parse(argv);
  const inputName = displayName(p.input);
  const input = openInput(p.input);
  const resumeAfter = p.resume ? resumeOutput(p.output) : -1;
  if (p.resume && p.errors !== null) resumeErrors(p.errors, resumeAfter);
  const engine = p.workers === 1 ? await localEngine(p, inputName) : await poolEngine(p, inputName);
  const out = openOutput(p.output, p.resume, p.format.withText);
  const errors = p.errors === null ? null : openErrors(p.errors, p.resume);
  const summary: BatchSummary = { rows: 0, written: 0, failed: 0, tokens: 0, masked: 0, warnings: new Map() };
  const started = performance.now();
  const tty = (stderr as { isTTY?: boolean }).isTTY === true;
  let lastReport = started;
  const report = (final: boolean) => {
    const s = Math.max((performance.now() - started) / 1000, 1e-9);
    const done = input.progress();
    const eta = !final && done !== null && done > 0 ? `, ${(100 * done).toFixed(0)}%, ETA ${duration((s * (1 - done)) / done)}` : "";
    const line = `spanja batch: ${summary.rows} rows (${summary.failed} bad), ${(summary.rows / s).toFixed(0)} rows/s, ${(summary.tokens / s).toFixed(0)} tokens/s${eta}`;
    if (tty && !final) stderr.write(`\r${line}\x1b[K`);
    else stderr.write(`${tty ? "\r" : ""}${line}${tty ? "\x1b[K" : ""}\n`);
  };
  if (p.resume && !p.quiet) stderr.write(resumeAfter >= 0 ? `spanja batch: resuming ${p.output} after row ${resumeAfter}\n` : `spanja batch: ${p.output} has no rows yet; starting from the first row\n`);

  /** Writes a chunk's results in order and counts them. */
  const emit = async (results: RowResult[]) => {
    for (const r of results) {
      summary.rows++;
      if (r.line !== null) {
        summary.written++;
        summary.tokens += r.tokens;
        summary.masked += r.masked;
        for (const code of r.warnings) summary.warnings.set(code, (summary.warnings.get(code) ?? 0) + 1);
        await out.write(r.line);
      } else {
        summary.failed++;
        const e = r.error as { kind: string; message: string };
        errors?.write(JSON.stringify({ row: r.row, kind: e.kind, message: e.message }));
        if (p.failFast) throw new CliError(`spanja batch: ${inputName} row ${r.row}: ${e.message}`);
      }
    }
    if (!p.quiet && performance.now() - lastReport > (tty ? 200 : 5000)) {
      lastReport = performance.now();
      report(false);
    }
  };

  // chunks in flight, in input order: at most two per worker, so memory stays flat on any input
  const inFlight: Promise<RowResult[]>[] = [];
  const limit = p.workers * 2;
  let chunk: [number, string][] = [];
  let row = -1;
  try {
    for await (const line of input.rows()) {
      row++;
      if (row <= resumeAfter || row % p.shard[1] !== p.shard[0] || line.trim() === "") continue;
      chunk.push([row, line]);
      if (chunk.length < CHUNK) continue;
      inFlight.push(engine.run(chunk));
      chunk = [];
      if (inFlight.length >= limit) await emit(await (inFlight.shift() as Promise<RowResult[]>));
    }
    if (chunk.length > 0) inFlight.push(engine.run(chunk));
    while (inFlight.length > 0) await emit(await (inFlight.shift() as Promise<RowResult[]>));
  } catch (e) {
    out.abort();
    errors?.close();
    await engine.close();
    // the Parquet reader's errors name the file already
    throw e instanceof CliError ? e : new CliError(`spanja batch: ${isParquet(p.input) ? "" : `${inputName}: `}${fileProblem(e)}`);
  }
  await engine.close();
  await out.finish();
  errors?.close();
  if (!p.quiet) {
    report(true);
    const codes = [...summary.warnings].map(([k, n]) => `${k} ${n}`).join(", ");
    stderr.write(
      `spanja batch: ${summary.written} rows written, ${summary.failed} bad, ${summary.tokens} tokens, ${summary.tokens ? ((100 * summary.masked) / summary.tokens).toFixed(1) : "0.0"}% masked` +
        (codes ? `; warnings: ${codes}` : "") +
        "\n",
    );
  }
  return { summary, exitCode: summary.failed > 0 ? 3 : 0 };
}
