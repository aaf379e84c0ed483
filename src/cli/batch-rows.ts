// One row of `spanja batch`: a JSONL line in, its output line (or why the row is bad) out. Shared by the
// main thread (one worker) and the worker threads, so both give the same bytes.
import { ChatTokenizer, type ApplyChatTemplateOptions } from "../chat/chat-tokenizer.ts";
import { TemplateError } from "../errors.ts";
import { parseJSON } from "../runtime/parse-json.ts";

/** What a row gives: the output line, or the bad row's kind and message; counts for the summary. */
export interface RowResult {
  row: number;
  line: string | null;
  error: { kind: string; message: string } | null;
  tokens: number;
  masked: number;
  warnings: string[];
}

/** The conversation of a row and its own template variables, or an invalid-input error. */
function rowInput(line: string, where: string): { messages: unknown; extra: Record<string, unknown> } {
  const value = parseJSON(line, where);
  if (Array.isArray(value)) return { messages: value, extra: {} };
  if (value === null || typeof value !== "object" || value instanceof Map) throw new TemplateError("invalid-input", `${where}: a row must be an object with "messages" or a messages array`);
  const { messages, ...extra } = value as Record<string, unknown>;
  if (!Array.isArray(messages)) throw new TemplateError("invalid-input", `${where}: the row has no "messages" list`);
  return { messages, extra };
}

/**
 * The applyChatTemplate options of a batch: the plain ones, then each `--var NAME=JSON` parsed here (not
 * passed between threads as values, so a float stays a float).
 */
export function batchOptions(plain: ApplyChatTemplateOptions, vars: readonly [string, string][]): ApplyChatTemplateOptions {
  const options: ApplyChatTemplateOptions = { ...plain };
  for (const [name, json] of vars) options[name] = parseJSON(json, `--var ${name}`);
  return options;
}

export function processRow(tok: ChatTokenizer, line: string, row: number, where: string, options: ApplyChatTemplateOptions, withText: boolean): RowResult {
  try {
    const { messages, extra } = rowInput(line, `${where} row ${row}`);
    const enc = tok.applyChatTemplate(messages as object[], { ...options, ...extra });
    const out: Record<string, unknown> = {
      row,
      input_ids: enc.input_ids,
      attention_mask: enc.attention_mask,
      assistant_masks: enc.assistant_masks,
      thinking_masks: enc.thinking_masks,
    };
    if (withText) out.text = enc.text;
    if (enc.warnings.length > 0) out.warnings = enc.warnings;
    const masked = (enc.assistant_masks ?? []).reduce((a: number, b: number) => a + b, 0);
    return { row, line: JSON.stringify(out), error: null, tokens: enc.input_ids.length, masked, warnings: enc.warnings.map((w) => w.code) };
  } catch (e) {
    const kind = e instanceof TemplateError ? e.kind : "internal";
    return { row, line: null, error: { kind, message: e instanceof Error ? e.message : String(e) }, tokens: 0, masked: 0, warnings: [] };
  }
}
