// Property: for random text mixing each tokenizer's added tokens, emoji (ZWJ sequences too), CJK, combining
// marks, lone surrogates, whitespace runs and long lines, spanja's ids, token strings and code-point offsets
// equal the Rust tokenizers', and so does char_to_token at every position (short texts).
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type Pair, TOKENIZERS, type TokenizerName, loadPair } from "../align/oracle.ts";

/** Runs per tokenizer; the seven loads take ~20 s, then each run ~5-10 ms on this 2-core machine. */
const RUNS = Number(process.env.SPANJA_PROPERTY_RUNS ?? 400);
const SEED = process.env.SPANJA_PROPERTY_SEED === undefined ? undefined : Number(process.env.SPANJA_PROPERTY_SEED);

const pairs = new Map<TokenizerName, Pair>();
beforeAll(() => {
  for (const name of TOKENIZERS) pairs.set(name, loadPair(name));
});

const cp = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCodePoint(c));

const EMOJI = ["😀", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🧑🏿‍💻", "❤️", "1️⃣", "🇫🇷", "\u{1f6dc}", "☺", "\u200d", "\ufe0f"];
const MARKED = ["e\u0301", "a\u0308\u0301", "a\u0307\u0323", "o\u031b\u0323", "\u0958", "\u212b", "\u0344", "\u1100\u1161\u11a8", "\uac00\u11a8", "\u1100\u1161", "\u11a7", "\u3099", "\u{11935}\u{11930}", "x\u0301\u{10efd}"];
const SPACES = [" ", "  ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u3000", "\u0085", "\ufeff", "\u2028", "\u200b"];
const WORDS = ["Hello", "world", "it's", "IT'S", "don't", "'ll", "naïve", "ſ", "ß", "İ", "Σ", "12345", "3.14", "½", "٣٤", "<s>", "</think>", "▁", "<0x41>", "foo_bar", "x=1;", "»«", "…"];

function atom(pair: Pair): fc.Arbitrary<string> {
  // Gemma 3 has 6415 added tokens; any 300 of them exercise the same code.
  const added = pair.added.length > 300 ? [...pair.added.slice(0, 150), ...pair.added.slice(-150)] : pair.added;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...added) },
    { weight: 2, arbitrary: fc.constantFrom(...EMOJI) },
    { weight: 2, arbitrary: fc.oneof(cp(0x4e00, 0x9fff), cp(0x3040, 0x30ff), cp(0xac00, 0xd7a3), cp(0x1100, 0x11ff)) },
    { weight: 2, arbitrary: fc.oneof(fc.constantFrom(...MARKED), cp(0x300, 0x36f), cp(0x1ab0, 0x1aff), cp(0x1dc0, 0x1dff)) },
    { weight: 1, arbitrary: cp(0xd800, 0xdfff) },
    { weight: 3, arbitrary: fc.array(fc.constantFrom(...SPACES), { minLength: 1, maxLength: 6 }).map((a) => a.join("")) },
    { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
    { weight: 3, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 12 }) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("a", "ab ", "😀", "中文", " \t", "word "), fc.integer({ min: 50, max: 1500 })).map(([s, n]) => s.repeat(n)) },
  );
}

function text(pair: Pair): fc.Arbitrary<string> {
  return fc.array(atom(pair), { maxLength: 24 }).map((parts) => parts.join(""));
}

describe("offsets equal the Rust tokenizers on random text", () => {
  for (const name of TOKENIZERS) {
    it(name, async () => {
      const pair = pairs.get(name)!;
      await fc.assert(
        fc.asyncProperty(text(pair), async (s) => {
          const mine = pair.mine.encode(s);
          const r = await pair.rust.encode(s, null, { addSpecialTokens: false });
          expect({ ids: mine.ids, tokens: mine.tokens, offsets: mine.cpOffsets }).toEqual({
            ids: r.getIds(),
            tokens: r.getTokens(),
            offsets: r.getOffsets(),
          });
          const n = [...s].length;
          if (n <= 200) for (let p = 0; p <= n; p++) expect(mine.charToToken(p)).toBe(r.charToToken(p));
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });
  }
});
