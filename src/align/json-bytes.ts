// JSON read straight from UTF-8 bytes, for tokenizer-file.ts: a scanner that yields positions, and token
// strings as "canonical bytes" that are hashed and compared without building JS strings. Knows JSON syntax
// and UTF-8; nothing of tokenizers.

export const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Not what the byte reader handles (its caller parses the whole text with JSON.parse instead). */
export class Fallback extends Error {}

/** Strict UTF-8, BOM kept: invalid bytes throw (TypeError) and a BOM reaches JSON.parse, which refuses it, as serde and Python's json do. */
export const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Token strings are compared and hashed as their "canonical bytes": UTF-8, with a lone surrogate (which a
 * JSON escape can hold) as its 3-byte form. A string in the file without escapes is its own canonical bytes.
 */
export class Bytes {
  data = new Uint8Array(256);
  length = 0;

  push(b: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint8Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = b;
  }

  pushCodePoint(cp: number): void {
    if (cp < 0x80) this.push(cp);
    else if (cp < 0x800) {
      this.push(0xc0 | (cp >> 6));
      this.push(0x80 | (cp & 63));
    } else if (cp < 0x10000) {
      this.push(0xe0 | (cp >> 12));
      this.push(0x80 | ((cp >> 6) & 63));
      this.push(0x80 | (cp & 63));
    } else {
      this.push(0xf0 | (cp >> 18));
      this.push(0x80 | ((cp >> 12) & 63));
      this.push(0x80 | ((cp >> 6) & 63));
      this.push(0x80 | (cp & 63));
    }
  }
}

export const FNV = 0x811c9dc5 | 0;

/** FNV-1a of bytes [from, to), continued from `h` (so hash(a + b) = hashOf(hashOf(FNV, a), b)). */
export function hashOf(h: number, bytes: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h;
}

/** The slot a hash starts probing at: FNV's low bits depend only on the bytes' low bits, so mix first (murmur3 fmix32). */
export function slotOf(h: number, mask: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & mask;
}

/**
 * Checks that the contents [from, to) of a JSON string in the file are what JSON.parse of the decoded file
 * would read the same way: strict UTF-8 (TextDecoder would replace anything else) and no control character.
 * Returns whether the string holds an escape (then its canonical bytes differ from its file bytes).
 */
export function checkString(bytes: Uint8Array, from: number, to: number): boolean {
  let escaped = false;
  for (let i = from; i < to; ) {
    const b = bytes[i];
    if (b < 0x80) {
      if (b < 0x20) throw new Fallback();
      if (b === BACKSLASH) {
        escaped = true;
        i += 2;
      } else i++;
      continue;
    }
    const n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (n === 0) throw new Fallback();
    const min = n === 1 ? 0x80 : n === 2 ? 0x800 : 0x10000;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (i + k >= to || (c & 0xc0) !== 0x80) throw new Fallback();
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new Fallback();
    i += n + 1;
  }
  return escaped;
}

/** The canonical bytes of a JSON string's contents [from, to) that holds escapes, into `out` (cleared). */
export function unescapeInto(bytes: Uint8Array, from: number, to: number, out: Bytes): void {
  out.length = 0;
  let pending = -1; // a high surrogate from \uD8xx, waiting for its low half
  const flush = () => {
    if (pending >= 0) out.pushCodePoint(pending);
    pending = -1;
  };
  for (let i = from; i < to; ) {
    const b = bytes[i];
    if (b !== BACKSLASH) {
      flush();
      out.push(b);
      i++;
      continue;
    }
    const e = bytes[i + 1];
    i += 2;
    if (e !== 0x75) {
      const c = e === 0x22 ? 0x22 : e === 0x5c ? 0x5c : e === 0x2f ? 0x2f : e === 0x62 ? 8 : e === 0x66 ? 12 : e === 0x6e ? 10 : e === 0x72 ? 13 : e === 0x74 ? 9 : -1;
      if (c < 0) throw new Fallback();
      flush();
      out.push(c);
      continue;
    }
    let u = 0;
    for (let k = 0; k < 4; k++) {
      const h = bytes[i + k];
      const v = h >= 0x30 && h <= 0x39 ? h - 0x30 : h >= 0x61 && h <= 0x66 ? h - 0x57 : h >= 0x41 && h <= 0x46 ? h - 0x37 : -1;
      if (v < 0) throw new Fallback();
      u = u * 16 + v;
    }
    i += 4;
    if (u >= 0xdc00 && u <= 0xdfff && pending >= 0) {
      out.pushCodePoint(0x10000 + ((pending - 0xd800) << 10) + (u - 0xdc00));
      pending = -1;
    } else {
      flush();
      if (u >= 0xd800 && u <= 0xdbff) pending = u;
      else out.pushCodePoint(u);
    }
  }
  flush();
}

/** The canonical bytes of a JS string (pairs joined, lone surrogates as 3 bytes), into `out` (cleared). */
export function stringInto(s: string, out: Bytes): void {
  out.length = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.pushCodePoint(0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00));
        i++;
        continue;
      }
    }
    out.pushCodePoint(c);
  }
}

/** A JSON scanner over bytes: positions only; values other than the model's tables are left to JSON.parse. */
export class Scanner {
  readonly bytes: Uint8Array;
  at = 0;
  /** The contents of the last string read. */
  from = 0;
  to = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  ws(): void {
    const b = this.bytes;
    while (b[this.at] === 0x20 || b[this.at] === 0x0a || b[this.at] === 0x0d || b[this.at] === 0x09) this.at++;
  }

  expect(byte: number): void {
    this.ws();
    if (this.bytes[this.at] !== byte) throw new Fallback();
    this.at++;
  }

  /** Whether the next byte (after whitespace) is `byte`; consumes it if so. */
  take(byte: number): boolean {
    this.ws();
    if (this.bytes[this.at] !== byte) return false;
    this.at++;
    return true;
  }

  /** Skips a string; its contents (quotes excluded) are [from, to). */
  string(): void {
    this.expect(QUOTE);
    const b = this.bytes;
    this.from = this.at;
    while (b[this.at] !== QUOTE) {
      if (this.at >= b.length) throw new Fallback();
      this.at += b[this.at] === BACKSLASH ? 2 : 1;
    }
    this.to = this.at++;
  }

  /** Skips any value (JSON.parse checks it later); returns its [from, to). */
  value(): [number, number] {
    this.ws();
    const b = this.bytes;
    const from = this.at;
    const first = b[this.at];
    if (first === QUOTE) {
      this.string();
      return [from, this.at];
    }
    if (first === 0x7b || first === 0x5b) {
      let depth = 0;
      do {
        if (this.at >= b.length) throw new Fallback();
        const c = b[this.at];
        if (c === QUOTE) {
          this.string();
          continue;
        }
        if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) depth--;
        this.at++;
      } while (depth > 0);
      return [from, this.at];
    }
    while (this.at < b.length) {
      const c = b[this.at];
      if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
      this.at++;
    }
    return [from, this.at];
  }

  /** A non-negative integer below 2^31 written as JSON writes it (no sign, fraction, exponent or leading 0). */
  id(): number {
    this.ws();
    const b = this.bytes;
    const from = this.at;
    let n = 0;
    while (b[this.at] >= 0x30 && b[this.at] <= 0x39) n = n * 10 + (b[this.at++] - 0x30);
    const digits = this.at - from;
    if (digits === 0 || digits > 10 || n > 0x7fffffff || (digits > 1 && b[from] === 0x30)) throw new Fallback();
    const next = b[this.at];
    if (!(next === 0x2c || next === 0x7d || next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09)) throw new Fallback();
    return n;
  }

  /** The members of an object: calls `member` with each key (decoded) once the scanner is at its value. */
  object(member: (key: string) => void): void {
    this.expect(0x7b);
    if (this.take(0x7d)) return;
    do {
      this.string();
      const key = JSON.parse(decoder.decode(this.bytes.subarray(this.from - 1, this.to + 1))) as string;
      this.expect(0x3a);
      member(key);
    } while (this.take(0x2c));
    this.expect(0x7d);
  }

  parse(range: [number, number]): unknown {
    return JSON.parse(decoder.decode(this.bytes.subarray(range[0], range[1])));
  }
}
