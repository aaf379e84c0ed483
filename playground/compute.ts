// What the playground shows for one set of inputs, computed with the library alone: applyChatTemplate with
// both masks, and what is left to show when it fails. No DOM here, so a test can run it in Node.
import { ChatTokenizer, InferenceError, TemplateError, parseJSON, type ChatEncodingOptions, type Span } from "../src/index.ts";

/** Span sources offered by the page: "auto" is the library's default (tags when the template has them). */
export type SpanChoice = "auto" | "tags" | "infer";

/** Everything the user can set. JSON fields are the text as typed. */
export interface PlaygroundInputs {
  template: string;
  /** A list of messages, or `{"messages": [...], ...template variables}` (the row shape of `spanja batch`). */
  conversation: string;
  addGenerationPrompt: boolean;
  /** "" leaves the variable unset. */
  enableThinking: "" | "true" | "false";
  /** A JSON list of tool schemas; blank for none. */
  tools: string;
  excludeThink: boolean;
  spanSource: SpanChoice;
}

/** One token: its id and [start, end) in UTF-16 units of the text. */
export interface TokenView {
  id: number;
  start: number;
  end: number;
}

/** What went wrong, for the error panel: a short title and the full message (with the excerpt and caret). */
export interface Problem {
  title: string;
  message: string;
  /** Where in the template, when the error has a place there: [offset, endOffset) of its source. */
  at?: { line: number; column: number; offset: number; endOffset: number };
}

/** The result of one run; `text` is null when nothing could be rendered. */
export interface Outcome {
  text: string | null;
  spans: readonly Span[];
  tokens: TokenView[];
  /** Empty when the masks could not be computed (an inference failure). */
  assistant: number[];
  thinking: number[];
  warnings: { code: string; message: string }[];
  problem: Problem | null;
  /** Where the spans came from ("tags" / "infer"), or null without masks. */
  spanSource: string | null;
  /** Milliseconds in applyChatTemplate (render, tokenize and masks; the compile too when the template changed). */
  ms: number;
}

function problemOf(e: unknown, title: string): Problem {
  if (e instanceof TemplateError) {
    // without a place there is no excerpt: the detail alone (the title has the class name)
    const p: Problem = { title: `${title}: ${e.name}`, message: e.loc ? e.message : e.detail };
    if (e.loc) p.at = { line: e.loc.line, column: e.loc.column, offset: e.loc.offset, endOffset: e.loc.endOffset };
    return p;
  }
  return { title: `${title}: ${(e as Error)?.name ?? "Error"}`, message: String((e as Error)?.message ?? e) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** The conversation and the variables from the inputs, or the problem with them. */
export function readInputs(inputs: PlaygroundInputs): { messages: object[]; options: ChatEncodingOptions } | { problem: Problem } {
  let parsed: unknown;
  try {
    parsed = parseJSON(inputs.conversation, "conversation");
  } catch (e) {
    return { problem: problemOf(e, "The conversation is not valid JSON") };
  }
  let messages: unknown = parsed;
  const variables: Record<string, unknown> = {};
  if (isPlainObject(parsed)) {
    const { messages: m, ...rest } = parsed;
    messages = m;
    Object.assign(variables, rest);
  }
  if (!Array.isArray(messages)) {
    return { problem: { title: "The conversation has no messages", message: 'conversation: expected a list of messages, or an object {"messages": [...], ...template variables}' } };
  }
  let tools: unknown = undefined;
  if (inputs.tools.trim() !== "") {
    try {
      tools = parseJSON(inputs.tools, "tools");
    } catch (e) {
      return { problem: problemOf(e, "The tools are not valid JSON") };
    }
    if (tools !== null && !Array.isArray(tools)) return { problem: { title: "The tools are not a list", message: "tools: expected a JSON list of tool schemas (or null)" } };
  }
  // The conversation's own fields are template variables, passed as they are (never taken for options),
  // except tools and documents, which are options; the controls win over them: they are what the user sees.
  const { tools: rowTools, documents, add_generation_prompt: _agp, ...rest } = variables;
  if (inputs.enableThinking !== "") rest.enable_thinking = inputs.enableThinking === "true";
  const options: ChatEncodingOptions = { template_variables: rest, add_generation_prompt: inputs.addGenerationPrompt };
  if (rowTools !== undefined) options.tools = rowTools as object[] | null;
  if (documents !== undefined) options.documents = documents as object[] | null;
  if (tools !== undefined) options.tools = tools as object[] | null;
  return { messages: messages as object[], options };
}

/** Runs the library on the inputs: the text, spans, tokens and masks, or as much of them as can be had. */
export function compute(tok: ChatTokenizer, inputs: PlaygroundInputs): Outcome {
  const empty: Outcome = { text: null, spans: [], tokens: [], assistant: [], thinking: [], warnings: [], problem: null, spanSource: null, ms: 0 };
  const read = readInputs(inputs);
  if ("problem" in read) return { ...empty, problem: read.problem };
  const { messages, options } = read;
  const withMasks: ChatEncodingOptions = {
    ...options,
    chat_template: inputs.template,
    return_assistant_tokens_mask: true,
    return_thinking_mask: true,
    exclude_think_from_mask: inputs.excludeThink,
    ...(inputs.spanSource === "auto" ? {} : { span_source: inputs.spanSource }),
  };
  const t0 = performance.now();
  try {
    const enc = tok.applyChatTemplate(messages, withMasks);
    const ms = performance.now() - t0;
    return {
      text: enc.text,
      spans: enc.spans,
      tokens: enc.input_ids.map((id, i) => ({ id, start: enc.offsets[i][0], end: enc.offsets[i][1] })),
      assistant: enc.assistant_masks ?? [],
      thinking: enc.thinking_masks ?? [],
      warnings: enc.warnings.map((w) => ({ code: w.code, message: w.message })),
      problem: null,
      spanSource: enc.spanSource,
      ms,
    };
  } catch (e) {
    const ms = performance.now() - t0;
    if (!(e instanceof InferenceError)) return { ...empty, problem: problemOf(e, "The template failed"), ms };
    // the text and tokens are still there; only the masks are not
    const problem = problemOf(e, "Spans cannot be inferred");
    try {
      const plain = tok.applyChatTemplate(messages, { ...options, chat_template: inputs.template });
      return { ...empty, text: plain.text, tokens: plain.input_ids.map((id, i) => ({ id, start: plain.offsets[i][0], end: plain.offsets[i][1] })), warnings: plain.warnings.map((w) => ({ code: w.code, message: w.message })), problem, ms };
    } catch {
      return { ...empty, problem, ms };
    }
  }
}

/** The number of 1s in a mask. */
export function countOnes(mask: readonly number[]): number {
  let n = 0;
  for (const x of mask) if (x === 1) n++;
  return n;
}
