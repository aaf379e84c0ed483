// Pre-tokenizers over aligned strings, ported from the Rust tokenizers (PreTokenizedString::split and
// NormalizedString::split with their five delimiter behaviours). A word keeps its alignment; ByteLevel's
// byte mapping is left to the caller (see `PreTokenizer.byteLevel`). Knows nothing of models or templates.
import { type Aligned, findMatches } from "./aligned.ts";
import { UnsupportedTokenizerError, compilePattern } from "./normalize.ts";
import { IntList } from "./intlist.ts";
import { pinUnicode } from "./regex.ts";

/** Splits one aligned piece into words. */
type Splitter = (piece: Aligned) => Aligned[];

/** One splitting step of a pre-tokenizer that only splits (changes no character). */
interface Step {
  re: RegExp;
  /** The same pattern, sticky: matches only where lastIndex is. */
  sticky: RegExp;
  behavior: Behavior;
  invert: boolean;
}

/** A tokenizer.json `pre_tokenizer`, as aligned word splitting. */
export interface PreTokenizer {
  split: (piece: Aligned) => Aligned[];
  /**
   * The same on a string for pre-tokenizers that only split (no Metaspace, no prefix space): the words of
   * text [from, to) as flat UTF-16 ranges [s0, e0, s1, e1, …], valid until the next call. Null when a step
   * changes the text.
   */
  ranges: ((text: string, from: number, to: number) => IntList) | null;
  /** Whether words go to the model in GPT-2 byte-level spelling (a ByteLevel pre-tokenizer is present). */
  byteLevel: boolean;
}

type Behavior = "Removed" | "Isolated" | "MergedWithPrevious" | "MergedWithNext" | "Contiguous";

// The GPT-2 pattern the Rust ByteLevel pre-tokenizer splits with when use_regex is on.
const BYTE_LEVEL_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

// Scratch lists of keepParts and splitRanges (one call at a time).
const partList = new IntList();
const revList = new IntList();
const foundList = new IntList();
const keptList = new IntList();

/**
 * Rust `NormalizedString::split`'s five behaviours over one piece of `length` with `count` values of matches
 * `found` ([s0, e0, …], as Rust `Pattern::find_matches` sees them): the kept [start, end) ranges, empty ones
 * included, into `kept` (cleared first).
 */
function keepParts(found: ArrayLike<number>, count: number, length: number, behavior: Behavior, invert: boolean, kept: IntList): void {
  // (start, end, isMatch) covering the piece
  const parts = partList;
  parts.clear();
  let prev = 0;
  for (let i = 0; i < count; i += 2) {
    if (prev !== found[i]) {
      parts.push2(prev, found[i]);
      parts.push(invert ? 1 : 0);
    }
    parts.push2(found[i], found[i + 1]);
    parts.push(invert ? 0 : 1);
    prev = found[i + 1];
  }
  if (prev !== length) {
    parts.push2(prev, length);
    parts.push(invert ? 1 : 0);
  }

  const p = parts.data;
  const n = parts.length;
  kept.clear();
  let previousMatch = false;
  switch (behavior) {
    case "Isolated":
      for (let i = 0; i < n; i += 3) kept.push2(p[i], p[i + 1]);
      break;
    case "Removed":
      for (let i = 0; i < n; i += 3) if (p[i + 2] === 0) kept.push2(p[i], p[i + 1]);
      break;
    case "Contiguous":
      for (let i = 0; i < n; i += 3) {
        const m = p[i + 2] === 1;
        if (m === previousMatch && kept.length > 0) kept.data[kept.length - 1] = p[i + 1];
        else kept.push2(p[i], p[i + 1]);
        previousMatch = m;
      }
      break;
    case "MergedWithPrevious":
      for (let i = 0; i < n; i += 3) {
        const m = p[i + 2] === 1;
        if (m && !previousMatch && kept.length > 0) kept.data[kept.length - 1] = p[i + 1];
        else kept.push2(p[i], p[i + 1]);
        previousMatch = m;
      }
      break;
    case "MergedWithNext": {
      const rev = revList;
      rev.clear();
      for (let i = n - 3; i >= 0; i -= 3) {
        const m = p[i + 2] === 1;
        if (m && !previousMatch && rev.length > 0) rev.data[rev.length - 2] = p[i];
        else rev.push2(p[i], p[i + 1]);
        previousMatch = m;
      }
      for (let i = rev.length - 2; i >= 0; i -= 2) kept.push2(rev.data[i], rev.data[i + 1]);
      break;
    }
  }
}

/** Rust `NormalizedString::split(pattern, behavior)`; empty pieces are dropped as PreTokenizedString does. */
export function splitAligned(piece: Aligned, re: RegExp, behavior: Behavior, invert = false): Aligned[] {
  if (piece.length === 0) return [];
  const found = findMatches(re, piece.text(), piece.cps);
  const kept = keptList;
  keepParts(found, found.length, piece.length, behavior, invert, kept);
  const k = kept.data;
  if (kept.length === 2 && k[0] === 0 && k[1] === piece.length) return [piece];
  const out: Aligned[] = [];
  for (let i = 0; i < kept.length; i += 2) if (k[i + 1] > k[i]) out.push(piece.slice(k[i], k[i + 1]));
  return out;
}

/**
 * Non-overlapping matches in UTF-16 units into `out` (an empty match advances one character, as Oniguruma
 * does). Where a match starts right at the last one's end (every position, for the usual pre-tokenizer
 * patterns) the sticky `test` finds it without building a match array: about 150 bytes less garbage a word.
 */
function unitMatches(step: Step, text: string, out: IntList): void {
  out.clear();
  const { re, sticky } = step;
  let at = 0;
  while (at <= text.length) {
    sticky.lastIndex = at;
    let start = at;
    let end: number;
    if (sticky.test(text)) end = sticky.lastIndex;
    else {
      re.lastIndex = at;
      const m = re.exec(text);
      if (m === null) break;
      start = m.index;
      end = start + m[0].length;
    }
    out.push2(start, end);
    at = end > start ? end : end + (end < text.length && text.codePointAt(end)! > 0xffff ? 2 : 1);
  }
}

/** `splitAligned` on the string ranges [from, to) of `pieces`, appending the words' ranges to `out`. */
function splitRanges(text: string, pieces: IntList, step: Step, out: IntList): void {
  for (let p = 0; p < pieces.length; p += 2) {
    const from = pieces.data[p];
    const to = pieces.data[p + 1];
    const piece = from === 0 && to === text.length ? text : text.slice(from, to);
    unitMatches(step, piece, foundList);
    keepParts(foundList.data, foundList.length, to - from, step.behavior, step.invert, keptList);
    const k = keptList.data;
    for (let i = 0; i < keptList.length; i += 2) if (k[i + 1] > k[i]) out.push2(from + k[i], from + k[i + 1]);
  }
}

function behaviorOf(value: unknown, where: string): Behavior {
  const v = String(value ?? "Isolated");
  const known: Behavior[] = ["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"];
  const hit = known.find((k) => k.toLowerCase() === v.toLowerCase());
  if (!hit) throw new UnsupportedTokenizerError(`${where}: unknown split behavior ${JSON.stringify(value)}`);
  return hit;
}

/** What building learns beyond the aligned splitter: byte-level spelling, and the steps if all only split. */
interface BuildState {
  byteLevel: boolean;
  steps: Step[] | null;
}

/** Builds the aligned splitter, recording in `state` the same as plain splitting steps where possible. */
function build(config: Record<string, unknown>, state: BuildState): Splitter {
  const step = (re: RegExp, behavior: Behavior, invert = false): Splitter => {
    state.steps?.push({ re, sticky: new RegExp(re.source, "uy"), behavior, invert });
    return (piece) => splitAligned(piece, re, behavior, invert);
  };
  switch (config.type) {
    case "Sequence": {
      const parts = ((config.pretokenizers as Record<string, unknown>[]) ?? []).map((p) => {
        // After ByteLevel, Rust's later pre-tokenizers would see byte-level characters; spanja maps bytes last.
        if (state.byteLevel) {
          throw new UnsupportedTokenizerError(`pre-tokenizer ${JSON.stringify(p.type)} after ByteLevel is not supported for offset alignment`);
        }
        return build(p, state);
      });
      return (piece) => parts.reduce((pieces, split) => pieces.flatMap(split), [piece]);
    }
    case "Split": {
      const re = compilePattern(config.pattern, "Split pre-tokenizer");
      return step(re, behaviorOf(config.behavior, "Split pre-tokenizer"), config.invert === true);
    }
    case "ByteLevel": {
      state.byteLevel = true;
      const addPrefixSpace = config.add_prefix_space === true;
      const re = config.use_regex === false ? null : compilePattern({ Regex: BYTE_LEVEL_REGEX }, "ByteLevel pre-tokenizer");
      if (!addPrefixSpace) return re ? step(re, "Isolated") : (piece) => [piece];
      state.steps = null;
      return (piece) => {
        if (piece.cps[0] !== 0x20) piece.prepend(" ");
        return re ? splitAligned(piece, re, "Isolated") : [piece];
      };
    }
    case "Digits": {
      const re = new RegExp(pinUnicode("\\p{N}"), "gu"); // Rust char::is_numeric: Nd, Nl, No
      return step(re, config.individual_digits === true ? "Isolated" : "Contiguous");
    }
    case "Punctuation": {
      const re = new RegExp(`[${pinUnicode("\\p{P}!-/:-@\\[-`{-~", true)}]`, "gu"); // Rust: is_ascii_punctuation || Unicode P*
      return step(re, behaviorOf(config.behavior, "Punctuation pre-tokenizer"));
    }
    case "Metaspace": {
      state.steps = null;
      const replacement = String(config.replacement ?? "▁");
      const scheme = String(config.prepend_scheme ?? (config.add_prefix_space === false ? "never" : "always"));
      const split = config.split !== false;
      const space = / /gu;
      const rep = replacement.codePointAt(0)!;
      const sep = compilePattern({ String: replacement }, "Metaspace pre-tokenizer");
      return (piece) => {
        piece.replace(space, replacement);
        const starts = piece.cps[0] === rep;
        if (!starts && (scheme === "always" || (scheme === "first" && piece.origin === 0))) piece.prepend(replacement);
        return split ? splitAligned(piece, sep, "MergedWithNext") : [piece];
      };
    }
    default:
      throw new UnsupportedTokenizerError(`pre-tokenizer ${JSON.stringify(config.type)} is not supported for offset alignment`);
  }
}

/** Builds the aligned version of a tokenizer.json `pre_tokenizer` (null: the whole piece is one word). */
export function buildPreTokenizer(config: unknown): PreTokenizer {
  const state: BuildState = { byteLevel: false, steps: [] };
  const listA = new IntList();
  const listB = new IntList();
  const split = config === null || config === undefined ? (piece: Aligned) => [piece] : build(config as Record<string, unknown>, state);
  const steps = state.steps;
  const ranges =
    steps === null
      ? null
      : (text: string, from: number, to: number) => {
          // two lists, each step reading one and writing the other
          let words = listA;
          let next = listB;
          words.clear();
          if (to > from) words.push2(from, to);
          for (const step of steps) {
            next.clear();
            splitRanges(text, words, step, next);
            [words, next] = [next, words];
          }
          return words;
        };
  return { split, ranges, byteLevel: state.byteLevel };
}
