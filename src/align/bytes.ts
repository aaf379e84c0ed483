// Bytes and their spellings: UTF-8, and the GPT-2 byte-level alphabet that byte-level BPE models spell
// words in. Knows nothing of tokenizers beyond these spellings.

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

/** Number of UTF-8 bytes of a code point. */
export function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}
