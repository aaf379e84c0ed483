// `spanja batch`: a JSONL dataset of conversations → one JSONL line of ids and masks per row, in input order,
// through ChatTokenizer.applyChatTemplate. Bad rows never stop the batch (unless --on-error fail): they go to
// --errors and the summary. Rows are read as a stream; --shard i/n keeps rows whose number ≡ i (mod n).
// Rows go to a pool of worker threads (--workers, default one per core but one) in chunks and come back in order.
// Parquet and --resume come next (issue 7).
import { createReadStream, createWriteStream, readFileSync, renameSync, rmSync, type WriteStream } from "node:fs";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { ChatTokenizer, type ApplyChatTemplateOptions } from "../chat/chat-tokenizer.ts";
import { TemplateError } from "../errors.ts";
import { parseJSON } from "../runtime/parse-json.ts";
import { batchOptions, processRow, type RowResult } from "./batch-rows.ts";

export const BATCH_HELP = `usage: spanja batch --model DIR --input FILE --output FILE [options]

  --model DIR              a Hugging Face model folder (tokenizer.json, tokenizer_config.json, chat_template.jinja …)
  --input FILE             JSONL, one conversation per line: {"messages": [...], "tools"?: [...], ...variables}
                           or a bare messages array; - reads stdin
  --output FILE            JSONL, one line per good row in input order: {"row", "input_ids", "attention_mask",
                           "assistant_masks", "thinking_masks"} (+ "text", "warnings"); - writes stdout
  --errors FILE            bad rows as JSONL {"row", "kind", "message"} (default: not written)
  --on-error skip|fail     skip bad rows (default) or stop at the first one
  --chat-template FILE     use this template instead of the model's
  --var NAME=JSON          a template variable for every row (repeatable), e.g. --var enable_thinking=false
  --span-source tags|infer --mask-policy hf|exact --exclude-think --exclude-empty-think
  --max-length N           truncate to N tokens
  --add-generation-prompt  --with-text  --shard I/N  --quiet
  --workers N              worker threads (default: one per core but one; 1 runs in this thread)`;

export interface BatchSummary {
  rows: number;
  written: number;
  failed: number;
  tokens: number;
  masked: number;
  warnings: Map<string, number>;
}

/** Raised for a setup problem (exit code 1); bad rows are counted, not thrown (unless --on-error fail). */
export class BatchSetupError extends Error {}

interface Parsed {
  model: string;
  input: string;
  output: string;
  errors: string | null;
  failFast: boolean;
  options: ApplyChatTemplateOptions;
  vars: [string, string][];
  withText: boolean;
  shard: [number, number];
  quiet: boolean;
  workers: number;
}

function parse(argv: string[]): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        model: { type: "string" },
        input: { type: "string" },
        output: { type: "string" },
        errors: { type: "string" },
        "on-error": { type: "string" },
        "chat-template": { type: "string" },
        var: { type: "string", multiple: true },
        "span-source": { type: "string" },
        "mask-policy": { type: "string" },
        "exclude-think": { type: "boolean" },
        "exclude-empty-think": { type: "boolean" },
        "max-length": { type: "string" },
        "add-generation-prompt": { type: "boolean" },
        "with-text": { type: "boolean" },
        shard: { type: "string" },
        quiet: { type: "boolean" },
        workers: { type: "string" },
      },
    }));
  } catch (e) {
    throw new BatchSetupError(`batch: ${(e as Error).message}`);
  }
  for (const required of ["model", "input", "output"] as const) if (values[required] === undefined) throw new BatchSetupError(`batch: --${required} is required`);
  const onError = values["on-error"] ?? "skip";
  if (onError !== "skip" && onError !== "fail") throw new BatchSetupError(`batch: --on-error must be skip or fail, got ${onError}`);
  const options: ApplyChatTemplateOptions = { return_assistant_tokens_mask: true, return_thinking_mask: true };
  const vars: [string, string][] = [];
  for (const v of values.var ?? []) {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new BatchSetupError(`batch: --var takes NAME=JSON, got ${v}`);
    try {
      parseJSON(v.slice(eq + 1), `--var ${v.slice(0, eq)}`);
    } catch (e) {
      throw new BatchSetupError(`batch: ${(e as Error).message}`);
    }
    vars.push([v.slice(0, eq), v.slice(eq + 1)]);
  }
  // the main thread reads, orders and writes: it keeps a core (on two cores, one worker in this thread is faster)
  const workers = values.workers === undefined ? Math.max(1, availableParallelism() - 1) : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new BatchSetupError(`batch: --workers must be a positive integer, got ${values.workers}`);
  if (values["chat-template"] !== undefined) options.chat_template = readText(values["chat-template"]);
  if (values["span-source"] !== undefined) options.span_source = values["span-source"] as ApplyChatTemplateOptions["span_source"];
  if (values["mask-policy"] !== undefined) options.mask_policy = values["mask-policy"] as ApplyChatTemplateOptions["mask_policy"];
  if (values["exclude-think"]) options.exclude_think_from_mask = true;
  if (values["exclude-empty-think"]) options.exclude_empty_think = true;
  if (values["add-generation-prompt"]) options.add_generation_prompt = true;
  if (values["max-length"] !== undefined) {
    const n = Number(values["max-length"]);
    if (!Number.isInteger(n) || n <= 0) throw new BatchSetupError(`batch: --max-length must be a positive integer, got ${values["max-length"]}`);
    options.max_length = n;
    options.truncation = true;
  }
  let shard: [number, number] = [0, 1];
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (m === null || Number(m[2]) === 0 || Number(m[1]) >= Number(m[2])) throw new BatchSetupError(`batch: --shard takes I/N with 0 <= I < N, got ${values.shard}`);
    shard = [Number(m[1]), Number(m[2])];
  }
  return {
    model: values.model as string,
    input: values.input as string,
    output: values.output as string,
    errors: values.errors ?? null,
    failFast: onError === "fail",
    options,
    vars,
    withText: values["with-text"] === true,
    shard,
    quiet: values.quiet === true,
    workers,
  };
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new BatchSetupError(`batch: cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Opens the output: stdout, or a temporary file renamed into place when the batch finishes. */
function openOutput(path: string): { stream: NodeJS.WritableStream; finish: () => Promise<void>; abort: () => void } {
  if (path === "-") return { stream: process.stdout, finish: async () => {}, abort: () => {} };
  const temp = `${path}.partial-${process.pid}`;
  const stream: WriteStream = createWriteStream(temp);
  let failure: Error | null = null;
  stream.on("error", (e) => (failure ??= e));
  const closed = () => new Promise<void>((resolve, reject) => stream.end(() => (failure ? reject(failure) : resolve())));
  return {
    stream,
    finish: async () => {
      await closed();
      renameSync(temp, path);
    },
    abort: () => {
      stream.destroy();
      rmSync(temp, { force: true });
    },
  };
}

function write(stream: NodeJS.WritableStream, line: string): Promise<void> | void {
  if (!stream.write(line + "\n")) return new Promise((resolve) => stream.once("drain", () => resolve()));
}

/** Answers chunks of rows: in this thread (one worker) or on a pool of worker threads. */
interface RowEngine {
  run(rows: [number, string][]): Promise<RowResult[]>;
  close(): Promise<void>;
}

async function localEngine(p: Parsed, where: string): Promise<RowEngine> {
  let tok: ChatTokenizer;
  try {
    tok = await ChatTokenizer.fromPretrained(p.model);
  } catch (e) {
    throw new BatchSetupError(`batch: ${e instanceof TemplateError ? e.detail : (e as Error).message}`);
  }
  const options = batchOptions(p.options, p.vars);
  return { run: async (rows) => rows.map(([row, line]) => processRow(tok, line, row, where, options, p.withText)), close: async () => {} };
}

/** The pool: each worker loads the model once; a chunk goes to the worker with the fewest chunks in flight. */
async function poolEngine(p: Parsed, where: string): Promise<RowEngine> {
  // src/ runs as .ts (Node strips types), dist/ as .js
  const file = new URL(`./batch-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);
  const pending = new Map<number, (r: RowResult[]) => void>();
  let next = 0;
  let failure: Error | null = null;
  let closing = false;
  const started: Worker[] = [];
  const workers = await Promise.all(
    Array.from({ length: p.workers }, () => {
      const w = new Worker(file, { workerData: { model: p.model, where, options: p.options, vars: p.vars, withText: p.withText } });
      started.push(w);
      const load = { inFlight: 0 };
      return new Promise<{ w: Worker; load: { inFlight: number } }>((resolve, reject) => {
        w.on("message", (m: { ready?: boolean; setupError?: string; id?: number; results?: RowResult[] }) => {
          if (m.ready) resolve({ w, load });
          else if (m.setupError !== undefined) reject(new BatchSetupError(`batch: ${m.setupError}`));
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
    throw e instanceof BatchSetupError ? e : new BatchSetupError(`batch: a worker failed to start: ${(e as Error).message}`);
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

const CHUNK = 32;

/** Runs `spanja batch` with its command-line arguments; returns the summary and the exit code to use. */
export async function runBatch(argv: string[], stderr: NodeJS.WritableStream = process.stderr): Promise<{ summary: BatchSummary; exitCode: number }> {
  const p = parse(argv);
  const inputName = p.input === "-" ? "<stdin>" : p.input;
  const engine = p.workers === 1 ? await localEngine(p, inputName) : await poolEngine(p, inputName);
  const input = p.input === "-" ? process.stdin : createReadStream(p.input, "utf8");
  input.on("error", () => {}); // reported by the line reader below
  const out = openOutput(p.output);
  const errors = p.errors === null ? null : createWriteStream(p.errors);
  errors?.on("error", (e) => stderr.write(`spanja batch: cannot write ${p.errors}: ${e.message}\n`));
  const summary: BatchSummary = { rows: 0, written: 0, failed: 0, tokens: 0, masked: 0, warnings: new Map() };
  const started = performance.now();
  const tty = (stderr as { isTTY?: boolean }).isTTY === true;
  let lastReport = started;
  const report = (final: boolean) => {
    const s = Math.max((performance.now() - started) / 1000, 1e-9);
    const line = `spanja batch: ${summary.rows} rows (${summary.failed} bad), ${(summary.rows / s).toFixed(0)} rows/s, ${(summary.tokens / s).toFixed(0)} tokens/s`;
    if (tty && !final) stderr.write(`\r${line}`);
    else stderr.write(`${tty ? "\r" : ""}${line}\n`);
  };

  /** Writes a chunk's results in order and counts them. */
  const emit = async (results: RowResult[]) => {
    for (const r of results) {
      summary.rows++;
      if (r.line !== null) {
        summary.written++;
        summary.tokens += r.tokens;
        summary.masked += r.masked;
        for (const code of r.warnings) summary.warnings.set(code, (summary.warnings.get(code) ?? 0) + 1);
        await write(out.stream, r.line);
      } else {
        summary.failed++;
        const e = r.error as { kind: string; message: string };
        if (errors !== null) await write(errors, JSON.stringify({ row: r.row, kind: e.kind, message: e.message }));
        if (p.failFast) throw new BatchSetupError(`batch: row ${r.row}: ${e.message}`);
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
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      row++;
      if (row % p.shard[1] !== p.shard[0] || line.trim() === "") continue;
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
    errors?.end();
    await engine.close();
    throw e instanceof BatchSetupError ? e : new BatchSetupError(`batch: ${inputName}: ${(e as Error).message}`);
  }
  await engine.close();
  await out.finish();
  if (errors !== null) await new Promise<void>((resolve) => errors.end(() => resolve()));
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
