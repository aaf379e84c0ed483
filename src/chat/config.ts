// tokenizer_config.json as transformers reads it for chat: the chat templates and how one is chosen, the
// special tokens passed to templates, padding and truncation defaults. Knows JSON, not templates or tokens.
import { TemplateError } from "../errors.ts";

/** transformers' SPECIAL_TOKENS_ATTRIBUTES, in its order: the special tokens a template sees when set. */
export const SPECIAL_TOKEN_NAMES = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token", "additional_special_tokens"] as const;

/** transformers' LARGE_INTEGER: a model_max_length above it means "no limit" (no truncation, no max_length padding). */
export const LARGE_INTEGER = 1e20;

/** The chat-relevant parts of a tokenizer_config.json. */
export interface ChatConfig {
  /** One template, named templates (name → source, in file order), or none. */
  chatTemplate: string | Map<string, string> | null;
  /** Special tokens as the template sees them: only those set, strings (a list for additional_special_tokens). */
  specialTokens: Record<string, unknown>;
  /** The pad token's text, or null. */
  padToken: string | null;
  paddingSide: "left" | "right";
  truncationSide: "left" | "right";
  /** model_max_length, or null when absent or above LARGE_INTEGER. */
  modelMaxLength: number | null;
}

function invalid(detail: string): TemplateError {
  return new TemplateError("invalid-input", detail);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A special token in tokenizer_config.json is a string or an AddedToken object with `content`. */
export function tokenString(value: unknown): unknown {
  if (isObject(value)) return value.content ?? null;
  if (Array.isArray(value)) return value.map(tokenString);
  return value;
}

/** Python truthiness of a JSON value. */
function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return v !== null && v !== undefined && v !== false && v !== 0 && v !== "";
}

/** transformers' special_tokens_map: the set tokens in SPECIAL_TOKEN_NAMES order, then extra_special_tokens. */
export function specialTokensOf(config: Record<string, unknown>): Record<string, unknown> {
  const tokens: Record<string, unknown> = {};
  for (const name of SPECIAL_TOKEN_NAMES) {
    const value = tokenString(config[name]);
    if (truthy(value)) tokens[name] = value;
  }
  const extra = config.extra_special_tokens;
  if (isObject(extra)) {
    for (const [name, raw] of Object.entries(extra)) {
      const value = tokenString(raw);
      if (truthy(value)) tokens[name] = value;
    }
  }
  return tokens;
}

function side(config: Record<string, unknown>, key: string, dflt: "left" | "right" = "right"): "left" | "right" {
  const v = config[key];
  if (v === undefined || v === null) return dflt;
  if (v === "left" || v === "right") return v;
  throw invalid(`tokenizer_config.json ${key} must be "left" or "right", got ${JSON.stringify(v)}`);
}

/**
 * transformers' tokenizer classes whose `padding_side` class attribute is "left" (tokenization_llama.py and
 * its siblings, transformers 4 and 5: Llama, CodeLlama, Gemma and its Siglip2 subclass, Cohere, XLNet);
 * every other class pads right. `tokenizer_class` names the slow or the Fast class.
 */
const LEFT_PADDING_CLASSES = new Set(["LlamaTokenizer", "CodeLlamaTokenizer", "GemmaTokenizer", "Siglip2Tokenizer", "CohereTokenizer", "XLNetTokenizer"]);

/** The padding side transformers' tokenizer class gives when tokenizer_config.json sets none. */
function classPaddingSide(tokenizerClass: unknown): "left" | "right" {
  return typeof tokenizerClass === "string" && LEFT_PADDING_CLASSES.has(tokenizerClass.replace(/Fast$/, "")) ? "left" : "right";
}

/** Reads a parsed tokenizer_config.json; throws invalid-input on a malformed chat_template. */
export function readConfig(raw: unknown): ChatConfig {
  if (!isObject(raw)) throw invalid("tokenizer_config.json must hold a JSON object");
  let chatTemplate: ChatConfig["chatTemplate"] = null;
  const ct = raw.chat_template;
  if (typeof ct === "string") chatTemplate = ct;
  else if (Array.isArray(ct)) {
    // transformers: {template["name"]: template["template"] for template in chat_template}; a later name wins.
    const named = new Map<string, string>();
    for (const entry of ct) {
      if (!isObject(entry) || typeof entry.name !== "string" || typeof entry.template !== "string") {
        throw invalid("tokenizer_config.json chat_template list entries must be {name, template} objects with string fields");
      }
      named.set(entry.name, entry.template);
    }
    chatTemplate = named;
  } else if (ct !== undefined && ct !== null) throw invalid("tokenizer_config.json chat_template must be a string or a list of {name, template}");
  const pad = tokenString(raw.pad_token);
  const max = raw.model_max_length;
  return {
    chatTemplate,
    specialTokens: specialTokensOf(raw),
    padToken: typeof pad === "string" && pad !== "" ? pad : null,
    paddingSide: side(raw, "padding_side", classPaddingSide(raw.tokenizer_class)),
    truncationSide: side(raw, "truncation_side"),
    modelMaxLength: typeof max === "number" && Number.isFinite(max) && max <= LARGE_INTEGER ? max : null,
  };
}

/**
 * transformers' get_chat_template: with named templates, an explicit name picks that template (anything
 * else given is itself a template source); otherwise tools given and a "tool_use" template → that one, else
 * "default". With a single template, an explicit `chat_template` is always a template source.
 */
export function chooseTemplate(config: ChatConfig, chatTemplate: string | null | undefined, toolsGiven: boolean): string {
  const own = config.chatTemplate;
  if (own instanceof Map) {
    if (chatTemplate !== null && chatTemplate !== undefined) return own.get(chatTemplate) ?? chatTemplate;
    if (toolsGiven && own.has("tool_use")) return own.get("tool_use") as string;
    const def = own.get("default");
    if (def !== undefined) return def;
    throw invalid(
      `This model has multiple chat templates with no default specified! Please either pass a chat template or the name of the template you wish to use to the \`chat_template\` argument. Available template names are ${pyList([...own.keys()].sort())}.`,
    );
  }
  if (chatTemplate !== null && chatTemplate !== undefined) return chatTemplate;
  if (own !== null) return own;
  throw invalid(
    "Cannot use chat template functions because tokenizer.chat_template is not set and no template argument was passed! For information about writing templates and setting the tokenizer.chat_template attribute, please see the documentation at https://huggingface.co/docs/transformers/main/en/chat_templating",
  );
}

function pyList(names: string[]): string {
  return `[${names.map((n) => `'${n}'`).join(", ")}]`;
}
