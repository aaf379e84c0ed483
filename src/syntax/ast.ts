// The template AST: statement and expression nodes, unions discriminated by `kind`, each with its `loc`.
// Names follow the syntax's own words (jinja2 nodes.py / minijinja ast.rs). Types only, no behaviour.
import type { Loc } from "../source.ts";

export interface Template {
  kind: "Template";
  body: Stmt[];
  loc: Loc;
}

export type Stmt =
  | Text
  | Output
  | If
  | For
  | Set
  | SetBlock
  | Macro
  | CallBlock
  | FilterBlock
  | With
  | Break
  | Continue
  | Region;

/** Literal template text (already whitespace-controlled). */
export interface Text {
  kind: "Text";
  value: string;
  loc: Loc;
}

/** `{{ expr }}`. */
export interface Output {
  kind: "Output";
  expr: Expr;
  loc: Loc;
}

/** `{% if %}` … `{% elif %}` … `{% else %}` … `{% endif %}`; elif chains are nested Ifs in `orelse`. */
export interface If {
  kind: "If";
  test: Expr;
  body: Stmt[];
  orelse: Stmt[];
  loc: Loc;
}

/** `{% for target in iter [if filter] [recursive] %}` body `{% else %}` orelse `{% endfor %}`. */
export interface For {
  kind: "For";
  target: AssignTarget;
  iter: Expr;
  filter: Expr | null;
  recursive: boolean;
  body: Stmt[];
  orelse: Stmt[];
  loc: Loc;
}

/** `{% set target = value %}`. */
export interface Set {
  kind: "Set";
  target: AssignTarget;
  value: Expr;
  loc: Loc;
}

/** `{% set name | filters %}` body `{% endset %}`; `filter` is a chain of Filter nodes whose innermost `node` is null. */
export interface SetBlock {
  kind: "SetBlock";
  target: AssignTarget;
  filter: Filter | null;
  body: Stmt[];
  loc: Loc;
}

/** A parameter of a macro or call block: name with optional default. */
export interface Param {
  name: string;
  default: Expr | null;
  loc: Loc;
}

/** `{% macro name(params) %}` body `{% endmacro %}`. */
export interface Macro {
  kind: "Macro";
  name: string;
  params: Param[];
  body: Stmt[];
  loc: Loc;
}

/** `{% call(params) macro(args) %}` body `{% endcall %}`; `call` is a Call expression. */
export interface CallBlock {
  kind: "CallBlock";
  call: Call;
  params: Param[];
  body: Stmt[];
  loc: Loc;
}

/** `{% filter name(args) | other %}` body `{% endfilter %}`; innermost Filter's `node` is null. */
export interface FilterBlock {
  kind: "FilterBlock";
  filter: Filter;
  body: Stmt[];
  loc: Loc;
}

/** `{% with a = 1, b = 2 %}` body `{% endwith %}`. */
export interface With {
  kind: "With";
  targets: AssignTarget[];
  values: Expr[];
  body: Stmt[];
  loc: Loc;
}

export interface Break {
  kind: "Break";
  loc: Loc;
}

export interface Continue {
  kind: "Continue";
  loc: Loc;
}

/** `{% generation %}` … `{% endgeneration %}` (label "assistant") and `{% think %}` … `{% endthink %}` (label "think"). */
export interface Region {
  kind: "Region";
  label: "assistant" | "think";
  tag: "generation" | "think";
  body: Stmt[];
  loc: Loc;
}

/** Targets of set / for / with: a name, `ns.attr` (set only) or a (possibly nested) tuple of targets. */
export type AssignTarget = NameTarget | AttrTarget | TupleTarget;

export interface NameTarget {
  kind: "NameTarget";
  name: string;
  loc: Loc;
}

export interface AttrTarget {
  kind: "AttrTarget";
  object: string;
  attr: string;
  loc: Loc;
}

export interface TupleTarget {
  kind: "TupleTarget";
  items: AssignTarget[];
  loc: Loc;
}

export type Expr =
  | Name
  | Const
  | List
  | Tuple
  | Dict
  | GetAttr
  | GetItem
  | Slice
  | Call
  | Filter
  | Test
  | UnaryOp
  | BinOp
  | Compare
  | CondExpr;

export interface Name {
  kind: "Name";
  name: string;
  loc: Loc;
}

/** A literal. `value` is a string, boolean, null (none) or number; `isFloat` marks float literals (`1.0`, `1e3`). */
export interface Const {
  kind: "Const";
  value: string | number | boolean | null;
  isFloat: boolean;
  /** An integer literal beyond Number.MAX_SAFE_INTEGER, exactly (Python ints are unbounded); `value` is the nearest double. */
  bigint?: bigint;
  loc: Loc;
}

export interface List {
  kind: "List";
  items: Expr[];
  loc: Loc;
}

export interface Tuple {
  kind: "Tuple";
  items: Expr[];
  loc: Loc;
}

export interface Dict {
  kind: "Dict";
  keys: Expr[];
  values: Expr[];
  loc: Loc;
}

/** `object.attr`. */
export interface GetAttr {
  kind: "GetAttr";
  object: Expr;
  attr: string;
  loc: Loc;
}

/** `object[index]`; `index` may be a Slice. */
export interface GetItem {
  kind: "GetItem";
  object: Expr;
  index: Expr;
  loc: Loc;
}

/** `start:stop:step` inside a subscript; each part optional. */
export interface Slice {
  kind: "Slice";
  start: Expr | null;
  stop: Expr | null;
  step: Expr | null;
  loc: Loc;
}

/** A keyword argument `name=value`. */
export interface Kwarg {
  name: string;
  value: Expr;
  loc: Loc;
}

/** Arguments of a call, filter or test, in jinja2's shape. */
export interface Args {
  args: Expr[];
  kwargs: Kwarg[];
  starArgs: Expr | null;
  starKwargs: Expr | null;
}

/** `callee(args)`. */
export interface Call extends Args {
  kind: "Call";
  callee: Expr;
  loc: Loc;
}

/** `node | name(args)`; `node` is null in filter blocks and set blocks (the body is the operand). */
export interface Filter extends Args {
  kind: "Filter";
  node: Expr | null;
  name: string;
  loc: Loc;
}

/** `node is [not] name(args)` (negation is a UnaryOp "not" around it). */
export interface Test extends Args {
  kind: "Test";
  node: Expr;
  name: string;
  loc: Loc;
}

export interface UnaryOp {
  kind: "UnaryOp";
  op: "not" | "-" | "+";
  operand: Expr;
  loc: Loc;
}

export type BinOpName = "+" | "-" | "*" | "/" | "//" | "%" | "**" | "~" | "and" | "or";

export interface BinOp {
  kind: "BinOp";
  op: BinOpName;
  left: Expr;
  right: Expr;
  loc: Loc;
}

export type CompareOpName = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "notin";

/** A chained comparison `a < b <= c`: `ops[i]` compares operand i with operand i+1. */
export interface Compare {
  kind: "Compare";
  left: Expr;
  ops: { op: CompareOpName; right: Expr }[];
  loc: Loc;
}

/** `body if test else orelse`; `orelse` null when there is no else (yields Undefined). */
export interface CondExpr {
  kind: "CondExpr";
  test: Expr;
  body: Expr;
  orelse: Expr | null;
  loc: Loc;
}
