// Normalizers that keep an alignment to the original text, ported from the Rust tokenizers'
// NormalizedString (transform_range's change protocol) so that offsets come out as Rust computes them.
// Knows strings and tokenizer.json normalizer configs; nothing of models or templates.
import { TemplateError } from "../errors.ts";
import { compilePattern as compileOnig, isAssigned } from "./regex.ts";
import { CCC_RUNS, DECOMPOSITIONS } from "./unicode9.ts";

/** A tokenizer.json component spanja cannot align exactly; thrown instead of returning wrong offsets. */
export class UnsupportedTokenizerError extends TemplateError {
  constructor(detail: string) {
    super("unsupported", detail, {}, "UnsupportedTokenizerError");
  }
}

/**
 * A normalized string as code points, each with the range of the original text it stands for
 * (UTF-16 offsets into the whole input). Rust keeps one range per normalized byte, but every byte of a
 * character always gets the same range, so one per code point is the same information.
 */
export class Aligned {
  cps: number[];
  starts: number[];
  ends: number[];
  /** Where this string's original begins in the whole input (Rust's `original_shift`). */
  origin: number;
  private cachedText: string | undefined;

  constructor(cps: number[], starts: number[], ends: number[], origin: number, text?: string) {
    this.cps = cps;
    this.starts = starts;
    this.ends = ends;
    this.origin = origin;
    this.cachedText = text;
  }

  /** Replaces the content (every change goes through here, so the cached text stays right). */
  private update(cps: number[], starts: number[], ends: number[], text?: string): void {
    this.cps = cps;
    this.starts = starts;
    this.ends = ends;
    this.cachedText = text;
  }

  /** The part [from, to) (UTF-16) of a well-formed input, unnormalized. */
  static of(input: string, from: number, to: number): Aligned {
    const cps: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = from; i < to; ) {
      const c = input.codePointAt(i)!;
      const w = c > 0xffff ? 2 : 1;
      cps.push(c);
      starts.push(i);
      ends.push(i + w);
      i += w;
    }
    return new Aligned(cps, starts, ends, from, input.slice(from, to));
  }

  get length(): number {
    return this.cps.length;
  }

  /** The normalized text. */
  text(): string {
    return (this.cachedText ??= codePointsToString(this.cps, 0, this.cps.length));
  }

  /** Code points [a, b) as a new string (Rust `slice(Range::Normalized)`), b > a. */
  slice(a: number, b: number): Aligned {
    return new Aligned(this.cps.slice(a, b), this.starts.slice(a, b), this.ends.slice(a, b), this.starts[a]);
  }

  /** The original range of code points [a, b): first start to last end (Rust `expand_alignments`). */
  originalRange(a: number, b: number): [number, number] {
    return [this.starts[a], this.ends[b - 1]];
  }

  /**
   * Rust `transform_range` over the whole string: `dest` holds (code point, change) pairs where change 0
   * replaces the next old character (taking its range), 1 inserts (taking the range of the old character
   * before), and -n replaces one and removes n more. `removedFirst` old characters are dropped up front.
   */
  transform(dest: readonly number[], removedFirst = 0): void {
    const { starts, ends } = this;
    const cps: number[] = [];
    const ns: number[] = [];
    const ne: number[] = [];
    let k = removedFirst;
    for (let i = 0; i < dest.length; i += 2) {
      const change = dest[i + 1];
      cps.push(dest[i]);
      if (change > 0) {
        ns.push(k < 1 ? this.origin : starts[k - 1]);
        ne.push(k < 1 ? this.origin : ends[k - 1]);
      } else {
        ns.push(starts[k]);
        ne.push(ends[k]);
        k += 1 - change;
      }
    }
    this.update(cps, ns, ne);
  }

  /** Keeps code points [a, b) (Rust `lrstrip`: the kept characters keep their ranges). */
  keep(a: number, b: number): void {
    if (a === 0 && b === this.cps.length) return;
    this.update(this.cps.slice(a, b), this.starts.slice(a, b), this.ends.slice(a, b));
  }

  /** Rust `prepend`: the new characters borrow the first character's range; nothing on an empty string. */
  prepend(s: string): void {
    if (this.cps.length === 0) return;
    const add = [...s].map((c) => c.codePointAt(0)!);
    const text = this.cachedText === undefined ? undefined : s + this.cachedText;
    this.update(add.concat(this.cps), add.map(() => this.starts[0]).concat(this.starts), add.map(() => this.ends[0]).concat(this.ends), text);
  }

  /**
   * Rust `replace`: each match becomes `content`, whose characters all take the range of the match's
   * last character (an empty match: of the character before it).
   */
  replace(pattern: RegExp, content: string): void {
    const text = this.text();
    const matches = findMatches(pattern, text, this.cps);
    if (matches.length === 0) return;
    const add = [...content].map((c) => c.codePointAt(0)!);
    const cps: number[] = [];
    const ns: number[] = [];
    const ne: number[] = [];
    let prev = 0;
    for (let m = 0; m < matches.length; m += 2) {
      const ms = matches[m];
      const me = matches[m + 1];
      for (let i = prev; i < ms; i++) {
        cps.push(this.cps[i]);
        ns.push(this.starts[i]);
        ne.push(this.ends[i]);
      }
      let s: number;
      let e: number;
      if (me > ms) [s, e] = [this.starts[me - 1], this.ends[me - 1]];
      else if (ns.length > 0) [s, e] = [ns[ns.length - 1], ne[ne.length - 1]];
      else [s, e] = [this.origin, this.origin];
      for (const c of add) {
        cps.push(c);
        ns.push(s);
        ne.push(e);
      }
      prev = me;
    }
    for (let i = prev; i < this.cps.length; i++) {
      cps.push(this.cps[i]);
      ns.push(this.starts[i]);
      ne.push(this.ends[i]);
    }
    pattern.lastIndex = 0;
    this.update(cps, ns, ne, text.replace(pattern, () => content));
  }
}

/** String from code points [a, b). */
export function codePointsToString(cps: readonly number[], a: number, b: number): string {
  let out = "";
  for (let i = a; i < b; i += 4096) out += String.fromCodePoint(...cps.slice(i, Math.min(b, i + 4096)));
  return out;
}

/**
 * Non-overlapping matches of a global regex as code-point ranges [s0, e0, s1, e1, …] (Rust `find_iter`;
 * an empty match advances one character, as both Oniguruma and JS do with the `u` flag).
 */
export function findMatches(re: RegExp, text: string, cps: readonly number[]): number[] {
  const out: number[] = [];
  re.lastIndex = 0;
  let cpIndex = 0;
  let unit = 0;
  const toCp = (u: number) => {
    while (unit < u) {
      unit += cps[cpIndex] > 0xffff ? 2 : 1;
      cpIndex++;
    }
    return cpIndex;
  };
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const s = toCp(m.index);
    const e = toCp(m.index + m[0].length);
    out.push(s, e);
    if (m[0].length === 0) re.lastIndex += text.codePointAt(m.index)! > 0xffff ? 2 : 1;
  }
  return out;
}

/** A tokenizer.json pattern as a global JS regex with Oniguruma's Unicode; throws if it is neither String nor Regex. */
export function compilePattern(pattern: unknown, where: string): RegExp {
  const re = compileOnig(pattern);
  if (!re) throw new UnsupportedTokenizerError(`${where}: unsupported pattern ${JSON.stringify(pattern)}`);
  return re;
}

// ---- Unicode 9 NFC / NFD, the unicode-normalization-alignments iterators with their change values ----

interface Tables {
  ccc: Map<number, number>;
  full: Map<number, number[]>;
  compose: Map<number, number>;
}
let tables: Tables | undefined;

function loadTables(): Tables {
  if (tables) return tables;
  const ccc = new Map<number, number>();
  for (const run of CCC_RUNS.split(";")) {
    const [s, n, k] = run.split(",").map((x) => parseInt(x, 16));
    for (let i = 0; i < n; i++) ccc.set(s + i, k);
  }
  const one = new Map<number, number[]>();
  const compose = new Map<number, number>();
  for (const entry of DECOMPOSITIONS.split(";")) {
    const star = entry.startsWith("*");
    const [cp, parts] = (star ? entry.slice(1) : entry).split("=");
    const c = parseInt(cp, 16);
    const d = parts.split(".").map((x) => parseInt(x, 16));
    one.set(c, d);
    if (star) compose.set(d[0] * 0x110000 + d[1], c);
  }
  const full = new Map<number, number[]>();
  const expand = (c: number): number[] => (one.has(c) ? one.get(c)!.flatMap(expand) : [c]);
  for (const c of one.keys()) full.set(c, expand(c));
  tables = { ccc, full, compose };
  return tables;
}

const S_BASE = 0xac00;
const L_BASE = 0x1100;
const V_BASE = 0x1161;
const T_BASE = 0x11a7;
const T_COUNT = 28;
const N_COUNT = 588;
const S_COUNT = 11172;

function composePair(t: Tables, a: number, b: number): number {
  if (a >= L_BASE && a < L_BASE + 19 && b >= V_BASE && b < V_BASE + 21) return S_BASE + (a - L_BASE) * N_COUNT + (b - V_BASE) * T_COUNT;
  if (a >= S_BASE && a < S_BASE + S_COUNT && b > T_BASE && b < T_BASE + T_COUNT && (a - S_BASE) % T_COUNT === 0) return a + (b - T_BASE);
  return t.compose.get(a * 0x110000 + b) ?? -1;
}

/** Canonical decomposition with canonical ordering: (code point, change) pairs, flattened. */
function decompose(t: Tables, cps: readonly number[]): number[] {
  const out: number[] = [];
  let pending = -1; // index in `out` where the current run of non-starters begins
  const push = (c: number, change: number) => {
    const k = t.ccc.get(c) ?? 0;
    if (k === 0) {
      if (pending >= 0) sortRun(t, out, pending);
      pending = -1;
    } else if (pending < 0) pending = out.length;
    out.push(c, change);
  };
  for (const c of cps) {
    if (c >= S_BASE && c < S_BASE + S_COUNT) {
      const s = c - S_BASE;
      push(L_BASE + Math.floor(s / N_COUNT), 0);
      push(V_BASE + Math.floor((s % N_COUNT) / T_COUNT), 1);
      if (s % T_COUNT !== 0) push(T_BASE + (s % T_COUNT), 1);
    } else {
      const d = t.full.get(c);
      if (d === undefined) push(c, 0);
      else d.forEach((x, i) => push(x, i === 0 ? 0 : 1));
    }
  }
  if (pending >= 0) sortRun(t, out, pending);
  return out;
}

/** Stable sort by combining class of the pairs from `from` to the end. */
function sortRun(t: Tables, out: number[], from: number): void {
  if (out.length - from <= 2) return;
  const items: [number, number, number][] = [];
  for (let i = from; i < out.length; i += 2) items.push([t.ccc.get(out[i]) ?? 0, out[i], out[i + 1]]);
  items.sort((a, b) => a[0] - b[0]);
  items.forEach((it, j) => {
    out[from + 2 * j] = it[1];
    out[from + 2 * j + 1] = it[2];
  });
}

/** The Recompositions iterator of unicode-normalization-alignments, over decomposed pairs. */
function recompose(t: Tables, items: readonly number[]): number[] {
  const out: number[] = [];
  const buffer: number[] = [];
  let composee = -1;
  let composeeChange = 0;
  let lastCcc = -1;
  for (let i = 0; i < items.length; i += 2) {
    const ch = items[i];
    const change = items[i + 1];
    const chClass = t.ccc.get(ch) ?? 0;
    if (composee < 0) {
      if (chClass !== 0) out.push(ch, change);
      else [composee, composeeChange] = [ch, change];
      continue;
    }
    if (lastCcc < 0) {
      const r = composePair(t, composee, ch);
      if (r >= 0) {
        composee = r;
        composeeChange = composeeChange + change - 1;
      } else if (chClass === 0) {
        out.push(composee, composeeChange);
        [composee, composeeChange] = [ch, change];
      } else {
        buffer.push(ch, change);
        lastCcc = chClass;
      }
      continue;
    }
    if (lastCcc >= chClass) {
      if (chClass === 0) {
        out.push(composee, composeeChange, ...buffer);
        buffer.length = 0;
        [composee, composeeChange] = [ch, change];
        lastCcc = -1;
      } else {
        buffer.push(ch, change);
        lastCcc = chClass;
      }
      continue;
    }
    const r = composePair(t, composee, ch);
    if (r >= 0) {
      composee = r;
      composeeChange = composeeChange + change - 1;
    } else {
      buffer.push(ch, change);
      lastCcc = chClass;
    }
  }
  if (composee >= 0) out.push(composee, composeeChange);
  out.push(...buffer);
  return out;
}

/** Whether NFC and NFD leave every character alone (no decomposition, starter, never a second in a pair). */
function isStable(t: Tables, cps: readonly number[]): boolean {
  for (const c of cps) {
    if (c < 0xc0) continue;
    if (t.ccc.has(c) || t.full.has(c) || (c >= 0x1100 && c < 0x1200) || (c >= S_BASE && c < S_BASE + S_COUNT)) return false;
    if (c >= 0x300 && !isPlainStarter(t, c)) return false;
  }
  return true;
}

let secondChars: Set<number> | undefined;
function isPlainStarter(t: Tables, c: number): boolean {
  if (!secondChars) {
    secondChars = new Set();
    for (const key of t.compose.keys()) secondChars.add(key % 0x110000);
  }
  return !secondChars.has(c);
}

/** Rust `NormalizedString::nfc` (Unicode 9 tables). */
export function nfc(s: Aligned): void {
  const t = loadTables();
  if (isStable(t, s.cps)) return;
  s.transform(recompose(t, decompose(t, s.cps)));
}

/** Rust `NormalizedString::nfd` (Unicode 9 tables). */
export function nfd(s: Aligned): void {
  const t = loadTables();
  if (isStable(t, s.cps)) return;
  s.transform(decompose(t, s.cps));
}

// ---- tokenizer.json normalizers ----

/** A normalizer applied in place to an aligned string. */
export type AlignedNormalizer = (s: Aligned) => void;

const WHITE_SPACE = /^\p{White_Space}$/u;
const isWhitespace = (c: number) => WHITE_SPACE.test(String.fromCodePoint(c));

/** Builds the aligned version of a tokenizer.json `normalizer` (null: none). Throws on anything it cannot align. */
export function buildNormalizer(config: unknown): AlignedNormalizer | null {
  if (config === null || config === undefined) return null;
  const c = config as Record<string, unknown>;
  switch (c.type) {
    case "NFC":
      return nfc;
    case "NFD":
      return nfd;
    case "Sequence": {
      const parts = ((c.normalizers as unknown[]) ?? []).map(buildNormalizer).filter((n): n is AlignedNormalizer => n !== null);
      return (s) => parts.forEach((n) => n(s));
    }
    case "Prepend": {
      const p = String(c.prepend);
      return (s) => s.prepend(p);
    }
    case "Replace": {
      const re = compilePattern(c.pattern, "Replace normalizer");
      const content = String(c.content);
      return (s) => s.replace(re, content);
    }
    case "Strip": {
      const left = c.strip_left !== false;
      const right = c.strip_right !== false;
      return (s) => {
        let a = 0;
        let b = s.length;
        if (left) while (a < b && isWhitespace(s.cps[a])) a++;
        if (right) while (b > a && isWhitespace(s.cps[b - 1])) b--;
        s.keep(a, b);
      };
    }
    case "Lowercase":
      // Rust char::to_lowercase is per character: no final-sigma rule, unlike String.toLowerCase on a word.
      // Characters newer than the Rust tables (Unicode 16) stay as they are.
      return (s) => {
        const dest: number[] = [];
        for (const c of s.cps) {
          const lower = isAssigned(c) ? [...String.fromCodePoint(c).toLowerCase()] : [String.fromCodePoint(c)];
          lower.forEach((l, i) => dest.push(l.codePointAt(0)!, i === 0 ? 0 : 1));
        }
        s.transform(dest);
      };
    default:
      throw new UnsupportedTokenizerError(`normalizer ${JSON.stringify(c.type)} is not supported for offset alignment`);
  }
}
