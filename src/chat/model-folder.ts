// Reads a Hugging Face model folder as transformers' AutoTokenizer.from_pretrained does, for
// ChatTokenizer.fromPretrained: tokenizer.json, and tokenizer_config.json merged with the chat-template files
// and special_tokens_map.json so that readConfig() sees what transformers' tokenizer holds. Node only, like
// files.ts: only spanja/node (src/node.ts) imports it.
//
// transformers (tokenization_utils_base.py, PreTrainedTokenizerBase.from_pretrained / _from_pretrained, 4.5x;
// 5.x reads the files the same way and renames additional_special_tokens to extra_special_tokens):
// - tokenizer_config.json is optional (absent: an empty config).
// - chat_template.jinja is template "default"; each additional_chat_templates/<name>.jinja is template <name>.
//   When they give only "default" it is a single template, otherwise a dict of named templates. Either way
//   it replaces tokenizer_config.json's chat_template ("they take priority over template entries in the
//   tokenizer config"). additional_chat_templates/default.jinja is read after chat_template.jinja and wins.
// - chat_template.json is not read by the tokenizer at all; the processor (processing_utils.py,
//   ProcessorMixin.get_processor_dict) reads it as "default", prefers it to chat_template.jinja, and raises
//   when it is combined with additional_chat_templates/.
// - special_tokens_map.json is legacy: read only when tokenizer_config.json has no added_tokens_decoder; then
//   each of its keys overrides tokenizer_config.json's, except additional_special_tokens, which is extended
//   with the map's tokens not already in the list.
// Where transformers silently prefers one file to another that says something different, spanja throws an
// invalid-input TemplateError naming both files; each such place is marked "spanja:" below.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { TemplateError } from "../errors.ts";
import { tokenString } from "./config.ts";
import { decodeUtf8, parseJsonText, parseTokenizerBytes, readBytes } from "./files.ts";

/** A model folder as transformers reads it for a tokenizer. */
export interface ModelFolder {
  /** tokenizer.json, parsed (by readTokenizerFile: a BPE vocabulary and merges are compact tables). */
  tokenizerJson: Record<string, unknown>;
  /**
   * tokenizer_config.json (or {} when absent) with the folder's chat-template files and special_tokens_map.json
   * merged in as transformers merges them; give it to readConfig / ChatTokenizer.fromJSON.
   */
  tokenizerConfig: Record<string, unknown>;
  /** generation_config.json as it is, or null when absent. */
  generationConfig: Record<string, unknown> | null;
  /** The files read, relative to the folder, in reading order. */
  files: string[];
}

const TOKENIZER = "tokenizer.json";
const CONFIG = "tokenizer_config.json";
const SPECIAL_MAP = "special_tokens_map.json";
const JINJA = "chat_template.jinja";
const LEGACY_JSON = "chat_template.json";
const TEMPLATE_DIR = "additional_chat_templates";
const GENERATION = "generation_config.json";

type Templates = string | Map<string, string>;

function invalid(detail: string, cause?: unknown): TemplateError {
  return new TemplateError("invalid-input", detail, cause === undefined ? {} : { cause });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code;
}

/** A file's text, or null when it does not exist; any other failure names the path. */
async function readText(path: string): Promise<string | null> {
  const bytes = await readBytes(path, null);
  return bytes === null ? null : decodeUtf8(bytes, path);
}

/** A JSON file holding an object, or null when the file does not exist. */
async function readJsonObject(path: string): Promise<Record<string, unknown> | null> {
  const text = await readText(path);
  if (text === null) return null;
  const value = parseJsonText(text, path);
  if (!isObject(value)) throw invalid(`${path} must hold a JSON object`);
  return value;
}

/** tokenizer.json, or null when it does not exist. */
async function readTokenizerJson(path: string): Promise<Record<string, unknown> | null> {
  const bytes = await readBytes(path, null);
  return bytes === null ? null : parseTokenizerBytes(bytes, path);
}

/** A .jinja file as Python's text-mode open reads it: universal newlines turn \r\n and \r into \n. */
async function readJinja(path: string): Promise<string | null> {
  const text = await readText(path);
  return text === null ? null : text.replace(/\r\n?/g, "\n");
}

/** The *.jinja names in additional_chat_templates/ (transformers: Path.glob("*.jinja")), sorted. */
async function templateNames(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if (code(e) === "ENOENT" || code(e) === "ENOTDIR") return []; // transformers: only when is_dir()
    throw invalid(`cannot read ${dir}: ${(e as Error).message}`, e);
  }
  return names.filter((n) => n.endsWith(".jinja")).sort();
}

/**
 * Reads a model folder: tokenizer.json (required), tokenizer_config.json, special_tokens_map.json,
 * chat_template.jinja, chat_template.json, additional_chat_templates/*.jinja and generation_config.json.
 * Throws an invalid-input TemplateError naming the path for a missing folder or tokenizer.json, an unreadable
 * file or invalid JSON, and naming both files where two files disagree and transformers would silently pick one.
 */
/** How files that contradict each other are handled. */
export interface ModelFolderOptions {
  /**
   * "error" (default): an invalid-input error naming both files. "transformers": keep what transformers'
   * AutoTokenizer keeps, silently (template files over tokenizer_config.json, additional_chat_templates/
   * default.jinja over chat_template.jinja, chat_template.json ignored, special_tokens_map.json as its
   * legacy merge says).
   */
  onConflict?: "error" | "transformers";
}

export async function readModelFolder(dir: string, options: ModelFolderOptions = {}): Promise<ModelFolder> {
  const hf = options.onConflict === "transformers";
  if (options.onConflict !== undefined && options.onConflict !== "error" && !hf) throw invalid(`onConflict must be "error" or "transformers", got ${JSON.stringify(options.onConflict)}`);
  try {
    if (!(await stat(dir)).isDirectory()) throw invalid(`${dir} is not a directory; readModelFolder takes a model folder`);
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    if (code(e) === "ENOENT") throw invalid(`model folder ${dir} does not exist`, e);
    throw invalid(`cannot read model folder ${dir}: ${(e as Error).message}`, e);
  }
  const at = (name: string) => join(dir, name);
  const extraNames = await templateNames(at(TEMPLATE_DIR));
  const [tokenizerJson, config, specialMap, jinja, legacy, extras, generationConfig] = await Promise.all([
    readTokenizerJson(at(TOKENIZER)),
    readJsonObject(at(CONFIG)),
    readJsonObject(at(SPECIAL_MAP)),
    readJinja(at(JINJA)),
    readJsonObject(at(LEGACY_JSON)),
    Promise.all(extraNames.map((n) => readJinja(at(`${TEMPLATE_DIR}/${n}`)))),
    readJsonObject(at(GENERATION)),
  ]);
  if (tokenizerJson === null) throw invalid(`model folder ${dir} has no ${TOKENIZER} (${at(TOKENIZER)}); spanja needs the fast tokenizer file`);

  const files: string[] = [TOKENIZER];
  if (config !== null) files.push(CONFIG);
  if (specialMap !== null) files.push(SPECIAL_MAP);
  if (jinja !== null) files.push(JINJA);
  if (legacy !== null) files.push(LEGACY_JSON);
  const named = new Map<string, string>(); // additional_chat_templates/<file> → source, for files that exist
  extraNames.forEach((n, i) => {
    const text = extras[i];
    if (text !== null) {
      named.set(n, text);
      files.push(`${TEMPLATE_DIR}/${n}`);
    }
  });
  if (generationConfig !== null) files.push(GENERATION);

  const merged: Record<string, unknown> = { ...(config ?? {}) };
  // AutoTokenizer never reads chat_template.json
  mergeTemplates(merged, dir, jinja, hf ? null : legacy, named, hf);
  if (specialMap !== null) mergeSpecialTokens(merged, specialMap, at, hf);
  return { tokenizerJson, tokenizerConfig: merged, generationConfig, files };
}

/** Where the template comes from: its value as readConfig reads it, the raw JSON value to store, the file(s). */
interface TemplateSource {
  templates: Templates;
  raw: unknown;
  label: string;
}

/** Sets merged.chat_template from the template files (transformers' _from_pretrained), checking for conflicts. */
function mergeTemplates(merged: Record<string, unknown>, dir: string, jinja: string | null, legacy: Record<string, unknown> | null, named: Map<string, string>, hf: boolean): void {
  const at = (name: string) => join(dir, name);
  // transformers: chat_templates["default"] = chat_template.jinja, then chat_templates[name] for each extra file;
  // a lone "default" is a single template, anything else a dict of named templates.
  const fromFiles = new Map<string, string>();
  if (jinja !== null) fromFiles.set("default", jinja);
  for (const [file, text] of named) {
    const name = file.slice(0, -".jinja".length);
    // spanja: transformers reads additional_chat_templates/default.jinja after chat_template.jinja and silently
    // keeps it; two different "default" templates are an error.
    if (!hf && name === "default" && jinja !== null && !sameSource(jinja, text)) {
      throw conflict(at(JINJA), at(`${TEMPLATE_DIR}/${file}`), `transformers silently uses ${TEMPLATE_DIR}/${file}`);
    }
    fromFiles.set(name, text);
  }
  let source: TemplateSource | null = null;
  if (fromFiles.size > 0) {
    const single = fromFiles.size === 1 && fromFiles.has("default");
    const label = jinja === null ? `${at(TEMPLATE_DIR)}/` : named.size === 0 ? at(JINJA) : `${at(JINJA)} with ${at(TEMPLATE_DIR)}/`;
    source = single
      ? { templates: fromFiles.get("default") as string, raw: fromFiles.get("default"), label }
      : { templates: fromFiles, raw: [...fromFiles].map(([name, template]) => ({ name, template })), label };
  }

  if (legacy !== null) {
    const path = at(LEGACY_JSON);
    if (!("chat_template" in legacy)) throw invalid(`${path} must hold {"chat_template": a template string or a list of {name, template}}; it has no chat_template`);
    const own = templatesOf(legacy.chat_template, path);
    // transformers' processor raises on this combination too ("conflicting files").
    if (named.size > 0) {
      throw invalid(`conflicting chat template files: ${path} (legacy) cannot be combined with ${at(TEMPLATE_DIR)}/ (transformers' processor refuses them too); replace ${LEGACY_JSON} with ${JINJA}`);
    }
    if (own !== null && jinja !== null && !sameSource(jinja, own)) {
      // spanja: transformers' tokenizer reads only chat_template.jinja, its processor prefers chat_template.json.
      throw conflict(at(JINJA), path, `transformers' AutoTokenizer uses ${JINJA}, its AutoProcessor ${LEGACY_JSON}`);
    }
    // spanja: the tokenizer never reads chat_template.json; the processor does, and so does spanja when it is
    // the only template file.
    if (own !== null && jinja === null) source = { templates: own, raw: legacy.chat_template, label: path };
  }
  if (source === null) return;

  const configured = merged.chat_template;
  if (configured !== undefined && configured !== null) {
    const mine = templatesOf(configured, at(CONFIG)) as Templates;
    if (!hf && !sameSource(mine, source.templates)) {
      // spanja: transformers silently drops tokenizer_config.json's chat_template for the template files (the
      // processor, for chat_template.json).
      const who = source.label === at(LEGACY_JSON) ? `transformers' AutoTokenizer uses ${CONFIG}, its AutoProcessor ${LEGACY_JSON}` : `transformers silently uses ${source.label}`;
      throw conflict(at(CONFIG), source.label, who);
    }
  }
  merged.chat_template = source.raw;
}

/** A chat_template value (string, or a list of {name, template}) as readConfig reads it; null for null. */
function templatesOf(value: unknown, path: string): Templates | null {
  if (value === null) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const named = new Map<string, string>();
    for (const entry of value) {
      if (!isObject(entry) || typeof entry.name !== "string" || typeof entry.template !== "string") {
        throw invalid(`${path}: chat_template list entries must be {name, template} objects with string fields`);
      }
      named.set(entry.name, entry.template);
    }
    return named;
  }
  throw invalid(`${path}: chat_template must be a string or a list of {name, template}`);
}

/** The same template for rendering: jinja2 folds \r\n and \r and drops one trailing newline of the source. */
function sameSource(a: Templates, b: Templates): boolean {
  const norm = (s: string) => s.replace(/\r\n?/g, "\n").replace(/\n$/, "");
  if (typeof a === "string" || typeof b === "string") return typeof a === "string" && typeof b === "string" && norm(a) === norm(b);
  if (a.size !== b.size) return false;
  for (const [name, source] of a) {
    const other = b.get(name);
    if (other === undefined || norm(other) !== norm(source)) return false;
  }
  return true;
}

function conflict(a: string, b: string, who: string): TemplateError {
  return invalid(`conflicting chat templates: ${a} and ${b} give different templates (${who}); remove one or make them equal`);
}

/**
 * transformers' legacy special_tokens_map.json merge: only without added_tokens_decoder in tokenizer_config.json,
 * then every key of the map overrides the config's, and additional_special_tokens is extended.
 */
function mergeSpecialTokens(merged: Record<string, unknown>, map: Record<string, unknown>, at: (name: string) => string, hf: boolean): void {
  const legacy = !("added_tokens_decoder" in merged);
  for (const [key, value] of Object.entries(map)) {
    const current = merged[key];
    if (legacy && key === "additional_special_tokens" && Array.isArray(value)) {
      merged[key] = extendTokens(current, value, at(CONFIG));
      continue;
    }
    const set = current !== undefined && current !== null;
    if (!hf && set && !sameToken(current, value)) {
      // spanja: transformers silently keeps one of the two values.
      const who = legacy ? `transformers silently uses ${SPECIAL_MAP}` : `transformers ignores ${SPECIAL_MAP} because ${CONFIG} has added_tokens_decoder`;
      throw invalid(
        `conflicting special tokens: ${at(SPECIAL_MAP)} sets ${key} to ${show(value)} and ${at(CONFIG)} to ${show(current)} (${who}); remove one or make them equal`,
      );
    }
    // Without added_tokens_decoder transformers takes the map's value; with it, transformers never reads the map
    // (spanja reads it only for the check above).
    if (legacy) merged[key] = value;
  }
}

/**
 * transformers: `for token in map_list: if token not in config_list: config_list.append(token)`, where a map
 * entry that is an object has become an AddedToken. A string equals only an equal string, an AddedToken only
 * an AddedToken with the same content (never the config's raw objects, never a string).
 */
function extendTokens(current: unknown, additions: unknown[], configPath: string): unknown[] {
  // transformers: `init_kwargs.pop("additional_special_tokens", []) or []`
  if (current && !Array.isArray(current)) {
    throw invalid(`${configPath}: additional_special_tokens must be a list`);
  }
  const list: unknown[] = Array.isArray(current) ? [...current] : [];
  const added = new Set<unknown>(); // entries that came from the map as objects (AddedTokens in transformers)
  for (const token of additions) {
    const present = isObject(token)
      ? list.some((t) => added.has(t) && (t as Record<string, unknown>).content === token.content)
      : list.some((t) => typeof t === "string" && t === token);
    if (present) continue;
    list.push(token);
    if (isObject(token)) added.add(token);
  }
  return list;
}

/** Two special-token values are the same when their token strings (AddedToken content) are. */
function sameToken(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (isObject(v) && typeof v.content === "string") return tokenString(v);
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

function show(v: unknown): string {
  return JSON.stringify(canonical(v)) ?? String(v);
}
