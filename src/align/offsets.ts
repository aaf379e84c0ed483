// Token ids with the character offsets the Rust tokenizers (and so transformers' char_to_token) give them:
// added tokens, normalizer, pre-tokenizer and BPE model (bpe.ts), run with alignments. Where the normalizer
// leaves a section unchanged and the pre-tokenizer only splits, words are ranges of the input and nothing is
// copied per character. Knows tokenizer.json; never the template engine.
import { AddedMatcher, type AddedTokenSpec } from "./added.ts";
import { BpeModel, type BpeCacheOptions } from "./bpe.ts";
import { codePointLength, codePointTable, type OffsetUnit } from "../codepoints.ts";
import { Aligned } from "./aligned.ts";
import type { UnitAlignment } from "./nfc.ts";
import { UnsupportedTokenizerError, buildIdentityTest, buildLocalNormalizer, buildNormalizer, type AlignedNormalizer } from "./normalize.ts";
import { buildPreTokenizer, type PreTokenizer } from "./pretokenize.ts";
import { readTokenizerFile } from "./tokenizer-file.ts";

export { UnsupportedTokenizerError } from "./normalize.ts";
export type { BpeCacheOptions } from "./bpe.ts";
export { readTokenizerFile } from "./tokenizer-file.ts";

/** Which unit an offset counts: code points (Python `len`, Rust chars, transformers) or UTF-16 code units (JS). */
export type { OffsetUnit };

/** An encoding's columns as typed arrays, one entry per token (what the array views are built from). */
export interface EncodingColumns {
  ids: Int32Array;
  /** [start, end) in UTF-16 code units. */
  starts: Int32Array;
  ends: Int32Array;
  /** [start, end) in code points (the same arrays as starts / ends when the text has no astral character). */
  cpStarts: Int32Array;
  cpEnds: Int32Array;
  /** 1 for an added (or special) token, 0 for a model piece. */
  added: Uint8Array;
}

/** The tokens of one text, with offsets into the text in both units. */
export class AlignedEncoding {
  /** The text the offsets refer to (the input, unchanged; lone surrogates were tokenized as U+FFFD). */
  readonly text: string;
  readonly columns: EncodingColumns;
  readonly #tokenText: (k: number) => string;
  #ids: number[] | undefined;
  #tokens: string[] | undefined;
  #offsets: [number, number][] | undefined;
  #cpOffsets: [number, number][] | undefined;
  #firstToken: { codepoint?: Int32Array; utf16?: Int32Array } = {};

  constructor(text: string, columns: EncodingColumns, tokenText: (k: number) => string) {
    this.text = text;
    this.columns = columns;
    this.#tokenText = tokenText;
  }

  get length(): number {
    return this.columns.ids.length;
  }

  get ids(): number[] {
    return (this.#ids ??= Array.from(this.columns.ids));
  }

  /** Token strings as Rust gives them: vocabulary pieces; an added token's matched text (with stripped spaces). */
  get tokens(): string[] {
    return (this.#tokens ??= Array.from({ length: this.length }, (_, k) => this.#tokenText(k)));
  }

  /** [start, end) of each token in UTF-16 code units. */
  get offsets(): [number, number][] {
    return (this.#offsets ??= pairs(this.columns.starts, this.columns.ends));
  }

  /** [start, end) of each token in code points: what Rust `encode_char_offsets` and transformers return. */
  get cpOffsets(): [number, number][] {
    return (this.#cpOffsets ??= pairs(this.columns.cpStarts, this.columns.cpEnds));
  }

  /** Whether each token is an added (or special) token rather than a model piece. */
  get added(): boolean[] {
    return Array.from(this.columns.added, (a) => a === 1);
  }

  /**
   * transformers' `char_to_token`: the first token whose range contains position `pos`, or null when no
   * token covers it (e.g. a combining mark NFC absorbed). `pos` counts code points unless told otherwise.
   */
  charToToken(pos: number, unit: OffsetUnit = "codepoint"): number | null {
    let table = this.#firstToken[unit];
    if (!table) {
      const [starts, ends] = unit === "codepoint" ? [this.columns.cpStarts, this.columns.cpEnds] : [this.columns.starts, this.columns.ends];
      const size = unit === "codepoint" ? codePointLength(this.text) : this.text.length;
      table = new Int32Array(size).fill(-1);
      for (let i = 0; i < starts.length; i++) for (let p = starts[i]; p < ends[i]; p++) if (table[p] < 0) table[p] = i;
      this.#firstToken[unit] = table;
    }
    const t = Number.isInteger(pos) && pos >= 0 && pos < table.length ? table[pos] : -1;
    return t < 0 ? null : t;
  }
}

function pairs(starts: Int32Array, ends: Int32Array): [number, number][] {
  const out = new Array<[number, number]>(starts.length);
  for (let i = 0; i < starts.length; i++) out[i] = [starts[i], ends[i]];
  return out;
}

/** Tokens as they are found: growable columns, and the text of added tokens (model pieces are named by id). */
class TokenSink {
  ids: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  added: Uint8Array;
  length = 0;
  readonly addedText = new Map<number, string>();

  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.added = new Uint8Array(capacity);
  }

  push(id: number, start: number, end: number): void {
    if (this.length === this.ids.length) this.grow();
    const k = this.length++;
    this.ids[k] = id;
    this.starts[k] = start;
    this.ends[k] = end;
  }

  pushAdded(id: number, start: number, end: number, text: string): void {
    this.push(id, start, end);
    this.added[this.length - 1] = 1;
    this.addedText.set(this.length - 1, text);
  }

  private grow(): void {
    const n = this.ids.length * 2 + 16;
    const grown = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.ids = grown(this.ids, (k) => new Int32Array(k));
    this.starts = grown(this.starts, (k) => new Int32Array(k));
    this.ends = grown(this.ends, (k) => new Int32Array(k));
    this.added = grown(this.added, (k) => new Uint8Array(k));
  }
}

/** Options of OffsetTokenizer.fromJSON and fromFile. */
export interface OffsetTokenizerOptions {
  /** The BPE word cache (default: 10,000 words per generation, as Rust's cache capacity). */
  cache?: BpeCacheOptions;
}

/**
 * A tokenizer.json that encodes text to ids with Rust-exact offsets; add_special_tokens is always off.
 * The parsed tokenizer.json is read in place (its vocabulary and merges are not copied): do not modify it.
 */
export class OffsetTokenizer {
  private readonly model: BpeModel;
  private readonly normalizer: AlignedNormalizer | null;
  private readonly unchanged: (text: string) => boolean;
  private readonly local: ((text: string, origin: number) => UnitAlignment | null) | null;
  private readonly preTokenizer: PreTokenizer;
  private readonly rawAdded = new AddedMatcher();
  private readonly normalizedAdded = new AddedMatcher();
  /** Added tokens by content, with the ids Rust gives them. */
  private readonly addedIds = new Map<string, number>();

  private constructor(json: Record<string, unknown>, options: OffsetTokenizerOptions) {
    const model = json.model as Record<string, unknown> | undefined;
    checkModel(model);
    checkPostProcessor(json.post_processor);
    this.normalizer = buildNormalizer(json.normalizer);
    this.unchanged = buildIdentityTest(json.normalizer);
    this.local = buildLocalNormalizer(json.normalizer);
    this.preTokenizer = buildPreTokenizer(json.pre_tokenizer);
    this.model = new BpeModel(model!, this.preTokenizer.byteLevel, options.cache);
    for (const t of addedTokens(json.added_tokens, this.model)) {
      this.addedIds.set(t.content, t.id);
      if (t.normalized) {
        const n = Aligned.of(t.content, 0, t.content.length);
        this.normalizer?.(n);
        this.normalizedAdded.add(n.text(), t);
      } else this.rawAdded.add(t.content, t);
    }
  }

  /**
   * Builds from a parsed tokenizer.json (or what readTokenizerFile gives); throws UnsupportedTokenizerError
   * for a component it cannot align.
   */
  static fromJSON(tokenizerJson: object, options: OffsetTokenizerOptions = {}): OffsetTokenizer {
    return new OffsetTokenizer(tokenizerJson as Record<string, unknown>, options);
  }

  /**
   * Builds from the bytes of tokenizer.json (readTokenizerFile): the vocabulary and merges stay compact
   * tables over the bytes instead of JSON objects, about half the time of JSON.parse and fromJSON.
   */
  static fromFile(bytes: Uint8Array, options: OffsetTokenizerOptions = {}): OffsetTokenizer {
    return new OffsetTokenizer(readTokenizerFile(bytes), options);
  }

  /** Empties the model's word cache (results never depend on it; for measurements and memory). */
  clearCache(): void {
    this.model.clearCache();
  }

  /** Rust `Tokenizer::token_to_id`: an added token's id, else the model vocabulary's, else undefined. */
  tokenToId(token: string): number | undefined {
    return this.addedIds.get(token) ?? this.model.id(token);
  }

  /** Encodes `text` as transformers does with add_special_tokens=False (no truncation or padding). */
  encode(text: string): AlignedEncoding {
    const wf = text.toWellFormed();
    const out = new TokenSink((wf.length >> 2) + 16);
    for (const part of this.rawAdded.split(wf)) {
      if (part.id >= 0) out.pushAdded(part.id, part.start, part.end, wf.slice(part.start, part.end));
      else this.encodeSection(wf, part.start, part.end, out);
    }
    const n = out.length;
    const ids = out.ids.subarray(0, n);
    const starts = out.starts.subarray(0, n);
    const ends = out.ends.subarray(0, n);
    let cpStarts = starts;
    let cpEnds = ends;
    if (/[\ud800-\udfff]/.test(wf)) {
      const cpAt = codePointTable(wf);
      cpStarts = new Int32Array(n);
      cpEnds = new Int32Array(n);
      for (let k = 0; k < n; k++) {
        cpStarts[k] = cpAt[starts[k]];
        cpEnds[k] = cpAt[ends[k]];
      }
    }
    const columns = { ids, starts, ends, cpStarts, cpEnds, added: out.added.subarray(0, n) };
    const addedText = out.addedText;
    return new AlignedEncoding(text, columns, (k) => addedText.get(k) ?? this.model.token(ids[k]));
  }

  /** Normalizes one section between raw added tokens, splits it and runs the model on each word. */
  private encodeSection(wf: string, from: number, to: number, out: TokenSink): void {
    const raw = wf.slice(from, to);
    let text = raw;
    let starts: Int32Array | null = null;
    let ends: Int32Array | null = null;
    if (this.normalizer !== null && !this.unchanged(raw)) {
      if (this.local !== null) {
        const units = this.local(raw, from);
        if (units !== null) ({ text, starts, ends } = units);
      } else {
        const section = Aligned.of(wf, from, to);
        this.normalizer(section);
        ({ text, starts, ends } = section.units());
      }
    }
    // original range of normalized units [a, b), b > a
    const startOf = (a: number) => (starts === null ? from + a : starts[a]);
    const endOf = (b: number) => (ends === null ? from + b : ends[b - 1]);
    for (const sub of this.normalizedAdded.split(text)) {
      if (sub.id >= 0) {
        out.pushAdded(sub.id, startOf(sub.start), endOf(sub.end), text.slice(sub.start, sub.end));
        continue;
      }
      const ranges = this.preTokenizer.ranges;
      if (ranges !== null) {
        const words = ranges(text, sub.start, sub.end);
        for (let w = 0; w < words.length; w += 2) {
          const ws = words.data[w];
          const we = words.data[w + 1];
          const tokens = this.model.tokenize(ws === 0 && we === text.length ? text : text.slice(ws, we));
          for (let i = 0; i < tokens.length; i += 3) out.push(tokens[i], startOf(ws + tokens[i + 1]), endOf(ws + tokens[i + 2]));
        }
        continue;
      }
      // the whole section keeps its own origin; a part starts where its first character came from (Rust `slice`)
      const whole = sub.start === 0 && sub.end === text.length;
      const piece =
        starts === null ? Aligned.of(wf, from + sub.start, from + sub.end) : Aligned.ofUnits(text, starts, ends!, sub.start, sub.end, whole ? from : starts[sub.start]);
      for (const word of this.preTokenizer.split(piece)) this.encodeWord(word, out);
    }
  }

  /** Runs the model on a word that a pre-tokenizer changed (Metaspace, prefix space): offsets through its alignment. */
  private encodeWord(word: Aligned, out: TokenSink): void {
    const text = word.text();
    const tokens = this.model.tokenize(text);
    // code point index of each unit of the word
    const cpOf = new Int32Array(text.length);
    for (let u = 0, k = 0; k < word.length; k++) {
      cpOf[u++] = k;
      if (word.cps[k] > 0xffff) cpOf[u++] = k;
    }
    for (let i = 0; i < tokens.length; i += 3) out.push(tokens[i], word.starts[cpOf[tokens[i + 1]]], word.ends[cpOf[tokens[i + 2] - 1]]);
  }
}

/**
 * tokenizer.json `added_tokens` as Rust's AddedVocabulary::add_tokens keeps them: the file's ids are only
 * checked (Rust warns); a token gets its model-vocabulary id, else the id of an earlier token with the same
 * content, else the next free id after the vocabulary. A repeated content keeps its id and takes the later flags.
 */
function addedTokens(list: unknown, model: BpeModel): AddedTokenSpec[] {
  const byContent = new Map<string, AddedTokenSpec>();
  let maxId = -1;
  for (const raw of (list as AddedTokenSpec[] | undefined) ?? []) {
    if (typeof raw.content !== "string" || raw.content === "") continue;
    const earlier = byContent.get(raw.content);
    const size = () => model.size();
    const id =
      earlier?.id ?? model.id(raw.content) ?? (maxId < 0 ? size() : maxId >= size() || size() === 0 ? maxId + 1 : size());
    maxId = Math.max(maxId, id);
    byContent.set(raw.content, { ...raw, id, normalized: raw.normalized ?? raw.special !== true });
  }
  return [...byContent.values()];
}

function checkModel(model: Record<string, unknown> | undefined): void {
  const type = model?.type ?? (model && "merges" in model ? "BPE" : undefined);
  if (type !== "BPE") throw new UnsupportedTokenizerError(`model ${JSON.stringify(type)} is not supported for offset alignment (only BPE)`);
  const m = model!;
  if (typeof m.continuing_subword_prefix === "string" && m.continuing_subword_prefix !== "") {
    throw new UnsupportedTokenizerError(`BPE continuing_subword_prefix ${JSON.stringify(m.continuing_subword_prefix)} is not supported`);
  }
  if (typeof m.end_of_word_suffix === "string" && m.end_of_word_suffix !== "") {
    throw new UnsupportedTokenizerError(`BPE end_of_word_suffix ${JSON.stringify(m.end_of_word_suffix)} is not supported`);
  }
  if (typeof m.dropout === "number" && m.dropout > 0) throw new UnsupportedTokenizerError("BPE dropout is not supported (random merges)");
}

/** Post-processors run even without special tokens; only those that leave offsets alone are accepted. */
function checkPostProcessor(config: unknown): void {
  if (config === null || config === undefined) return;
  const c = config as Record<string, unknown>;
  switch (c.type) {
    case "Sequence":
      for (const p of (c.processors as unknown[]) ?? []) checkPostProcessor(p);
      return;
    case "TemplateProcessing":
    case "BertProcessing":
      return;
    case "ByteLevel":
    case "RobertaProcessing":
      if (c.trim_offsets === false) return;
      throw new UnsupportedTokenizerError(`post-processor ${c.type} with trim_offsets is not supported for offset alignment`);
    default:
      throw new UnsupportedTokenizerError(`post-processor ${JSON.stringify(c.type)} is not supported for offset alignment`);
  }
}
