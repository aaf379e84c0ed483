// The one shared chevrotain parser: jinja2's statements (parse_statement, subparse, parse_if …) on top of the
// expression grammar of expressions.ts, and parse(), which lexes, applies whitespace control and runs it. Each rule
// mirrors jinja2's parser.py decision by decision, so a template fails where and how jinja2 fails.
import { EOF, tokenMatcher, type EmbeddedActionsParser, type IToken } from "chevrotain";
import { TemplateSyntaxError, type ErrorKind } from "../errors.ts";
import { Source } from "../source.ts";
import type { AssignTarget, Call, Expr, Filter, If, Param, Stmt, Template } from "./ast.ts";
import { CONST_NAMES, ExpressionParser, type Primary } from "./expressions.ts";
import { Failure, MAX_CHAIN, MAX_NESTING, PENDING, quoted } from "./parser-base.ts";
import { lex } from "./lexer.ts";
import * as T from "./tokens.ts";
import { applyWhitespace } from "./whitespace.ts";

export { MAX_CHAIN, MAX_NESTING };

/** Syntax settings: transformers uses trimBlocks, lstripBlocks and loopControls; regionTags adds generation / think. */
export interface SyntaxOptions {
  trimBlocks: boolean;
  lstripBlocks: boolean;
  loopControls: boolean;
  regionTags: boolean;
}

interface BlockBody {
  body: Stmt[];
  /** The `{%` of the tag that ended the body (`{% elif`, `{% else`, `{% endif`). */
  close: IToken;
}

// jinja2's node class names, for "can't assign to 'x'".
const CLASS_NAMES: Record<string, string> = {
  "+": "add", "-": "sub", "*": "mul", "/": "div", "//": "floordiv", "%": "mod", "**": "pow", "~": "concat", and: "and", or: "or",
};
const NONE: readonly string[] = [];
const IF_ENDS = ["elif", "else", "endif"];
const FOR_ENDS = ["endfor", "else"];
const ELIFS = new WeakSet<Stmt>();

class JinjaParser extends ExpressionParser {
  private opts: SyntaxOptions = { trimBlocks: true, lstripBlocks: true, loopControls: true, regionTags: true };
  /** jinja2's _end_token_stack: the end tags each open body is looking for. */
  private endStack: (readonly string[])[] = [];
  /** jinja2's _tag_stack: the tag names of the statements being parsed. */
  private tagStack: IToken[] = [];
  /** Per open body: can `break` / `continue` reach a loop here (false inside macro, call and region bodies)? */
  private loopStack: boolean[] = [];

  constructor(validate: boolean) {
    super(validate);
    this.performSelfAnalysis();
  }

  setup(source: Source, options: SyntaxOptions, truncated: boolean): void {
    this.source = source;
    this.opts = options;
    this.truncated = truncated;
  }

  override reset(): void {
    super.reset();
    this.endStack = [];
    this.tagStack = [];
    this.loopStack = [];
  }

  /** jinja2 Parser._fail_ut_eof: unknown tag (name) or end of template (null) with what the open blocks expect. */
  private failTag(name: string | null, stack: (readonly string[])[], token: IToken): never {
    const expected = new Set(stack.flat());
    const looking = stack.length > 0 ? stack[stack.length - 1].map(quoted).join(" or ") : "";
    const parts = [name === null ? "Unexpected end of template." : `Encountered unknown tag ${quoted(name)}.`];
    if (looking !== "") {
      parts.push(name !== null && expected.has(name)
        ? `You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for ${looking}.`
        : `Jinja was looking for the following tags: ${looking}.`);
    }
    const innermost = this.tagStack[this.tagStack.length - 1];
    if (innermost !== undefined) parts.push(`The innermost block that needs to be closed is ${quoted(innermost.image)}.`);
    // An unknown tag fails before jinja2 advances past it; at the end of the template, point at the open block.
    if (name !== null) throw new Failure(parts.join(" "), token, "syntax", false);
    this.fail(parts.join(" "), innermost ?? token);
  }

  /** jinja2 parse_assign_target's can_assign() check, turning the parsed expression into a target. */
  private toTarget(e: Primary): AssignTarget {
    switch (e.kind) {
      case "Name":
        return { kind: "NameTarget", name: e.name, loc: e.loc };
      case "NsRef":
        return { kind: "AttrTarget", object: e.object, attr: e.attr, loc: e.loc };
      case "Tuple": {
        const ok = e.items.every((i) => i.kind === "Name" || (i.kind === "Tuple" && this.canAssign(i)));
        if (!ok) this.fail("can't assign to 'tuple'", this.tokenAt(e.loc));
        return { kind: "TupleTarget", items: e.items.map((i) => this.toTarget(i)), loc: e.loc };
      }
      default: {
        const name = e.kind === "BinOp" ? CLASS_NAMES[e.op] : e.kind === "UnaryOp" ? (e.op === "not" ? "not" : e.op === "-" ? "neg" : "pos") : e.kind.toLowerCase();
        this.fail(`can't assign to ${quoted(name)}`, this.tokenAt(e.loc));
      }
    }
  }

  private canAssign(e: Expr): boolean {
    return e.kind === "Name" || (e.kind === "Tuple" && e.items.every((i) => this.canAssign(i)));
  }

  private nameTarget(t: IToken): void {
    if (!this.RECORDING_PHASE && CONST_NAMES.has(t.image)) this.fail("can't assign to 'name'", t);
  }

  // ---------------------------------------------------------------- template and statements

  readonly template = this.RULE("template", (): Stmt[] => this.SUBRULE(this.body, { ARGS: [NONE] }));

  /** jinja2 subparse: text, `{{ }}` and statements until a `{%` whose tag is one of endTags. */
  private body = this.RULE("body", (endTags: readonly string[] = NONE): Stmt[] => {
    const out: Stmt[] = [];
    if (!this.RECORDING_PHASE && endTags.length > 0) this.endStack.push(endTags);
    this.MANY({
      GATE: () => !(endTags.length > 0 && this.is(T.BlockBegin) && this.isWord(endTags, 2)),
      DEF: () => {
        this.OR([
          { ALT: () => { const t = this.CONSUME(T.Text); out.push({ kind: "Text", value: t.image, loc: this.tokenLoc(t) }); } },
          { ALT: () => { out.push(this.SUBRULE(this.output)); } },
          { ALT: () => { const s = this.SUBRULE(this.statement); if (Array.isArray(s)) out.push(...s); else out.push(s); } },
        ]);
      },
    });
    if (!this.RECORDING_PHASE && endTags.length > 0) this.endStack.pop();
    return out;
  });

  /** jinja2 parse_statements: `[:] %}` body, stopping at `{%` of one of endTags (consumed; the tag name is not). */
  private blockBody = this.RULE("blockBody", (endTags: readonly string[] = NONE, loop: boolean | null = null): BlockBody => {
    this.OPTION(() => this.CONSUME(T.Colon));
    this.CONSUME(T.BlockEnd);
    if (!this.RECORDING_PHASE) {
      this.enter();
      if (loop !== null) this.loopStack.push(loop);
    }
    const body = this.SUBRULE(this.body, { ARGS: [endTags] });
    if (!this.RECORDING_PHASE) {
      this.depth--;
      if (loop !== null) this.loopStack.pop();
      if (this.is(EOF)) this.failTag(null, [...this.endStack, endTags], this.LA(1));
    }
    const close = this.CONSUME(T.BlockBegin);
    return { body, close };
  });

  private output = this.RULE("output", (): Stmt => {
    const begin = this.CONSUME(T.VariableBegin);
    const expr = this.SUBRULE(this.tupleExpr, { ARGS: [true, false] });
    this.CONSUME(T.VariableEnd);
    return { kind: "Output", expr, loc: this.span(begin.startOffset) };
  });

  /** jinja2 parse_statement: `{%` tag … `%}`, dispatching on the tag name. */
  private statement = this.RULE("statement", (): Stmt | Stmt[] => {
    const begin = this.CONSUME(T.BlockBegin);
    if (!this.RECORDING_PHASE) {
      const t = this.LA(1);
      if (!tokenMatcher(t, T.Name)) this.fail("tag name expected", t);
      this.tagStack.push(t);
    }
    const result = this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.ifStmt) },
        { ALT: () => this.SUBRULE(this.forStmt) },
        { ALT: () => this.SUBRULE(this.setStmt) },
        { ALT: () => this.SUBRULE(this.macroStmt) },
        { ALT: () => this.SUBRULE(this.callBlock) },
        { ALT: () => this.SUBRULE(this.filterBlock) },
        { ALT: () => this.SUBRULE(this.withStmt) },
        { ALT: () => this.SUBRULE(this.printStmt) },
        { GATE: () => this.opts.loopControls, ALT: () => this.SUBRULE(this.loopControl) },
        { GATE: () => this.opts.regionTags, ALT: () => this.SUBRULE(this.region) },
        { ALT: () => this.SUBRULE(this.unsupported) },
        { ALT: () => this.SUBRULE(this.unknownTag) },
      ],
    });
    if (!this.RECORDING_PHASE) this.tagStack.pop();
    this.CONSUME(T.BlockEnd);
    if (!this.RECORDING_PHASE) {
      const loc = this.span(begin.startOffset);
      for (const s of Array.isArray(result) ? result : [result]) {
        s.loc = loc;
        // elif branches are nested Ifs: each spans from its `{% elif` to the final `{% endif %}`.
        for (let n: Stmt = s; n.kind === "If" && n.orelse.length === 1 && n.orelse[0].kind === "If" && ELIFS.has(n.orelse[0]);) {
          n = n.orelse[0];
          n.loc = this.source.locOf(n.loc.offset, loc.endOffset);
        }
      }
    }
    return result;
  });

  private ifStmt = this.RULE("ifStmt", (): If => {
    this.CONSUME(T.KwIf);
    const test = this.SUBRULE(this.tupleExpr, { ARGS: [false, false] });
    const first = this.SUBRULE(this.blockBody, { ARGS: [IF_ENDS, null] });
    const branches = [{ test, body: first.body, start: -1 }];
    let close = first.close;
    this.MANY(() => {
      this.chain(branches.length);
      this.CONSUME(T.KwElif);
      const t = this.SUBRULE2(this.tupleExpr, { ARGS: [false, false] });
      const b = this.SUBRULE2(this.blockBody, { ARGS: [IF_ENDS, null] });
      this.ACTION(() => {
        branches.push({ test: t, body: b.body, start: close.startOffset });
        close = b.close;
      });
    });
    let orelse: Stmt[] = [];
    this.OPTION(() => {
      this.CONSUME(T.KwElse);
      orelse = this.SUBRULE3(this.blockBody, { ARGS: [["endif"], null] }).body;
    });
    this.CONSUME(T.KwEndIf);
    let node: If | undefined;
    for (let i = branches.length - 1; i >= 0; i--) {
      const b = branches[i];
      node = { kind: "If", test: b.test, body: b.body, orelse, loc: this.source.locOf(b.start) };
      if (i > 0) ELIFS.add(node);
      orelse = [node];
    }
    return node!;
  });

  private forStmt = this.RULE("forStmt", (): Stmt => {
    this.CONSUME(T.KwFor);
    const target = this.SUBRULE(this.assignTarget, { ARGS: [false] });
    this.CONSUME(T.KwIn);
    const iter = this.SUBRULE(this.tupleExpr, { ARGS: [false, false] });
    let filter: Expr | null = null;
    let recursive = false;
    this.OPTION(() => {
      this.CONSUME(T.KwIf);
      filter = this.SUBRULE(this.expression);
    });
    this.OPTION2(() => {
      this.CONSUME(T.KwRecursive);
      recursive = true;
    });
    const body = this.SUBRULE(this.blockBody, { ARGS: [FOR_ENDS, true] }).body;
    let orelse: Stmt[] = [];
    // jinja2 compiles `else` after the Python loop (inside the loop function when recursive): not in this loop.
    this.OPTION3(() => {
      this.CONSUME(T.KwElse);
      orelse = this.SUBRULE2(this.blockBody, { ARGS: [["endfor"], recursive ? false : null] }).body;
    });
    this.CONSUME(T.KwEndFor);
    return { kind: "For", target, iter, filter, recursive, body, orelse, loc: PENDING };
  });

  private setStmt = this.RULE("setStmt", (): Stmt => {
    this.CONSUME(T.KwSet);
    const target = this.SUBRULE(this.assignTarget, { ARGS: [true] });
    return this.OR({
      ERR_MSG: `expect:${T.describeType(T.BlockEnd)}`,
      DEF: [
        {
          ALT: (): Stmt => {
            this.CONSUME(T.Assign);
            const value = this.SUBRULE(this.tupleExpr, { ARGS: [true, false] });
            return { kind: "Set", target, value, loc: PENDING };
          },
        },
        {
          ALT: (): Stmt => {
            let filter: Filter | null = null;
            let start = -1;
            let length = 0;
            this.MANY(() => {
              this.CONSUME(T.Pipe);
              this.chain(++length);
              if (start === -1) start = this.LA(1).startOffset;
              filter = this.SUBRULE(this.filterCall, { ARGS: [filter, start] });
            });
            const body = this.SUBRULE(this.blockBody, { ARGS: [["endset"], null] }).body;
            this.CONSUME(T.KwEndSet);
            return { kind: "SetBlock", target, filter, body, loc: PENDING };
          },
        },
      ],
    });
  });

  private macroStmt = this.RULE("macroStmt", (): Stmt => {
    this.CONSUME(T.KwMacro);
    const name = this.CONSUME(T.Name);
    this.nameTarget(name);
    const params = this.SUBRULE(this.signature);
    const body = this.SUBRULE(this.blockBody, { ARGS: [["endmacro"], false] }).body;
    this.CONSUME(T.KwEndMacro);
    return { kind: "Macro", name: name.image, params, body, loc: PENDING };
  });

  private callBlock = this.RULE("callBlock", (): Stmt => {
    const kw = this.CONSUME(T.KwCall);
    let params: Param[] = [];
    this.OPTION(() => {
      params = this.SUBRULE(this.signature);
    });
    const call = this.SUBRULE(this.expression);
    if (!this.RECORDING_PHASE && call.kind !== "Call") this.fail("expected call", kw);
    const body = this.SUBRULE(this.blockBody, { ARGS: [["endcall"], false] }).body;
    this.CONSUME(T.KwEndCall);
    return { kind: "CallBlock", call: call as Call, params, body, loc: PENDING };
  });

  private filterBlock = this.RULE("filterBlock", (): Stmt => {
    this.CONSUME(T.KwFilter);
    const start = this.LA(1).startOffset;
    let filter = this.SUBRULE(this.filterCall, { ARGS: [null, start] });
    let length = 1;
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      this.chain(++length);
      filter = this.SUBRULE2(this.filterCall, { ARGS: [filter, start] });
    });
    const body = this.SUBRULE(this.blockBody, { ARGS: [["endfilter"], null] }).body;
    this.CONSUME(T.KwEndFilter);
    return { kind: "FilterBlock", filter, body, loc: PENDING };
  });

  private withStmt = this.RULE("withStmt", (): Stmt => {
    this.CONSUME(T.KwWith);
    const targets: AssignTarget[] = [];
    const values: Expr[] = [];
    const pair = (i: number): void => {
      targets.push(this.subrule(i, this.assignTarget, { ARGS: [false] }));
      this.consume(i, T.Assign);
      values.push(this.subrule(i, this.expression));
    };
    this.OPTION({ GATE: () => !this.is(T.BlockEnd), DEF: () => this.sepList(pair) });
    this.checkCloser(T.BlockEnd, targets.length > 0);
    const body = this.SUBRULE(this.blockBody, { ARGS: [["endwith"], null] }).body;
    this.CONSUME(T.KwEndWith);
    return { kind: "With", targets, values, body, loc: PENDING };
  });

  /** `{% print a, b %}`: one Output per expression. */
  private printStmt = this.RULE("printStmt", (): Stmt[] => {
    this.CONSUME(T.KwPrint);
    const out: Stmt[] = [];
    const item = (i: number): void => void out.push({ kind: "Output", expr: this.subrule(i, this.expression), loc: PENDING });
    this.OPTION({ GATE: () => !this.is(T.BlockEnd), DEF: () => this.sepList(item) });
    this.checkCloser(T.BlockEnd, out.length > 0);
    return out;
  });

  private loopControl = this.RULE("loopControl", (): Stmt => {
    const t = this.OR([{ ALT: () => this.CONSUME(T.KwBreak) }, { ALT: () => this.CONSUME(T.KwContinue) }]);
    const kind = t.image === "break" ? "Break" : "Continue";
    if (!this.RECORDING_PHASE && this.loopStack[this.loopStack.length - 1] !== true) {
      this.defer(kind === "Break" ? "'break' outside loop" : "'continue' not properly in loop", this.tokenLoc(t));
    }
    return { kind, loc: this.tokenLoc(t) };
  });

  /** transformers' `{% generation %}` and spanja's `{% think %}`: call blocks, so a loop does not reach inside. */
  private region = this.RULE("region", (): Stmt => {
    return this.OR([
      {
        ALT: (): Stmt => {
          this.CONSUME(T.KwGeneration);
          const body = this.SUBRULE(this.blockBody, { ARGS: [["endgeneration"], false] }).body;
          this.CONSUME(T.KwEndGeneration);
          return { kind: "Region", label: "assistant", tag: "generation", body, loc: PENDING };
        },
      },
      {
        ALT: (): Stmt => {
          this.CONSUME(T.KwThink);
          const body = this.SUBRULE2(this.blockBody, { ARGS: [["endthink"], false] }).body;
          this.CONSUME(T.KwEndThink);
          return { kind: "Region", label: "think", tag: "think", body, loc: PENDING };
        },
      },
    ]);
  });

  /** Tags jinja2 parses but a chat template cannot use: there are no other templates to load, and no autoescaping. */
  private unsupported = this.RULE("unsupported", (): Stmt[] => {
    const t = this.OR([
      { ALT: () => this.CONSUME(T.KwInclude) },
      { ALT: () => this.CONSUME(T.KwExtends) },
      { ALT: () => this.CONSUME(T.KwImport) },
      { ALT: () => this.CONSUME(T.KwFrom) },
      { ALT: () => this.CONSUME(T.KwBlock) },
      { ALT: () => this.CONSUME(T.KwAutoescape) },
    ]);
    if (!this.RECORDING_PHASE) {
      const why = t.image === "autoescape"
        ? "chat templates render with autoescaping off"
        : "a chat template is rendered on its own and cannot include, import or extend other templates";
      this.fail(`'${t.image}' is not supported: ${why}`, t, "unsupported");
    }
    return [];
  });

  private unknownTag = this.RULE("unknownTag", (): Stmt[] => {
    const t = this.CONSUME(T.Name);
    if (!this.RECORDING_PHASE) {
      this.tagStack.pop();
      this.failTag(t.image, this.endStack, t);
    }
    return [];
  });

  /** jinja2 parse_signature: `(a, b=1)`. */
  private signature = this.RULE("signature", (): Param[] => {
    this.CONSUME(T.LParen);
    const params: Param[] = [];
    this.OPTION({ GATE: () => !this.is(T.RParen), DEF: () => this.sepList((i) => this.subrule(i, this.param, { ARGS: [params] })) });
    if (!this.RECORDING_PHASE && !this.is(T.RParen)) this.failExpected(params.length > 0 ? T.Comma : T.Name);
    this.CONSUME(T.RParen);
    return params;
  });

  private param = this.RULE("param", (params: Param[] = []): void => {
    const name = this.CONSUME(T.Name);
    this.nameTarget(name);
    let def: Expr | null = null;
    this.OPTION(() => {
      this.CONSUME(T.Assign);
      def = this.SUBRULE(this.expression);
    });
    if (!this.RECORDING_PHASE) {
      if (def === null && params.some((p) => p.default !== null)) this.fail("non-default argument follows default argument");
      const loc = this.span(name.startOffset);
      if (params.some((p) => p.name === name.image)) this.defer(`duplicate argument '${name.image}' in function definition`, loc);
      params.push({ name: name.image, default: def, loc });
    }
  });

  /** jinja2 parse_assign_target: a simplified tuple of names (and `ns.attr` in `set`), checked by can_assign. */
  private assignTarget = this.RULE("assignTarget", (withNamespace = false): AssignTarget => {
    const start = this.LA(1);
    const items: Primary[] = [];
    const [, commas] = this.commaList(() => !this.atTupleEnd(), (i) => items.push(this.subrule(i, this.primary, { ARGS: [withNamespace] })));
    if (this.RECORDING_PHASE) return { kind: "NameTarget", name: "", loc: PENDING };
    if (items.length === 0) {
      if (!this.atTupleEnd()) this.failUnexpected();
      this.fail(`Expected an expression, got ${quoted(T.describeToken(this.LA(1)))}`);
    }
    if (commas === 0) return this.toTarget(items[0]);
    if (items.some((i) => i.kind !== "Name" && i.kind !== "NsRef" && !(i.kind === "Tuple" && this.canAssign(i)))) {
      this.fail("can't assign to 'tuple'", start);
    }
    return { kind: "TupleTarget", items: items.map((i) => this.toTarget(i)), loc: this.span(start.startOffset) };
  });

  /** The rules as chevrotain serializes them, for grammar/generate.ts. */
  productions(): ReturnType<EmbeddedActionsParser["getSerializedGastProductions"]> {
    return this.getSerializedGastProductions();
  }
}

let shared: JinjaParser | undefined;

function parser(): JinjaParser {
  shared ??= new JinjaParser(false);
  return shared;
}

/** Parses a normalized template (newlines normalized, trailing newline dropped by the caller) into its AST. */
export function parse(source: Source, options: SyntaxOptions): Template {
  const lexed = lex(source);
  const p = parser();
  p.setup(source, options, lexed.error !== null);
  p.input = applyWhitespace(lexed.tokens, source.text, options);
  const located = (detail: string, token: IToken, kind: ErrorKind = "syntax"): TemplateSyntaxError => {
    // jinja2 lexes lazily: a lexer error wins unless the parser failed before reaching it.
    if (lexed.error !== null && token.tokenType === EOF) return lexed.error;
    // chevrotain's EOF token has no position: an error at the end of input points at the end of the template.
    const loc = token.tokenType === EOF ? source.locOf(source.text.length, source.text.length) : source.locOf(token.startOffset, token.endOffset! + 1);
    return new TemplateSyntaxError(detail, { loc, source }, kind);
  };
  try {
    let body: Stmt[];
    try {
      body = p.template();
    } catch (e) {
      if (e instanceof Failure) throw lexed.error !== null && e.atEnd ? lexed.error : located(e.message, e.token, e.kind);
      // A safety net below MAX_NESTING: the caller may already be deep in the stack.
      if (e instanceof RangeError && /call stack/i.test(e.message)) throw located("template is nested too deeply (the parser ran out of stack)", p.input[0] ?? EOF_TOKEN);
      throw e;
    }
    if (p.errors.length > 0) throw located(p.errors[0].message, p.errors[0].token);
    if (lexed.error !== null) throw lexed.error;
    if (p.deferred !== null) throw located(p.deferred.message, p.deferred.token);
    return { kind: "Template", body, loc: source.locOf(0, source.text.length) };
  } finally {
    // The shared instance must not keep the last template's tokens alive.
    p.input = [];
    p.setup(EMPTY_SOURCE, options, false);
  }
}

const EMPTY_SOURCE = new Source("");

const EOF_TOKEN: IToken = { image: "", startOffset: 0, tokenType: EOF, tokenTypeIdx: EOF.tokenTypeIdx! };

/** A fresh parser with chevrotain's grammar validations on, for tests and grammar/generate.ts. */
export function validatedGrammar(): ReturnType<EmbeddedActionsParser["getSerializedGastProductions"]> {
  return new JinjaParser(true).productions();
}
