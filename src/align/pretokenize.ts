// Pre-tokenizers over aligned strings, ported from the Rust tokenizers (PreTokenizedString::split and
// NormalizedString::split with their five delimiter behaviours). A word keeps its alignment; ByteLevel's
// byte mapping is left to the caller (see `PreTokenizer.byteLevel`). Knows nothing of models or templates.
import { Aligned, UnsupportedTokenizerError, compilePattern, findMatches } from "./normalize.ts";
import { pinUnicode } from "./regex.ts";

/** Splits one aligned piece into words. */
type Splitter = (piece: Aligned) => Aligned[];

/** A tokenizer.json `pre_tokenizer`, as aligned word splitting. */
export interface PreTokenizer {
  split: (piece: Aligned) => Aligned[];
  /** Whether words go to the model in GPT-2 byte-level spelling (a ByteLevel pre-tokenizer is present). */
  byteLevel: boolean;
}

type Behavior = "Removed" | "Isolated" | "MergedWithPrevious" | "MergedWithNext" | "Contiguous";

// The GPT-2 pattern the Rust ByteLevel pre-tokenizer splits with when use_regex is on.
const BYTE_LEVEL_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** Rust `NormalizedString::split(pattern, behavior)`; empty pieces are dropped as PreTokenizedString does. */
export function splitAligned(piece: Aligned, re: RegExp, behavior: Behavior, invert = false): Aligned[] {
  if (piece.length === 0) return [];
  const found = findMatches(re, piece.text(), piece.cps);
  // (start, end, isMatch) covering the piece, as Rust `Pattern::find_matches`
  const parts: [number, number, boolean][] = [];
  let prev = 0;
  for (let i = 0; i < found.length; i += 2) {
    if (prev !== found[i]) parts.push([prev, found[i], invert]);
    parts.push([found[i], found[i + 1], !invert]);
    prev = found[i + 1];
  }
  if (prev !== piece.length) parts.push([prev, piece.length, invert]);

  const kept: [number, number][] = [];
  let previousMatch = false;
  switch (behavior) {
    case "Isolated":
      for (const [s, e] of parts) kept.push([s, e]);
      break;
    case "Removed":
      for (const [s, e, m] of parts) if (!m) kept.push([s, e]);
      break;
    case "Contiguous":
      for (const [s, e, m] of parts) {
        if (m === previousMatch && kept.length > 0) kept[kept.length - 1][1] = e;
        else kept.push([s, e]);
        previousMatch = m;
      }
      break;
    case "MergedWithPrevious":
      for (const [s, e, m] of parts) {
        if (m && !previousMatch && kept.length > 0) kept[kept.length - 1][1] = e;
        else kept.push([s, e]);
        previousMatch = m;
      }
      break;
    case "MergedWithNext": {
      const rev: [number, number][] = [];
      for (let i = parts.length - 1; i >= 0; i--) {
        const [s, e, m] = parts[i];
        if (m && !previousMatch && rev.length > 0) rev[rev.length - 1][0] = s;
        else rev.push([s, e]);
        previousMatch = m;
      }
      kept.push(...rev.reverse());
      break;
    }
  }
  if (kept.length === 1 && kept[0][0] === 0 && kept[0][1] === piece.length) return [piece];
  return kept.filter(([s, e]) => e > s).map(([s, e]) => piece.slice(s, e));
}

function behaviorOf(value: unknown, where: string): Behavior {
  const v = String(value ?? "Isolated");
  const known: Behavior[] = ["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"];
  const hit = known.find((k) => k.toLowerCase() === v.toLowerCase());
  if (!hit) throw new UnsupportedTokenizerError(`${where}: unknown split behavior ${JSON.stringify(value)}`);
  return hit;
}

function build(config: Record<string, unknown>, state: { byteLevel: boolean }): Splitter {
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
      const behavior = behaviorOf(config.behavior, "Split pre-tokenizer");
      const invert = config.invert === true;
      return (piece) => splitAligned(piece, re, behavior, invert);
    }
    case "ByteLevel": {
      state.byteLevel = true;
      const addPrefixSpace = config.add_prefix_space === true;
      const re = config.use_regex === false ? null : compilePattern({ Regex: BYTE_LEVEL_REGEX }, "ByteLevel pre-tokenizer");
      return (piece) => {
        if (addPrefixSpace && piece.cps[0] !== 0x20) piece.prepend(" ");
        return re ? splitAligned(piece, re, "Isolated") : [piece];
      };
    }
    case "Digits": {
      const re = new RegExp(pinUnicode("\\p{N}"), "gu"); // Rust char::is_numeric: Nd, Nl, No
      const behavior: Behavior = config.individual_digits === true ? "Isolated" : "Contiguous";
      return (piece) => splitAligned(piece, re, behavior);
    }
    case "Punctuation": {
      const re = new RegExp(`[${pinUnicode("\\p{P}!-/:-@\\[-`{-~", true)}]`, "gu"); // Rust: is_ascii_punctuation || Unicode P*
      const behavior = behaviorOf(config.behavior, "Punctuation pre-tokenizer");
      return (piece) => splitAligned(piece, re, behavior);
    }
    case "Metaspace": {
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
  const state = { byteLevel: false };
  if (config === null || config === undefined) return { split: (piece) => [piece], byteLevel: false };
  const split = build(config as Record<string, unknown>, state);
  return { split, byteLevel: state.byteLevel };
}
