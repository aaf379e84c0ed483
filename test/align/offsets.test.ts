// One table of offset rules (COMPATIBILITY.md, "Tokenizer offsets"), each case checked against the Rust oracle at test time:
// ids, token strings, code-point offsets, and char_to_token at every position. A few cases also pin the
// literal values the notes quote.
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { category } from "../../src/align/regex.ts";
import { type Pair, type TokenizerName, TOKENIZERS, both, loadPair } from "./oracle.ts";

const pairs = new Map<TokenizerName, Pair>();
beforeAll(() => {
  for (const name of TOKENIZERS) pairs.set(name, loadPair(name));
});

interface Case {
  rule: string;
  tokenizers: readonly TokenizerName[];
  text: string;
}

const BYTE_LEVEL = ["qwen3", "llama3", "llama3_1", "deepseek_v3", "gptoss"] as const;
const SENTENCEPIECE = ["llama2", "gemma3"] as const;

const CASES: Case[] = [
  { rule: "byte-level pieces of an emoji share its range", tokenizers: BYTE_LEVEL, text: "a😀b 😀😀" },
  { rule: "a ZWJ sequence: every piece gets its own character's range", tokenizers: TOKENIZERS, text: "👨‍👩‍👧 ok 🏳️‍🌈" },
  { rule: "CJK: multi-byte characters inside merged tokens", tokenizers: TOKENIZERS, text: "中文文本，日本語の文章です。한국어" },
  { rule: "NFC: a composed character keeps its first code point's range", tokenizers: TOKENIZERS, text: "e\u0301x cafe\u0301 A\u030a" },
  { rule: "NFC: canonical reordering then composition", tokenizers: ["qwen3"], text: "a\u0307\u0323 \u0344\u0316 q\u0323\u0307" },
  { rule: "NFC: Hangul jamo compose into syllables", tokenizers: ["qwen3", "llama3"], text: "\u1100\u1161\u11a8 \u1100\u1161 \uac00\u11a8 \uac00\u11a7" },
  { rule: "NFC: singletons and composition exclusions", tokenizers: ["qwen3"], text: "\u212b \u0958 \u2126 \u0f73" },
  { rule: "NFC uses Unicode 9, not the runtime's Unicode", tokenizers: ["qwen3"], text: "\u{11935}\u{11930} x\u0301\u{10efd}" },
  { rule: "Prepend borrows the first character's range", tokenizers: ["llama2"], text: " Hello" },
  { rule: "Replace maps ▁ to its space", tokenizers: SENTENCEPIECE, text: "Hello  world   x " },
  { rule: "byte fallback <0xNN> tokens get the whole character", tokenizers: SENTENCEPIECE, text: "\u{1f6dc} \u0000\u0001 \u{e0041}" },
  { rule: "special tokens split the text first", tokenizers: ["qwen3"], text: "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n" },
  { rule: "special tokens of Llama 3", tokenizers: ["llama3", "llama3_1"], text: "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>" },
  { rule: "special tokens of Gemma 3 and its newline tokens", tokenizers: ["gemma3"], text: "<bos><start_of_turn>user\nyo\n\n\n<end_of_turn>\n" },
  { rule: "special tokens of GPT-OSS", tokenizers: ["gptoss"], text: "<|start|>user<|message|>hi<|end|><|start|>assistant" },
  { rule: "normalized added tokens of DeepSeek V3", tokenizers: ["deepseek_v3"], text: "<｜User｜>hi<｜Assistant｜><think>x</think><｜end▁of▁sentence｜>" },
  { rule: "special tokens of Llama 2 cut the Prepend sections", tokenizers: ["llama2"], text: "<s>hi</s> x<s> <s>" },
  { rule: "lone surrogates become U+FFFD (one unit each)", tokenizers: TOKENIZERS, text: "a\ud800b \udc00 x\ud83d" },
  { rule: "whitespace runs, tabs, CR LF", tokenizers: TOKENIZERS, text: "a  \t\tb\r\n\r\n  c\n\n\n   \u00a0\u3000 d" },
  { rule: "White_Space, not JS \\s (U+0085 yes, U+FEFF no)", tokenizers: TOKENIZERS, text: "a\u0085b\ufeffc \u0085 \ufeff " },
  { rule: "contractions: (?i:'s) folds ASCII only", tokenizers: BYTE_LEVEL, text: "it's IT'S it'ſ he'LL" },
  { rule: "digits", tokenizers: TOKENIZERS, text: "1234567 ١٢٣٤ ½ Ⅻ 𝟘𝟙" },
  { rule: "empty text", tokenizers: TOKENIZERS, text: "" },
  // Inputs where @huggingface/tokenizers' own encode gives other ids than Rust (spanja must not).
  { rule: "JS divergence: lone surrogates with byte fallback", tokenizers: ["llama2", "gemma3", "deepseek_v3"], text: "a\ud800b x \udc00" },
  { rule: "JS divergence: NFC of the runtime's Unicode", tokenizers: ["qwen3"], text: "\u{11935}\u{11930} x\u0301\u{10efd}" },
  { rule: "JS divergence: regex classes of the runtime's Unicode", tokenizers: ["deepseek_v3"], text: " \u1acf word \u{10940} \u20c1" },
];

describe("offsets match the Rust tokenizers", () => {
  for (const c of CASES) {
    for (const name of c.tokenizers) {
      it(`${c.rule} (${name})`, async () => {
        const pair = pairs.get(name)!;
        const { mine, rust } = await both(pair, c.text);
        expect(mine).toEqual(rust);
        const enc = pair.mine.encode(c.text);
        const r = await pair.rust.encode(c.text, null, { addSpecialTokens: false });
        const n = [...c.text].length;
        for (let p = 0; p <= n; p++) expect([p, enc.charToToken(p)]).toEqual([p, r.charToToken(p)]);
      });
    }
  }
});

describe("literal values from the notes", () => {
  it("Llama 2: ' Hello' gives ▁ (0,1) and ▁Hello (0,6)", () => {
    const e = pairs.get("llama2")!.mine.encode(" Hello");
    expect(e.tokens).toEqual(["▁", "▁Hello"]);
    expect(e.cpOffsets).toEqual([[0, 1], [0, 6]]);
  });

  it("Qwen3: an absorbed combining mark belongs to no token", () => {
    const e = pairs.get("qwen3")!.mine.encode("e\u0301x");
    expect(e.cpOffsets[0]).toEqual([0, 1]);
    expect(e.charToToken(0)).toBe(0);
    expect(e.charToToken(1)).toBeNull();
    expect(e.charToToken(2)).toBe(1);
  });

  it("Qwen3: the four byte-level pieces of a ZWJ joiner and emoji share one range each", () => {
    const e = pairs.get("qwen3")!.mine.encode("👨‍👩");
    expect(e.cpOffsets).toEqual([[0, 1], [1, 2], [1, 2], [2, 3]]);
  });
});

describe("units", () => {
  it("the Rust oracle counts code points (Rust chars), not UTF-16 units or bytes", async () => {
    const r = await pairs.get("qwen3")!.rust.encode("😀x中y", null, { addSpecialTokens: false });
    expect(r.getOffsets().slice(-3)).toEqual([[1, 2], [2, 3], [3, 4]]);
  });

  it("UTF-16 offsets and code-point offsets describe the same characters", () => {
    const text = "x😀中\ud800 e\u0301 👨‍👩‍👧!";
    const cps = [...text];
    for (const name of TOKENIZERS) {
      const e = pairs.get(name)!.mine.encode(text);
      e.offsets.forEach(([s, t], i) => {
        const [cs, ct] = e.cpOffsets[i];
        expect(text.slice(s, t)).toBe(cps.slice(cs, ct).join(""));
      });
      for (let u = 0; u < text.length; u++) {
        const cp = [...text.slice(0, u + 1)].length - 1;
        expect(e.charToToken(u, "utf16")).toBe(e.charToToken(cp));
      }
    }
  });

  it("charToToken outside the text is null", () => {
    const e = pairs.get("llama3")!.mine.encode("hi");
    expect(e.charToToken(-1)).toBeNull();
    expect(e.charToToken(2)).toBeNull();
    expect(e.charToToken(0.5)).toBeNull();
  });

  it("marks added tokens", () => {
    const e = pairs.get("qwen3")!.mine.encode("<|im_start|>hi");
    expect(e.added).toEqual([true, false]);
  });
});

describe("Unicode data is the Rust tokenizers', not the runtime's", () => {
  it("characters the runtime knows but Oniguruma does not are unassigned for the pre-tokenizer regexes", async () => {
    const unknown: string[] = [];
    const assigned = /^\P{Cn}$/u;
    for (let cp = 0; cp < 0x110000; cp++) {
      if ((cp < 0xd800 || cp > 0xdfff) && category(cp) === "Cn" && assigned.test(String.fromCodePoint(cp))) unknown.push(String.fromCodePoint(cp));
    }
    // ʕ (U+0295) moved from Ll to Lo in Unicode 17.
    const sample = [...unknown.filter((_, i) => i % Math.max(1, Math.floor(unknown.length / 600)) === 0), "\u0295"];
    const text = sample.map((c) => ` ${c}a${c}1${c}'s ${c}\u0301 x${c}`).join("");
    for (const name of TOKENIZERS) {
      const { mine, rust } = await both(pairs.get(name)!, text);
      expect([name, mine]).toEqual([name, rust]);
    }
  });
});

/** About 256 KB of real text (the packages' READMEs) in chat-sized chunks, split on code-point boundaries. */
function corpus(): string[] {
  const root = join(import.meta.dirname, "../../node_modules");
  const readmes = readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((p) => /(^|\/)README\.md$/i.test(p))
    .sort()
    .map((p) => readFileSync(join(root, p), "utf8"));
  const text = readmes.join("\n\n").slice(0, 256 * 1024);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; ) {
    let j = Math.min(text.length, i + 3000);
    if (j < text.length && /[\udc00-\udfff]/.test(text[j])) j++;
    chunks.push(text.slice(i, j));
    i = j;
  }
  return chunks;
}

describe("a corpus of real text", () => {
  const chunks = corpus();
  for (const name of TOKENIZERS) {
    it(name, async () => {
      const pair = pairs.get(name)!;
      for (const chunk of chunks) {
        const { mine, rust } = await both(pair, chunk);
        if (JSON.stringify(mine) !== JSON.stringify(rust)) expect([chunk, mine]).toEqual([chunk, rust]);
      }
    });
  }
});
