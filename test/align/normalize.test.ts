// NFC/NFD with alignment: the Unicode 9 tables against the Rust oracle on every code point and on random
// mark sequences, and the alignment itself read back through a tokenizer that makes every character a word.
import { describe, expect, it } from "vitest";
import { Aligned } from "../../src/align/aligned.ts";
import { nfc, nfd, normalizeUnits } from "../../src/align/nfc.ts";
import { both, loadVariant, rust, tokenizerJson } from "./oracle.ts";

function allCodePoints(): string {
  const parts: string[] = [];
  for (let cp = 0; cp < 0x110000; cp++) if (cp < 0xd800 || cp > 0xdfff) parts.push(String.fromCodePoint(cp));
  return parts.join("");
}

function normalized(form: (s: Aligned) => void, text: string): string {
  const a = Aligned.of(text, 0, text.length);
  form(a);
  return a.text();
}

// Bases, marks of many classes (some unknown to Unicode 9), jamo and syllables, composition exclusions.
const ALPHABET = [
  "a", "e", "o", "u", "A", "q", "ω", "Å", "é", "\u0301", "\u0300", "\u0308", "\u0323", "\u0307", "\u0316", "\u031b", "\u0327",
  "\u0345", "\u0344", "\u0334", "\u05b0", "\u0651", "\u093c", "\u0915", "\u0958", "\u0b3e", "\u0b47", "\u0cd5", "\u0cc6",
  "\u1100", "\u1161", "\u11a7", "\u11a8", "\uac00", "\uac01", "\u212b", "\u2126", "\u0f73", "\u0f71", "\u0f72", "\u1ac1",
  "\u1dfa", "\u{10efd}", "\u{11935}", "\u{11930}", "\u3099", "\u304b", "\u{1d15e}", "\u{1d165}", "\u{1d16e}", " ", "x",
];

function randomTexts(count: number, seed: number): string[] {
  let s = seed;
  const rnd = (n: number) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
  return Array.from({ length: count }, () => Array.from({ length: 1 + rnd(12) }, () => ALPHABET[rnd(ALPHABET.length)]).join(""));
}

describe("Unicode 9 normalization equals the Rust tokenizers'", () => {
  it("NFC and NFD of every code point", () => {
    const text = allCodePoints();
    expect(normalized(nfc, text) === rust.nfcNormalizer().normalizeString(text)).toBe(true);
    expect(normalized(nfd, text) === rust.nfdNormalizer().normalizeString(text)).toBe(true);
  });

  it("NFC and NFD of random mark sequences", () => {
    const texts = randomTexts(3000, 1);
    const mine = texts.map((t) => normalized(nfc, t));
    const theirs = rust.nfcNormalizer().normalizeString(texts.join("|")).split("|");
    expect(mine).toEqual(theirs);
    const mineD = texts.map((t) => normalized(nfd, t));
    expect(mineD).toEqual(rust.nfdNormalizer().normalizeString(texts.join("|")).split("|"));
  });

  it("differs from the runtime's newer Unicode where Rust does", () => {
    expect(normalized(nfc, "\u{11935}\u{11930}")).toBe("\u{11935}\u{11930}");
    expect("\u{11935}\u{11930}".normalize("NFC")).toBe("\u{11938}");
  });
});

/** Llama 2 with another normalizer and every character its own word: token offsets show the alignment. */
function perCharacter(normalizer: unknown): object {
  const json = tokenizerJson("llama2");
  json.normalizer = normalizer;
  json.pre_tokenizer = { type: "Split", pattern: { Regex: "[\\s\\S]" }, behavior: "Isolated", invert: false };
  return json;
}

describe("the runtime's NFC check (normalize.ts buildIdentityTest) is safe for Unicode 9", () => {
  it("text that is NFC (NFD) under the runtime's Unicode is unchanged by Unicode 9 NFC (NFD)", () => {
    const pairs: string[] = [];
    for (const a of ALPHABET) for (const b of ALPHABET) pairs.push(a + b);
    const texts = [...allCodePoints(), ...pairs, ...randomTexts(3000, 8)];
    for (const [form, fn] of [["NFC", nfc], ["NFD", nfd]] as const) {
      const wrong = texts.filter((t) => t.normalize(form) === t && normalized(fn, t) !== t);
      expect([form, wrong.slice(0, 5)]).toEqual([form, []]);
    }
  });
});

describe("normalizing only around changing characters", () => {
  it("equals a pass over the whole text, alignment included", () => {
    const texts = [randomTexts(500, 6).join(" x😀y "), randomTexts(500, 7).join(""), "plain", "", "e\u0301", "\uac00\u11a8 \u1100\u1161"];
    for (const compose of [true, false]) {
      for (const text of texts) {
        const whole = Aligned.of(text, 0, text.length);
        (compose ? nfc : nfd)(whole);
        const units = whole.units();
        const local = normalizeUnits(text, 7, compose) ?? { text, starts: Int32Array.from(text, (_, i) => 7 + i), ends: Int32Array.from(text, (_, i) => 8 + i) };
        expect(local.text).toBe(units.text);
        // what tokens read: the start of a character's first unit and the end of its last unit
        for (let u = 0; u < units.text.length; u++) {
          const first = u === 0 || !/[\udc00-\udfff]/.test(units.text[u]);
          const last = u === units.text.length - 1 || !/[\ud800-\udbff]/.test(units.text[u]);
          if (first) expect([u, local.starts[u]]).toEqual([u, 7 + units.starts[u]]);
          if (last) expect([u, local.ends[u]]).toEqual([u, 7 + units.ends[u]]);
        }
      }
    }
  });
});

describe("alignment of normalized characters equals Rust's", () => {
  for (const form of ["NFC", "NFD"]) {
    it(form, async () => {
      const pair = loadVariant(form, perCharacter({ type: form }));
      // long texts: the changing stretches sit between plain text, astral characters and other stretches
      const long = [randomTexts(300, 3).join(" plain 😀 "), randomTexts(300, 4).join(""), randomTexts(100, 5).join("\u{1d15e}")];
      const texts = [...randomTexts(400, 2), ...long, "e\u0301x", "a\u0307\u0323", "\u1100\u1161\u11a8", "\u0958\u0301", "\u212b\u0300"];
      for (const text of texts) {
        const { mine, rust: r } = await both(pair, text);
        expect([text, mine]).toEqual([text, r]);
      }
    });
  }

  it("Prepend and Replace", async () => {
    const pair = loadVariant("prepend+replace", perCharacter({ type: "Sequence", normalizers: [{ type: "Prepend", prepend: "▁" }, { type: "Replace", pattern: { String: " " }, content: "▁" }] }));
    for (const text of [" Hello", "a  b", "  ", "x", "😀 😀"]) {
      const { mine, rust: r } = await both(pair, text);
      expect([text, mine]).toEqual([text, r]);
    }
  });
});
