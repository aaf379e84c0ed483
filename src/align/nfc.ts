// Unicode 9 NFC and NFD as the Rust tokenizers run them (the unicode-normalization-alignments iterators with
// their change values), on aligned strings. Knows the Unicode 9 tables; nothing of tokenizer.json.
import { Aligned } from "./aligned.ts";
import { CCC_RUNS, DECOMPOSITIONS } from "./unicode9.ts";

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
  for (const c of cps) if (!isStableChar(t, c)) return false;
  return true;
}

function isStableChar(t: Tables, c: number): boolean {
  if (c < 0xc0) return true;
  if (t.ccc.has(c) || t.full.has(c) || (c >= 0x1100 && c < 0x1200) || (c >= S_BASE && c < S_BASE + S_COUNT)) return false;
  return c < 0x300 || isPlainStarter(t, c);
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

/**
 * Whether NFC (or NFD) starts afresh before `c`: the first character of its decomposition is a starter that
 * no earlier character composes with (not the second of a pair, not a Hangul vowel or trailing jamo).
 */
function startsFresh(t: Tables, c: number, compose: boolean): boolean {
  if (c < 0xc0) return true;
  const d = t.full.get(c)?.[0] ?? (c >= S_BASE && c < S_BASE + S_COUNT ? L_BASE : c);
  if (t.ccc.has(d)) return false;
  if (!compose) return true;
  if (d >= V_BASE && d <= 0x11ff) return false;
  return d < 0x300 || isPlainStarter(t, d);
}

/** The units of a normalized text with the original range of each (a surrogate pair's two units share one). */
export interface UnitAlignment {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
}

/**
 * Rust's NFC (or NFD) of a well-formed `text` whose unit 0 is at `origin` of the input, as per-unit ranges;
 * null when nothing changes. Only the stretches around characters that can change are normalized, each from
 * the last fresh start before it to the next one: the algorithm keeps no state across a fresh start, so the
 * result and its alignment equal a pass over the whole text, at a cost that no longer grows with its length.
 */
export function normalizeUnits(text: string, origin: number, compose: boolean): UnitAlignment | null {
  const t = loadTables();
  const regions: { from: number; to: number; normalized: Aligned }[] = [];
  for (let u = 0; u < text.length; ) {
    const c = text.codePointAt(u)!;
    if (isStableChar(t, c)) {
      u += c > 0xffff ? 2 : 1;
      continue;
    }
    const floor = regions.length > 0 ? regions[regions.length - 1].to : 0;
    let from = u;
    while (from > floor && !startsFresh(t, text.codePointAt(from)!, compose)) from -= isLowSurrogate(text.charCodeAt(from - 1)) ? 2 : 1;
    let to = u + (c > 0xffff ? 2 : 1);
    while (to < text.length && !startsFresh(t, text.codePointAt(to)!, compose)) to += text.codePointAt(to)! > 0xffff ? 2 : 1;
    const region = Aligned.of(text, from, to);
    const before = region.cps;
    if (compose) nfc(region);
    else nfd(region);
    if (region.cps !== before && !sameAlignment(region, before, from)) regions.push({ from, to, normalized: region });
    u = to;
  }
  if (regions.length === 0) return null;
  let out = "";
  let at = 0;
  for (const r of regions) {
    out += text.slice(at, r.from) + r.normalized.text();
    at = r.to;
  }
  out += text.slice(at);
  const starts = new Int32Array(out.length);
  const ends = new Int32Array(out.length);
  let k = 0;
  // Unchanged units keep their own range; a pair's two units are only ever read as its first start and last end.
  const copy = (a: number, b: number) => {
    for (let i = a; i < b; i++) {
      starts[k] = origin + i;
      ends[k++] = origin + i + 1;
    }
  };
  at = 0;
  for (const r of regions) {
    copy(at, r.from);
    const units = r.normalized.units();
    for (let i = 0; i < units.text.length; i++) {
      starts[k] = origin + units.starts[i];
      ends[k++] = origin + units.ends[i];
    }
    at = r.to;
  }
  copy(at, text.length);
  return { text: out, starts, ends };
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Whether a normalized region still has its original characters, each with its own range. */
function sameAlignment(region: Aligned, before: readonly number[], from: number): boolean {
  if (region.cps.length !== before.length) return false;
  let u = from;
  for (let i = 0; i < before.length; i++) {
    if (region.cps[i] !== before[i] || region.starts[i] !== u) return false;
    u += before[i] > 0xffff ? 2 : 1;
    if (region.ends[i] !== u) return false;
  }
  return true;
}
