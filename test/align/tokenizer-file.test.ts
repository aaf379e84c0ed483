// readTokenizerFile (align/tokenizer-file.ts) against JSON.parse: on the seven real files every field, every
// vocabulary entry both ways and every merge are the same, and the tokenizer built from the compact tables
// encodes as Rust does; on hand-made files, escapes, duplicate keys, key order, legacy merges and the
// fallbacks to JSON.parse (a BOM, a fractional id, another layout) give what JSON.parse gives; invalid UTF-8 is refused.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OffsetTokenizer, readTokenizerFile } from "../../src/align/offsets.ts";
import { ObjectVocabulary, jsonMerges, type MergeSource, type Vocabulary } from "../../src/align/vocab.ts";
import { TOKENIZERS, rust, rustEncode, mineEncode, tokenizerPath } from "./oracle.ts";

const encoder = new TextEncoder();

function triples(m: MergeSource): number[] {
  const out: number[] = [];
  m.each((a, b, c) => out.push(a, b, c));
  return out;
}

/** Everything but the model's two tables. */
function withoutTables(json: Record<string, unknown>): unknown {
  const { vocab: _vocab, merges: _merges, ...model } = json.model as Record<string, unknown>;
  return { ...json, model };
}

describe("the seven tokenizer.json files read as JSON.parse reads them", () => {
  for (const name of TOKENIZERS) {
    it(name, async () => {
      const bytes = readFileSync(tokenizerPath(name));
      const parsed = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
      const compact = readTokenizerFile(bytes);
      const model = compact.model as Record<string, unknown>;
      const vocab = model.vocab as Vocabulary;
      expect(typeof vocab.id).toBe("function"); // the compact path, not the fallback
      const ref = parsed.model as { vocab: Record<string, number>; merges: unknown[] };
      const refVocab = new ObjectVocabulary(ref.vocab);
      // every field but the two tables
      expect(withoutTables(compact)).toEqual(withoutTables(parsed));
      // every entry both ways
      expect(vocab.size()).toBe(refVocab.size());
      const wrong: string[] = [];
      for (const [token, id] of Object.entries(ref.vocab)) {
        if (vocab.id(token) !== id) wrong.push(`id(${JSON.stringify(token)})`);
        if (vocab.token(id) !== refVocab.token(id)) wrong.push(`token(${id})`);
      }
      expect(wrong.slice(0, 10)).toEqual([]);
      for (const absent of ["", "no such token ✗", "\ud800", "Ġ".repeat(300)]) expect(vocab.id(absent)).toBe(refVocab.id(absent));
      expect(triples(model.merges as MergeSource)).toEqual(triples(jsonMerges(ref.merges, refVocab)));
      // and it encodes as Rust does
      const tok = OffsetTokenizer.fromFile(bytes);
      const oracle = rust.Tokenizer.fromFile(tokenizerPath(name));
      for (const text of ["Hello, world! 👨‍👩‍👧 中文 e\u0301 <s>[INST] x</s>", "  \t\n\n 1234 ½ it's"]) {
        expect(mineEncode(tok, text)).toEqual(await rustEncode(oracle, text));
      }
    });
  }
});

/** A small tokenizer.json as text, vocab and merges given as JSON source. */
function file(vocab: string, merges: string, order: "vocab first" | "merges first" = "vocab first", extra = ""): string {
  const tables = order === "vocab first" ? `"vocab": ${vocab}, "merges": ${merges}` : `"merges": ${merges},\n "vocab": ${vocab}`;
  return `{"version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": null, "post_processor": null,
  "model": {"type": "BPE", "unk_token": null, ${tables}, "fuse_unk": false}${extra}}`;
}

/** Both readings of one file: the compact one and JSON.parse's, each as vocabulary entries and merge triples. */
function bothReadings(text: string | Uint8Array): { compact: unknown; json: unknown; isCompact: boolean } {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  const read = (json: Record<string, unknown>) => {
    const model = json.model as Record<string, unknown>;
    const vocab = typeof (model.vocab as Vocabulary).id === "function" ? (model.vocab as Vocabulary) : new ObjectVocabulary(model.vocab as Record<string, unknown>);
    const merges = typeof (model.merges as MergeSource).each === "function" ? (model.merges as MergeSource) : jsonMerges(model.merges as unknown[], vocab);
    const tokens = Array.from({ length: 12 }, (_, id) => vocab.token(id));
    return { size: vocab.size(), tokens, ids: tokens.map((t) => (t === undefined ? -2 : vocab.id(t))), merges: triples(merges) };
  };
  const compact = readTokenizerFile(bytes);
  const json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  return { compact: read(compact), json: read(json), isCompact: typeof ((compact.model as Record<string, unknown>).vocab as Vocabulary).id === "function" };
}

describe("hand-made files", () => {
  const cases: [string, string | Uint8Array, boolean][] = [
    ["escapes in keys and merges: quote, backslash, \\u, a pair, a lone surrogate", file(String.raw`{"a": 0, "\"": 1, "\\": 2, "\u00e9": 3, "\ud83d\ude00": 4, "\ud800": 5, "a\"": 6, "é😀": 7, "\/": 8}`, String.raw`[["a", "\""], ["\u00e9", "\ud83d\ude00"]]`), true],
    ["the same string escaped and not is one key (the last id wins)", file(String.raw`{"é": 0, "\u00e9": 1, "x": 2, "éx": 3}`, String.raw`[["\u00e9", "x"]]`), true],
    ["duplicate keys: the last id wins", file(`{"a": 0, "b": 1, "a": 2, "ab": 3}`, `[["a", "b"]]`), true],
    ["merges before the vocab", file(`{"a": 0, "b": 1, "ab": 2}`, `[["a", "b"]]`, "merges first"), true],
    ["legacy merges with a #version line", file(`{"a": 0, "b": 1, "ab": 2, "#": 3}`, `["#version: 0.2", "a b"]`), true],
    ["whitespace everywhere", `\n{ "model" :\n { "type" : "BPE" , "vocab" : { "a" : 0 , "b" : 1 , "ab" : 2 } ,\n "merges" : [ [ "a" , "b" ] ] } , "added_tokens" : [ ] }\n`, true],
    ["a fractional id falls back to JSON.parse", file(`{"a": 0, "b": 1.0, "ab": 2}`, `[["a", "b"]]`), false],
    [
      "a repeated vocab falls back (JSON.parse keeps the last, for merges read before it too)",
      `{"model": {"type": "BPE", "vocab": {"a": 5, "b": 6, "ab": 7}, "merges": [["a", "b"]], "vocab": {"a": 0, "b": 1, "ab": 2}}}`,
      false,
    ],
    ["invalid UTF-8 in a vocab key is refused (TypeError), as the Rust library refuses the file", "", false],
    ["a byte-order mark falls back", "\ufeff" + file(`{"a": 0}`, `[]`), false],
    ["no model object falls back", `{"model": null, "x": [1, 2]}`, false],
  ];
  for (const [what, text, compact] of cases) {
    it(what, () => {
      let bytes = typeof text === "string" ? encoder.encode(text) : text;
      if (what.startsWith("invalid UTF-8")) {
        // a vocab key holding a lone continuation byte
        const good = encoder.encode(file(`{"a": 0, "b": 1, "ab": 2, "zz": 3}`, `[["a", "b"]]`));
        const at = Buffer.from(good).indexOf('"zz"') + 1;
        bytes = good.slice();
        bytes[at] = 0x80;
        expect(() => readTokenizerFile(bytes)).toThrow(TypeError);
        return;
      }
      if (what.startsWith("a byte-order") || what.startsWith("no model")) {
        // JSON.parse rejects a BOM (kept by the strict decoding, as serde and Python's json see it), and a null
        // model has nothing to compare: the same outcome is what counts
        const run = (f: () => unknown) => {
          try {
            return f();
          } catch (e) {
            return (e as Error).name;
          }
        };
        expect(run(() => readTokenizerFile(bytes))).toEqual(run(() => JSON.parse(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes))));
        return;
      }
      const r = bothReadings(bytes);
      expect(r.isCompact).toBe(compact);
      expect(r.compact).toEqual(r.json);
    });
  }

  it("a __proto__ key is an own property, as from JSON.parse", () => {
    const out = readTokenizerFile(encoder.encode(`{"__proto__": {"x": 1}, ${file(`{"a": 0}`, `[]`).slice(1)}`));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
  });

  it("a merge of tokens outside the vocabulary is an error, as in Rust", () => {
    expect(() => readTokenizerFile(encoder.encode(file(`{"a": 0, "b": 1}`, `[["a", "b"]]`)))).toThrow(/merge token "ab" is not in the vocabulary/);
    expect(() => readTokenizerFile(encoder.encode(file(`{"a": 0, "b": 1, "ab": 2}`, `["a b c"]`)))).toThrow(/not two tokens/);
  });

  it("invalid JSON is a SyntaxError, as from JSON.parse", () => {
    expect(() => readTokenizerFile(encoder.encode(`{"model": {"vocab": {"a": 0,}, "merges": []}}`))).toThrow(SyntaxError);
  });
});
