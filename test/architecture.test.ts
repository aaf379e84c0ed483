// The import rules of docs/architecture.md and the file-size limit, checked on every file under src/.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../src");
const MAX_LINES = 600;
/** The src files outside cli/ that may import node:*: the Node entry and the loaders from disk it exports. */
const NODE_FILES = ["node.ts", "chat/files.ts", "chat/model-folder.ts"];
/** Leaves: modules every layer may import, which import nothing of spanja themselves. */
const LEAVES = ["codepoints.ts", "limits.ts"];
/** The one runtime module the layers above the engine (chat/, infer/) may import: Python's character classes and str.strip. */
const RUNTIME_FOR_CALLERS = "runtime/pychars.ts";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

interface Imp {
  from: string;
  spec: string;
  typeOnly: boolean;
}

function importsOf(file: string): Imp[] {
  const text = readFileSync(file, "utf8");
  const out: Imp[] = [];
  const re = /^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ from: file, spec: m[2], typeOnly: Boolean(m[1]) });
  // dynamic imports count too: a bundler follows them
  for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) out.push({ from: file, spec: m[1], typeOnly: false });
  return out;
}

/** The top-level area of a src file: "syntax", "runtime", "errors.ts" … */
function area(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes("/") ? rel.split("/")[0] : rel;
}

const all = files(SRC);

describe("architecture", () => {
  it("keeps every source file under the size limit", () => {
    const big = all.filter((f) => readFileSync(f, "utf8").split("\n").length > MAX_LINES).map((f) => relative(SRC, f));
    expect(big).toEqual([]);
  });

  it("follows the import rules", () => {
    const broken: string[] = [];
    for (const file of all) {
      const from = area(file);
      for (const imp of importsOf(file)) {
        const where = `${relative(SRC, file)} imports ${imp.spec}`;
        if (imp.spec.startsWith(".")) {
          const target = resolve(dirname(file), imp.spec);
          const to = area(target);
          if (LEAVES.includes(from)) broken.push(`${where}: ${from} is a leaf and imports nothing`);
          if (LEAVES.includes(to)) continue;
          if (from === "options.ts" && !(to === "runtime" && imp.typeOnly)) broken.push(`${where}: options.ts imports only the leaves and runtime types`);
          if (from === "runtime" && to === "options.ts") broken.push(`${where}: runtime/ takes its limits from limits.ts, never options.ts`);
          if ((from === "chat" || from === "infer") && to === "runtime" && relative(SRC, target) !== RUNTIME_FOR_CALLERS && !imp.typeOnly) {
            broken.push(`${where}: ${from}/ imports from runtime/ only ${RUNTIME_FOR_CALLERS}`);
          }
          if (to === "index.ts" && from !== "node.ts") broken.push(`${where}: nothing but the Node entry imports index.ts`);
          if ((from === "errors.ts" || from === "source.ts" || from === "spans") && !["errors.ts", "source.ts", "spans"].includes(to)) {
            broken.push(`${where}: errors/source/spans import only each other`);
          }
          const astWalk = relative(SRC, target) === "syntax/children.ts";
          if (astWalk && importsOf(target).some((i) => !i.typeOnly && !i.spec.endsWith("/errors.ts"))) broken.push(`${where}: syntax/children.ts must stay free of the parser (types and errors.ts only)`);
          if (from === "syntax" && !["syntax", "errors.ts", "source.ts"].includes(to)) broken.push(`${where}: syntax/ imports only errors/source`);
          if (from === "runtime" && (to === "syntax" || to === "compile" || to === "template.ts")) broken.push(`${where}: runtime/ never imports syntax/compile`);
          if (from === "compile" && to === "syntax" && !imp.typeOnly && !astWalk) broken.push(`${where}: compile/ imports syntax types and the AST walk (children.ts) only`);
          if (from === "align" && ["syntax", "compile", "runtime", "template.ts"].includes(to)) broken.push(`${where}: align/ never imports the engine`);
          if (from === "infer" && !["infer", "errors.ts", "source.ts", "spans", "runtime"].includes(to)) broken.push(`${where}: infer/ sits on spans and runtime values only`);
          if (to === "infer" && !["infer", "template.ts", "chat", "cli", "index.ts"].includes(from)) broken.push(`${where}: only template.ts, chat/ and cli/ use infer/`);
        } else {
          if (imp.spec === "chevrotain" && from !== "syntax") broken.push(`${where}: only syntax/ imports chevrotain`);
          if (/tokenizers/.test(imp.spec) && from !== "align" && from !== "chat") broken.push(`${where}: tokenizer packages only in align/ and chat/`);
          if (imp.spec.startsWith("node:") && from !== "cli" && !NODE_FILES.includes(relative(SRC, file))) broken.push(`${where}: node:* only in cli/, node.ts, chat/files and chat/model-folder`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("keeps the areas (top-level files and folders of src/) free of import cycles, type imports included", () => {
    const edges = new Map<string, Set<string>>();
    for (const file of all) {
      for (const imp of importsOf(file)) {
        if (!imp.spec.startsWith(".")) continue;
        const [a, b] = [area(file), area(resolve(dirname(file), imp.spec))];
        if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
      }
    }
    const cycles: string[] = [];
    const path: string[] = [];
    const done = new Set<string>();
    const visit = (a: string): void => {
      if (path.includes(a)) {
        cycles.push([...path.slice(path.indexOf(a)), a].join(" -> "));
        return;
      }
      if (done.has(a)) return;
      path.push(a);
      for (const b of edges.get(a) ?? []) visit(b);
      path.pop();
      done.add(a);
    };
    for (const a of edges.keys()) visit(a);
    expect(edges.get("options.ts")).toBeDefined();
    expect(cycles).toEqual([]);
  });

  it("keeps the package root browser-safe: nothing it reaches imports node:* or the loaders from disk", () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      if (NODE_FILES.includes(relative(SRC, file))) bad.push(relative(SRC, file));
      for (const imp of importsOf(file)) {
        if (imp.spec.startsWith("node:")) bad.push(`${relative(SRC, file)} imports ${imp.spec}`);
        else if (imp.spec.startsWith(".") && !imp.typeOnly) visit(resolve(dirname(file), imp.spec));
      }
    };
    visit(join(SRC, "index.ts"));
    expect(seen.size).toBeGreaterThan(30);
    expect(bad).toEqual([]);
  });
});
