// A component the aligner does not handle must fail loudly at load time, naming the component, rather than
// give offsets that might be wrong.
import { describe, expect, it } from "vitest";
import { OffsetTokenizer, UnsupportedTokenizerError } from "../../src/align/offsets.ts";

const tiny = (patch: Record<string, unknown>) => ({
  model: { type: "BPE", vocab: { a: 0, b: 1, ab: 2 }, merges: ["a b"], unk_token: null },
  normalizer: null,
  pre_tokenizer: null,
  post_processor: null,
  added_tokens: [],
  ...patch,
});

const CASES: [string, Record<string, unknown>, RegExp][] = [
  ["NFKC normalizer", { normalizer: { type: "NFKC" } }, /normalizer "NFKC"/],
  ["BertNormalizer", { normalizer: { type: "BertNormalizer", lowercase: true } }, /normalizer "BertNormalizer"/],
  ["Precompiled inside a Sequence", { normalizer: { type: "Sequence", normalizers: [{ type: "Precompiled", precompiled_charsmap: "" }] } }, /normalizer "Precompiled"/],
  ["Whitespace pre-tokenizer", { pre_tokenizer: { type: "Whitespace" } }, /pre-tokenizer "Whitespace"/],
  ["BertPreTokenizer in a Sequence", { pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "BertPreTokenizer" }] } }, /pre-tokenizer "BertPreTokenizer"/],
  ["UnicodeScripts", { pre_tokenizer: { type: "UnicodeScripts" } }, /pre-tokenizer "UnicodeScripts"/],
  ["Unigram model", { model: { type: "Unigram", vocab: [["a", 0]] } }, /model "Unigram"/],
  ["WordPiece model", { model: { type: "WordPiece", vocab: { a: 0 } } }, /model "WordPiece"/],
  ["BPE with a continuing-subword prefix", { model: { type: "BPE", vocab: { a: 0 }, merges: [], continuing_subword_prefix: "##" } }, /continuing_subword_prefix/],
  ["BPE with dropout", { model: { type: "BPE", vocab: { a: 0 }, merges: [], dropout: 0.1 } }, /dropout/],
  ["ByteLevel post-processor trimming offsets", { post_processor: { type: "ByteLevel", trim_offsets: true } }, /ByteLevel with trim_offsets/],
  ["RobertaProcessing (trims by default)", { post_processor: { type: "RobertaProcessing", sep: ["</s>", 2], cls: ["<s>", 0] } }, /RobertaProcessing/],
  ["a pre-tokenizer after ByteLevel", { pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "ByteLevel", use_regex: false }, { type: "Digits" }] } }, /"Digits" after ByteLevel/],
  ["a regex the Oniguruma translation rejects", { pre_tokenizer: { type: "Split", pattern: { Regex: "(?<=a+)b[" }, behavior: "Isolated" } }, /unsupported pattern/],
  ["a Split pattern that is neither String nor Regex", { pre_tokenizer: { type: "Split", pattern: { Glob: "*" }, behavior: "Isolated" } }, /unsupported pattern/],
];

describe("unsupported tokenizer components", () => {
  for (const [what, patch, message] of CASES) {
    it(what, () => {
      let error: unknown;
      try {
        OffsetTokenizer.fromJSON(tiny(patch));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UnsupportedTokenizerError);
      expect((error as UnsupportedTokenizerError).kind).toBe("unsupported");
      expect((error as Error).message).toMatch(message);
    });
  }

  it("accepts what it supports", () => {
    const tok = OffsetTokenizer.fromJSON(tiny({ post_processor: { type: "Sequence", processors: [{ type: "ByteLevel", trim_offsets: false }, { type: "TemplateProcessing" }] } }));
    const e = tok.encode("abba");
    expect(e.tokens).toEqual(["ab", "b", "a"]);
    expect(e.cpOffsets).toEqual([[0, 2], [2, 3], [3, 4]]);
  });
});
