// Code-point string operations: Python's str counts code points, JS strings count UTF-16 units.
// Every length, index and slice a template sees goes through here. Fast paths when there are no surrogates.
// The Python str family: pystr = value to text (str, repr) · strings = code-point length, index, slice, find ·
// pychars = per-character classes, case mappings, strip · strmethods = str method bodies · pymethods = method tables.
import { codePointLength, hasSurrogates, splitsPair } from "../codepoints.ts";
import { runtimeError } from "../errors.ts";

const SURROGATE = /[\uD800-\uDFFF]/;

/** Python len(s), under the name of this cp* family. */
export { codePointLength as cpLength, hasSurrogates };

/** The code points of a string as one-character strings (JS iteration keeps lone surrogates whole). */
export function cpChars(s: string): string[] {
  if (!SURROGATE.test(s)) return s.split("");
  return Array.from(s);
}

/** Python s[i]: negative i counts from the end; undefined when out of range. */
export function cpAt(s: string, i: number): string | undefined {
  if (!SURROGATE.test(s)) {
    const j = i < 0 ? s.length + i : i;
    return j >= 0 && j < s.length ? s[j] : undefined;
  }
  const cps = Array.from(s);
  const j = i < 0 ? cps.length + i : i;
  return j >= 0 && j < cps.length ? cps[j] : undefined;
}

/** Python slice.indices(length): clamped start, stop and step for a sequence of `length` items. */
export function sliceIndices(length: number, start: number | null, stop: number | null, step: number | null): [number, number, number] {
  const st = step ?? 1;
  if (st === 0) throw runtimeError("value", "slice step cannot be zero");
  let a: number;
  let b: number;
  if (st > 0) {
    a = start === null ? 0 : start < 0 ? Math.max(0, start + length) : Math.min(start, length);
    b = stop === null ? length : stop < 0 ? Math.max(0, stop + length) : Math.min(stop, length);
  } else {
    a = start === null ? length - 1 : start < 0 ? Math.max(-1, start + length) : Math.min(start, length - 1);
    b = stop === null ? -1 : stop < 0 ? Math.max(-1, stop + length) : Math.min(stop, length - 1);
  }
  return [a, b, st];
}

/** Picks the items of a sliced sequence (Python slice semantics, negative steps included). */
export function sliceItems<T>(items: readonly T[], start: number | null, stop: number | null, step: number | null): T[] {
  const [a, b, st] = sliceIndices(items.length, start, stop, step);
  if (st === 1) return a < b ? items.slice(a, b) : [];
  const out: T[] = [];
  if (st > 0) for (let i = a; i < b; i += st) out.push(items[i]);
  else for (let i = a; i > b; i += st) out.push(items[i]);
  return out;
}

/** Python s[start:stop:step] over code points; null bounds are Python's None. */
export function cpSlice(s: string, start: number | null, stop: number | null, step: number | null): string {
  if (!SURROGATE.test(s) && (step === null || step === 1)) {
    const [a, b] = sliceIndices(s.length, start, stop, 1);
    return a < b ? s.slice(a, b) : "";
  }
  return sliceItems(cpChars(s), start, stop, step).join("");
}

/** Python str ordering: by code point, which UTF-16 order breaks for astral vs U+E000–U+FFFF. */
export function cpCompare(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // only a surrogate meeting a unit >= U+E000 orders differently by code point
    if (x >= 0xd800 && x < 0xe000 && y >= 0xe000) return 1;
    if (y >= 0xd800 && y < 0xe000 && x >= 0xe000) return -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}

/** Would a match of needle's length at UTF-16 offset k cut a surrogate pair of hay in two? */
function cutsPair(hay: string, k: number, n: number): boolean {
  return splitsPair(hay, k) || splitsPair(hay, k + n);
}

/** Only a needle that starts with a low or ends with a high surrogate can match inside a pair. */
function edgeSurrogate(needle: string): boolean {
  return needle.length > 0 && ((needle.charCodeAt(0) & 0xfc00) === 0xdc00 || (needle.charCodeAt(needle.length - 1) & 0xfc00) === 0xd800);
}

/** indexOf by code points: a lone surrogate in the needle never matches half of a pair (Python str semantics). */
export function cpFind(hay: string, needle: string, from = 0): number {
  let k = hay.indexOf(needle, from);
  if (!edgeSurrogate(needle)) return k;
  while (k !== -1 && cutsPair(hay, k, needle.length)) k = hay.indexOf(needle, k + 1);
  return k;
}

/** lastIndexOf by code points (see cpFind); `before` is the last UTF-16 offset a match may start at. */
export function cpFindLast(hay: string, needle: string, before = hay.length): number {
  let k = hay.lastIndexOf(needle, before);
  if (!edgeSurrogate(needle)) return k;
  while (k !== -1 && cutsPair(hay, k, needle.length)) k = k === 0 ? -1 : hay.lastIndexOf(needle, k - 1);
  return k;
}
