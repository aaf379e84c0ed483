// Pre-tokenizers and normalizers beyond the seven files' own configurations: the five split behaviours
// against the oracle's Split pre-tokenizer, then real tokenizers with swapped-in components against the
// oracle loading the same modified tokenizer.json.
import { describe, expect, it } from "vitest";
import { Aligned } from "../../src/align/aligned.ts";
import { compilePattern } from "../../src/align/normalize.ts";
import { splitAligned } from "../../src/align/pretokenize.ts";
import { both, loadVariant, rust, tokenizerJson } from "./oracle.ts";

const toCp = (text: string, u: number) => [...text.slice(0, u)].length;

describe("split behaviours equal Rust's Split pre-tokenizer", () => {
  const behaviors = ["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"] as const;
  const texts = ["the-final--countdown", "-a--b-", "---", "", "no match", "😀-😀--x", "a-"];
  for (const behavior of behaviors) {
    for (const invert of [false, true]) {
      it(`${behavior}${invert ? " inverted" : ""}`, () => {
        const rustSplit = rust.splitPreTokenizer("-", behavior[0].toLowerCase() + behavior.slice(1), invert);
        const re = compilePattern({ String: "-" }, "test");
        for (const text of texts) {
          const mine = splitAligned(Aligned.of(text, 0, text.length), re, behavior, invert).map((p) => [
            p.text(),
            [toCp(text, p.starts[0]), toCp(text, p.ends[p.length - 1])],
          ]);
          expect([text, mine]).toEqual([text, rustSplit.preTokenizeString(text)]);
        }
      });
    }
  }
});

/** Llama 3's tokenizer.json with another normalizer and pre-tokenizer (byte-level BPE encodes any text). */
function llama3With(normalizer: unknown, preTokenizer: unknown): object {
  const json = tokenizerJson("llama3");
  json.normalizer = normalizer;
  json.pre_tokenizer = preTokenizer;
  return json;
}

/** Llama 2's tokenizer.json with another normalizer and pre-tokenizer. */
function llama2With(normalizer: unknown, preTokenizer: unknown): object {
  const json = tokenizerJson("llama2");
  json.normalizer = normalizer;
  json.pre_tokenizer = preTokenizer;
  return json;
}

const byteLevel = (addPrefixSpace: boolean, useRegex: boolean) => ({ type: "ByteLevel", add_prefix_space: addPrefixSpace, trim_offsets: false, use_regex: useRegex });
const metaspace = (scheme: string, split: boolean) => ({ type: "Metaspace", replacement: "▁", prepend_scheme: scheme, split });

const VARIANTS: [string, () => object][] = [
  ["ByteLevel with prefix space and the GPT-2 regex", () => llama3With(null, byteLevel(true, true))],
  ["Digits (individual) then ByteLevel", () => llama3With(null, { type: "Sequence", pretokenizers: [{ type: "Digits", individual_digits: true }, byteLevel(false, true)] })],
  ["Digits (contiguous) then ByteLevel", () => llama3With(null, { type: "Sequence", pretokenizers: [{ type: "Digits", individual_digits: false }, byteLevel(false, false)] })],
  ["Punctuation then ByteLevel", () => llama3With(null, { type: "Sequence", pretokenizers: [{ type: "Punctuation", behavior: "Isolated" }, byteLevel(false, false)] })],
  ["regex Split MergedWithNext, inverted Split", () =>
    llama3With(null, { type: "Sequence", pretokenizers: [
      { type: "Split", pattern: { Regex: "\\s+" }, behavior: "MergedWithNext", invert: false },
      { type: "Split", pattern: { Regex: "[a-z]+" }, behavior: "Contiguous", invert: true },
      byteLevel(false, false),
    ] })],
  ["NFD, Lowercase, Strip", () =>
    llama3With({ type: "Sequence", normalizers: [{ type: "NFD" }, { type: "Lowercase" }, { type: "Strip", strip_left: true, strip_right: true }] }, byteLevel(false, true))],
  ["regex and multi-character Replace, multi-character Prepend", () =>
    llama3With({ type: "Sequence", normalizers: [
      { type: "Replace", pattern: { Regex: "\\s+" }, content: " " },
      { type: "Replace", pattern: { String: "ab" }, content: "xyz" },
      { type: "Replace", pattern: { String: "q" }, content: "" },
      { type: "Prepend", prepend: "»»" },
    ] }, byteLevel(false, true))],
  ["Metaspace (first, split): transformers' non-legacy Llama", () => llama2With(null, metaspace("first", false))],
  ["Metaspace (always, split)", () => llama2With(null, metaspace("always", true))],
  ["Metaspace (never, split)", () => llama2With(null, metaspace("never", true))],
];

const TEXTS = [
  "Hello world",
  "  Leading and trailing  ",
  "<s>hi</s> there <s>",
  "CAFÉ e\u0301 ΣΑΣ İstanbul ß",
  "tab\tnew\nline\r\n  x",
  "abc ab qq aqb 12345 1½2 ٣٤",
  "foo,bar... (baz)! «q» 😀😀 中文",
  "",
  " ",
];

describe("components outside the seven files match Rust", () => {
  for (const [name, make] of VARIANTS) {
    it(name, async () => {
      const pair = loadVariant(name, make());
      for (const text of TEXTS) {
        const { mine, rust: r } = await both(pair, text);
        expect([text, mine]).toEqual([text, r]);
      }
    });
  }
});
