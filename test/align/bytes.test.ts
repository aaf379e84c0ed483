// The byte-level alphabet against the Rust one, and the unknown-token path (a SentencePiece vocabulary
// without byte fallback) against the oracle; byte fallback and unk edge cases are in bpe.test.ts.
import { describe, expect, it } from "vitest";
import { BYTE_TO_CHAR, toByteLevel, utf8 } from "../../src/align/bytes.ts";
import { both, loadVariant, rust, tokenizerJson } from "./oracle.ts";

describe("byte-level alphabet", () => {
  it("is the Rust tokenizers' alphabet", () => {
    const alphabet = (rust as unknown as { byteLevelAlphabet(): string[] }).byteLevelAlphabet();
    expect(new Set(BYTE_TO_CHAR.map((c) => String.fromCharCode(c)))).toEqual(new Set(alphabet));
  });

  it("spells every byte as its own character", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const spelled = toByteLevel(all);
    expect(new Set(spelled).size).toBe(256);
    expect([...spelled].map((c) => c.codePointAt(0))).toEqual(BYTE_TO_CHAR);
    expect(toByteLevel(utf8(" Hello"))).toBe("ĠHello");
    expect(toByteLevel(new Uint8Array(100).fill(0x20))).toBe("Ġ".repeat(100));
  });
});

describe("unknown tokens (no byte fallback)", () => {
  for (const fuse of [true, false]) {
    it(`fuse_unk ${fuse}`, async () => {
      const json = tokenizerJson("llama2");
      Object.assign(json.model as object, { byte_fallback: false, fuse_unk: fuse });
      const pair = loadVariant(`llama2 unk fuse=${fuse}`, json);
      for (const text of ["😀", "a😀😀b", "x \u{1f6dc}\u{1f6dc} \u0000 y", "<unk>😀<unk>", "中😀文"]) {
        const { mine, rust: r } = await both(pair, text);
        expect([text, mine]).toEqual([text, r]);
      }
    });
  }
});
