// The one place for offset arithmetic between UTF-16 code units (JS strings) and code points (Python's str,
// editors' columns), and for lines and columns. A leaf: imports nothing, so every layer may use it.

/** The unit an offset counts: UTF-16 code units (a JS string index) or code points (a Python str index). */
export type OffsetUnit = "utf16" | "codepoint";

const SURROGATE = /[\uD800-\uDFFF]/;

/** Does the string hold any surrogate unit (an astral character or a lone surrogate)? */
export function hasSurrogates(s: string): boolean {
  return SURROGATE.test(s);
}

/** Number of code points in s (a lone surrogate counts as one, as Python counts it). */
export function codePointLength(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
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

/** Is UTF-16 offset i between the two halves of a surrogate pair of s? */
export function splitsPair(s: string, i: number): boolean {
  return i > 0 && i < s.length && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800 && (s.charCodeAt(i) & 0xfc00) === 0xdc00;
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

/**
 * Maps many offsets between units in one pass over text (offsets sorted first); `toCp` says the direction.
 * As the one-offset functions do, code-point offsets past the end extend by one unit each, and UTF-16
 * offsets past the end clip to the text.
 */
function convertAll(text: string, offsets: readonly number[], toCp: boolean): number[] {
  const order = offsets.map((_, i) => i).sort((a, b) => offsets[a] - offsets[b]);
  const out = new Array<number>(offsets.length);
  let u = 0;
  let cp = 0;
  for (const i of order) {
    const target = offsets[i];
    if (toCp) {
      for (;;) {
        if (u >= text.length || u >= target) break;
        const c = text.charCodeAt(u);
        const w = c >= 0xd800 && c <= 0xdbff && u + 1 < text.length && (text.charCodeAt(u + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
        if (u + w > target) break;
        u += w;
        cp++;
      }
      // an offset inside a surrogate pair: the prefix ends in a lone high surrogate, one more code point
      out[i] = u < target && u < text.length ? cp + 1 : cp;
    } else {
      while (cp < target && u < text.length) {
        const c = text.charCodeAt(u);
        u += c >= 0xd800 && c <= 0xdbff && u + 1 < text.length && (text.charCodeAt(u + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
        cp++;
      }
      out[i] = u + Math.max(0, target - cp);
    }
  }
  return out;
}

function convertRanges<T extends Range>(text: string, ranges: readonly T[], toCp: boolean): T[] {
  const flat = convertAll(text, ranges.flatMap((r) => [r.start, r.end]), toCp);
  return ranges.map((r, i) => ({ ...r, start: flat[2 * i], end: flat[2 * i + 1] }));
}

/** Converts ranges with UTF-16 offsets into ranges with code-point offsets (one pass over text). */
export function rangesToCodePoints<T extends Range>(text: string, ranges: readonly T[]): T[] {
  return convertRanges(text, ranges, true);
}

/** Converts ranges with code-point offsets into ranges with UTF-16 offsets (one pass over text). */
export function rangesToUtf16<T extends Range>(text: string, ranges: readonly T[]): T[] {
  return convertRanges(text, ranges, false);
}

/** The code-point offset of every UTF-16 position of text, and of its end (index text.length). */
export function codePointTable(text: string): Int32Array {
  const table = new Int32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    table[i] = cp;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) table[++i] = cp;
    cp++;
  }
  table[text.length] = cp;
  return table;
}

/** Number of entries <= value in a sorted array. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Lines and code-point columns of a text in O(log n) per offset, without rescanning long lines. */
export class LineIndex {
  /** UTF-16 offsets where lines start; the first is 0. */
  readonly lineStarts: number[] = [0];
  /** Offsets of the high halves of surrogate pairs, for code-point columns; empty for most texts. */
  private readonly astral: number[] = [];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c >= 0xd800 && c <= 0xdbff) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) this.astral.push(i);
      }
    }
  }

  /** 1-based line of a UTF-16 offset (a negative offset is on line 1). */
  lineOf(offset: number): number {
    return upperBound(this.lineStarts, Math.max(0, offset));
  }

  /** 1-based column of a UTF-16 offset on its 1-based line, counting code points (a pair counts once when both halves lie before it). */
  columnOf(offset: number, line: number): number {
    const start = this.lineStarts[line - 1];
    let column = offset - start + 1;
    if (this.astral.length > 0) column -= upperBound(this.astral, offset - 2) - upperBound(this.astral, start - 1);
    return column;
  }
}
