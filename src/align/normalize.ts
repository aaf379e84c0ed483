// tokenizer.json normalizers on aligned strings (NFC, NFD, Sequence, Prepend, Replace, Strip, Lowercase), a
// cheap test that one leaves a text unchanged, and the error for components spanja cannot align.
// Knows tokenizer.json normalizer configs; nothing of models or templates.
import { TemplateError } from "../errors.ts";
import type { Aligned } from "./aligned.ts";
import { nfc, nfd, normalizeUnits, type UnitAlignment } from "./nfc.ts";
import { compilePattern as compileOnig, isAssigned } from "./regex.ts";

/** A tokenizer.json component spanja cannot align exactly; thrown instead of returning wrong offsets. */
export class UnsupportedTokenizerError extends TemplateError {
  constructor(detail: string) {
    super("unsupported", detail, {}, "UnsupportedTokenizerError");
  }
}

/** A tokenizer.json pattern as a global JS regex with Oniguruma's Unicode; throws if it is neither String nor Regex. */
export function compilePattern(pattern: unknown, where: string): RegExp {
  const re = compileOnig(pattern);
  if (!re) throw new UnsupportedTokenizerError(`${where}: unsupported pattern ${JSON.stringify(pattern)}`);
  return re;
}

// ---- tokenizer.json normalizers ----

/** A normalizer applied in place to an aligned string. */
export type AlignedNormalizer = (s: Aligned) => void;

const WHITE_SPACE = /^\p{White_Space}$/u;
const isWhitespace = (c: number) => WHITE_SPACE.test(String.fromCodePoint(c));

/**
 * A cheap test that a tokenizer.json `normalizer` leaves a text, and so its alignment, unchanged: true means
 * skip it; false means run it (it may still change nothing). Null normalizer: always true.
 */
export function buildIdentityTest(config: unknown): (text: string) => boolean {
  if (config === null || config === undefined) return () => true;
  const c = config as Record<string, unknown>;
  switch (c.type) {
    // Text that is NFC (NFD) under the runtime's Unicode is so under Unicode 9: decompositions and combining
    // classes of assigned characters never change, and a newer character is a plain starter to Unicode 9,
    // which can only block compositions and split reordering runs. The other way round does not hold
    // ("\u{11935}\u{11930}" composes only in Unicode 13+), so such text takes the aligned pass.
    case "NFC":
      return (text) => text.normalize("NFC") === text;
    case "NFD":
      return (text) => text.normalize("NFD") === text;
    case "Sequence": {
      const parts = ((c.normalizers as unknown[]) ?? []).map(buildIdentityTest);
      return (text) => parts.every((p) => p(text));
    }
    case "Replace": {
      const re = compilePattern(c.pattern, "Replace normalizer");
      return (text) => {
        re.lastIndex = 0;
        const found = re.test(text);
        re.lastIndex = 0;
        return !found;
      };
    }
    case "Strip": {
      const left = c.strip_left !== false;
      const right = c.strip_right !== false;
      return (text) =>
        text.length === 0 || ((!left || !isWhitespace(text.codePointAt(0)!)) && (!right || !isWhitespace(text.charCodeAt(text.length - 1))));
    }
    default:
      return () => false;
  }
}

/**
 * For a normalizer that is NFC or NFD alone: the normalized text with per-unit ranges, computed around the
 * characters that change (null: unchanged). Null for other normalizers, which run on a whole aligned section.
 */
export function buildLocalNormalizer(config: unknown): ((text: string, origin: number) => UnitAlignment | null) | null {
  const c = config as Record<string, unknown> | null | undefined;
  if (c?.type === "Sequence" && Array.isArray(c.normalizers) && c.normalizers.length === 1) return buildLocalNormalizer(c.normalizers[0]);
  if (c?.type === "NFC") return (text, origin) => normalizeUnits(text, origin, true);
  if (c?.type === "NFD") return (text, origin) => normalizeUnits(text, origin, false);
  return null;
}

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
