// Token ids with the character offsets the Rust tokenizers (and so transformers' char_to_token) give them.
// @huggingface/tokenizers supplies the BPE model (ids and token strings, no offsets); this file runs the
// pipeline around it with alignments: added tokens, normalizer, pre-tokenizer, then a walk of each token's
// bytes over its word. Knows tokenizer.json; never the template engine.
import * as tokenizers from "@huggingface/tokenizers";
import { assertSpanja } from "../errors.ts";
import { AddedMatcher, type AddedTokenSpec } from "./added.ts";
import { BYTE_TO_CHAR, byteFallbackValue, matchByteLevel, matchUtf8, toByteLevel, utf8, utf8WithOwners } from "./bytes.ts";
import { Aligned, UnsupportedTokenizerError, buildNormalizer, type AlignedNormalizer } from "./normalize.ts";
import { buildPreTokenizer, type PreTokenizer } from "./pretokenize.ts";

export { UnsupportedTokenizerError } from "./normalize.ts";

/** Which unit an offset counts: code points (Python `len`, Rust chars, transformers) or UTF-16 code units (JS). */
export type OffsetUnit = "codepoint" | "utf16";

/** The tokens of one text, with offsets into the text in both units. */
export class AlignedEncoding {
  /** The text the offsets refer to (the input, unchanged; lone surrogates were tokenized as U+FFFD). */
  readonly text: string;
  readonly ids: number[];
  /** Token strings as Rust gives them: vocabulary pieces; an added token's matched text (with stripped spaces). */
  readonly tokens: string[];
  /** [start, end) of each token in UTF-16 code units. */
  readonly offsets: [number, number][];
  /** [start, end) of each token in code points: what Rust `encode_char_offsets` and transformers return. */
  readonly cpOffsets: [number, number][];
  /** Whether each token is an added (or special) token rather than a model piece. */
  readonly added: boolean[];
  private firstToken: { codepoint?: Int32Array; utf16?: Int32Array } = {};

  constructor(text: string, ids: number[], tokens: string[], offsets: [number, number][], cpOffsets: [number, number][], added: boolean[]) {
    this.text = text;
    this.ids = ids;
    this.tokens = tokens;
    this.offsets = offsets;
    this.cpOffsets = cpOffsets;
    this.added = added;
  }

  get length(): number {
    return this.ids.length;
  }

  /**
   * transformers' `char_to_token`: the first token whose range contains position `pos`, or null when no
   * token covers it (e.g. a combining mark NFC absorbed). `pos` counts code points unless told otherwise.
   */
  charToToken(pos: number, unit: OffsetUnit = "codepoint"): number | null {
    let table = this.firstToken[unit];
    if (!table) {
      const offsets = unit === "codepoint" ? this.cpOffsets : this.offsets;
      const size = unit === "codepoint" ? codePointCount(this.text) : this.text.length;
      table = new Int32Array(size).fill(-1);
      offsets.forEach(([s, e], i) => {
        for (let p = s; p < e; p++) if (table![p] < 0) table![p] = i;
      });
      this.firstToken[unit] = table;
    }
    const t = Number.isInteger(pos) && pos >= 0 && pos < table.length ? table[pos] : -1;
    return t < 0 ? null : t;
  }
}

// The package's type declarations do not resolve their own deep exports under NodeNext; the classes exist.
const { BPE } = tokenizers as unknown as { BPE: new (config: object) => Model };

interface Model {
  _call(words: string[]): string[];
  tokens_to_ids: Map<string, number>;
  unk_token?: string;
  unk_token_id?: number;
  byte_fallback: boolean;
  fuse_unk: boolean;
}

/** A tokenizer.json that encodes text to ids with Rust-exact offsets; add_special_tokens is always off. */
export class OffsetTokenizer {
  private readonly model: Model;
  private readonly normalizer: AlignedNormalizer | null;
  private readonly preTokenizer: PreTokenizer;
  private readonly rawAdded = new AddedMatcher();
  private readonly normalizedAdded = new AddedMatcher();

  private constructor(json: Record<string, unknown>) {
    const model = json.model as Record<string, unknown> | undefined;
    checkModel(model);
    checkPostProcessor(json.post_processor);
    this.normalizer = buildNormalizer(json.normalizer);
    this.preTokenizer = buildPreTokenizer(json.pre_tokenizer);
    this.model = new BPE(model!);
    for (const t of addedTokens(json.added_tokens, this.model.tokens_to_ids)) {
      if (t.normalized) {
        const n = Aligned.of(t.content, 0, t.content.length);
        this.normalizer?.(n);
        this.normalizedAdded.add(n.cps, t);
      } else this.rawAdded.add([...t.content].map((c) => c.codePointAt(0)!), t);
    }
  }

  /** Builds from a parsed tokenizer.json; throws UnsupportedTokenizerError for a component it cannot align. */
  static fromJSON(tokenizerJson: object): OffsetTokenizer {
    return new OffsetTokenizer(tokenizerJson as Record<string, unknown>);
  }

  /** Encodes `text` as transformers does with add_special_tokens=False (no truncation or padding). */
  encode(text: string): AlignedEncoding {
    const wf = text.toWellFormed();
    const cps: number[] = [];
    const u16: number[] = [];
    for (let i = 0; i < wf.length; ) {
      const c = wf.codePointAt(i)!;
      cps.push(c);
      u16.push(i);
      i += c > 0xffff ? 2 : 1;
    }
    u16.push(wf.length);
    const out: Output = { ids: [], tokens: [], offsets: [], added: [] };
    for (const part of this.rawAdded.split(cps)) {
      if (part.id >= 0) {
        out.ids.push(part.id);
        out.tokens.push(wf.slice(u16[part.start], u16[part.end]));
        out.offsets.push([u16[part.start], u16[part.end]]);
        out.added.push(true);
        continue;
      }
      const [from, to] = [u16[part.start], u16[part.end]];
      const starts = u16.slice(part.start, part.end);
      const section = new Aligned(cps.slice(part.start, part.end), starts, u16.slice(part.start + 1, part.end + 1), from, wf.slice(from, to));
      this.normalizer?.(section);
      for (const sub of this.normalizedAdded.split(section.cps)) {
        if (sub.id >= 0) {
          out.ids.push(sub.id);
          out.tokens.push(section.slice(sub.start, sub.end).text());
          out.offsets.push(section.originalRange(sub.start, sub.end));
          out.added.push(true);
        } else {
          const piece = sub.start === 0 && sub.end === section.length ? section : section.slice(sub.start, sub.end);
          for (const word of this.preTokenizer.split(piece)) this.encodeWord(word, out);
        }
      }
    }
    const cpAt = new Int32Array(wf.length + 1);
    for (let k = 0; k < u16.length - 1; k++) for (let p = u16[k]; p < u16[k + 1]; p++) cpAt[p] = k;
    cpAt[wf.length] = u16.length - 1;
    const cpOffsets = out.offsets.map(([s, e]): [number, number] => [cpAt[s], cpAt[e]]);
    return new AlignedEncoding(text, out.ids, out.tokens, out.offsets, cpOffsets, out.added);
  }

  /** Runs the model on one word and walks its tokens over the word's UTF-8 bytes. */
  private encodeWord(word: Aligned, out: Output): void {
    const { bytes, owner } = utf8WithOwners(word.cps);
    const byteLevel = this.preTokenizer.byteLevel;
    const tokens = this.model._call([byteLevel ? toByteLevel(bytes) : word.text()]);
    let pos = 0;
    for (const token of tokens) {
      const len = this.tokenLength(token, bytes, pos, owner, word, byteLevel);
      assertSpanja(len > 0 && pos + len <= bytes.length, `token ${JSON.stringify(token)} does not match the text at byte ${pos}`);
      const id = this.model.tokens_to_ids.get(token);
      assertSpanja(id !== undefined, `the model produced ${JSON.stringify(token)}, which is not in its vocabulary`);
      out.ids.push(id);
      out.tokens.push(token);
      out.offsets.push([word.starts[owner[pos]], word.ends[owner[pos + len - 1]]]);
      out.added.push(false);
      pos += len;
    }
    assertSpanja(pos === bytes.length, `tokens cover ${pos} of ${bytes.length} bytes of a word`);
  }

  /** How many bytes of the word at `pos` the token stands for; 0 if it does not fit. */
  private tokenLength(token: string, bytes: Uint8Array, pos: number, owner: Int32Array, word: Aligned, byteLevel: boolean): number {
    const literal = byteLevel ? matchByteLevel(token, bytes, pos) : matchUtf8(token, bytes, pos);
    if (literal > 0) return literal;
    if (!byteLevel && this.model.byte_fallback) {
      const b = byteFallbackValue(token);
      if (b >= 0 && bytes[pos] === b) return 1;
    }
    if (token === this.model.unk_token) return this.unknownLength(bytes, pos, owner, word, byteLevel);
    return 0;
  }

  /** Bytes under an unk token: one unknown character, or a run of them with fuse_unk (Rust BPE::merge_word). */
  private unknownLength(bytes: Uint8Array, pos: number, owner: Int32Array, word: Aligned, byteLevel: boolean): number {
    const charAt = (p: number) => String.fromCodePoint(byteLevel ? BYTE_TO_CHAR[bytes[p]] : word.cps[owner[p]]);
    const charEnd = (p: number) => {
      if (byteLevel) return p + 1;
      let q = p;
      while (q < bytes.length && owner[q] === owner[p]) q++;
      return q;
    };
    const unknown = (p: number) => {
      const ch = charAt(p);
      if (this.model.tokens_to_ids.has(ch)) return false;
      if (!this.model.byte_fallback || byteLevel) return true;
      return ![...utf8(ch)].every((b) => this.model.tokens_to_ids.has(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`));
    };
    let q = charEnd(pos);
    if (this.model.fuse_unk) while (q < bytes.length && unknown(q)) q = charEnd(q);
    return q - pos;
  }
}

interface Output {
  ids: number[];
  tokens: string[];
  offsets: [number, number][];
  added: boolean[];
}

/**
 * tokenizer.json `added_tokens` as Rust's AddedVocabulary::add_tokens keeps them: the file's ids are only
 * checked (Rust warns); a token gets its model-vocabulary id, else the id of an earlier token with the same
 * content, else the next free id after the vocabulary. A repeated content keeps its id and takes the later flags.
 */
function addedTokens(list: unknown, vocab: Map<string, number>): AddedTokenSpec[] {
  const byContent = new Map<string, AddedTokenSpec>();
  let maxId = -1;
  for (const raw of (list as AddedTokenSpec[] | undefined) ?? []) {
    if (typeof raw.content !== "string" || raw.content === "") continue;
    const earlier = byContent.get(raw.content);
    const id =
      earlier?.id ?? vocab.get(raw.content) ?? (maxId < 0 ? vocab.size : maxId >= vocab.size || vocab.size === 0 ? maxId + 1 : vocab.size);
    maxId = Math.max(maxId, id);
    byContent.set(raw.content, { ...raw, id, normalized: raw.normalized ?? raw.special !== true });
  }
  return [...byContent.values()];
}

function codePointCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
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
