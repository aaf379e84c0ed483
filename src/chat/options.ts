// applyChatTemplate's options: their types, transformers' defaults and checks, what the result's type is for an
// options type, and which other keys are template variables (any key, unless it looks like a misspelt option).
// Knows tokenizer_config's defaults, nothing of rendering or tokens.
import { MASK_POLICIES, type MaskPolicy } from "../align/masks.ts";
import { TemplateError } from "../errors.ts";
import { validMarkers, type ThinkMarkers } from "../infer/think.ts";
import { editDistance } from "../nearest.ts";
import type { SpanSource } from "../template.ts";
import type { ChatConfig } from "./config.ts";
import type { BatchChatEncoding, ChatEncoding } from "./encoding.ts";
import { OPTION_NAMES, SET_BY_SPANJA } from "./variables.ts";

/**
 * apply_chat_template's options, named as in transformers. Every other key is a template variable, as in
 * transformers, except a key within two edits of an option's name: that is an error naming the option
 * (`template_variables` passes such a variable).
 */
export interface ApplyChatTemplateOptions {
  /** Append the assistant header the template emits when this is true. Default false. */
  add_generation_prompt?: boolean;
  /** Leave the final message open (true: its `content`; a string: that field). Not with masks or add_generation_prompt. */
  continue_final_message?: boolean | string;
  /** Tool schemas (JSON objects) passed to the template as `tools`; also selects a "tool_use" template. */
  tools?: readonly object[] | null;
  /** Documents (objects) passed to the template as `documents`. */
  documents?: readonly object[] | null;
  /** A template name from tokenizer_config.json, or a template source. */
  chat_template?: string | null;
  /** false: return the rendered string (a list for a batch). Default true. */
  tokenize?: boolean;
  /** false: return input_ids only. Default true (transformers 5). */
  return_dict?: boolean;
  /** Add `assistant_masks` from `{% generation %}` spans (or inferred ones, see span_source). */
  return_assistant_tokens_mask?: boolean;
  /** true or "longest": pad to the longest in the batch; "max_length": to max_length; false: no padding. */
  padding?: boolean | "longest" | "max_length" | "do_not_pad";
  /** Truncate to max_length (true, "longest_first", "only_first"); false or "do_not_truncate": no truncation. */
  truncation?: boolean | "longest_first" | "only_first" | "do_not_truncate";
  /** Length for truncation and max_length padding; default tokenizer_config's model_max_length. */
  max_length?: number | null;
  /** Default tokenizer_config's padding_side, else "right". */
  padding_side?: "left" | "right";
  /** spanja: add `thinking_masks` from `{% think %}` spans. */
  return_thinking_mask?: boolean;
  /** spanja: thinking tokens leave `assistant_masks`. Needs return_assistant_tokens_mask. */
  exclude_think_from_mask?: boolean;
  /** spanja: "hf" (default) reproduces transformers' loop, quirks included; "exact" marks overlapping tokens. */
  mask_policy?: MaskPolicy;
  /**
   * spanja: a template without `{% generation %}` is an error when masks are asked for (transformers only
   * warns). Implies span_source "tags" unless span_source is given.
   */
  require_generation_tag?: boolean;
  /**
   * spanja: where spans come from. "tags": `{% generation %}` / `{% think %}`; "infer": the message loops
   * (README, "Inferred spans"; throws InferenceError when it cannot attribute). Default: "tags" when the
   * template has a generation or think tag, else "infer" with a `spans-inferred` warning.
   */
  span_source?: SpanSource;
  /** spanja: empty think blocks (`<think>\n\n</think>\n\n`) leave `assistant_masks`; real reasoning stays. Needs return_assistant_tokens_mask. */
  exclude_empty_think?: boolean;
  /**
   * spanja: reasoning formats for inferred think spans. Default: `<think>`…`</think>`, gpt-oss's analysis
   * channel, and the formats of VOCABULARY_THINK_MARKERS whose tokens the vocabulary has.
   */
  think_markers?: readonly ThinkMarkers[];
  /**
   * spanja: template variables passed as they are, never taken for options: for a variable whose name is
   * close to an option's (`{ template_variables: { tool: … } }`). They win over the other keys.
   */
  template_variables?: Readonly<Record<string, unknown>> | null;
  /** Template variables: enable_thinking, reasoning_effort, or any other key. */
  [variable: string]: unknown;
}

/** The options with transformers' defaults filled in and checked. */
export interface ResolvedChatOptions {
  agp: boolean;
  cfm: string | null;
  tools: readonly object[] | null;
  documents: readonly object[] | null;
  tokenize: boolean;
  returnDict: boolean;
  assistant: boolean;
  thinking: boolean;
  exclude: boolean;
  excludeEmpty: boolean;
  policy: MaskPolicy;
  /** null: decided by the template (tags when it has one). */
  spanSource: SpanSource | null;
  markers: readonly ThinkMarkers[] | null;
  requireGeneration: boolean;
  padding: "none" | "longest" | "max_length";
  truncation: boolean;
  maxLength: number | null;
  paddingSide: "left" | "right";
}

// ---- the result's type ----

/**
 * The values option K can have in options type O: its own, and `Default` when it may be absent (or null). A
 * literal `{ tokenize: false }` gives `false`; a variable typed ApplyChatTemplateOptions gives `boolean`.
 */
type Possible<O, K extends string, Default> = K extends keyof O
  ? Exclude<O[K], undefined | null> | (undefined extends O[K] ? Default : never) | (null extends O[K] ? Default : never) | ({} extends Pick<O, K> ? Default : never)
  : Default;

/** A mask field that is certainly there when its option is certainly true. */
type Masked<E, O, Mask> = E &
  (Possible<O, "return_assistant_tokens_mask", false> extends true ? { assistant_masks: Mask } : unknown) &
  (Possible<O, "return_thinking_mask", false> extends true ? { thinking_masks: Mask } : unknown);

type Batch = readonly (readonly unknown[])[];

/**
 * What a chat template call returns for conversation type C and options type O, return_dict defaulting to
 * `DictDefault`: the text (tokenize false), input_ids (return_dict false) or an encoding; a union when the
 * options type leaves it open (a variable typed ApplyChatTemplateOptions). A batch gives lists.
 */
export type ChatTemplateResult<C, O, DictDefault extends boolean> =
  | (false extends Possible<O, "tokenize", true> ? (C extends Batch ? string[] : string) : never)
  | (true extends Possible<O, "tokenize", true>
      ?
          | (false extends Possible<O, "return_dict", DictDefault> ? (C extends Batch ? number[][] : number[]) : never)
          | (true extends Possible<O, "return_dict", DictDefault> ? (C extends Batch ? Masked<BatchChatEncoding, O, number[][]> : Masked<ChatEncoding, O, number[]>) : never)
      : never);

/** What applyChatTemplate returns for a conversation (or batch) type and an options type. */
export type ApplyChatTemplateResult<C, O> = ChatTemplateResult<C, O, true>;

/** Options built at run time whose type still says the result is an encoding (tokenize and return_dict never false). */
export type ChatEncodingOptions = ApplyChatTemplateOptions & { tokenize?: true; return_dict?: true };

// ---- checks ----

/** transformers' apply_chat_template arguments spanja does not take, and what to do instead. */
export const UNSUPPORTED_OPTIONS: Readonly<Record<string, string>> = {
  return_tensors: "results are plain arrays (number[], or number[][] for a batch): build tensors from input_ids",
  tokenizer_kwargs:
    "give padding, truncation, max_length and padding_side as options; special tokens are never added (transformers passes add_special_tokens=False)",
  return_tensor: "it is transformers.js's name: tok.apply_chat_template(conversation, options) takes transformers.js's options and defaults",
};

export function invalid(detail: string): TemplateError {
  return new TemplateError("invalid-input", detail);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A value's kind in an error message. */
export function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "a list" : typeof v;
}

/**
 * The option (or unsupported transformers argument) a key was probably meant to be: within two edits, one
 * for a name of five letters (two turn `tools` into `todos`), the key also read as snake_case
 * (`addGenerationPrompt`). Null for a template variable.
 */
export function misspeltOption(key: string): string | null {
  const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of [...OPTION_NAMES, ...Object.keys(UNSUPPORTED_OPTIONS)]) {
    const d = Math.min(editDistance(key, name), editDistance(snake, name));
    if (d <= (name.length <= 5 ? 1 : 2) && d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** Rejects keys that are transformers' unsupported arguments or misspelt options; the rest are template variables. */
function checkNames(options: Record<string, unknown>): void {
  for (const key of Object.keys(options)) {
    if (OPTION_NAMES.has(key) || options[key] === undefined) continue;
    if (key === "messages") throw invalid("messages is the conversation, the first argument of applyChatTemplate, not an option");
    const why = UNSUPPORTED_OPTIONS[key];
    if (why !== undefined) throw invalid(`${key} is not supported: ${why}`);
    const near = misspeltOption(key);
    if (near === null) continue;
    const also = UNSUPPORTED_OPTIONS[near] === undefined ? "" : ` (${near} is not supported: ${UNSUPPORTED_OPTIONS[near]})`;
    throw invalid(`unknown option '${key}': did you mean '${near}'?${also} (to pass a template variable of this name, give it in template_variables: { ${key}: … })`);
  }
  const named = options.template_variables;
  if (named === undefined || named === null) return;
  if (!isObject(named)) throw invalid(`template_variables must be an object of variables, got ${describe(named)}`);
  for (const key of Object.keys(named)) {
    if (SET_BY_SPANJA.has(key)) {
      throw invalid(key === "messages" ? "template_variables cannot set messages: it is the conversation, the first argument" : `template_variables cannot set ${key}: give it as the option ${key}`);
    }
  }
}

function listOfObjects(v: unknown, name: string, pythonMessage: string): readonly object[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw invalid(`${name} must be a list, got ${describe(v)}`);
  for (const item of v) if (!isObject(item)) throw invalid(pythonMessage);
  return v as readonly object[];
}

/** Checks the options and fills transformers' defaults (padding, truncation and length from the tokenizer config). */
export function resolveChatOptions(options: ApplyChatTemplateOptions, config: ChatConfig): ResolvedChatOptions {
  const flag = (name: string, fallback: boolean): boolean => {
    const v = options[name];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "boolean") throw invalid(`${name} must be true or false, got ${JSON.stringify(v) ?? describe(v)}`);
    return v;
  };
  checkNames(options);
  const tokenize = flag("tokenize", true);
  // transformers: `if not tokenize: return_dict = False`
  const returnDict = tokenize && flag("return_dict", true);
  const assistant = flag("return_assistant_tokens_mask", false);
  const thinking = flag("return_thinking_mask", false);
  if (assistant && !(returnDict && tokenize)) throw invalid("`return_assistant_tokens_mask=True` requires `return_dict=True` and `tokenize=True`");
  if (thinking && !(returnDict && tokenize)) throw invalid("`return_thinking_mask=True` requires `return_dict=True` and `tokenize=True`");
  // both change assistant_masks only: without it they would do nothing, silently
  const exclude = flag("exclude_think_from_mask", false);
  const excludeEmpty = flag("exclude_empty_think", false);
  for (const [name, on] of [["exclude_think_from_mask", exclude], ["exclude_empty_think", excludeEmpty]] as const) {
    if (on && !assistant) throw invalid(`${name} takes tokens out of assistant_masks: it needs return_assistant_tokens_mask: true`);
  }
  const spanSource = options.span_source ?? null;
  if (spanSource !== null && spanSource !== "tags" && spanSource !== "infer") throw invalid(`span_source must be "tags" or "infer", got ${JSON.stringify(spanSource)}`);
  const markers = options.think_markers ?? null;
  if (markers !== null && !validMarkers(markers)) throw invalid("think_markers must be a list of {open, close} objects with non-empty strings");
  const policy = options.mask_policy ?? "hf";
  if (!MASK_POLICIES.includes(policy)) throw invalid(`mask_policy must be "hf" or "exact", got ${JSON.stringify(policy)}`);

  const cfmRaw = options.continue_final_message;
  let cfm: string | null = null;
  if (typeof cfmRaw === "string") cfm = cfmRaw === "" ? null : cfmRaw;
  else if (cfmRaw === true) cfm = "content";
  else if (cfmRaw !== undefined && cfmRaw !== null && cfmRaw !== false) throw invalid(`continue_final_message must be a boolean or a field name, got ${describe(cfmRaw)}`);

  const tools = listOfObjects(options.tools, "tools", "Tools should either be a JSON schema, or a callable function with type hints and a docstring suitable for auto-conversion to a schema.");
  const documents = listOfObjects(options.documents, "documents", "Documents should be a list of dicts with 'title' and 'text' keys!");

  const paddingRaw = options.padding ?? false;
  const padding = paddingRaw === true || paddingRaw === "longest" ? "longest" : paddingRaw === "max_length" ? "max_length" : paddingRaw === false || paddingRaw === "do_not_pad" ? "none" : null;
  if (padding === null) throw invalid(`padding must be true, false, "longest", "max_length" or "do_not_pad", got ${JSON.stringify(paddingRaw)}`);
  const truncRaw = options.truncation ?? false;
  const truncation = truncRaw === true || truncRaw === "longest_first" || truncRaw === "only_first" ? true : truncRaw === false || truncRaw === "do_not_truncate" ? false : null;
  if (truncation === null) throw invalid(`truncation must be true, false, "longest_first", "only_first" or "do_not_truncate", got ${JSON.stringify(truncRaw)}`);
  const ml = options.max_length;
  if (ml !== undefined && ml !== null && !(typeof ml === "number" && Number.isInteger(ml) && ml >= 0)) throw invalid(`max_length must be a non-negative integer, got ${JSON.stringify(ml)}`);
  const maxLength = ml ?? config.modelMaxLength;
  // transformers: padding, truncation and max_length "have no effect if tokenize is False" (the tokenizer is not called)
  if (tokenize && padding === "max_length" && maxLength === null) throw invalid('padding="max_length" needs max_length: the tokenizer config gives no model_max_length');
  if (tokenize && truncation && maxLength === null) throw invalid("truncation needs max_length: the tokenizer config gives no model_max_length");
  const paddingSide = options.padding_side ?? config.paddingSide;
  if (paddingSide !== "left" && paddingSide !== "right") throw invalid(`padding_side must be "left" or "right", got ${JSON.stringify(paddingSide)}`);
  return {
    agp: flag("add_generation_prompt", false),
    cfm,
    tools,
    documents,
    tokenize,
    returnDict,
    assistant,
    thinking,
    exclude,
    excludeEmpty,
    policy,
    spanSource,
    markers,
    requireGeneration: flag("require_generation_tag", false),
    padding,
    truncation,
    maxLength,
    paddingSide,
  };
}
