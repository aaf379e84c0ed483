// Token strings back to the bytes they stand for: the GPT-2 byte-level alphabet, `<0xNN>` byte-fallback
// pieces and plain UTF-8. Knows nothing of tokenizers beyond these three spellings.

/** GPT-2's byte → printable character table (Rust tokenizers `bytes_char()`), as code points. */
export const BYTE_TO_CHAR: readonly number[] = (() => {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const table = new Array<number>(256);
  for (const b of bs) table[b] = b;
  let n = 0;
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) table[b] = 256 + n++;
  return table;
})();

/** Inverse of BYTE_TO_CHAR: code point → byte, -1 where the code point is not in the alphabet. */
const CHAR_TO_BYTE: Int16Array = (() => {
  const t = new Int16Array(324).fill(-1);
  BYTE_TO_CHAR.forEach((cp, b) => (t[cp] = b));
  return t;
})();

const BYTE_STRINGS: readonly string[] = BYTE_TO_CHAR.map((cp) => String.fromCharCode(cp));

const encoder = new TextEncoder();

/** UTF-8 bytes of a well-formed string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** The byte-level spelling of a string: each UTF-8 byte as its GPT-2 alphabet character. */
export function toByteLevel(bytes: Uint8Array): string {
  if (bytes.length < 64) {
    let out = "";
    for (let i = 0; i < bytes.length; i++) out += BYTE_STRINGS[bytes[i]];
    return out;
  }
  const codes = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) codes[i] = BYTE_TO_CHAR[bytes[i]];
  let out = "";
  for (let i = 0; i < codes.length; i += 8192) out += String.fromCharCode(...codes.subarray(i, i + 8192));
  return out;
}

/** Length in bytes of a byte-level token if it spells `text` at byte `at`, else 0. */
export function matchByteLevel(token: string, text: Uint8Array, at: number): number {
  if (at + token.length > text.length) return 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= CHAR_TO_BYTE.length || CHAR_TO_BYTE[c] !== text[at + i]) return 0;
  }
  return token.length;
}

/** Length in bytes of the UTF-8 of `token` if it occurs in `text` at byte `at`, else 0 (no allocation). */
export function matchUtf8(token: string, text: Uint8Array, at: number): number {
  let j = at;
  for (let i = 0; i < token.length; i++) {
    let c = token.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < token.length) {
      const d = token.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) {
      if (text[j++] !== c) return 0;
    } else if (c < 0x800) {
      if (text[j++] !== (0xc0 | (c >> 6)) || text[j++] !== (0x80 | (c & 63))) return 0;
    } else if (c < 0x10000) {
      if (text[j++] !== (0xe0 | (c >> 12)) || text[j++] !== (0x80 | ((c >> 6) & 63)) || text[j++] !== (0x80 | (c & 63))) return 0;
    } else if (
      text[j++] !== (0xf0 | (c >> 18)) ||
      text[j++] !== (0x80 | ((c >> 12) & 63)) ||
      text[j++] !== (0x80 | ((c >> 6) & 63)) ||
      text[j++] !== (0x80 | (c & 63))
    ) {
      return 0;
    }
  }
  return j <= text.length ? j - at : 0;
}

/** Bytes of a byte-level token (`ĠHello` → ` Hello`), or null if a character is outside the alphabet. */
export function fromByteLevel(token: string): Uint8Array | null {
  const out = new Uint8Array(token.length);
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    const b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    if (b < 0) return null;
    out[i] = b;
  }
  return out;
}

/** The byte of a SentencePiece byte-fallback piece (`<0xE2>` → 0xE2), or -1 if the token is not one. */
export function byteFallbackValue(token: string): number {
  if (token.length !== 6 || !token.startsWith("<0x") || token[5] !== ">") return -1;
  const hex = token.slice(3, 5);
  return /^[0-9A-F]{2}$/.test(hex) ? parseInt(hex, 16) : -1;
}

/**
 * UTF-8 encodes code points and records, for each byte, the index of the code point it belongs to
 * (the Rust offsets of a token that holds part of a character cover the whole character).
 */
export function utf8WithOwners(cps: readonly number[], from = 0, to = cps.length): { bytes: Uint8Array; owner: Int32Array } {
  let n = 0;
  for (let i = from; i < to; i++) n += utf8Length(cps[i]);
  const bytes = new Uint8Array(n);
  const owner = new Int32Array(n);
  let j = 0;
  for (let i = from; i < to; i++) {
    const c = cps[i];
    if (c < 0x80) {
      owner[j] = i;
      bytes[j++] = c;
    } else if (c < 0x800) {
      owner[j] = owner[j + 1] = i;
      bytes[j++] = 0xc0 | (c >> 6);
      bytes[j++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      owner[j] = owner[j + 1] = owner[j + 2] = i;
      bytes[j++] = 0xe0 | (c >> 12);
      bytes[j++] = 0x80 | ((c >> 6) & 63);
      bytes[j++] = 0x80 | (c & 63);
    } else {
      owner[j] = owner[j + 1] = owner[j + 2] = owner[j + 3] = i;
      bytes[j++] = 0xf0 | (c >> 18);
      bytes[j++] = 0x80 | ((c >> 12) & 63);
      bytes[j++] = 0x80 | ((c >> 6) & 63);
      bytes[j++] = 0x80 | (c & 63);
    }
  }
  return { bytes, owner };
}

/** Number of UTF-8 bytes of a code point. */
export function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}
