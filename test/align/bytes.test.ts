// Token → bytes: the byte-level alphabet against the Rust one, `<0xNN>` pieces, UTF-8 matching, and the
// unknown-token path (a SentencePiece vocabulary without byte fallback) against the oracle.
import { describe, expect, it } from "vitest";
import { BYTE_TO_CHAR, byteFallbackValue, fromByteLevel, matchByteLevel, matchUtf8, toByteLevel, utf8, utf8WithOwners } from "../../src/align/bytes.ts";
import { both, loadVariant, rust, tokenizerJson } from "./oracle.ts";

describe("byte-level alphabet", () => {
  it("is the Rust tokenizers' alphabet", () => {
    const alphabet = (rust as unknown as { byteLevelAlphabet(): string[] }).byteLevelAlphabet();
    expect(new Set(BYTE_TO_CHAR.map((c) => String.fromCharCode(c)))).toEqual(new Set(alphabet));
  });

  it("round-trips every byte", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const spelled = toByteLevel(all);
    expect(fromByteLevel(spelled)).toEqual(all);
    expect(matchByteLevel(spelled.slice(10, 20), all, 10)).toBe(10);
    expect(matchByteLevel(spelled.slice(10, 20), all, 11)).toBe(0);
    expect(toByteLevel(utf8(" Hello"))).toBe("ĠHello");
    expect(fromByteLevel("abc\u4e00")).toBeNull();
  });
});

describe("byte fallback and UTF-8", () => {
  it.each([
    ["<0xE2>", 0xe2],
    ["<0x0A>", 0x0a],
    ["<0xe2>", -1],
    ["<0xE2", -1],
    ["0xE2>", -1],
    ["<0xG1>", -1],
  ])("%s → %i", (token, value) => expect(byteFallbackValue(token)).toBe(value));

  it("matches UTF-8 of any token at any byte position", () => {
    const text = "a😀中é\u0000z";
    const bytes = utf8(text);
    for (const token of ["a", "😀", "中é", "\u0000z", "é\u0000", "a😀中é\u0000z"]) {
      const at = bytes.indexOf(utf8(token)[0]);
      expect([token, matchUtf8(token, bytes, at)]).toEqual([token, utf8(token).length]);
    }
    expect(matchUtf8("zz", bytes, bytes.length - 1)).toBe(0);
    expect(matchUtf8("中", bytes, 0)).toBe(0);
  });

  it("records which character owns each byte", () => {
    const cps = [..."a😀é"].map((c) => c.codePointAt(0)!);
    const { bytes, owner } = utf8WithOwners(cps);
    expect(bytes).toEqual(utf8("a😀é"));
    expect([...owner]).toEqual([0, 1, 1, 1, 1, 2, 2]);
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
