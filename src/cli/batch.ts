// `spanja batch`: a JSONL dataset of conversations → one JSONL line of ids and masks per row, in input order,
// through ChatTokenizer.applyChatTemplate. Bad rows never stop the batch (unless --on-error fail): they go to
// --errors and the summary. Rows are read as a stream; --shard i/n keeps rows whose number ≡ i (mod n).
// This slice runs on one core; the worker pool, Parquet and --resume come next (issue 7).
import { createReadStream, createWriteStream, readFileSync, renameSync, rmSync, type WriteStream } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { ChatTokenizer, type ApplyChatTemplateOptions } from "../chat/chat-tokenizer.ts";
import { TemplateError } from "../errors.ts";
import { parseJSON } from "../runtime/parse-json.ts";

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
  --add-generation-prompt  --with-text  --shard I/N  --quiet`;

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
  withText: boolean;
  shard: [number, number];
  quiet: boolean;
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
      },
    }));
  } catch (e) {
    throw new BatchSetupError(`batch: ${(e as Error).message}`);
  }
  for (const required of ["model", "input", "output"] as const) if (values[required] === undefined) throw new BatchSetupError(`batch: --${required} is required`);
  const onError = values["on-error"] ?? "skip";
  if (onError !== "skip" && onError !== "fail") throw new BatchSetupError(`batch: --on-error must be skip or fail, got ${onError}`);
  const options: ApplyChatTemplateOptions = { return_assistant_tokens_mask: true, return_thinking_mask: true };
  for (const v of values.var ?? []) {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new BatchSetupError(`batch: --var takes NAME=JSON, got ${v}`);
    try {
      options[v.slice(0, eq)] = parseJSON(v.slice(eq + 1), `--var ${v.slice(0, eq)}`);
    } catch (e) {
      throw new BatchSetupError(`batch: ${(e as Error).message}`);
    }
  }
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
    withText: values["with-text"] === true,
    shard,
    quiet: values.quiet === true,
  };
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new BatchSetupError(`batch: cannot read ${path}: ${(e as Error).message}`);
  }
}

/** One row: the conversation and its own template variables, or why it is bad. */
function rowInput(line: string, where: string): { messages: unknown; extra: Record<string, unknown> } {
  const value = parseJSON(line, where);
  if (Array.isArray(value)) return { messages: value, extra: {} };
  if (value === null || typeof value !== "object" || value instanceof Map) throw new TemplateError("invalid-input", `${where}: a row must be an object with "messages" or a messages array`);
  const { messages, ...extra } = value as Record<string, unknown>;
  if (!Array.isArray(messages)) throw new TemplateError("invalid-input", `${where}: the row has no "messages" list`);
  return { messages, extra };
}

function kindOf(e: unknown): string {
  if (e instanceof TemplateError) return e.kind;
  return "internal";
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

/** Runs `spanja batch` with its command-line arguments; returns the summary (and the exit code to use). */
export async function runBatch(argv: string[], stderr: NodeJS.WritableStream = process.stderr): Promise<{ summary: BatchSummary; exitCode: number }> {
  const p = parse(argv);
  let tok: ChatTokenizer;
  try {
    tok = await ChatTokenizer.fromPretrained(p.model);
  } catch (e) {
    throw new BatchSetupError(`batch: ${(e as Error).message}`);
  }
  const input = p.input === "-" ? process.stdin : createReadStream(p.input, "utf8");
  input.on("error", () => {}); // reported by the line reader below
  const out = openOutput(p.output);
  const errors = p.errors === null ? null : createWriteStream(p.errors);
  errors?.on("error", (e) => stderr.write(`spanja batch: cannot write ${p.errors}: ${e.message}\n`));
  const summary: BatchSummary = { rows: 0, written: 0, failed: 0, tokens: 0, masked: 0, warnings: new Map() };
  const started = performance.now();
  const progress = !p.quiet;
  const tty = (stderr as { isTTY?: boolean }).isTTY === true;
  let lastReport = started;
  const report = (final: boolean) => {
    const s = (performance.now() - started) / 1000;
    const line = `spanja batch: ${summary.rows} rows (${summary.failed} bad), ${(summary.rows / Math.max(s, 1e-9)).toFixed(0)} rows/s, ${(summary.tokens / Math.max(s, 1e-9)).toFixed(0)} tokens/s`;
    if (tty && !final) stderr.write(`\r${line}`);
    else stderr.write(`${tty ? "\r" : ""}${line}\n`);
  };
  const inputName = p.input === "-" ? "<stdin>" : p.input;
  let row = -1;
  try {
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      row++;
      if (row % p.shard[1] !== p.shard[0]) continue;
      if (line.trim() === "") continue;
      summary.rows++;
      try {
        const { messages, extra } = rowInput(line, `${inputName} row ${row}`);
        const enc = tok.applyChatTemplate(messages as object[], { ...p.options, ...extra });
        const result: Record<string, unknown> = {
          row,
          input_ids: enc.input_ids,
          attention_mask: enc.attention_mask,
          assistant_masks: enc.assistant_masks,
          thinking_masks: enc.thinking_masks,
        };
        if (p.withText) result.text = enc.text;
        if (enc.warnings.length > 0) result.warnings = enc.warnings;
        summary.tokens += enc.input_ids.length;
        summary.masked += (enc.assistant_masks ?? []).reduce((a: number, b: number) => a + b, 0);
        for (const w of enc.warnings) summary.warnings.set(w.code, (summary.warnings.get(w.code) ?? 0) + 1);
        await write(out.stream, JSON.stringify(result));
        summary.written++;
      } catch (e) {
        summary.failed++;
        const message = e instanceof Error ? e.message : String(e);
        if (errors !== null) await write(errors, JSON.stringify({ row, kind: kindOf(e), message }));
        if (p.failFast) throw new BatchSetupError(`batch: row ${row}: ${message}`);
      }
      if (progress && performance.now() - lastReport > (tty ? 200 : 5000)) {
        lastReport = performance.now();
        report(false);
      }
    }
  } catch (e) {
    out.abort();
    errors?.end();
    throw e instanceof BatchSetupError ? e : new BatchSetupError(`batch: ${inputName}: ${(e as Error).message}`);
  }
  await out.finish();
  if (errors !== null) await new Promise<void>((resolve) => errors.end(() => resolve()));
  if (progress) {
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
