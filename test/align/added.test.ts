// Added-token rules (lstrip, rstrip, single_word, normalized, ids) on modified real tokenizers, each case
// against the Rust oracle loading the same modified tokenizer.json.
import { beforeAll, describe, expect, it } from "vitest";
import type { AddedTokenSpec } from "../../src/align/added.ts";
import { type Pair, both, loadVariant, tokenizerJson } from "./oracle.ts";

/** An added token as a test writes it; withAdded numbers it. */
type Spec = Omit<AddedTokenSpec, "id">;

/** A real tokenizer.json with extra added tokens, numbered after the last one as Rust numbers them. */
function withAdded(name: "llama3" | "llama2" | "qwen3", extra: Spec[]): object {
  const json = tokenizerJson(name);
  const added = json.added_tokens as { id: number }[];
  let id = Math.max(...added.map((t) => t.id)) + 1;
  for (const s of extra) {
    added.push({ id: id++, single_word: false, lstrip: false, rstrip: false, normalized: false, special: false, ...s });
  }
  return json;
}

const byteLevel: Spec[] = [
  { content: "<mask>", lstrip: true, rstrip: true, single_word: true },
  { content: "<L>", lstrip: true },
  { content: "<R>", rstrip: true },
  { content: "<LR>", lstrip: true, rstrip: true, special: true },
  { content: "word", single_word: true },
  { content: "ony", single_word: true, normalized: true },
  { content: "norm", normalized: true, lstrip: true },
  { content: " spaced", rstrip: true },
  { content: "\n\n", lstrip: true },
];

const BYTE_LEVEL_TEXTS = [
  "Hi <mask> there\t<mask>\t<mask>\u2000",
  "<mask> My name <mask> A<mask> <mask>ony <mask>",
  "<mask>, <mask>- \u25cc\u0330<mask> _<mask> <mask>_ 1<mask>",
  "a   <L>   b   <R>   c   <LR>   d",
  "<L><L>  <R>  <R><LR>  <LR>",
  "words word sword word_ word1 (word) mot\u0301word",
  "anthony ony Tony ony!",
  "x   norm   y norm<L>norm",
  "a spaced   thing  spaced\t\tspaced",
  "line\n\n\n\nnext   \n\n  x",
  "\u3000<R>\u3000\u0085<L>\ufeff<R>\u2028",
  "",
];

const sentencePiece: Spec[] = [
  { content: "hello", normalized: true },
  { content: " world", normalized: true },
  { content: "<x>", lstrip: true, rstrip: true },
  { content: "▁▁", normalized: false },
  { content: "zz", normalized: true, lstrip: true, rstrip: true },
];

const SENTENCEPIECE_TEXTS = [
  "hello world hello",
  "say hello  world, world",
  "a <x> b<x>c  <x>  d",
  "▁▁ raw ▁▁▁ and  spaces",
  "hello<x>hello <x> hello",
  "zz zz  zz",
  " world",
];

const nfc: Spec[] = [
  { content: "café", normalized: true },
  { content: "cafe\u0301!", normalized: false },
  { content: "\u1100\u1161", normalized: true, lstrip: true },
];

const NFC_TEXTS = ["cafe\u0301 café cafe\u0301!", "x \u1100\u1161 \uac00 y", "  \uac00\u11a8"];

let pairs: Record<string, Pair>;
beforeAll(() => {
  pairs = {
    byteLevel: loadVariant("llama3+added", withAdded("llama3", byteLevel)),
    sentencePiece: loadVariant("llama2+added", withAdded("llama2", sentencePiece)),
    nfc: loadVariant("qwen3+added", withAdded("qwen3", nfc)),
  };
});

describe("added tokens match the Rust AddedVocabulary", () => {
  for (const [kind, texts] of [["byteLevel", BYTE_LEVEL_TEXTS], ["sentencePiece", SENTENCEPIECE_TEXTS], ["nfc", NFC_TEXTS]] as const) {
    for (const text of texts) {
      it(`${kind}: ${JSON.stringify(text)}`, async () => {
        const { mine, rust } = await both(pairs[kind], text);
        expect(mine).toEqual(rust);
      });
    }
  }

  it("lstrip/rstrip offsets cover the stripped whitespace", () => {
    const e = pairs.byteLevel.mine.encode("a  <LR>\t b");
    const i = e.tokens.indexOf("  <LR>\t ");
    expect(i).toBeGreaterThan(0);
    expect(e.offsets[i]).toEqual([1, 9]);
  });

  it("ids follow Rust's numbering, not the file's", async () => {
    const json = withAdded("llama3", [{ content: "<first>" }, { content: "<second>" }]) as { added_tokens: { id: number; content: string }[] };
    for (const t of json.added_tokens.slice(-2)) t.id += 1000;
    const pair = loadVariant("llama3+misnumbered", json);
    const { mine, rust } = await both(pair, "<first><second>");
    expect(mine).toEqual(rust);
  });
});
