// The transformers-oracle cases: each case of goldens/transformers/<tokenizer>.json (what transformers'
// own apply_chat_template returned or raised) run through spanja's applyChatTemplate with the same
// conversation, template and options, and compared: text, ids, dict keys, attention_mask, assistant_masks,
// errors. Knows nothing of which differences are chosen; test/chat/transformers-oracle.test.ts decides.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { GOLDENS, ROOT, loadConversations, readJson, sha256, taggedTemplateText, type Conversation } from "../sources.ts";

export const TRANSFORMERS_GOLDENS = join(GOLDENS, "transformers");

/** What transformers gave: a text (or texts), input_ids only, a BatchEncoding's fields, or an error. */
export type OracleResult =
  | { kind: "text"; text: string | string[] }
  | { kind: "ids"; input_ids: number[] | number[][] }
  | { kind: "dict"; keys: string[]; [field: string]: unknown }
  | { kind: "error"; type: string; message: string };

export interface OracleCase {
  id: string;
  /** "stock" (the folder's own), "recipe:<name>" (a tagged recipe) or "markers" (the generator's own). */
  template: string;
  /** One conversation's name, or a list of names for a batch. */
  conversation: string | string[];
  options: Record<string, unknown>;
  /** Options whose value is another conversation file's field: `{ tools: "tools-available" }`. */
  take?: Record<string, string>;
  result: OracleResult;
}

export interface OracleTemplate {
  sha256: string | null;
  from: Record<string, unknown>;
  /** Only for the generator's own template. */
  source?: string;
}

export interface OracleGolden {
  tokenizer: string;
  transformers_version: string;
  tokenizers_version: string;
  padding_side: string;
  folder: { package: string; version: string; path: string; files: Record<string, string> };
  pipeline: { transformers_class: string; rebuilt_components: string[]; samples: Record<string, unknown>[] };
  conversations: Record<string, string>;
  templates: Record<string, OracleTemplate>;
  cases: OracleCase[];
}

/** The spanja side of a case: a tokenizer that applies chat templates (spanja/node's ChatTokenizer). */
export interface OracleTokenizer {
  applyChatTemplate(conversation: unknown, options: Record<string, unknown>): unknown;
}

export function loadOracleGoldens(dir = TRANSFORMERS_GOLDENS): OracleGolden[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => readJson<OracleGolden>(join(dir, f)));
}

/** The tokenizer's model folder, as the generator loaded it. */
export function oracleFolder(golden: OracleGolden): string {
  return join(ROOT, "node_modules", golden.folder.package, golden.folder.path);
}

/** generate.py's think_as_if: `{% think %}` blocks as `{% if true %}` blocks (transformers has no think tag). */
export function thinkAsIf(source: string): string {
  return source.replace(/\{%(-?)\s*think\s*(-?)%\}/g, "{%$1 if true $2%}").replace(/\{%(-?)\s*endthink\s*(-?)%\}/g, "{%$1 endif $2%}");
}

/** Each template key of a golden → the chat_template option (undefined: the folder's own), or a problem. */
export function oracleTemplates(golden: OracleGolden): Map<string, { source?: string; problem?: string }> {
  const out = new Map<string, { source?: string; problem?: string }>();
  for (const [key, t] of Object.entries(golden.templates)) {
    if (key === "stock") out.set(key, {});
    else if (key.startsWith("recipe:")) {
      try {
        const source = thinkAsIf(taggedTemplateText(t.from.recipe as string));
        out.set(key, sha256(source) === t.sha256 ? { source } : { problem: `${key} changed since the goldens were generated (npm run conformance:transformers)` });
      } catch (e) {
        out.set(key, { problem: (e as Error).message });
      }
    } else out.set(key, { source: t.source });
  }
  return out;
}

/** The conformance conversations by name, with a problem for any whose file changed since generation. */
export function oracleConversations(golden: OracleGolden): Map<string, Conversation> {
  const all = new Map(loadConversations().map((c) => [c.name, c]));
  for (const name of Object.keys(golden.conversations)) if (!all.has(name)) throw new Error(`conversation ${name} is gone (npm run conformance:transformers)`);
  return all;
}

/** The first argument and the options of the spanja call for a case, as generate.py builds the Python call. */
export function oracleCall(c: OracleCase, conversations: Map<string, Conversation>, chatTemplate: string | undefined): { conversation: unknown; options: Record<string, unknown> } {
  const names = Array.isArray(c.conversation) ? c.conversation : [c.conversation];
  const convs = names.map((n) => {
    const conv = conversations.get(n);
    if (conv === undefined) throw new Error(`case ${c.id}: no conversation ${n}`);
    return conv;
  });
  const first = convs[0];
  const options: Record<string, unknown> = {};
  if (first?.tools !== undefined && first.tools !== null) options.tools = first.tools;
  if (first?.documents !== undefined && first.documents !== null) options.documents = first.documents;
  Object.assign(options, first?.variables ?? {}, c.options);
  for (const [key, name] of Object.entries(c.take ?? {})) {
    const from = conversations.get(name) as Record<string, unknown> | undefined;
    if (from?.[key] === undefined) throw new Error(`case ${c.id}: conversation ${name} has no ${key}`);
    options[key] = from[key];
  }
  if (chatTemplate !== undefined) options.chat_template = chatTemplate;
  const messages = convs.map((conv) => conv.messages);
  return { conversation: Array.isArray(c.conversation) ? messages : messages[0], options };
}

/** spanja's result in the golden's shape (the spanja-only `warnings` field left out of a dict's keys). */
export function spanjaResult(tok: OracleTokenizer, conversation: unknown, options: Record<string, unknown>): OracleResult {
  let r: unknown;
  try {
    r = tok.applyChatTemplate(conversation, options);
  } catch (e) {
    return { kind: "error", type: (e as Error).name, message: (e as Error).message };
  }
  if (typeof r === "string" || (Array.isArray(r) && r.every((x) => typeof x === "string"))) return { kind: "text", text: r as string | string[] };
  if (Array.isArray(r)) return { kind: "ids", input_ids: r as number[] };
  const fields = r as Record<string, unknown>;
  const keys = Object.keys(fields).filter((k) => k !== "warnings");
  return { kind: "dict", keys, ...Object.fromEntries(keys.map((k) => [k, fields[k]])) };
}

/** Why spanja's result is not transformers' (null when it is): the first field that differs, briefly. */
export function difference(expected: OracleResult, got: OracleResult): string | null {
  if (expected.kind === "error" || got.kind === "error") {
    if (expected.kind === got.kind) return null; // both raise: the wording is not required (transformers' ValueError vs spanja's TemplateError)
    return expected.kind === "error" ? `transformers raised ${expected.type}: ${expected.message.slice(0, 160)}; spanja did not` : `spanja raised ${(got as { message: string }).message.slice(0, 200)}`;
  }
  if (expected.kind !== got.kind) return `kind ${got.kind}, transformers ${expected.kind}`;
  if (expected.kind === "dict") {
    const keys = (got as { keys: string[] }).keys;
    if (JSON.stringify(keys) !== JSON.stringify(expected.keys)) return `keys ${JSON.stringify(keys)}, transformers ${JSON.stringify(expected.keys)}`;
    for (const k of expected.keys) {
      const d = firstDifference(expected[k], (got as Record<string, unknown>)[k]);
      if (d !== null) return `${k}${d}`;
    }
    return null;
  }
  const field = expected.kind === "text" ? "text" : "input_ids";
  const d = firstDifference((expected as Record<string, unknown>)[field], (got as Record<string, unknown>)[field]);
  return d === null ? null : `${field}${d}`;
}

/** Where two JSON values first differ, as `[i][j]: got x, transformers y`, or null. */
function firstDifference(want: unknown, got: unknown, path = ""): string | null {
  if (Array.isArray(want) && Array.isArray(got)) {
    for (let i = 0; i < Math.min(want.length, got.length); i++) {
      const d = firstDifference(want[i], got[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return want.length === got.length ? null : `${path}: length ${got.length}, transformers ${want.length}`;
  }
  if (typeof want === "string" && typeof got === "string" && want !== got) {
    let i = 0;
    while (i < want.length && want[i] === got[i]) i++;
    return `${path} at ${i}: ${JSON.stringify(got.slice(i, i + 40))}, transformers ${JSON.stringify(want.slice(i, i + 40))}`;
  }
  return JSON.stringify(want) === JSON.stringify(got) ? null : `${path}: ${JSON.stringify(got)?.slice(0, 80)}, transformers ${JSON.stringify(want)?.slice(0, 80)}`;
}
