// spanja's public API. Nothing inside src/ imports this file.
export { Template, type RenderResult, type RenderSpansOptions, type SpanSource } from "./template.ts";
export { DEFAULT_THINK_MARKERS, VOCABULARY_THINK_MARKERS, isEmptyThink, type ThinkMarkers } from "./infer/think.ts";
export { DEFAULT_LIMITS, type Limits, type SpanMode, type TemplateOptions, type HostFunction } from "./options.ts";
export {
  TemplateError,
  TemplateSyntaxError,
  TemplateAssertionError,
  TemplateRuntimeError,
  UndefinedError,
  SecurityError,
  LimitError,
  InferenceError,
  type InferenceFailure,
  type ErrorKind,
} from "./errors.ts";
export type { Loc } from "./source.ts";
export type { Span, SpanLabel, Warning } from "./spans/output.ts";
export { codePointLength, toCodePointOffset, toUtf16Offset, rangesToCodePoints, rangesToUtf16 } from "./codepoints.ts";
export { float, Float } from "./runtime/value.ts";
export { parseJSON } from "./runtime/parse-json.ts";
export {
  ChatTokenizer,
  ChatEncoding,
  BatchChatEncoding,
  type ApplyChatTemplateOptions,
  type ApplyChatTemplateResult,
  type ChatEncodingOptions,
  type ChatTemplateResult,
  type ChatTokenizerOptions,
  type ChatMessage,
  type Conversation,
  type ChatWarning,
  type OffsetUnit,
} from "./chat/chat-tokenizer.ts";
export type { TransformersJsChatOptions, TransformersJsChatResult, TransformersJsTokenizerKwargs } from "./chat/transformers-js.ts";
export type { MaskPolicy } from "./align/masks.ts";
export type { WarningCode } from "./spans/output.ts";
export { applyRecipe, readOriginal, tagTemplate, type TaggingRecipe, type TemplateEdit } from "./chat/tagging.ts";
export { UnsupportedTokenizerError } from "./align/offsets.ts";
