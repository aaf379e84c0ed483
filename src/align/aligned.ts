// Aligned strings: a normalized text as code points, each with the range of the original input it stands
// for, changed only through Rust NormalizedString's operations (transform, prepend, replace, slice) so that
// the ranges come out as Rust computes them. Knows strings and regexes; nothing of tokenizer.json.
import { codePointLength } from "../codepoints.ts";

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
    const text = input.slice(from, to);
    const n = codePointLength(text);
    // Sized once: pushing hundreds of thousands of elements regrows and copies each array many times.
    const cps = new Array<number>(n);
    const starts = new Array<number>(n);
    const ends = new Array<number>(n);
    for (let i = from, k = 0; i < to; k++) {
      const c = input.codePointAt(i)!;
      const w = c > 0xffff ? 2 : 1;
      cps[k] = c;
      starts[k] = i;
      ends[k] = i + w;
      i += w;
    }
    return new Aligned(cps, starts, ends, from, text);
  }

  /**
   * Units [a, b) of a normalized `text` whose units carry the original ranges `starts` / `ends` (both units
   * of a surrogate pair the same), as an aligned string; `origin` as Rust's `original_shift`.
   */
  static ofUnits(text: string, starts: Int32Array, ends: Int32Array, a: number, b: number, origin: number): Aligned {
    const cps: number[] = [];
    const ns: number[] = [];
    const ne: number[] = [];
    for (let u = a; u < b; ) {
      const c = text.codePointAt(u)!;
      cps.push(c);
      ns.push(starts[u]);
      ne.push(ends[u]);
      u += c > 0xffff ? 2 : 1;
    }
    return new Aligned(cps, ns, ne, origin, text.slice(a, b));
  }

  /** The normalized text with the original range of each of its UTF-16 units (a pair's two units share one). */
  units(): { text: string; starts: Int32Array; ends: Int32Array } {
    const text = this.text();
    const starts = new Int32Array(text.length);
    const ends = new Int32Array(text.length);
    for (let i = 0, u = 0; i < this.cps.length; i++) {
      starts[u] = this.starts[i];
      ends[u++] = this.ends[i];
      if (this.cps[i] > 0xffff) {
        starts[u] = this.starts[i];
        ends[u++] = this.ends[i];
      }
    }
    return { text, starts, ends };
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
