// transformers.js's apply_chat_template options (@huggingface/transformers 3, PreTrainedTokenizer) read as
// applyChatTemplate's: its names and defaults, so that code written for transformers.js runs unchanged.
// spanja has no tensors: ids are plain arrays, as transformers.js returns them with return_tensor: false.
import { TemplateError } from "../errors.ts";
import { nearestName } from "../nearest.ts";
import type { ApplyChatTemplateOptions, ChatTemplateResult } from "./options.ts";

/** The options of transformers.js's tokenizer call that apply_chat_template passes on (its `tokenizer_kwargs`). */
export interface TransformersJsTokenizerKwargs {
  padding?: boolean | "max_length";
  truncation?: boolean;
  max_length?: number | null;
  /** Accepted and ignored: ids are plain arrays. */
  return_tensor?: boolean;
  /** false only (transformers.js's value): the template writes the special tokens. */
  add_special_tokens?: false;
}

/** transformers.js's apply_chat_template options; spanja's options (masks, spans) and template variables too. */
export interface TransformersJsChatOptions extends ApplyChatTemplateOptions {
  /** true: an encoding `{ input_ids, attention_mask, … }`; false: input_ids only. Default false (transformers.js 3). */
  return_dict?: boolean;
  /** Accepted and ignored (transformers.js's default true gives a Tensor): ids are number[], number[][] for a batch. */
  return_tensor?: boolean;
  /** padding, truncation, max_length, return_tensor, add_special_tokens (false) for the tokenizer call; they win. */
  tokenizer_kwargs?: TransformersJsTokenizerKwargs | null;
}

/** What apply_chat_template returns: as applyChatTemplate's result, return_dict defaulting to false. */
export type TransformersJsChatResult<C, O> = ChatTemplateResult<C, O, false>;

const KWARGS = ["padding", "truncation", "max_length", "return_tensor", "add_special_tokens"];

function invalid(detail: string): TemplateError {
  return new TemplateError("invalid-input", detail);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** transformers.js's options as applyChatTemplate's. */
export function fromTransformersJs(options: TransformersJsChatOptions): ApplyChatTemplateOptions {
  if (!isObject(options)) throw invalid(`options must be an object, got ${options === null ? "null" : Array.isArray(options) ? "a list" : typeof options}`);
  const { return_tensor, tokenizer_kwargs, ...rest } = options;
  if (return_tensor !== undefined && return_tensor !== null && typeof return_tensor !== "boolean") throw invalid(`return_tensor must be true or false, got ${JSON.stringify(return_tensor)}`);
  const kwargs: unknown = tokenizer_kwargs ?? {};
  if (!isObject(kwargs)) throw invalid("tokenizer_kwargs must be an object");
  const passed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kwargs)) {
    if (value === undefined || key === "return_tensor") continue;
    if (key === "add_special_tokens") {
      if (value === false) continue;
      throw invalid("tokenizer_kwargs.add_special_tokens: only false is supported: the template writes the special tokens (transformers.js passes false too)");
    }
    if (!KWARGS.includes(key)) {
      const near = nearestName(key, KWARGS);
      throw invalid(`tokenizer_kwargs.${key} is not supported${near === null ? "" : `: did you mean '${near}'?`} (supported: ${KWARGS.join(", ")})`);
    }
    passed[key] = value;
  }
  // transformers.js: `return return_dict ? out : out.input_ids`, so null is false there too
  return { ...rest, return_dict: rest.return_dict ?? false, ...passed };
}
