// The typed AST walk (src/syntax/children.ts) reaches exactly the nodes a reflective walk over every field finds,
// on every parser fixture and every real chat template, and the fixtures use every node kind.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Source } from "../../src/source.ts";
import { descendants, type Node } from "../../src/syntax/children.ts";
import { parse, type SyntaxOptions } from "../../src/syntax/parser.ts";
import { readFixtures } from "./dump.ts";
import { normalize, realTemplates } from "./jinja2.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** Every kind of node, listed once: the Record type fails to check when ast.ts gains or loses a kind. */
const ALL_KINDS: Record<Node["kind"], true> = {
  Template: true, Text: true, Output: true, If: true, For: true, Set: true, SetBlock: true, Macro: true, CallBlock: true,
  FilterBlock: true, With: true, Break: true, Continue: true, Region: true, NameTarget: true, AttrTarget: true,
  TupleTarget: true, Name: true, Const: true, List: true, Tuple: true, Dict: true, GetAttr: true, GetItem: true,
  Slice: true, Call: true, Filter: true, Test: true, UnaryOp: true, BinOp: true, Compare: true, CondExpr: true,
};

/** Every object with a `kind` below `value`, found by looking into every field but `loc`. */
function reflective(value: unknown, out: object[] = []): object[] {
  if (value === null || typeof value !== "object") return out;
  if (Array.isArray(value)) {
    for (const v of value) reflective(v, out);
    return out;
  }
  if (typeof (value as { kind?: unknown }).kind === "string") out.push(value);
  for (const [k, v] of Object.entries(value)) if (k !== "loc") reflective(v, out);
  return out;
}

const OPTIONS: SyntaxOptions = { trimBlocks: true, lstripBlocks: true, loopControls: true, regionTags: true };
const trees: { name: string; tree: Node }[] = [
  ...readFixtures(join(here, "parser-inputs"))
    .filter((fx) => !fx.name.startsWith("err-"))
    .map((fx) => ({ name: fx.name, tree: parse(new Source(fx.template, fx.name), fx.options) })),
  ...(await realTemplates()).map((t) => ({ name: t.name, tree: parse(new Source(normalize(t.template), t.name), OPTIONS) })),
];

describe("AST children", () => {
  it("reach the same nodes as a reflective walk, on every fixture and real template", () => {
    expect(trees.length).toBeGreaterThan(100);
    const differ: string[] = [];
    for (const { name, tree } of trees) {
      const typed = new Set<object>(descendants([tree]));
      const all = reflective(tree);
      if (typed.size !== all.length || all.some((n) => !typed.has(n))) differ.push(name);
    }
    expect(differ).toEqual([]);
  });

  it("are exercised on every node kind", () => {
    const seen = new Set<string>();
    for (const { tree } of trees) for (const n of descendants([tree])) seen.add(n.kind);
    expect([...seen].sort()).toEqual(Object.keys(ALL_KINDS).sort());
  });
});
