// One row of `spanja batch`: a JSON text in, its output record (or why the row is bad) out. Shared by the
// main thread (one worker) and the worker threads, so both give the same bytes; `conversationInput` is also
// how mask and view read their conversation file.
import type { ChatEncodingOptions, ChatTokenizer } from "../chat/chat-tokenizer.ts";
import { OPTION_NAMES } from "../chat/variables.ts";
import { TemplateError } from "../errors.ts";
import { parseJSON } from "../runtime/parse-json.ts";
import { toJson } from "../runtime/tojson.ts";
import type { Value } from "../runtime/value.ts";

const COMPACT = { separators: [",", ":"] };

/** What a row gives: the output line, or the bad row's kind and message; counts for the summary. */
export interface RowResult {
  row: number;
  line: string | null;
  error: { kind: string; message: string } | null;
  tokens: number;
  masked: number;
  warnings: string[];
}

/**
 * A conversation as batch rows and conversation files write it: `{"messages": [...], ...template variables}`
 * or a bare messages array. Anything else is an invalid-input error that starts with `where`.
 */
export function conversationInput(text: string, where: string): { messages: object[]; variables: Record<string, unknown> } {
  const value = parseJSON(text, where);
  if (Array.isArray(value)) return { messages: value as object[], variables: {} };
  if (value === null || typeof value !== "object" || value instanceof Map) throw new TemplateError("invalid-input", `${where}: expected an object with "messages" or a messages array`);
  const { messages, ...variables } = value as Record<string, unknown>;
  if (!Array.isArray(messages)) throw new TemplateError("invalid-input", `${where}: no "messages" list`);
  return { messages: messages as object[], variables };
}

/**
 * A row's other fields as applyChatTemplate takes them: option names (tools, documents, …) as options, the rest
 * as template_variables, so that a dataset column close to an option's name (`tool`) is a variable, not an error.
 */
export function fieldOptions(fields: Record<string, unknown>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const variables: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) (OPTION_NAMES.has(k) && k !== "template_variables" ? options : variables)[k] = v;
  return Object.keys(variables).length === 0 ? options : { ...options, template_variables: variables };
}

/** How a batch writes its rows: the rendered text too, and which input fields are copied to the output. */
export interface RowFormat {
  withText: boolean;
  /** Input fields copied to the output row after "row" (ids to join on), not passed to the template. */
  keep: readonly string[];
}

export function processRow(tok: ChatTokenizer, line: string, row: number, where: string, options: ChatEncodingOptions, format: RowFormat): RowResult {
  try {
    const { messages, variables } = conversationInput(line, `${where} row ${row}`);
    // kept fields are written as Python's json writes them (1.0 stays 1.0); absent ones as null
    let kept = "";
    for (const name of format.keep) {
      kept += `,${JSON.stringify(name)}:${name in variables ? toJson(variables[name] as Value, null, COMPACT) : "null"}`;
      delete variables[name];
    }
    const enc = tok.applyChatTemplate(messages, { ...options, ...fieldOptions(variables) });
    const out: Record<string, unknown> = {
      input_ids: enc.input_ids,
      attention_mask: enc.attention_mask,
      assistant_masks: enc.assistant_masks,
      thinking_masks: enc.thinking_masks,
    };
    if (format.withText) out.text = enc.text;
    if (enc.warnings.length > 0) out.warnings = enc.warnings;
    const masked = (enc.assistant_masks ?? []).reduce((a: number, b: number) => a + b, 0);
    return { row, line: `{"row":${row}${kept},${JSON.stringify(out).slice(1)}`, error: null, tokens: enc.input_ids.length, masked, warnings: enc.warnings.map((w) => w.code) };
  } catch (e) {
    const kind = e instanceof TemplateError ? e.kind : "internal";
    return { row, line: null, error: { kind, message: e instanceof Error ? e.message : String(e) }, tokens: 0, masked: 0, warnings: [] };
  }
}
