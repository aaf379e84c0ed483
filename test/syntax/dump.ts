// Test helpers: the fixture format (JSON, a `---` line, the template), token dumps and AST dumps with locations.
import type { IToken } from "chevrotain";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Loc } from "../../src/source.ts";
import { lex } from "../../src/syntax/lexer.ts";
import type { SyntaxOptions } from "../../src/syntax/parser.ts";
import { Source } from "../../src/source.ts";
import { applyWhitespace } from "../../src/syntax/whitespace.ts";
import { normalize } from "./jinja2.ts";

/** One fixture file: `{"$options": {"trim_blocks": false}}`, a line `---`, then the template byte for byte. */
export interface Fixture {
  name: string;
  options: SyntaxOptions;
  template: string;
}

const DEFAULTS: SyntaxOptions = { trimBlocks: true, lstripBlocks: true, loopControls: true, regionTags: true };

export function readFixtures(dir: string): Fixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), "utf8");
      const sep = text.search(/^---$/m);
      if (sep === -1) throw new Error(`${f}: no '---' line`);
      const json = JSON.parse(text.slice(0, sep)) as { $options?: Record<string, boolean> };
      const o = json.$options ?? {};
      const options: SyntaxOptions = {
        trimBlocks: o.trim_blocks ?? DEFAULTS.trimBlocks,
        lstripBlocks: o.lstrip_blocks ?? DEFAULTS.lstripBlocks,
        loopControls: o.loop_controls ?? DEFAULTS.loopControls,
        regionTags: o.region_tags ?? DEFAULTS.regionTags,
      };
      return { name: f.replace(/\.txt$/, ""), options, template: normalize(text.slice(sep + 4)) };
    });
}

function range(source: Source, start: number, end: number): string {
  const a = source.locOf(start, end);
  const b = source.locOf(end, end);
  return `@${a.line}:${a.column}-${b.line}:${b.column}`;
}

function tokenLine(t: IToken, source: Source): string {
  const end = t.endOffset! + 1;
  const p: unknown = t.payload;
  const payload = typeof p === "bigint" ? ` = ${p}n` : typeof p === "number" ? ` = ${p}` : typeof p === "string" ? ` = ${JSON.stringify(p)}` : "";
  return `${t.tokenType.name} ${JSON.stringify(t.image)}${payload} ${range(source, t.startOffset, end)}`;
}

/** The lexer's tokens, then the stream the parser reads after whitespace control. */
export function dumpTokens(fx: Fixture): string {
  const source = new Source(fx.template, fx.name);
  const lexed = lex(source);
  const lines = ["# lexer", ...lexed.tokens.map((t) => tokenLine(t, source))];
  if (lexed.error !== null) lines.push(`! ${lexed.error.detail} @${lexed.error.loc!.line}:${lexed.error.loc!.column}`);
  lines.push("", "# after whitespace control", ...applyWhitespace(lexed.tokens, source.text, fx.options).map((t) => tokenLine(t, source)));
  return lines.join("\n") + "\n";
}

/** An AST as an indented tree: kind, scalar fields, `@line:col-line:col`, then child nodes by field. */
export function dumpAst(node: unknown, source: Source): string {
  const out: string[] = [];
  walk(node, "", "", out, source);
  return out.join("\n") + "\n";
}

function isLoc(v: unknown): v is Loc {
  return typeof v === "object" && v !== null && "line" in v && "offset" in v;
}

function walk(node: unknown, label: string, indent: string, out: string[], source: Source): void {
  if (Array.isArray(node)) {
    out.push(`${indent}${label}${node.length === 0 ? "[]" : ""}`);
    for (const item of node) walk(item, "- ", indent + "  ", out, source);
    return;
  }
  if (typeof node !== "object" || node === null) {
    out.push(`${indent}${label}${JSON.stringify(node)}`);
    return;
  }
  const obj = node as Record<string, unknown>;
  const scalars: string[] = [];
  const children: [string, unknown][] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (k === "kind" || k === "loc") continue;
    if (typeof v === "bigint") scalars.push(`${k}=${v}n`);
    else if (v === null || typeof v !== "object") scalars.push(`${k}=${JSON.stringify(v)}`);
    else children.push([k, v]);
  }
  const head = [obj.kind ?? "", ...scalars].filter((s) => s !== "").join(" ");
  let loc = "";
  if (isLoc(obj.loc)) {
    const end = source.locOf(obj.loc.endOffset, obj.loc.endOffset);
    loc = ` @${obj.loc.line}:${obj.loc.column}-${end.line}:${end.column}`;
  }
  out.push(`${indent}${label}${head}${loc}`);
  for (const [k, v] of children) walk(v, `${k}: `, indent + "  ", out, source);
}
