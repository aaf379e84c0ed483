// tokenizer.json read from its bytes. The model's vocab and merges (most of the file) go into compact tables
// (a hash over a copy of the vocab's bytes, merges as id triples) instead of JS objects with 150,000 entries;
// everything else goes through JSON.parse. Anything unexpected (another layout, invalid UTF-8, a fractional
// id, a repeated vocab) falls back to JSON.parse of the whole file. Knows JSON and tokenizer.json's layout.
import { Bytes, FNV, Fallback, QUOTE, Scanner, checkString, decoder, hashOf, slotOf, stringInto, unescapeInto } from "./json-bytes.ts";
import { UnsupportedTokenizerError } from "./normalize.ts";
import type { MergeSource, Vocabulary } from "./vocab.ts";

/** The vocabulary as hashed token strings over the vocab's bytes; token strings are decoded when asked for. */
class CompactVocabulary implements Vocabulary {
  /** The vocab object's bytes, copied out of the file; entries point into them. */
  #bytes = new Uint8Array(0);
  /** Per entry: contents [from, to) in the file, id, hash of the canonical bytes, whether it holds an escape. */
  #from = new Int32Array(0);
  #to = new Int32Array(0);
  #ids = new Int32Array(0);
  #hashes = new Int32Array(0);
  #escaped = new Uint8Array(0);
  #count = 0;
  /** Open addressing: entry index + 1, 0 for empty. */
  #slots = new Int32Array(0);
  #mask = 0;
  #names: (string | undefined)[] = [];
  #nameOf: Map<number, number> | null = null;
  readonly #query = new Bytes();
  readonly #entry = new Bytes();


  /** Reads the vocab object at the scanner (duplicate keys: the last id wins, as in JSON.parse and serde). */
  read(s: Scanner): void {
    s.ws();
    const base = s.at;
    let from = new Int32Array(1 << 12);
    let to = new Int32Array(1 << 12);
    let ids = new Int32Array(1 << 12);
    let n = 0;
    s.expect(0x7b);
    if (!s.take(0x7d)) {
      do {
        s.string();
        if (n === from.length) {
          from = grow(from);
          to = grow(to);
          ids = grow(ids);
        }
        from[n] = s.from - base;
        to[n] = s.to - base;
        s.expect(0x3a);
        ids[n++] = s.id();
      } while (s.take(0x2c));
      s.expect(0x7d);
    }
    // keep the vocab's bytes only (a third of the file), not the merges and the rest
    const bytes = (this.#bytes = s.bytes.slice(base, s.at));
    this.#from = new Int32Array(n);
    this.#to = new Int32Array(n);
    this.#ids = new Int32Array(n);
    this.#hashes = new Int32Array(n);
    this.#escaped = new Uint8Array(n);
    let size = 16;
    while (size < n * 2) size *= 2;
    this.#slots = new Int32Array(size);
    this.#mask = size - 1;
    const q = this.#query;
    for (let k = 0; k < n; k++) {
      let data = bytes;
      let a = from[k];
      let b = to[k];
      const escaped = checkString(bytes, a, b);
      if (escaped) {
        unescapeInto(bytes, a, b, q);
        data = q.data;
        a = 0;
        b = q.length;
      }
      const h = hashOf(FNV, data, a, b);
      const found = this.find(h, data, a, b, data, 0, 0);
      if (found >= 0) {
        this.#ids[found] = ids[k];
        continue;
      }
      const e = this.#count++;
      this.#from[e] = from[k];
      this.#to[e] = to[k];
      this.#ids[e] = ids[k];
      this.#hashes[e] = h;
      this.#escaped[e] = escaped ? 1 : 0;
      let slot = slotOf(h, this.#mask);
      while (this.#slots[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#slots[slot] = e + 1;
    }
  }

  /** The id of the entry whose canonical bytes are x[xa, xb) followed by y[ya, yb), with hash h; -1 if none. */
  find(h: number, x: Uint8Array, xa: number, xb: number, y: Uint8Array, ya: number, yb: number): number {
    const want = xb - xa + yb - ya;
    for (let slot = slotOf(h, this.#mask); this.#slots[slot] !== 0; slot = (slot + 1) & this.#mask) {
      const k = this.#slots[slot] - 1;
      if (this.#hashes[k] !== h) continue;
      let data = this.#bytes;
      let at = this.#from[k];
      let end = this.#to[k];
      if (this.#escaped[k] === 1) {
        unescapeInto(this.#bytes, at, end, this.#entry);
        data = this.#entry.data;
        at = 0;
        end = this.#entry.length;
      }
      if (end - at !== want) continue;
      let i = xa;
      while (i < xb && data[at] === x[i]) {
        at++;
        i++;
      }
      if (i < xb) continue;
      i = ya;
      while (i < yb && data[at] === y[i]) {
        at++;
        i++;
      }
      if (i === yb) return k;
    }
    return -1;
  }

  /** The id of entry k (from find). */
  idAt(k: number): number {
    return this.#ids[k];
  }

  id(token: string): number {
    const q = this.#query;
    stringInto(token, q);
    const k = this.find(hashOf(FNV, q.data, 0, q.length), q.data, 0, q.length, q.data, 0, 0);
    return k < 0 ? -1 : this.#ids[k];
  }

  size(): number {
    return this.#count;
  }

  token(id: number): string | undefined {
    if (this.#nameOf === null) {
      // the last entry with an id names it, as a for-in over the parsed object would
      this.#nameOf = new Map();
      for (let k = 0; k < this.#count; k++) this.#nameOf.set(this.#ids[k], k);
    }
    const k = this.#nameOf.get(id);
    if (k === undefined) return undefined;
    return (this.#names[k] ??= JSON.parse(decoder.decode(this.#bytes.subarray(this.#from[k] - 1, this.#to[k] + 1))) as string);
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Reads the merges array at the scanner into id triples (Rust's rules: see vocab.ts jsonMerges). */
function readMerges(s: Scanner, vocab: CompactVocabulary): MergeSource {
  const bytes = s.bytes;
  let triples = new Int32Array(3 << 12);
  let n = 0;
  const scratchA = new Bytes();
  const scratchB = new Bytes();
  const missing = (x: Uint8Array, xa: number, xb: number, y: Uint8Array, ya: number, yb: number) =>
    new UnsupportedTokenizerError(`BPE merge token ${JSON.stringify(decoder.decode(x.subarray(xa, xb)) + decoder.decode(y.subarray(ya, yb)))} is not in the vocabulary`);
  s.expect(0x5b);
  if (!s.take(0x5d)) {
    do {
      s.ws();
      // the two tokens: x[xa, xb) and y[ya, yb), canonical bytes
      let x = bytes;
      let y = bytes;
      let xa: number;
      let xb: number;
      let ya: number;
      let yb: number;
      if (bytes[s.at] === QUOTE) {
        // the legacy "a b" form: exactly one space; #version lines skipped
        s.string();
        let w = bytes;
        let wa = s.from;
        let wb = s.to;
        if (checkString(bytes, wa, wb)) {
          unescapeInto(bytes, wa, wb, scratchA);
          w = scratchA.data;
          wa = 0;
          wb = scratchA.length;
        }
        const line = () => decoder.decode(w.subarray(wa, wb));
        if (w[wa] === 0x23 && line().startsWith("#version")) continue;
        let space = -1;
        for (let i = wa; i < wb; i++) {
          if (w[i] !== 0x20) continue;
          if (space >= 0) throw new UnsupportedTokenizerError(`BPE merge ${JSON.stringify(line())} is not two tokens`);
          space = i;
        }
        if (space < 0) throw new UnsupportedTokenizerError(`BPE merge ${JSON.stringify(line())} is not two tokens`);
        x = y = w;
        xa = wa;
        xb = space;
        ya = space + 1;
        yb = wb;
      } else {
        s.expect(0x5b);
        s.string();
        xa = s.from;
        xb = s.to;
        s.expect(0x2c);
        s.string();
        ya = s.from;
        yb = s.to;
        s.expect(0x5d);
        if (checkString(bytes, xa, xb)) {
          unescapeInto(bytes, xa, xb, scratchA);
          x = scratchA.data;
          xa = 0;
          xb = scratchA.length;
        }
        if (checkString(bytes, ya, yb)) {
          unescapeInto(bytes, ya, yb, scratchB);
          y = scratchB.data;
          ya = 0;
          yb = scratchB.length;
        }
      }
      const hx = hashOf(FNV, x, xa, xb);
      const kx = vocab.find(hx, x, xa, xb, y, 0, 0);
      const ky = vocab.find(hashOf(FNV, y, ya, yb), y, ya, yb, x, 0, 0);
      const kxy = vocab.find(hashOf(hx, y, ya, yb), x, xa, xb, y, ya, yb);
      if (kx < 0) throw missing(x, xa, xb, y, 0, 0);
      if (ky < 0) throw missing(y, ya, yb, x, 0, 0);
      if (kxy < 0) throw missing(x, xa, xb, y, ya, yb);
      if (n + 3 > triples.length) triples = grow(triples);
      triples[n++] = vocab.idAt(kx);
      triples[n++] = vocab.idAt(ky);
      triples[n++] = vocab.idAt(kxy);
    } while (s.take(0x2c));
    s.expect(0x5d);
  }
  const data = triples.slice(0, n);
  return {
    count: n / 3,
    each(add) {
      for (let i = 0; i < data.length; i += 3) add(data[i], data[i + 1], data[i + 2]);
    },
  };
}

/**
 * Parses tokenizer.json from its UTF-8 bytes. The result is the parsed object, except that a BPE model's
 * `vocab` and `merges` are compact tables (a Vocabulary and a MergeSource that OffsetTokenizer reads) when
 * the file has the usual layout; otherwise everything is plain JSON.parse output. Throws SyntaxError on
 * invalid JSON (a BOM included), TypeError on invalid UTF-8, and UnsupportedTokenizerError on a merge of
 * tokens outside the vocabulary.
 */
export function readTokenizerFile(bytes: Uint8Array): Record<string, unknown> {
  try {
    // a plain Uint8Array view of a Buffer: one array type in the hot loops
    return readCompact(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    if (!(e instanceof Fallback)) throw e;
    return JSON.parse(decoder.decode(bytes)) as Record<string, unknown>;
  }
}

/** `obj[key] = value` as JSON.parse does it: an own property even for `__proto__`. */
function define(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

function readCompact(bytes: Uint8Array): Record<string, unknown> {
  const s = new Scanner(bytes);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) throw new Fallback(); // a BOM: JSON.parse decides
  const out: Record<string, unknown> = {};
  let compact = false;
  s.object((key) => {
    if (key !== "model") {
      define(out, key, s.parse(s.value()));
      return;
    }
    s.ws();
    if (bytes[s.at] !== 0x7b) {
      out[key] = s.parse(s.value());
      return;
    }
    const model: Record<string, unknown> = {};
    let vocab: CompactVocabulary | null = null;
    let merges: MergeSource | null = null;
    let mergesAt = -1;
    s.object((k) => {
      if (k === "vocab") {
        if (vocab !== null) throw new Fallback(); // JSON.parse keeps the last one, for merges read before it too
        vocab = new CompactVocabulary();
        vocab.read(s);
      } else if (k === "merges") {
        s.ws();
        mergesAt = s.at;
        // after the vocab (the usual order) the merges are read right away, else once it is known
        if (vocab !== null) merges = readMerges(s, vocab);
        else s.value();
      } else define(model, k, s.parse(s.value()));
    });
    if (vocab === null || mergesAt < 0 || (model.type !== undefined && model.type !== "BPE")) throw new Fallback();
    if (merges === null) {
      const end = s.at;
      s.at = mergesAt;
      merges = readMerges(s, vocab);
      s.at = end;
    }
    model.vocab = vocab;
    model.merges = merges;
    out[key] = model;
    compact = true;
  });
  s.ws();
  if (s.at !== bytes.length || !compact) throw new Fallback();
  return out;
}
