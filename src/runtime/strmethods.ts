// The str methods' implementations for pymethods.ts: code-point indexes, Python's whitespace and line
// boundaries, CPython's argument checks and messages. Kept apart so pymethods.ts stays the table.
// The Python str family: pystr = value to text (str, repr) · strings = code-point length, index, slice, find ·
// pychars = per-character classes, case mappings, strip · strmethods = str method bodies · pymethods = method tables.
import { runtimeError } from "../errors.ts";
import { isAlphaCp, isDecimalCp, isDigitCp, isLineBreak, isNumericCp, isPySpace, pyStrip } from "./pychars.ts";
import type { LengthCheck } from "./pyformat.ts";
import { iterate, typeNameOf } from "./sequences.ts";
import { RenderState } from "./state.ts";
import { cpFind, cpFindLast, cpLength, hasSurrogates } from "./strings.ts";
import { SpannedString, Tuple, type CallContext, type Value } from "./value.ts";

type Ctx = CallContext;

/** The length limit of the render, when the caller is a RenderState. */
export function check(ctx: Ctx): LengthCheck | undefined {
  return ctx instanceof RenderState ? ctx : undefined;
}

// ---- argument helpers ----

/** The text of a str value (SpannedString included), or null. */
export function text(v: Value): string | null {
  return typeof v === "string" ? v : v instanceof SpannedString ? v.text : null;
}

/** The bound str (`self`, slot 0). */
export function selfText(a: Value[]): string {
  return text(a[0]) as string;
}

/** A str argument, or CPython's "<what>, not int" TypeError. */
export function mustStr(v: Value, what = "must be str"): string {
  const s = text(v);
  if (s === null) throw runtimeError("type", `${what}, not ${typeNameOf(v)}`);
  return s;
}

/** A str argument checked by Argument Clinic (_PyArg_BadArgument): None is named "None", not "NoneType". */
export function clinicStr(v: Value, what: string): string {
  if (v === null) throw runtimeError("type", `${what}, not None`);
  return mustStr(v, what);
}

/** An int argument (operator.index): bool counts, float does not. */
export function toIndex(v: Value): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  throw runtimeError("type", `'${typeNameOf(v)}' object cannot be interpreted as an integer`);
}

/** A start / end argument: None or an int. */
export function sliceIndex(v: Value, msg = "slice indices must be integers or None or have an __index__ method"): number | null {
  if (v === null) return null;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  throw runtimeError("type", msg);
}

/** CPython ADJUST_INDICES: negative bounds count from the end, then clamp (start may stay > len). */
export function adjust(start: Value, end: Value, len: number): [number, number] {
  let s = sliceIndex(start) ?? 0;
  let e = sliceIndex(end) ?? len;
  if (e > len) e = len;
  else if (e < 0) e = Math.max(0, e + len);
  if (s < 0) s = Math.max(0, s + len);
  return [s, e];
}

/** A str seen by code point; plain UTF-16 indexing when it has no surrogates. */
export class CpText {
  readonly s: string;
  readonly cps: string[] | null;
  readonly length: number;
  constructor(s: string) {
    this.s = s;
    this.cps = hasSurrogates(s) ? Array.from(s) : null;
    this.length = this.cps ? this.cps.length : s.length;
  }
  sub(a: number, b: number): string {
    return this.cps ? this.cps.slice(a, b).join("") : this.s.slice(a, b);
  }
  /** Code-point index of a match at UTF-16 offset `unit` inside sub(a, …). */
  at(a: number, within: string, unit: number): number {
    return a + (this.cps ? cpLength(within.slice(0, unit)) : unit);
  }
}

/** center / ljust / rjust fillchar: exactly one code point. */
export function fillChar(v: Value): string {
  const s = text(v);
  if (s === null) throw runtimeError("type", `The fill character must be a unicode character, not ${typeNameOf(v)}`);
  if (cpLength(s) !== 1) throw runtimeError("type", "The fill character must be exactly one character long");
  return s;
}

/** s with `left` and `right` fill characters around it, checked against the limit. */
export function padded(s: string, left: number, right: number, fill: string, ctx: Ctx): string {
  if (left <= 0 && right <= 0) return s;
  check(ctx)?.checkStringLength(s.length + Math.max(0, left) + Math.max(0, right));
  return fill.repeat(Math.max(0, left)) + s + fill.repeat(Math.max(0, right));
}

// ---- str ----

/** str.strip / lstrip / rstrip: CPython's argument check, then the one strip (pychars.ts pyStrip). */
export function strip(s: string, chars: Value, name: string, left: boolean, right: boolean): string {
  const set = chars === null ? null : text(chars);
  if (chars !== null && set === null) throw runtimeError("type", `${name} arg must be None or str`);
  return pyStrip(s, set, left, right);
}

/** Python whitespace at UTF-16 offset i (all of it is in the BMP). */
export const isSpaceUnit = (s: string, i: number): boolean => isPySpace(s.charCodeAt(i));

/** str.split / rsplit. Whitespace (all BMP) is found per UTF-16 unit, the same as per code point. */
export function split(s: string, sepV: Value, maxV: Value, fromRight: boolean): Value[] {
  const sep = sepV === null ? null : mustStr(sepV, "must be str or None");
  let max = toIndex(maxV);
  if (max < 0) max = Infinity;
  const out: string[] = [];
  if (sep === null) {
    const n = s.length;
    if (!fromRight) {
      let i = 0;
      while (max-- > 0) {
        while (i < n && isSpaceUnit(s, i)) i++;
        if (i === n) break;
        const j = i++;
        while (i < n && !isSpaceUnit(s, i)) i++;
        out.push(s.slice(j, i));
      }
      while (i < n && isSpaceUnit(s, i)) i++;
      if (i < n) out.push(s.slice(i));
      return out;
    }
    let i = n - 1;
    while (max-- > 0) {
      while (i >= 0 && isSpaceUnit(s, i)) i--;
      if (i < 0) break;
      const j = i--;
      while (i >= 0 && !isSpaceUnit(s, i)) i--;
      out.push(s.slice(i + 1, j + 1));
    }
    while (i >= 0 && isSpaceUnit(s, i)) i--;
    if (i >= 0) out.push(s.slice(0, i + 1));
    return out.reverse();
  }
  if (sep === "") throw runtimeError("value", "empty separator");
  if (!fromRight) {
    let i = 0;
    while (max-- > 0) {
      const k = cpFind(s, sep, i);
      if (k === -1) break;
      out.push(s.slice(i, k));
      i = k + sep.length;
    }
    out.push(s.slice(i));
    return out;
  }
  let end = s.length;
  while (max-- > 0 && end >= sep.length) {
    const k = cpFindLast(s, sep, end - sep.length);
    if (k === -1) break;
    out.push(s.slice(k + sep.length, end));
    end = k;
  }
  out.push(s.slice(0, end));
  return out.reverse();
}

/** str.splitlines: \r\n is one break; the other boundaries are isLineBreak's. */
export function splitlines(s: string, keepends: boolean): Value[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (!isLineBreak(c)) {
      i++;
      continue;
    }
    const eol = c === 0x0d && s.charCodeAt(i + 1) === 0x0a ? i + 2 : i + 1;
    out.push(s.slice(start, keepends ? eol : i));
    start = i = eol;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

/** str.startswith / endswith with a str or tuple and start / end, by code point. */
export function affixMatch(a: Value[], name: "startswith" | "endswith"): boolean {
  const t = new CpText(selfText(a));
  const [start, end] = adjust(a[2], a[3], t.length);
  const one = (p: string): boolean => {
    const n = cpLength(p);
    if (end - n < start) return false;
    return (name === "startswith" ? t.sub(start, start + n) : t.sub(end - n, end)) === p;
  };
  const prefix = a[1];
  if (prefix instanceof Tuple) {
    return prefix.items.some((p) => one(mustStr(p, `tuple for ${name} must only contain str`)));
  }
  return one(mustStr(prefix, `${name} first arg must be str or a tuple of str`));
}

/** str.find / rfind / index / rindex / count over code points. */
export function search(a: Value[], kind: "find" | "rfind" | "count"): number {
  const t = new CpText(selfText(a));
  const sub = mustStr(a[1]);
  const [start, end] = adjust(a[2], a[3], t.length);
  if (start > t.length || end - start < cpLength(sub)) return kind === "count" ? 0 : -1;
  const hay = t.sub(start, end);
  if (kind === "count") {
    if (sub === "") return cpLength(hay) + 1;
    let n = 0;
    for (let k = cpFind(hay, sub); k !== -1; k = cpFind(hay, sub, k + sub.length)) n++;
    return n;
  }
  const k = kind === "find" ? cpFind(hay, sub) : cpFindLast(hay, sub);
  return k === -1 ? -1 : t.at(start, hay, k);
}

/** str.replace(old, new, count); an empty old inserts between code points. */
export function replace(a: Value[], ctx: Ctx): string {
  const s = selfText(a);
  const old = clinicStr(a[1], "replace() argument 1 must be str");
  const rep = clinicStr(a[2], "replace() argument 2 must be str");
  let count = toIndex(a[3]);
  if (count < 0) count = Infinity;
  if (count === 0) return s;
  const lc = check(ctx);
  if (old === "") {
    const cps = Array.from(s);
    const n = Math.min(count, cps.length + 1);
    lc?.checkStringLength(s.length + n * rep.length);
    let out = "";
    for (let i = 0; i < cps.length; i++) out += (i < n ? rep : "") + cps[i];
    return n > cps.length ? out + rep : out;
  }
  const parts = split(s, old, count === Infinity ? -1 : count, false) as string[];
  lc?.checkStringLength(s.length + (parts.length - 1) * Math.max(0, rep.length - old.length));
  return parts.join(rep);
}

/** str.join: every item must be a str ("sequence item 0: expected str instance, int found"). */
export function join(a: Value[], ctx: Ctx): string {
  const sep = selfText(a);
  const it = a[1];
  let items: Value[];
  try {
    items = iterate(it);
  } catch {
    throw runtimeError("type", "can only join an iterable");
  }
  let total = Math.max(0, items.length - 1) * sep.length;
  const parts = items.map((x, i) => {
    const s = text(x);
    if (s === null) throw runtimeError("type", `sequence item ${i}: expected str instance, ${typeNameOf(x)} found`);
    total += s.length;
    return s;
  });
  check(ctx)?.checkStringLength(total);
  return parts.join(sep);
}

/** str.partition / rpartition. */
export function partition(a: Value[], fromRight: boolean): Tuple {
  const s = selfText(a);
  const sep = mustStr(a[1]);
  if (sep === "") throw runtimeError("value", "empty separator");
  const k = fromRight ? cpFindLast(s, sep) : cpFind(s, sep);
  if (k === -1) return new Tuple(fromRight ? ["", "", s] : [s, "", ""]);
  return new Tuple([s.slice(0, k), sep, s.slice(k + sep.length)]);
}

/** str.zfill: zeros after a leading sign. */
export function zfill(a: Value[], ctx: Ctx): string {
  const s = selfText(a);
  const fill = toIndex(a[1]) - cpLength(s);
  if (fill <= 0) return s;
  const out = padded(s, fill, 0, "0", ctx);
  const c = out[fill];
  return c === "+" || c === "-" ? c + out.slice(1, fill) + "0" + out.slice(fill + 1) : out;
}

/** str.center with CPython's placement of the odd fill character. */
export function center(a: Value[], ctx: Ctx): string {
  const s = selfText(a);
  const width = toIndex(a[1]);
  const fill = fillChar(a[2]);
  const marg = width - cpLength(s);
  if (marg <= 0) return s;
  // CPython pad(): odd margins put the extra fill on the left only when width is odd too
  const left = Math.floor(marg / 2) + (marg & width & 1);
  return padded(s, left, marg - left, fill, ctx);
}

/** str.expandtabs: columns restart after \n and \r. */
export function expandtabs(a: Value[], ctx: Ctx): string {
  const s = selfText(a);
  const size = toIndex(a[1]);
  if (!s.includes("\t")) return s;
  let out = "";
  let col = 0;
  for (const c of s) {
    if (c === "\t") {
      if (size > 0) {
        const n = size - (col % size);
        check(ctx)?.checkStringLength(out.length + n);
        out += " ".repeat(n);
        col += n;
      }
    } else {
      out += c;
      col = c === "\n" || c === "\r" ? 0 : col + 1;
    }
  }
  return out;
}

/** Every code point satisfies pred, and there is at least one (the str.isX rule). */
export function allChars(s: string, pred: (cp: number) => boolean): boolean {
  if (s.length === 0) return false;
  for (const c of s) if (!pred(c.codePointAt(0) as number)) return false;
  return true;
}

/** str.isalnum for one code point. */
export const isAlnum = (cp: number): boolean => isAlphaCp(cp) || isDecimalCp(cp) || isDigitCp(cp) || isNumericCp(cp);
