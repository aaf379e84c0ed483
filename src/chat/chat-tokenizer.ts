// ChatTokenizer: transformers' apply_chat_template on spanja's engine and Rust-identical offsets: template
// choice, template variables, continue_final_message, tokenization without special tokens, truncation,
// padding, and assistant / thinking masks under transformers' loop or exact overlap.
import { Sequence, excludeMask, spanMask, type LabeledSpan, type MaskPolicy } from "../align/masks.ts";
import { OffsetTokenizer, type EncodingColumns } from "../align/offsets.ts";
import { readTokenizerFile } from "../align/tokenizer-file.ts";
import type { Limits } from "../options.ts";
import { pyStrip } from "../runtime/pychars.ts";
import type { RawSpan, Span } from "../spans/output.ts";
import { DEFAULT_THINK_MARKERS, VOCABULARY_THINK_MARKERS, isEmptyThink, type ThinkMarkers } from "../infer/think.ts";
import { RENDER_BOTH, Template, type SpanSets, type SpanSource } from "../template.ts";
import { chooseTemplate, readConfig, type ChatConfig } from "./config.ts";
import { BatchChatEncoding, ChatEncoding, type ChatWarning, type OffsetUnit } from "./encoding.ts";
import { describe, invalid, isObject, resolveChatOptions, type ApplyChatTemplateOptions, type ApplyChatTemplateResult, type ResolvedChatOptions } from "./options.ts";
import { codePointTable, rangesToUtf16 } from "../codepoints.ts";
import { fromTransformersJs, type TransformersJsChatOptions, type TransformersJsChatResult } from "./transformers-js.ts";
import { extraVariables, templateVariables } from "./variables.ts";

export { BatchChatEncoding, ChatEncoding, type ChatWarning, type OffsetUnit } from "./encoding.ts";
export type { ApplyChatTemplateOptions, ApplyChatTemplateResult, ChatEncodingOptions, ChatTemplateResult } from "./options.ts";
export type { TransformersJsChatOptions, TransformersJsChatResult, TransformersJsTokenizerKwargs } from "./transformers-js.ts";

/** A message: any object (role, content, tool_calls, reasoning_content, …); the template reads it in place. */
export type ChatMessage = object;
/** One conversation: a list of messages. */
export type Conversation = readonly ChatMessage[];

/** Engine settings for the chat templates: strftime_now's clock and resource limits. */
export interface ChatTokenizerOptions {
  now?: Date | (() => Date);
  limits?: Partial<Limits>;
}

const TAG = "CONTINUE_FINAL_MESSAGE_TAG ";
/** transformers' check for a generation tag in the template source. */
const GENERATION_TAG = /\{%-?\s*generation\s*-?%\}/;
const THINK_TAG = /\{%-?\s*think\s*-?%\}/;

/** A Hugging Face tokenizer (tokenizer.json + tokenizer_config.json) that applies chat templates like transformers. */
export class ChatTokenizer {
  /** The chat-relevant parts of tokenizer_config.json. */
  readonly config: ChatConfig;
  /** The aligned tokenizer (ids and Rust-identical offsets, no special tokens added). */
  readonly tokenizer: OffsetTokenizer;
  readonly #templates = new Map<string, Template>();
  readonly #engine: ChatTokenizerOptions;
  /** generation_config.json of a model folder (spanja/node's fromPretrained), as it is; null when absent or not loaded from a folder. */
  generationConfig: Readonly<Record<string, unknown>> | null = null;

  // protected: spanja/node's ChatTokenizer adds the loaders from disk (src/node.ts)
  protected constructor(tokenizerJson: Record<string, unknown>, config: ChatConfig, options: ChatTokenizerOptions) {
    this.tokenizer = OffsetTokenizer.fromJSON(tokenizerJson);
    this.config = config;
    this.#engine = options;
  }

  /** Builds from parsed (or JSON text of) tokenizer.json and tokenizer_config.json. */
  static fromJSON(tokenizerJson: object | string, tokenizerConfig: object | string = {}, options: ChatTokenizerOptions = {}): ChatTokenizer {
    // text goes through readTokenizerFile (compact vocabulary and merges), as spanja/node's loaders do; text
    // with a lone surrogate has no UTF-8 form, and JSON.parse keeps it as it is
    const compact = (t: string) => (t.isWellFormed() ? readTokenizerFile(new TextEncoder().encode(t)) : JSON.parse(t));
    const tok = typeof tokenizerJson === "string" ? parseJson(tokenizerJson, "tokenizer.json", compact) : tokenizerJson;
    const cfg = typeof tokenizerConfig === "string" ? parseJson(tokenizerConfig, "tokenizer_config.json") : tokenizerConfig;
    if (!isObject(tok)) throw invalid("tokenizer.json must hold a JSON object");
    // `this`: called on spanja/node's subclass, it builds one of those
    return new (this as unknown as new (t: Record<string, unknown>, c: ChatConfig, o: ChatTokenizerOptions) => ChatTokenizer)(tok, readConfig(cfg), options);
  }

  /** The special tokens templates see (bos_token, eos_token, …), as transformers' special_tokens_map. */
  get specialTokens(): Record<string, unknown> {
    return { ...this.config.specialTokens };
  }

  /** The id of a token string (added tokens, then the model vocabulary), or null. */
  tokenToId(token: string): number | null {
    return this.tokenizer.tokenToId(token) ?? null;
  }

  /** The compiled template for a source, once per span mode. */
  template(source: string, mode: MaskPolicy = "exact"): Template {
    const key = `${mode}\u0000${source}`;
    let t = this.#templates.get(key);
    if (t === undefined) {
      t = new Template(source, { spanMode: mode, ...(this.#engine.now ? { now: this.#engine.now } : {}), ...(this.#engine.limits ? { limits: this.#engine.limits } : {}) });
      this.#templates.set(key, t);
    }
    return t;
  }

  /**
   * transformers' `apply_chat_template`: one conversation (a list of messages) or a batch (a list of them).
   * Returns a ChatEncoding / BatchChatEncoding, input_ids only (return_dict false) or the text (tokenize false).
   */
  applyChatTemplate<const C extends Conversation | readonly Conversation[], const O extends ApplyChatTemplateOptions = {}>(
    conversation: C,
    options?: O,
  ): ApplyChatTemplateResult<C, O> {
    return this.apply(conversation, (options ?? {}) as ApplyChatTemplateOptions) as ApplyChatTemplateResult<C, O>;
  }

  /**
   * transformers.js's `apply_chat_template`, with its option names and defaults: input_ids unless return_dict
   * (default false), tokenizer_kwargs; spanja's options work too. No tensors: ids are number[] (number[][] for a
   * batch) whatever return_tensor says, what transformers.js gives with return_tensor: false.
   */
  apply_chat_template<const C extends Conversation | readonly Conversation[], const O extends TransformersJsChatOptions = {}>(
    conversation: C,
    options?: O,
  ): TransformersJsChatResult<C, O> {
    return this.apply(conversation, fromTransformersJs((options ?? {}) as TransformersJsChatOptions)) as TransformersJsChatResult<C, O>;
  }

  private apply(conversation: unknown, options: ApplyChatTemplateOptions): unknown {
    if (!isObject(options)) throw invalid(`options must be an object, got ${describe(options)}`);
    const o = resolveChatOptions(options, this.config);
    const source = chooseTemplate(this.config, options.chat_template, o.tools !== null);
    if (typeof source !== "string") throw invalid(`chat_template must be a string, got ${describe(source)}`);
    const { batch, chats } = splitBatch(conversation);
    if (o.cfm !== null) {
      if (o.agp) {
        throw invalid(
          "continue_final_message and add_generation_prompt are not compatible. Use continue_final_message when you want the model to continue the final message, and add_generation_prompt when you want to add a header that will prompt it to start a new assistant message instead.",
        );
      }
      if (o.assistant) throw invalid("continue_final_message is not compatible with return_assistant_tokens_mask.");
      if (o.thinking) throw invalid("continue_final_message is not compatible with return_thinking_mask.");
    }
    const common: ChatWarning[] = [];
    const tagged = GENERATION_TAG.test(source) || THINK_TAG.test(source);
    const spanSource: SpanSource = o.spanSource ?? (tagged || o.requireGeneration ? "tags" : "infer");
    const spans = o.assistant || o.thinking;
    if (spans && spanSource === "infer" && o.spanSource === null) {
      common.push({ code: "spans-inferred", message: "the chat template has no {% generation %} or {% think %} tag: spans were inferred from its message loop (span_source \"infer\")" });
    }
    if (spanSource === "tags" && o.assistant && !GENERATION_TAG.test(source)) {
      const message = "return_assistant_tokens_mask==True but chat template does not contain `{% generation %}` keyword.";
      if (o.requireGeneration) throw invalid(message);
      common.push({ code: "no-generation", message });
    }
    if (spanSource === "tags" && o.thinking && !THINK_TAG.test(source)) {
      common.push({ code: "no-think", message: "return_thinking_mask is set but the chat template does not contain a `{% think %}` tag: thinking_masks are all zeros" });
    }
    const extra = extraVariables(options);
    const rendered = chats.map((chat) => this.render(source, chat, o, extra, spans ? spanSource : null));
    if (!o.tokenize) return batch ? rendered.map((r) => r.text) : rendered[0].text;

    const encodings = rendered.map((r) => this.tokenizer.encode(r.text));
    const keep = encodings.map((e): [number, number] => {
      const n = e.length;
      if (!o.truncation || o.maxLength === null || n <= o.maxLength) return [0, n];
      return this.config.truncationSide === "left" ? [n - o.maxLength, n] : [0, o.maxLength];
    });
    const kept = keep.map(([a, b]) => b - a);
    const target = o.padding === "longest" ? Math.max(...kept) : o.padding === "max_length" ? (o.maxLength as number) : 0;
    const padId = o.padding === "none" ? 0 : this.padId();

    const items = rendered.map((r, i) => {
      const enc = encodings[i];
      const [from, to] = keep[i];
      const pad = Math.max(0, target - kept[i]);
      const padLeft = o.paddingSide === "left" ? pad : 0;
      const padRight = pad - padLeft;
      const col = enc.columns;
      const sequence = new Sequence({ starts: col.cpStarts, ends: col.cpEnds, keep: keep[i], padLeft, padRight });
      const { inputIds, attentionMask } = assemble(col, from, to, padLeft, padRight, padId);
      const warnings: ChatWarning[] = [...common, ...r.warnings];
      let assistantMasks: number[] | undefined;
      let thinkingMasks: number[] | undefined;
      if (o.thinking || (o.assistant && o.exclude)) {
        const m = spanMask(sequence, r.spans, "think", o.policy);
        thinkingMasks = m.mask;
        warnings.push(...m.warnings);
      }
      if (o.assistant) {
        const m = spanMask(sequence, r.spans, "assistant", o.policy);
        assistantMasks = o.exclude && thinkingMasks ? excludeMask(m.mask, thinkingMasks) : m.mask;
        // the empty blocks' tokens are think tokens: their warnings were given above
        if (o.excludeEmpty && !o.exclude) assistantMasks = excludeMask(assistantMasks, spanMask(sequence, r.spans, EMPTY_THINK, o.policy).mask);
        warnings.push(...m.warnings);
      }
      return new ChatEncoding({
        text: r.text,
        inputIds,
        attentionMask,
        ...(o.assistant ? { assistantMasks } : {}),
        ...(o.thinking ? { thinkingMasks } : {}),
        warnings,
        offsets: (unit) => offsetPairs(col, unit, from, to, padLeft, padRight),
        sequence,
        spans: r.rendered,
        spanSource: spans ? spanSource : null,
      });
    });
    if (!o.returnDict) return batch ? items.map((e) => e.input_ids) : items[0].input_ids;
    return batch ? new BatchChatEncoding(items) : items[0];
  }

  /** The pad token's id; checked after rendering, as transformers pads after the template ran. */
  private padId(): number {
    const pad = this.config.padToken;
    if (pad === null) {
      throw invalid(
        "Asking to pad but the tokenizer does not have a padding token. Please select a token to use as `pad_token` `(tokenizer.pad_token = tokenizer.eos_token e.g.)` or add a new pad token via `tokenizer.add_special_tokens({'pad_token': '[PAD]'})`.",
      );
    }
    const id = this.tokenizer.tokenToId(pad);
    if (id === undefined) throw invalid(`the pad token ${JSON.stringify(pad)} is not in the tokenizer's vocabulary`);
    return id;
  }

  /**
   * The reasoning formats inferred think spans use: the caller's; else the defaults, plus each format of
   * VOCABULARY_THINK_MARKERS whose two markers are tokens of this vocabulary.
   */
  thinkMarkers(markers: readonly ThinkMarkers[] | null = null): readonly ThinkMarkers[] {
    return markers ?? [...DEFAULT_THINK_MARKERS, ...VOCABULARY_THINK_MARKERS.filter((m) => this.tokenizer.tokenToId(m.open) !== undefined && this.tokenizer.tokenToId(m.close) !== undefined)];
  }

  /**
   * Renders one conversation (with continue_final_message's sentinel when asked); spans in code points, from
   * `spanSource` (null: no spans). An empty think block also gets a span labelled EMPTY_THINK.
   */
  private render(
    source: string,
    messages: readonly object[],
    o: ResolvedChatOptions,
    extra: Record<string, unknown>,
    spanSource: SpanSource | null,
  ): { text: string; spans: LabeledSpan[]; rendered: Span[]; warnings: ChatWarning[] } {
    let chat = messages;
    let final: string | null = null;
    if (o.cfm !== null) ({ chat, final } = markFinalMessage(messages, o.cfm, source));
    const vars = templateVariables(chat, o.tools, o.documents, o.agp, this.config.specialTokens, extra);
    if (spanSource === null) {
      let text = this.template(source, o.policy).render(vars);
      if (final !== null) text = cutAtSentinel(text, final);
      return { text, spans: [], rendered: [], warnings: [] };
    }
    const markers = this.thinkMarkers(o.markers);
    let r: SpanSets;
    if (spanSource === "infer") {
      const inferred = this.template(source, "exact").renderWithSpans(vars, { spanSource: "infer", thinkMarkers: markers });
      r = { ...inferred, hfSpans: null };
    } else r = this.template(source, o.policy)[RENDER_BOTH](vars);
    const text = r.text;
    // under transformers' arithmetic the masks take its spans (code points); the caller sees them in UTF-16
    const rendered = r.hfSpans !== null ? rangesToUtf16(text, r.hfSpans) : r.spans;
    const empties: RawSpan[] = [];
    for (const s of rendered) if (s.label === "think" && isEmptyThink(text.slice(s.start, s.end), markers)) empties.push({ label: EMPTY_THINK, start: s.start, end: s.end });
    const labeled: LabeledSpan[] = r.hfSpans ?? spansToCodePoints(text, r.spans);
    const spans = empties.length === 0 ? labeled : [...labeled, ...spansToCodePoints(text, empties)];
    const warnings: ChatWarning[] = r.warnings;
    if (r.hfSpans !== null) warnings.push(...misplaced(r.hfSpans, spansToCodePoints(text, r.spans)));
    return { text, spans, rendered, warnings };
  }
}

/** The label of the extra span that marks an empty think block (for exclude_empty_think). */
const EMPTY_THINK = "\u0000empty-think";


function parseJson(text: string, what: string, parse: (text: string) => unknown = JSON.parse): unknown {
  try {
    return parse(text);
  } catch (e) {
    // only a parse error is bad JSON; an unsupported tokenizer (a merge outside the vocabulary) says so itself
    if (!(e instanceof SyntaxError)) throw e;
    throw invalid(`${what} is not valid JSON: ${e.message}`);
  }
}

/** input_ids and attention_mask for tokens [from, to) and the padding, from the encoding's columns. */
function assemble(col: EncodingColumns, from: number, to: number, padLeft: number, padRight: number, padId: number): { inputIds: number[]; attentionMask: number[] } {
  const n = padLeft + (to - from) + padRight;
  const inputIds = new Array<number>(n).fill(padId);
  const attentionMask = new Array<number>(n).fill(0);
  for (let t = from, k = padLeft; t < to; t++, k++) {
    inputIds[k] = col.ids[t];
    attentionMask[k] = 1;
  }
  return { inputIds, attentionMask };
}

/** The [start, end) pairs of tokens [from, to) in one unit, [0, 0] for the padding. */
function offsetPairs(col: EncodingColumns, unit: OffsetUnit, from: number, to: number, padLeft: number, padRight: number): [number, number][] {
  const [starts, ends] = unit === "codepoint" ? [col.cpStarts, col.cpEnds] : [col.starts, col.ends];
  const out = new Array<[number, number]>(padLeft + (to - from) + padRight);
  let k = 0;
  for (; k < padLeft; k++) out[k] = [0, 0];
  for (let t = from; t < to; t++, k++) out[k] = [starts[t], ends[t]];
  for (; k < out.length; k++) out[k] = [0, 0];
  return out;
}

/** transformers' batch test: a list whose first element is a list is a batch. */
function splitBatch(conversation: unknown): { batch: boolean; chats: (readonly object[])[] } {
  if (!Array.isArray(conversation)) throw invalid(`conversation must be a list of messages or a list of conversations, got ${describe(conversation)}`);
  // transformers' words
  if (conversation.length === 0) throw invalid("Cannot apply chat template to an empty conversation. Provide at least one message.");
  const batch = Array.isArray(conversation[0]);
  const chats = (batch ? conversation : [conversation]) as unknown[];
  chats.forEach((chat, i) => {
    const where = batch ? `conversation ${i}` : "the conversation";
    if (!Array.isArray(chat)) throw invalid(`${where} must be a list of messages, got ${describe(chat)}`);
    chat.forEach((m, j) => {
      if (!isObject(m)) throw invalid(`message ${j} of ${where} must be an object, got ${describe(m)}`);
    });
  });
  return { batch, chats: chats as (readonly object[])[] };
}

/**
 * transformers' continue_final_message: on a copy, append the sentinel to the final message's field (to the
 * last text block of a list content). Returns the copy and the final text before the sentinel.
 */
function markFinalMessage(messages: readonly object[], field: string, source: string): { chat: object[]; final: string } {
  const chat = messages.slice();
  const last = chat[chat.length - 1] as Record<string, unknown> | undefined;
  if (last === undefined) throw invalid("continue_final_message is set but there is no final message to continue");
  const value = last[field];
  if (value === undefined || value === null) throw invalid(`continue_final_message is set but the final message has no "${field}" to continue!`);
  if (!source.includes(field)) throw invalid(`continue_final_message is set to "${field}" but this is not an accepted field in the chat_template`);
  const copy: Record<string, unknown> = { ...last };
  chat[chat.length - 1] = copy;
  if (Array.isArray(value)) {
    const blocks = value.slice();
    for (let i = blocks.length - 1; i >= 0; i--) {
      const block = blocks[i] as unknown;
      if (isObject(block) && "text" in block) {
        if (typeof block.text !== "string") throw invalid("continue_final_message: the final message's last text block must hold a string");
        blocks[i] = { ...block, text: block.text + TAG };
        copy[field] = blocks;
        return { chat, final: block.text };
      }
    }
    throw invalid("continue_final_message is set but we could not find any text to continue in the final message!");
  }
  if (typeof value !== "string") throw invalid(`continue_final_message: the final message's "${field}" must be a string or a list of content blocks`);
  copy[field] = value + TAG;
  return { chat, final: value };
}

/** Cuts the rendering at the sentinel; rstrip when the template trimmed the space after it (transformers). */
function cutAtSentinel(rendered: string, final: string): string {
  const tag = TAG.trim();
  if (!rendered.includes(pyStrip(final)) || !rendered.includes(tag)) {
    throw invalid(
      "continue_final_message is set but the final message does not appear in the chat after applying the chat template! This can happen if the chat template deletes portions of the final message. Please verify the chat template and final message in your chat to ensure they are compatible." +
        `Final message to continue: ${pyStrip(final)}\nRendered chat:\n${rendered}`,
    );
  }
  const at = rendered.lastIndexOf(tag);
  if (rendered.slice(at, at + TAG.length) === TAG) return rendered.slice(0, at);
  return pyStrip(rendered.slice(0, at), null, false);
}

/**
 * Where transformers' arithmetic puts a span somewhere else than the template's output has it (a tag inside a
 * macro, call, set or filter block): the spans of each label compared in order of position.
 */
function misplaced(hf: readonly LabeledSpan[], exact: readonly LabeledSpan[]): ChatWarning[] {
  const out: ChatWarning[] = [];
  const byPos = (a: LabeledSpan, b: LabeledSpan) => a.start - b.start || a.end - b.end;
  for (const label of new Set([...hf, ...exact].map((s) => s.label))) {
    const h = hf.filter((s) => s.label === label).sort(byPos);
    const x = exact.filter((s) => s.label === label).sort(byPos);
    for (let i = 0; i < Math.max(h.length, x.length); i++) {
      const a = h[i];
      const b = x[i];
      if (a !== undefined && b !== undefined && a.start === b.start && a.end === b.end) continue;
      const where = a === undefined ? "no span" : `[${a.start}, ${a.end})`;
      const real = b === undefined ? "no span" : `[${b.start}, ${b.end})`;
      out.push({
        code: "span-misplaced-hf",
        message: `transformers' arithmetic records the ${label} span at ${where} where the template's output has ${real} (a tag inside a macro, call, set or filter block)`,
        label,
        ...(a ? { start: a.start, end: a.end } : {}),
      });
    }
  }
  return out;
}

/** Engine spans (UTF-16, possibly past the end under transformers' arithmetic) to code points, one pass. */
function spansToCodePoints(text: string, spans: readonly RawSpan[]): LabeledSpan[] {
  if (spans.length === 0) return [];
  const cpAt = codePointTable(text);
  const cp = cpAt[text.length];
  // Past the end, the engine counted one unit per code point (codepoints.ts toUtf16Offset).
  const conv = (u: number) => (u <= text.length ? cpAt[u] : cp + (u - text.length));
  return spans.map((s) => ({ label: s.label, start: conv(s.start), end: conv(s.end) }));
}
