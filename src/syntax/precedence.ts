// Operator precedence: the `operators` rule (expressions.ts) reads one flat run of operands and infix operators,
// and this folds it into the tree jinja2's recursive descent (parse_or … parse_pow) builds.
import type { IToken } from "chevrotain";
import type { Source } from "../source.ts";
import type { BinOpName, CompareOpName, Expr } from "./ast.ts";

export type Operator = BinOpName | CompareOpName;

/** The operands and infix operators of one `operators` run; ops[i] sits between operands i and i + 1. */
export interface Flat {
  operands: Expr[];
  /** Source range of each operand, including its prefix `not`s. */
  starts: number[];
  ends: number[];
  ops: Operator[];
  /** The prefix `not`s before each operand (only at the start and after `and` / `or`). */
  nots: IToken[][];
}

// jinja2's precedence, loosest first: parse_or, parse_and, parse_not (prefix), parse_compare, parse_math1,
// parse_concat, parse_math2, parse_pow; all binary levels are left-associative, comparisons chain.
const LEVEL: Record<Operator, number> = {
  or: 0, and: 1, "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3, in: 3, notin: 3, "+": 4, "-": 4, "~": 5, "*": 6, "/": 6, "//": 6, "%": 6, "**": 7,
};
const NOT_LEVEL = 2;
const OPERAND_LEVEL = 8;

interface Folded {
  expr: Expr;
  start: number;
  end: number;
}

/** Folds a Flat run into the tree jinja2's recursive descent builds; recursion depth is bounded by the 8 levels. */
class Folder {
  private readonly flat: Flat;
  private readonly source: Source;
  private next = 0;

  constructor(flat: Flat, source: Source) {
    this.flat = flat;
    this.source = source;
  }

  fold(): Expr {
    return this.level(0).expr;
  }

  /** The operator after the operand just read, if it belongs to this level. */
  private opAt(level: number): Operator | null {
    const op = this.flat.ops[this.next - 1];
    return op !== undefined && LEVEL[op] === level ? op : null;
  }

  private level(level: number): Folded {
    const f = this.flat;
    if (level === OPERAND_LEVEL) {
      const i = this.next++;
      return { expr: f.operands[i], start: f.starts[i], end: f.ends[i] };
    }
    if (level === NOT_LEVEL) {
      const nots = f.nots[this.next];
      let r = this.level(level + 1);
      for (let j = nots.length - 1; j >= 0; j--) {
        const start = nots[j].startOffset;
        r = { expr: { kind: "UnaryOp", op: "not", operand: r.expr, loc: this.source.locOf(start, r.end) }, start, end: r.end };
      }
      return r;
    }
    const left = this.level(level + 1);
    if (level === LEVEL["=="]) {
      const ops: { op: CompareOpName; right: Expr }[] = [];
      let end = left.end;
      for (let op = this.opAt(level); op !== null; op = this.opAt(level)) {
        const right = this.level(level + 1);
        ops.push({ op: op as CompareOpName, right: right.expr });
        end = right.end;
      }
      if (ops.length === 0) return left;
      return { expr: { kind: "Compare", left: left.expr, ops, loc: this.source.locOf(left.start, end) }, start: left.start, end };
    }
    let acc = left;
    for (let op = this.opAt(level); op !== null; op = this.opAt(level)) {
      const right = this.level(level + 1);
      acc = { expr: { kind: "BinOp", op: op as BinOpName, left: acc.expr, right: right.expr, loc: this.source.locOf(acc.start, right.end) }, start: acc.start, end: right.end };
    }
    return acc;
  }
}


/** The expression tree of a Flat run. */
export function foldOperators(flat: Flat, source: Source): Expr {
  return new Folder(flat, source).fold();
}
