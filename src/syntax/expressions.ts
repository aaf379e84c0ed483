// jinja2's expression grammar (parse_tuple … parse_primary, targets, calls, filters, tests) as the rules of the one
// shared chevrotain parser, which parser.ts completes with the statements. Embedded actions build ast.ts nodes
// directly; parser-base.ts holds the machinery, precedence.ts the operator folding. Knows nothing of values.
import { type IToken } from "chevrotain";
import type { Loc } from "../source.ts";
import type { Args, Dict, Expr, Filter, Kwarg, List, Test } from "./ast.ts";
import { MAX_NESTING, NESTING, NO_EXPR, ParserBase, quoted } from "./parser-base.ts";
import { foldOperators, type Flat, type Operator } from "./precedence.ts";
import * as T from "./tokens.ts";

/** jinja2 `NSRef`: `ns.attr` as an assignment target; only the `set` statement's target produces it. */
export interface NsRef {
  kind: "NsRef";
  object: string;
  attr: string;
  loc: Loc;
}
/** What parse_primary returns: an expression, or `ns.attr` where assignment targets allow it. */
export type Primary = Expr | NsRef;

/** true / false / none in both spellings: constants, never assignable. */
export const CONST_NAMES = new Map<string, boolean | null>([["true", true], ["false", false], ["True", true], ["False", false], ["none", null], ["None", null]]);
const EMPTY_ARGS = (): Args => ({ args: [], kwargs: [], starArgs: null, starKwargs: null });

/** The expression half of the parser; parser.ts adds the statements, builds the one instance and runs it. */
export class ExpressionParser extends ParserBase {
  /** An integer literal; beyond 2**53 the exact value rides along as `bigint`. */
  private integer(t: IToken): Expr {
    const v = t.payload as number | bigint;
    const loc = this.tokenLoc(t);
    return typeof v === "bigint" ? { kind: "Const", value: Number(v), isFloat: false, bigint: v, loc } : { kind: "Const", value: v, isFloat: false, loc };
  }

  /** jinja2 parse_tuple: comma-separated expressions; a tuple when there is a comma (`{{ 1, 2 }}`). */
  protected tupleExpr = this.RULE("tupleExpr", (withCondExpr = true, explicitParens = false): Expr => {
    const start = this.LA(1).startOffset;
    const items: Expr[] = [];
    const [, commas] = this.commaList(() => !this.atTupleEnd(), (i) => items.push(this.subrule(i, this.expression, { ARGS: [withCondExpr] })));
    if (!this.RECORDING_PHASE && items.length === 0) {
      if (!this.atTupleEnd()) this.failUnexpected();
      if (!explicitParens) this.fail(`Expected an expression, got ${quoted(T.describeToken(this.LA(1)))}`);
    }
    if (commas > 0 || items.length === 0) return { kind: "Tuple", items, loc: items.length === 0 ? this.source.locOf(start, start) : this.span(start) };
    return items[0];
  });

  /** jinja2 parse_expression / parse_condexpr: `a if b else c`; the heads of `if` and `for` parse without it. */
  protected expression = this.RULE("expression", (withCondExpr = true): Expr => {
    const start = this.LA(1).startOffset;
    let expr = this.SUBRULE(this.operators);
    let length = 0;
    this.MANY({
      GATE: () => withCondExpr,
      DEF: () => {
        this.chain(++length);
        this.CONSUME(T.KwIf);
        const test = this.SUBRULE2(this.operators);
        const orelse = this.OPTION(() => {
          this.CONSUME(T.KwElse);
          if (!this.RECORDING_PHASE) this.enter();
          const e = this.SUBRULE(this.expression);
          this.depth--;
          return e;
        }) ?? null;
        expr = { kind: "CondExpr", test, body: expr, orelse, loc: this.span(start) };
      },
    });
    return expr;
  });

  /**
   * jinja2 parse_or … parse_pow as one loop over operands and infix operators, folded by precedence afterwards
   * (see precedence.ts): one rule per bracket level instead of eight keeps deep nesting cheap on the stack. `not` is a
   * prefix only where jinja2's parse_not runs, at the start and after `and` / `or`; elsewhere it is a name.
   */
  protected operators = this.RULE("operators", (): Expr => {
    const flat: Flat = { operands: [], starts: [], ends: [], ops: [], nots: [] };
    const operand = (i: number, nots: IToken[]): void => {
      const start = this.LA(1).startOffset;
      const e = this.subrule(i, this.unary);
      if (!this.RECORDING_PHASE) {
        if (nots.length > MAX_NESTING) this.fail(NESTING, nots[MAX_NESTING]);
        flat.nots.push(nots);
        flat.operands.push(e);
        flat.starts.push(nots.length > 0 ? nots[0].startOffset : start);
        flat.ends.push(this.LA(0).endOffset! + 1);
      }
    };
    const first: IToken[] = [];
    this.MANY(() => first.push(this.CONSUME(T.KwNot)));
    operand(1, first);
    this.MANY2({
      GATE: () => this.is(T.KwOr) || this.is(T.KwAnd) || this.is(T.CompareOp) || this.is(T.KwIn) || this.is(T.AddOp) ||
        this.is(T.Tilde) || this.is(T.MulOp) || this.is(T.Pow) || (this.is(T.KwNot) && this.is(T.KwIn, 2)),
      DEF: () => {
        const op = this.OR([
          { ALT: () => this.CONSUME(T.KwOr).image },
          { ALT: () => this.CONSUME(T.KwAnd).image },
          { ALT: () => this.CONSUME(T.CompareOp).image },
          { ALT: () => this.CONSUME(T.KwIn).image },
          { ALT: () => { this.CONSUME2(T.KwNot); this.CONSUME2(T.KwIn); return "notin"; } },
          { ALT: () => this.CONSUME(T.AddOp).image },
          { ALT: () => this.CONSUME(T.Tilde).image },
          { ALT: () => this.CONSUME(T.MulOp).image },
          { ALT: () => this.CONSUME(T.Pow).image },
        ]);
        const nots: IToken[] = [];
        this.MANY3({ GATE: () => op === "and" || op === "or", DEF: () => nots.push(this.CONSUME3(T.KwNot)) });
        if (!this.RECORDING_PHASE) flat.ops.push(op as Operator);
        this.chain(flat.ops.length);
        operand(2, nots);
      },
    });
    if (this.RECORDING_PHASE) return NO_EXPR;
    return flat.operands.length === 1 && flat.nots[0].length === 0 ? flat.operands[0] : foldOperators(flat, this.source);
  });

  /** jinja2 parse_unary: signs, a primary, its postfix, then (filters and tests bind looser) `|f`, `is t`, calls. */
  protected unary = this.RULE("unary", (): Expr => {
    const start = this.LA(1).startOffset;
    const signs: IToken[] = [];
    this.MANY(() => signs.push(this.CONSUME(T.AddOp)));
    if (!this.RECORDING_PHASE && signs.length > MAX_NESTING) this.fail(NESTING, signs[MAX_NESTING]);
    const operandStart = this.LA(1).startOffset;
    let node = this.SUBRULE(this.primary, { ARGS: [false] }) as Expr;
    node = this.SUBRULE(this.postfix, { ARGS: [node, operandStart] });
    // `-x|abs` is `(-x)|abs`: the sign takes the primary with its postfix, filters take the signed value.
    for (let j = signs.length - 1; j >= 0; j--) {
      node = { kind: "UnaryOp", op: signs[j].image as "-" | "+", operand: node, loc: this.span(signs[j].startOffset) };
    }
    let length = 0;
    this.MANY2(() => {
      this.chain(++length);
      this.OR([
        { ALT: () => { this.CONSUME(T.Pipe); node = this.SUBRULE(this.filterCall, { ARGS: [node, start] }); } },
        { ALT: () => { node = this.SUBRULE(this.testExpr, { ARGS: [node, start] }); } },
        { ALT: () => { node = this.SUBRULE(this.call, { ARGS: [node, start] }); } },
      ]);
    });
    return node;
  });

  /** jinja2 parse_primary: names, literals, `( … )`, lists and dicts; `with_namespace` allows `ns.attr`. */
  protected primary = this.RULE("primary", (withNamespace = false): Primary =>
    this.OR([
      {
        ALT: (): Primary => {
          const t = this.CONSUME(T.Name);
          const loc = this.tokenLoc(t);
          const c = CONST_NAMES.get(t.image);
          if (c !== undefined) return { kind: "Const", value: c, isFloat: false, loc };
          const attr = this.OPTION({ GATE: () => withNamespace, DEF: () => (this.CONSUME(T.Dot), this.CONSUME2(T.Name)) });
          if (attr !== undefined) return { kind: "NsRef", object: t.image, attr: attr.image, loc: this.span(t.startOffset) };
          return { kind: "Name", name: t.image, loc };
        },
      },
      {
        ALT: (): Expr => {
          const first = this.CONSUME(T.StringLit);
          let value = first.payload as string;
          this.MANY(() => (value += this.CONSUME2(T.StringLit).payload as string));
          return { kind: "Const", value, isFloat: false, loc: this.span(first.startOffset) };
        },
      },
      { ALT: (): Expr => this.integer(this.CONSUME(T.Integer)) },
      { ALT: (): Expr => { const t = this.CONSUME(T.Float); return { kind: "Const", value: t.payload as number, isFloat: true, loc: this.tokenLoc(t) }; } },
      {
        ALT: (): Expr => {
          const open = this.CONSUME(T.LParen);
          if (!this.RECORDING_PHASE) this.enter();
          const e = this.SUBRULE(this.tupleExpr, { ARGS: [true, true] });
          this.CONSUME(T.RParen);
          this.depth--;
          // A parenthesized tuple spans its parentheses (`()` has nothing else to point at).
          if (e.kind === "Tuple") e.loc = this.span(open.startOffset);
          return e;
        },
      },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.dict) },
    ]));

  protected list = this.RULE("list", (): List => {
    const open = this.CONSUME(T.LBracket);
    if (!this.RECORDING_PHASE) this.enter();
    const items: Expr[] = [];
    this.commaList(() => !this.is(T.RBracket), (i) => items.push(this.subrule(i, this.expression)));
    this.checkCloser(T.RBracket, items.length > 0);
    this.CONSUME(T.RBracket);
    this.depth--;
    return { kind: "List", items, loc: this.span(open.startOffset) };
  });

  protected dict = this.RULE("dict", (): Dict => {
    const open = this.CONSUME(T.LBrace);
    if (!this.RECORDING_PHASE) this.enter();
    const keys: Expr[] = [];
    const values: Expr[] = [];
    const pair = (i: number): void => {
      keys.push(this.subrule(i, this.expression));
      this.consume(i, T.Colon);
      values.push(this.subrule(i + 2, this.expression));
    };
    this.commaList(() => !this.is(T.RBrace), pair);
    this.checkCloser(T.RBrace, keys.length > 0);
    this.CONSUME(T.RBrace);
    this.depth--;
    return { kind: "Dict", keys, values, loc: this.span(open.startOffset) };
  });

  /** jinja2 parse_postfix: `.attr`, `.0`, `[subscript]` and calls. */
  protected postfix = this.RULE("postfix", (operand: Expr = NO_EXPR, start = 0): Expr => {
    let node = operand;
    let length = 0;
    this.MANY(() => {
      this.chain(++length);
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            // jinja2 consumes the token after the dot before checking it.
            if (!this.RECORDING_PHASE && !this.is(T.Name) && !this.is(T.Integer)) {
              this.peek(2);
              this.fail("expected name or number");
            }
            node = this.OR2({
              DEF: [
                { ALT: (): Expr => ({ kind: "GetAttr", object: node, attr: this.CONSUME(T.Name).image, loc: this.span(start) }) },
                {
                  ALT: (): Expr => ({ kind: "GetItem", object: node, index: this.integer(this.CONSUME(T.Integer)), loc: this.span(start) }),
                },
              ],
            });
          },
        },
        { ALT: () => { node = this.SUBRULE(this.subscript, { ARGS: [node, start] }); } },
        { ALT: () => { node = this.SUBRULE(this.call, { ARGS: [node, start] }); } },
      ]);
    });
    return node;
  });

  protected subscript = this.RULE("subscript", (object: Expr = NO_EXPR, start = 0): Expr => {
    const open = this.CONSUME(T.LBracket);
    if (!this.RECORDING_PHASE) this.enter();
    const args: Expr[] = [];
    this.OPTION({ GATE: () => !this.is(T.RBracket), DEF: () => this.sepList((i) => args.push(this.subrule(i, this.subscribed))) });
    this.checkCloser(T.RBracket, args.length > 0);
    this.CONSUME(T.RBracket);
    this.depth--;
    const index: Expr = args.length === 1 ? args[0] : { kind: "Tuple", items: args, loc: this.span(open.startOffset) };
    // jinja2 parses `x[a:b, c]` but its code generator writes `(a:b, c)`, which Python refuses to compile.
    const slice = args.length > 1 ? args.find((a) => a.kind === "Slice") : undefined;
    if (slice !== undefined) this.defer("invalid syntax: jinja2 cannot compile a slice inside a multi-part subscript", slice.loc);
    return { kind: "GetItem", object, index, loc: this.span(start) };
  });

  /** jinja2 parse_subscribed: an expression or a slice `start:stop:step`. */
  protected subscribed = this.RULE("subscribed", (): Expr => {
    const begin = this.LA(1).startOffset;
    let start: Expr | null = null;
    let stop: Expr | null = null;
    let step: Expr | null = null;
    let isSlice = false;
    this.OR([
      { ALT: () => { this.CONSUME(T.Colon); isSlice = true; } },
      { ALT: () => { start = this.SUBRULE(this.expression); this.OPTION(() => { this.CONSUME2(T.Colon); isSlice = true; }); } },
    ]);
    const sliceEnd = (): boolean => this.is(T.RBracket) || this.is(T.Comma);
    this.OPTION2({ GATE: () => isSlice && !this.is(T.Colon) && !sliceEnd(), DEF: () => { stop = this.SUBRULE2(this.expression); } });
    if (!this.RECORDING_PHASE && isSlice && stop === null && !this.is(T.Colon) && !sliceEnd()) this.failUnexpected();
    this.OPTION3({
      GATE: () => isSlice,
      DEF: () => {
        this.CONSUME3(T.Colon);
        this.OPTION4({ GATE: () => !sliceEnd(), DEF: () => { step = this.SUBRULE3(this.expression); } });
        if (!this.RECORDING_PHASE && step === null && !sliceEnd()) this.failUnexpected();
      },
    });
    if (!isSlice) return start!;
    return { kind: "Slice", start, stop, step, loc: this.span(begin) };
  });

  protected call = this.RULE("call", (callee: Expr = NO_EXPR, start = 0): Expr => {
    const args = this.SUBRULE(this.callArgs);
    return { kind: "Call", callee, ...args, loc: this.span(start) };
  });

  /** jinja2 parse_call_args: positional, `name=value`, `*args`, `**kwargs`, in Python's order. */
  protected callArgs = this.RULE("callArgs", (): Args => {
    const open = this.CONSUME(T.LParen);
    if (!this.RECORDING_PHASE) this.enter();
    const a = EMPTY_ARGS();
    const [count] = this.commaList(() => !this.is(T.RParen), (i) => this.subrule(i, this.argument, { ARGS: [a, open] }));
    this.checkCloser(T.RParen, count > 0);
    this.CONSUME(T.RParen);
    this.depth--;
    return a;
  });

  protected argument = this.RULE("argument", (a: Args = EMPTY_ARGS(), open: IToken = this.LA(0)): void => {
    const ensure = (ok: boolean): void => {
      if (!this.RECORDING_PHASE && !ok) this.fail("invalid syntax for function call expression", open);
    };
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => { this.CONSUME(T.Mul); ensure(a.starArgs === null && a.starKwargs === null); a.starArgs = this.SUBRULE(this.expression); } },
        { ALT: () => { this.CONSUME(T.Pow); ensure(a.starKwargs === null); a.starKwargs = this.SUBRULE2(this.expression); } },
        {
          GATE: () => this.is(T.Assign, 2),
          ALT: () => {
            const name = this.CONSUME(T.Name);
            this.CONSUME(T.Assign);
            ensure(a.starKwargs === null);
            const value = this.SUBRULE3(this.expression);
            const kwarg: Kwarg = { name: name.image, value, loc: this.span(name.startOffset) };
            if (a.kwargs.some((k) => k.name === kwarg.name)) this.defer(`keyword argument repeated: ${kwarg.name}`, kwarg.loc);
            a.kwargs.push(kwarg);
          },
        },
        { ALT: () => { ensure(a.starArgs === null && a.starKwargs === null && a.kwargs.length === 0); a.args.push(this.SUBRULE4(this.expression)); } },
      ],
    });
  });

  /** One `name(args)` of a filter chain (`|` already consumed); `operand` is null in filter blocks and set blocks. */
  protected filterCall = this.RULE("filterCall", (operand: Expr | null = null, start = 0): Filter => {
    const name = this.SUBRULE(this.dottedName);
    const args = this.OPTION(() => this.SUBRULE(this.callArgs)) ?? EMPTY_ARGS();
    return { kind: "Filter", node: operand, name, ...args, loc: this.span(start) };
  });

  /** jinja2 parse_test: `is [not] name`, `is name(args)` or `is name arg` (one bare primary, e.g. `divisibleby 3`). */
  protected testExpr = this.RULE("testExpr", (operand: Expr = NO_EXPR, start = 0): Expr => {
    this.CONSUME(T.KwIs);
    const negated = this.OPTION(() => this.CONSUME(T.KwNot)) !== undefined;
    const name = this.SUBRULE(this.dottedName);
    let args = EMPTY_ARGS();
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => { args = this.SUBRULE(this.callArgs); } },
        {
          GATE: () => !this.isWord(["else", "or", "and"]),
          ALT: () => {
            if (!this.RECORDING_PHASE && this.is(T.KwIs)) this.fail("You cannot chain multiple tests with is");
            const s = this.LA(1).startOffset;
            const arg = this.SUBRULE(this.postfix, { ARGS: [this.SUBRULE(this.primary, { ARGS: [false] }) as Expr, s] });
            args = { args: [arg], kwargs: [], starArgs: null, starKwargs: null };
          },
        },
        { ALT: () => {} },
      ],
    });
    const test: Test = { kind: "Test", node: operand, name, ...args, loc: this.span(start) };
    return negated ? { kind: "UnaryOp", op: "not", operand: test, loc: test.loc } : test;
  });

  /** Filter and test names may contain dots (`x|a.b`), as in jinja2. */
  protected dottedName = this.RULE("dottedName", (): string => {
    let name = this.CONSUME(T.Name).image;
    this.MANY(() => (this.CONSUME(T.Dot), (name += "." + this.CONSUME2(T.Name).image)));
    return name;
  });
}
