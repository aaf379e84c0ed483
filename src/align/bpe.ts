// The BPE model of the Rust tokenizers (models/bpe: BPE::merge_word, Word::merge_all) over one pre-tokenized
// word, with a bounded word cache: token ids with their [start, end) in UTF-16 units of the word. Knows
// tokenizer.json's `model` section; nothing of normalizers, pre-tokenizers or templates.
import { BYTE_TO_CHAR, toByteLevel, utf8, utf8Length } from "./bytes.ts";
import { UnsupportedTokenizerError } from "./normalize.ts";
import { ObjectVocabulary, isMergeSource, isVocabulary, jsonMerges, type MergeSource, type Vocabulary } from "./vocab.ts";

/** Rust `BPE::merge_word`'s byte-fallback spelling of a byte, `format!("<{b:#04X}>")`: `<0x0A>`. */
const fallbackName = (b: number) => `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`;

/** Words at least this long (UTF-16 units) are not cached (Rust: MAX_LENGTH, 256 bytes). */
const MAX_CACHED = 256;

/** Open addressing from a token pair (a, b) to the merge's rank and the id it makes (Rust's MergeMap). */
class MergeTable {
  /** Four int32 per slot: a (-1 when empty), b, rank, new id. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 1.5) size *= 2;
    this.slots = new Int32Array(size * 4).fill(-1);
    this.mask = size - 1;
  }

  private slot(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h = (h ^ (h >>> 15)) & this.mask;
    const s = this.slots;
    while (s[h * 4] !== -1 && (s[h * 4] !== a || s[h * 4 + 1] !== b)) h = (h + 1) & this.mask;
    return h * 4;
  }

  /** A later merge of the same pair replaces the earlier one, as collecting into Rust's HashMap does. */
  set(a: number, b: number, rank: number, id: number): void {
    const i = this.slot(a, b);
    const s = this.slots;
    s[i] = a;
    s[i + 1] = b;
    s[i + 2] = rank;
    s[i + 3] = id;
  }

  /** Index of the pair's slot (read rank at +2, new id at +3), or -1. */
  find(a: number, b: number): number {
    const i = this.slot(a, b);
    return this.slots[i] === -1 ? -1 : i;
  }

  get data(): Int32Array {
    return this.slots;
  }
}

/** Reusable work buffers, grown on demand (one word at a time). */
class Scratch {
  bytes = new Uint8Array(256);
  /** Per UTF-8 byte: the UTF-16 start and end of its character in the word. */
  unitStart = new Int32Array(256);
  unitEnd = new Int32Array(256);
  /** Symbols: id, previous, next, length in bytes (0: merged away). */
  c = new Int32Array(256);
  prev = new Int32Array(256);
  next = new Int32Array(256);
  len = new Int32Array(256);
  /** Heap of pending merges, keyed rank · 2^32 + position (a min-heap: Rust's Merge ordering). */
  heapKey = new Float64Array(768);
  heapId = new Int32Array(768);

  reserve(bytes: number): void {
    if (bytes <= this.bytes.length) return;
    const n = Math.max(bytes, this.bytes.length * 2);
    this.bytes = new Uint8Array(n);
    this.unitStart = new Int32Array(n);
    this.unitEnd = new Int32Array(n);
    this.c = new Int32Array(n);
    this.prev = new Int32Array(n);
    this.next = new Int32Array(n);
    this.len = new Int32Array(n);
    this.heapKey = new Float64Array(3 * n);
    this.heapId = new Int32Array(3 * n);
  }
}

/** Options of the word cache. */
export interface BpeCacheOptions {
  /** Words kept per cache generation (the cache holds at most twice as many); 0 turns caching off. */
  capacity?: number;
}

/**
 * tokenizer.json's BPE model. `byteLevel`: words arrive as text and are spelled in GPT-2's byte alphabet
 * before the model sees them (a ByteLevel pre-tokenizer), so each UTF-8 byte starts as one symbol.
 * A vocabulary object and merges list are read in place, not copied: the caller must not modify them.
 * The merge table is built on the first word that needs it.
 */
export class BpeModel {
  readonly unkToken: string | null;
  readonly byteFallback: boolean;
  private readonly vocab: Vocabulary;
  private readonly fuseUnk: boolean;
  private readonly ignoreMerges: boolean;
  private readonly byteLevel: boolean;
  private readonly unkId: number;
  /** Byte-level: the id of each byte's character. SentencePiece byte fallback: the id of `<0xNN>`. -1: none. */
  private readonly byteIds = new Int32Array(256).fill(-1);
  private merges: MergeSource | null;
  private table: MergeTable | null = null;
  private scratch = new Scratch();
  private readonly capacity: number;
  private hot = new Map<string, Int32Array>();
  private cold = new Map<string, Int32Array>();

  constructor(model: Record<string, unknown>, byteLevel: boolean, cache: BpeCacheOptions = {}) {
    const { vocab, merges } = model;
    if (isVocabulary(vocab)) this.vocab = vocab;
    else if (vocab !== null && typeof vocab === "object" && !Array.isArray(vocab)) this.vocab = new ObjectVocabulary(vocab as Record<string, unknown>);
    else throw new UnsupportedTokenizerError("BPE model without a vocab object");
    if (isMergeSource(merges)) this.merges = merges;
    else if (Array.isArray(merges)) this.merges = jsonMerges(merges, this.vocab);
    else throw new UnsupportedTokenizerError("BPE model without a merges list");
    this.byteLevel = byteLevel;
    this.unkToken = typeof model.unk_token === "string" ? model.unk_token : null;
    this.fuseUnk = model.fuse_unk === true;
    this.byteFallback = model.byte_fallback === true;
    this.ignoreMerges = model.ignore_merges === true;
    this.capacity = cache.capacity ?? 10_000;
    this.unkId = this.unkToken === null ? -1 : this.vocab.id(this.unkToken);
    if (this.unkToken !== null && this.unkId < 0) throw new UnsupportedTokenizerError(`the unk token ${JSON.stringify(this.unkToken)} is not in the vocabulary`);
    for (let b = 0; b < 256; b++) {
      this.byteIds[b] = this.vocab.id(byteLevel ? String.fromCharCode(BYTE_TO_CHAR[b]) : fallbackName(b));
      // Rust would spell a missing byte character in <0xNN> pieces of its own UTF-8, or drop it (no unk token),
      // shifting later offsets by that character's UTF-8 length: neither maps to bytes of the text.
      if (byteLevel && this.byteIds[b] < 0 && (this.byteFallback || this.unkId < 0)) {
        throw new UnsupportedTokenizerError(`the byte-level vocabulary lacks ${JSON.stringify(String.fromCharCode(BYTE_TO_CHAR[b]))}`);
      }
    }
  }

  /** The id of a vocabulary token, or undefined. */
  id(token: string): number | undefined {
    const id = this.vocab.id(token);
    return id < 0 ? undefined : id;
  }

  /** Number of vocabulary entries (Rust `BPE::get_vocab_size`). */
  size(): number {
    return this.vocab.size();
  }

  /** The token string of a model id (Rust `vocab_r`). */
  token(id: number): string {
    return this.vocab.token(id) ?? "";
  }

  /**
   * The tokens of one word: triples (id, start, end), [start, end) in UTF-16 units of the word, widened to
   * whole characters (a token holding part of a character's bytes covers the character, as in Rust).
   * The result is shared with the cache: read it, never write it.
   */
  tokenize(word: string): Int32Array {
    let hit = this.hot.get(word);
    if (hit !== undefined) return hit;
    hit = this.cold.get(word);
    if (hit === undefined) hit = this.compute(word);
    if (this.capacity > 0 && word.length < MAX_CACHED) {
      // Two generations: when the newer one fills up it becomes the older, and the older is dropped.
      if (this.hot.size >= this.capacity) {
        this.cold = this.hot;
        this.hot = new Map();
      }
      this.hot.set(word, hit);
    }
    return hit;
  }

  /** Drops every cached word. */
  clearCache(): void {
    this.hot = new Map();
    this.cold = new Map();
  }

  private compute(word: string): Int32Array {
    if (word.length === 0) return new Int32Array(0);
    const s = this.scratch;
    const n = this.encodeUtf8(word);
    if (this.ignoreMerges) {
      const id = this.vocab.id(this.byteLevel ? toByteLevel(s.bytes.subarray(0, n)) : word);
      if (id >= 0) return Int32Array.of(id, 0, word.length);
    }
    const count = this.byteLevel ? this.byteSymbols(n) : this.charSymbols(word);
    if (count > 1) this.mergeAll(count);
    let tokens = 0;
    for (let i = 0; i < count; i++) if (s.len[i] > 0) tokens++;
    // a section-long word (no pre-tokenizer) grew the buffers: do not keep megabytes for the next word
    if (s.bytes.length > 1 << 16) this.scratch = new Scratch();
    const out = new Int32Array(3 * tokens);
    let pos = 0;
    let k = 0;
    for (let i = 0; i < count; i++) {
      const len = s.len[i];
      if (len === 0) continue;
      out[k++] = s.c[i];
      out[k++] = s.unitStart[pos];
      out[k++] = s.unitEnd[pos + len - 1];
      pos += len;
    }
    return out;
  }

  /** UTF-8 of a well-formed word into the scratch bytes, with each byte's character range; returns the length. */
  private encodeUtf8(word: string): number {
    const s = this.scratch;
    s.reserve(3 * word.length);
    let j = 0;
    for (let u = 0; u < word.length; u++) {
      let c = word.charCodeAt(u);
      if (c < 0x80) {
        s.bytes[j] = c;
        s.unitStart[j] = u;
        s.unitEnd[j++] = u + 1;
        continue;
      }
      const start = u;
      if (c >= 0xd800 && c <= 0xdbff && u + 1 < word.length) {
        const d = word.charCodeAt(u + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          u++;
        }
      }
      const from = j;
      if (c < 0x800) {
        s.bytes[j++] = 0xc0 | (c >> 6);
        s.bytes[j++] = 0x80 | (c & 63);
      } else if (c < 0x10000) {
        s.bytes[j++] = 0xe0 | (c >> 12);
        s.bytes[j++] = 0x80 | ((c >> 6) & 63);
        s.bytes[j++] = 0x80 | (c & 63);
      } else {
        s.bytes[j++] = 0xf0 | (c >> 18);
        s.bytes[j++] = 0x80 | ((c >> 12) & 63);
        s.bytes[j++] = 0x80 | ((c >> 6) & 63);
        s.bytes[j++] = 0x80 | (c & 63);
      }
      for (let b = from; b < j; b++) {
        s.unitStart[b] = start;
        s.unitEnd[b] = u + 1;
      }
    }
    return j;
  }

  /** Byte-level symbols: one per byte; a byte without a vocabulary character becomes unk (checked at load). */
  private byteSymbols(n: number): number {
    const s = this.scratch;
    let count = 0;
    let unk = -1; // length of the pending unk run, -1: none
    for (let i = 0; i < n; i++) {
      const id = this.byteIds[s.bytes[i]];
      if (id >= 0) {
        if (unk >= 0) count = this.add(count, this.unkId, unk);
        unk = -1;
        count = this.add(count, id, 1);
      } else if (unk >= 0 && this.fuseUnk) unk += 1;
      else {
        if (unk >= 0) count = this.add(count, this.unkId, unk);
        unk = 1;
      }
    }
    if (unk >= 0) count = this.add(count, this.unkId, unk);
    return count;
  }

  /** Rust `merge_word` over characters: vocabulary, then `<0xNN>` bytes, then unk (fused or not), else dropped. */
  private charSymbols(word: string): number {
    let count = 0;
    let unk = -1;
    for (let u = 0; u < word.length; ) {
      const cp = word.codePointAt(u)!;
      const w = cp > 0xffff ? 2 : 1;
      const id = this.vocab.id(word.slice(u, u + w));
      const bytes = utf8Length(cp);
      u += w;
      if (id >= 0) {
        if (unk >= 0) count = this.add(count, this.unkId, unk);
        unk = -1;
        count = this.add(count, id, bytes);
        continue;
      }
      if (this.byteFallback && this.fallbackCovers(cp)) {
        // Rust adds the byte pieces without flushing a pending unk (it comes after them)
        for (const b of utf8(String.fromCodePoint(cp))) count = this.add(count, this.byteIds[b], 1);
        continue;
      }
      if (this.unkId < 0) continue;
      if (unk >= 0 && this.fuseUnk) unk += bytes;
      else {
        if (unk >= 0) count = this.add(count, this.unkId, unk);
        unk = bytes;
      }
    }
    if (unk >= 0) count = this.add(count, this.unkId, unk);
    return count;
  }

  private fallbackCovers(cp: number): boolean {
    for (const b of utf8(String.fromCodePoint(cp))) if (this.byteIds[b] < 0) return false;
    return true;
  }

  /** Rust `Word::add`. */
  private add(count: number, id: number, len: number): number {
    const s = this.scratch;
    s.c[count] = id;
    s.len[count] = len;
    s.prev[count] = count - 1;
    s.next[count] = -1;
    if (count > 0) s.next[count - 1] = count;
    return count + 1;
  }

  private mergeTable(): MergeTable {
    if (this.table !== null) return this.table;
    const table = new MergeTable(this.merges!.count);
    let rank = 0;
    this.merges!.each((a, b, merged) => table.set(a, b, rank++, merged));
    this.table = table;
    this.merges = null;
    return table;
  }

  /** Rust `Word::merge_all` without dropout: lowest rank first, then leftmost; stale entries skipped. */
  private mergeAll(count: number): void {
    const table = this.mergeTable();
    const slots = table.data;
    const s = this.scratch;
    const { c, prev, next, len, heapKey, heapId } = s;
    let size = 0;
    const push = (rank: number, pos: number, id: number) => {
      let i = size++;
      const key = rank * 4294967296 + pos;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heapKey[p] <= key) break;
        heapKey[i] = heapKey[p];
        heapId[i] = heapId[p];
        i = p;
      }
      heapKey[i] = key;
      heapId[i] = id;
    };
    for (let i = 0; i + 1 < count; i++) {
      const m = table.find(c[i], c[i + 1]);
      if (m >= 0) push(slots[m + 2], i, slots[m + 3]);
    }
    while (size > 0) {
      const key = heapKey[0];
      const newId = heapId[0];
      // pop: move the last entry down from the root
      size--;
      if (size > 0) {
        const lastKey = heapKey[size];
        const lastId = heapId[size];
        let i = 0;
        for (;;) {
          let child = 2 * i + 1;
          if (child >= size) break;
          if (child + 1 < size && heapKey[child + 1] < heapKey[child]) child++;
          if (heapKey[child] >= lastKey) break;
          heapKey[i] = heapKey[child];
          heapId[i] = heapId[child];
          i = child;
        }
        heapKey[i] = lastKey;
        heapId[i] = lastId;
      }
      const pos = key % 4294967296;
      if (len[pos] === 0 || next[pos] === -1) continue;
      const right = next[pos];
      const current = table.find(c[pos], c[right]);
      if (current < 0 || slots[current + 3] !== newId) continue; // an expired entry
      c[pos] = newId;
      len[pos] += len[right];
      next[pos] = next[right];
      len[right] = 0;
      if (next[right] >= 0) prev[next[right]] = pos;
      if (prev[pos] >= 0) {
        const m = table.find(c[prev[pos]], newId);
        if (m >= 0) push(slots[m + 2], prev[pos], slots[m + 3]);
      }
      if (next[pos] >= 0) {
        const m = table.find(newId, c[next[pos]]);
        if (m >= 0) push(slots[m + 2], pos, slots[m + 3]);
      }
    }
  }
}
