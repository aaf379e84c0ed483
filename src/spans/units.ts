// Offsets in two units: UTF-16 code units (JS strings) and code points (Python's len).
// Knows only strings.

/** Number of code points in s (a lone surrogate counts as one, as Python counts it). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Converts a UTF-16 offset into text to a code-point offset. */
export function toCodePointOffset(text: string, utf16: number): number {
  return codePointLength(text.slice(0, utf16));
}

/** Converts a code-point offset into text to a UTF-16 offset; offsets past the end extend by one unit each. */
export function toUtf16Offset(text: string, codePoints: number): number {
  let cp = 0;
  let i = 0;
  while (i < text.length && cp < codePoints) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      i += d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    } else i++;
    cp++;
  }
  return i + (codePoints - cp);
}

/** A labeled range; offsets in whichever unit the caller states. */
export interface Range {
  label: string;
  start: number;
  end: number;
}

/** Converts ranges with UTF-16 offsets into ranges with code-point offsets (one pass over text). */
export function rangesToCodePoints<T extends Range>(text: string, ranges: readonly T[]): T[] {
  return ranges.map((r) => ({ ...r, start: toCodePointOffset(text, r.start), end: toCodePointOffset(text, r.end) }));
}

/** Converts ranges with code-point offsets into ranges with UTF-16 offsets. */
export function rangesToUtf16<T extends Range>(text: string, ranges: readonly T[]): T[] {
  return ranges.map((r) => ({ ...r, start: toUtf16Offset(text, r.start), end: toUtf16Offset(text, r.end) }));
}
