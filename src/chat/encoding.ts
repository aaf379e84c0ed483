// The results of ChatTokenizer.applyChatTemplate with tokenize and return_dict: one conversation or a batch.
// Own enumerable fields are exactly transformers' outputs plus warnings; text, offsets and charToToken live on
// the prototype, so the objects compare and serialize as plain `{ input_ids, attention_mask, … }`.
import type { MaskWarning, Sequence } from "../align/masks.ts";
import type { Span } from "../spans/output.ts";
import { codePointTable, type OffsetUnit } from "../codepoints.ts";
import type { SpanSource } from "../template.ts";

/** A warning in a chat result: engine warnings and mask warnings (span in code points, token a position). */
export type ChatWarning = MaskWarning;

/** Which unit a character position counts: UTF-16 code units (JS strings) or code points (Python, transformers). */
export type { OffsetUnit };

/** What ChatTokenizer computed for one sequence. */
export interface EncodingParts {
  text: string;
  inputIds: number[];
  attentionMask: number[];
  assistantMasks?: number[];
  thinkingMasks?: number[];
  warnings: ChatWarning[];
  /** Per position of input_ids: [start, end) in UTF-16 units (`unit` "utf16") or code points; padding [0, 0]. Built on first use. */
  offsets: (unit: OffsetUnit) => [number, number][];
  sequence: Sequence;
  /** The labeled spans the masks come from, in UTF-16 units of text; none when no mask was asked for. */
  spans: Span[];
  /** Where the spans came from; null when no mask was asked for. */
  spanSource: SpanSource | null;
}

/** One tokenized conversation: `{ input_ids, attention_mask, assistant_masks?, thinking_masks?, warnings }`. */
export class ChatEncoding {
  declare input_ids: number[];
  declare attention_mask: number[];
  /** Present when return_assistant_tokens_mask was set. */
  declare assistant_masks?: number[];
  /** Present when return_thinking_mask was set. */
  declare thinking_masks?: number[];
  declare warnings: ChatWarning[];
  #parts: EncodingParts;
  #cpAt: Int32Array | undefined;
  #offsets: [number, number][] | undefined;
  #cpOffsets: [number, number][] | undefined;

  constructor(parts: EncodingParts) {
    this.input_ids = parts.inputIds;
    this.attention_mask = parts.attentionMask;
    if (parts.assistantMasks !== undefined) this.assistant_masks = parts.assistantMasks;
    if (parts.thinkingMasks !== undefined) this.thinking_masks = parts.thinkingMasks;
    this.warnings = parts.warnings;
    this.#parts = parts;
  }

  /** The rendered conversation the tokens were encoded from. */
  get text(): string {
    return this.#parts.text;
  }

  /** [start, end) of each position of input_ids in UTF-16 units of `text` (`text.slice(start, end)`); padding [0, 0]. */
  get offsets(): [number, number][] {
    return (this.#offsets ??= this.#parts.offsets("utf16"));
  }

  /** transformers' `offset_mapping`: [start, end) in code points; padding [0, 0]. */
  get offset_mapping(): [number, number][] {
    return (this.#cpOffsets ??= this.#parts.offsets("codepoint"));
  }

  /** The labeled spans ("assistant", "think") the masks come from, [start, end) in UTF-16 units of `text`. */
  get spans(): readonly Span[] {
    return this.#parts.spans;
  }

  /** Where the spans came from: the template's tags or inferred from its message loop; null without masks. */
  get spanSource(): SpanSource | null {
    return this.#parts.spanSource;
  }

  /**
   * transformers' `char_to_token`: the position in input_ids of the first token containing the character at
   * `pos` (padding and truncation accounted for), or null when no kept token covers it. `pos` counts UTF-16
   * units by default (a JS string index); pass "codepoint" for Python's indexes.
   */
  charToToken(pos: number, unit: OffsetUnit = "utf16"): number | null {
    if (unit === "codepoint") return this.#parts.sequence.charToToken(pos);
    const text = this.#parts.text;
    if (!Number.isInteger(pos) || pos < 0 || pos >= text.length) return null;
    this.#cpAt ??= codePointTable(text);
    return this.#parts.sequence.charToToken(this.#cpAt[pos]);
  }
}

/** A batch of tokenized conversations: each field an array with one entry per conversation. */
export class BatchChatEncoding {
  declare input_ids: number[][];
  declare attention_mask: number[][];
  declare assistant_masks?: number[][];
  declare thinking_masks?: number[][];
  declare warnings: ChatWarning[][];
  #items: ChatEncoding[];

  constructor(items: ChatEncoding[]) {
    this.input_ids = items.map((e) => e.input_ids);
    this.attention_mask = items.map((e) => e.attention_mask);
    if (items.length > 0 && items[0].assistant_masks !== undefined) this.assistant_masks = items.map((e) => e.assistant_masks as number[]);
    if (items.length > 0 && items[0].thinking_masks !== undefined) this.thinking_masks = items.map((e) => e.thinking_masks as number[]);
    this.warnings = items.map((e) => e.warnings);
    this.#items = items;
  }

  /** The encodings one by one. */
  get encodings(): ChatEncoding[] {
    return this.#items.slice();
  }

  /** The rendered conversations. */
  get text(): string[] {
    return this.#items.map((e) => e.text);
  }

  /** Per conversation, [start, end) of each position in UTF-16 units; padding [0, 0]. */
  get offsets(): [number, number][][] {
    return this.#items.map((e) => e.offsets);
  }

  /** Per conversation, transformers' offset_mapping in code points; padding [0, 0]. */
  get offset_mapping(): [number, number][][] {
    return this.#items.map((e) => e.offset_mapping);
  }

  /** transformers' `char_to_token(batch_index, char_index)`; see ChatEncoding.charToToken. */
  charToToken(batchIndex: number, pos: number, unit: OffsetUnit = "utf16"): number | null {
    const item = this.#items[batchIndex];
    return item === undefined ? null : item.charToToken(pos, unit);
  }
}
