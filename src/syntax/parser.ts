// jinja2's grammar as ONE shared chevrotain parser whose embedded actions build ast.ts nodes directly (no CST).
// Each rule mirrors a parse_* method of jinja2's parser.py, LL(1) plus the same one-token peeks, so a template fails
// where and how jinja2 fails. Knows nothing of values or rendering.
import { EmbeddedActionsParser, EOF, tokenMatcher, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import { TemplateSyntaxError, type ErrorKind } from "../errors.ts";
import type { Loc, Source } from "../source.ts";
import type {
  Args, AssignTarget, BinOpName, Call, CompareOpName, Dict, Expr, Filter, If, Kwarg, List, Param, Stmt, Template, Test,
} from "./ast.ts";
import { lex, Locator } from "./lexer.ts";
import * as T from "./tokens.ts";
import { applyWhitespace } from "./whitespace.ts";

/** Syntax settings: transformers uses trimBlocks, lstripBlocks and loopControls; regionTags adds generation / think. */
export interface SyntaxOptions {
  trimBlocks: boolean;
  lstripBlocks: boolean;
  loopControls: boolean;
  regionTags: boolean;
}

/** Deepest nesting of blocks, brackets and recursive operators (`not`, unary `-`, `else`) before a syntax error. */
export const MAX_NESTING = Number(process.env.MAXN ?? 150);

/** jinja2 `NSRef`: `ns.attr` as an assignment target; only the `set` statement's target produces it. */
interface NsRef {
  kind: "NsRef";
  object: string;
  attr: string;
  loc: Loc;
}
type Primary = Expr | NsRef;

interface BlockBody {
  body: Stmt[];
  /** The `{%` of the tag that ended the body (`{% elif`, `{% else`, `{% endif`). */
  close: IToken;
}

const NONE: readonly string[] = [];
const IF_ENDS = ["elif", "else", "endif"];
const FOR_ENDS = ["endfor", "else"];
const CONST_NAMES = new Map<string, boolean | null>([["true", true], ["false", false], ["True", true], ["False", false], ["none", null], ["None", null]]);
// jinja2's node class names, for "can't assign to 'x'".
const CLASS_NAMES: Record<string, string> = {
  "+": "add", "-": "sub", "*": "mul", "/": "div", "//": "floordiv", "%": "mod", "**": "pow", "~": "concat", and: "and", or: "or",
};
const EMPTY_ARGS = (): Args => ({ args: [], kwargs: [], starArgs: null, starKwargs: null });

const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => expectedMessage(T.describeType(expected), actual),
  buildNotAllInputParsedMessage: ({ firstRedundant }) => unexpectedMessage(firstRedundant),
  buildNoViableAltMessage: ({ actual, customUserDescription }) =>
    customUserDescription === undefined ? unexpectedMessage(actual[0])
    : customUserDescription.startsWith("expect:") ? expectedMessage(customUserDescription.slice(7), actual[0])
    : customUserDescription,
  buildEarlyExitMessage: ({ actual }) => unexpectedMessage(actual[0]),
};

/** jinja2 TokenStream.expect's two messages. */
function expectedMessage(expected: string, actual: IToken): string {
  return actual.tokenType === EOF
    ? `unexpected end of template, expected '${expected}'.`
    : `expected token '${expected}', got '${T.describeToken(actual)}'`;
}

/** jinja2 parse_primary's message. */
function unexpectedMessage(actual: IToken): string {
  return `unexpected '${T.describeToken(actual)}'`;
}

const q = (s: string): string => `'${s}'`;

/** A syntax error raised by a rule, remembering the token it points at. */
class Failure extends Error {
  readonly token: IToken;
  readonly kind: ErrorKind;
  /** Raised with every token consumed: jinja2 would already have tried to lex the next one. */
  readonly atEnd: boolean;
  constructor(detail: string, token: IToken, kind: ErrorKind, atEnd: boolean) {
    super(detail);
    this.token = token;
    this.kind = kind;
    this.atEnd = atEnd;
  }
}

class JinjaParser extends EmbeddedActionsParser {
  private locator = new Locator("");
  private opts: SyntaxOptions = { trimBlocks: true, lstripBlocks: true, loopControls: true, regionTags: true };
  /** jinja2's _end_token_stack: the end tags each open body is looking for. */
  private endStack: (readonly string[])[] = [];
  /** jinja2's _tag_stack: the tag names of the statements being parsed. */
  private tagStack: IToken[] = [];
  /** Per open body: can `break` / `continue` reach a loop here (false inside macro, call and region bodies)? */
  private loopStack: boolean[] = [];
  private depth = 0;
  /** The token vector ends at a lexer error. */
  private truncated = false;
  /** Python's compile-time "'break' outside loop", raised only if the whole template parses. */
  deferred: Failure | null = null;

  constructor(validate: boolean) {
    super(T.ALL_TOKENS, { maxLookahead: 1, recoveryEnabled: false, errorMessageProvider: messages, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  setup(locator: Locator, options: SyntaxOptions, truncated: boolean): void {
    this.locator = locator;
    this.opts = options;
    this.truncated = truncated;
  }

  override reset(): void {
    super.reset();
    this.endStack = [];
    this.tagStack = [];
    this.loopStack = [];
    this.depth = 0;
    this.deferred = null;
  }

  // ---------------------------------------------------------------- helpers

  private fail(detail: string, token: IToken = this.LA(1), kind: ErrorKind = "syntax"): never {
    throw new Failure(detail, token, kind, this.LA(1).tokenType === EOF);
  }

  private failUnexpected(): never {
    this.fail(unexpectedMessage(this.LA(1)));
  }

  private failExpected(type: TokenType): never {
    this.fail(expectedMessage(T.describeType(type), this.LA(1)));
  }

  /** jinja2 Parser._fail_ut_eof: unknown tag (name) or end of template (null) with what the open blocks expect. */
  private failTag(name: string | null, stack: (readonly string[])[], token: IToken): never {
    const expected = new Set(stack.flat());
    const looking = stack.length > 0 ? stack[stack.length - 1].map(q).join(" or ") : "";
    const parts = [name === null ? "Unexpected end of template." : `Encountered unknown tag ${q(name)}.`];
    if (looking !== "") {
      parts.push(name !== null && expected.has(name)
        ? `You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for ${looking}.`
        : `Jinja was looking for the following tags: ${looking}.`);
    }
    const innermost = this.tagStack[this.tagStack.length - 1];
    if (innermost !== undefined) parts.push(`The innermost block that needs to be closed is ${q(innermost.image)}.`);
    // An unknown tag fails before jinja2 advances past it; at the end of the template, point at the open block.
    if (name !== null) throw new Failure(parts.join(" "), token, "syntax", false);
    this.fail(parts.join(" "), innermost ?? token);
  }

  /** Records an error Python raises when compiling jinja2's generated code; it is thrown only if parsing succeeds. */
  private defer(detail: string, loc: Loc): void {
    if (!this.RECORDING_PHASE && this.deferred === null) this.deferred = new Failure(detail, this.tokenAt(loc), "syntax", false);
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) this.fail(`template is nested too deeply (more than ${MAX_NESTING} levels of blocks, brackets or operators)`, this.LA(0));
  }

  private is(type: TokenType, k = 1): boolean {
    return tokenMatcher(this.peek(k), type);
  }

  private isWord(words: readonly string[], k = 1): boolean {
    const t = this.peek(k);
    return tokenMatcher(t, T.Name) && words.includes(t.image);
  }

  /** LA(k); jinja2 lexes lazily, so peeking past a lexer error raises that error (jinja2's `stream.look()`). */
  private peek(k: number): IToken {
    const t = this.LA(k);
    if (k > 1 && this.truncated && t.tokenType === EOF && !this.RECORDING_PHASE) throw new Failure("", t, "syntax", true);
    return t;
  }

  /**
   * jinja2 is_tuple_end. Its extra end rules (`in` after a for target, `recursive` after the iterable) never match in
   * jinja2 3.1 (`test_any(extra_end_rules)` lacks a `*`), so `{% for x, in y %}` reads `in` as a name, as jinja2 does.
   */
  private atTupleEnd(): boolean {
    return this.is(T.VariableEnd) || this.is(T.BlockEnd) || this.is(T.RParen);
  }

  /** Loc from a start offset to the end of the last consumed token. */
  private span(start: number): Loc {
    return this.locator.loc(start, this.LA(0).endOffset! + 1);
  }

  private tokenLoc(t: IToken): Loc {
    return this.locator.loc(t.startOffset, t.endOffset! + 1);
  }

  /** jinja2's `while current != closer: if items: expect(comma)` loops end here when the closer is missing. */
  private checkCloser(closer: TokenType, hasItems: boolean): void {
    if (!this.RECORDING_PHASE && !this.is(closer)) {
      if (hasItems) this.failExpected(T.Comma);
      this.failUnexpected();
    }
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
        this.fail(`can't assign to ${q(name)}`, this.tokenAt(e.loc));
      }
    }
  }

  private canAssign(e: Expr): boolean {
    return e.kind === "Name" || (e.kind === "Tuple" && e.items.every((i) => this.canAssign(i)));
  }

  /** A token-shaped pointer at a node, for errors about nodes. */
  private tokenAt(loc: Loc): IToken {
    return { image: "", startOffset: loc.offset, endOffset: loc.endOffset - 1, tokenType: T.Name, tokenTypeIdx: T.Name.tokenTypeIdx! };
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
          n.loc = this.locator.loc(n.loc.offset, loc.endOffset);
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
      node = { kind: "If", test: b.test, body: b.body, orelse, loc: this.locator.loc(b.start) };
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
            this.MANY(() => {
              this.CONSUME(T.Pipe);
              filter = this.SUBRULE(this.filterCall, { ARGS: [filter, this.LA(1).startOffset] });
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
    let filter = this.SUBRULE(this.filterCall, { ARGS: [null, this.LA(1).startOffset] });
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      filter = this.SUBRULE2(this.filterCall, { ARGS: [filter, this.LA(1).startOffset] });
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
    this.OPTION({
      GATE: () => !this.is(T.BlockEnd),
      DEF: () => {
        pair(1);
        this.MANY(() => {
          this.CONSUME(T.Comma);
          pair(2);
        });
      },
    });
    this.checkCloser(T.BlockEnd, targets.length > 0);
    const body = this.SUBRULE(this.blockBody, { ARGS: [["endwith"], null] }).body;
    this.CONSUME(T.KwEndWith);
    return { kind: "With", targets, values, body, loc: PENDING };
  });

  /** `{% print a, b %}`: one Output per expression. */
  private printStmt = this.RULE("printStmt", (): Stmt[] => {
    this.CONSUME(T.KwPrint);
    const out: Stmt[] = [];
    this.OPTION({
      GATE: () => !this.is(T.BlockEnd),
      DEF: () => {
        out.push({ kind: "Output", expr: this.SUBRULE(this.expression), loc: PENDING });
        this.MANY(() => {
          this.CONSUME(T.Comma);
          out.push({ kind: "Output", expr: this.SUBRULE2(this.expression), loc: PENDING });
        });
      },
    });
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
    this.OPTION({
      GATE: () => !this.is(T.RParen),
      DEF: () => {
        this.SUBRULE(this.param, { ARGS: [params] });
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.param, { ARGS: [params] });
        });
      },
    });
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

  // ---------------------------------------------------------------- expressions (split out below for size)

  /** jinja2 parse_assign_target: a simplified tuple of names (and `ns.attr` in `set`), checked by can_assign. */
  private assignTarget = this.RULE("assignTarget", (withNamespace = false): AssignTarget => {
    const start = this.LA(1);
    const items: Primary[] = [];
    let isTuple = false;
    this.OPTION({
      GATE: () => !this.atTupleEnd(),
      DEF: () => {
        items.push(this.SUBRULE(this.primary, { ARGS: [withNamespace] }));
        this.MANY(() => {
          this.CONSUME(T.Comma);
          isTuple = true;
          let taken = false;
          this.OPTION2({
            GATE: () => !this.atTupleEnd(),
            DEF: () => {
              items.push(this.SUBRULE2(this.primary, { ARGS: [withNamespace] }));
              taken = true;
            },
          });
          if (!this.RECORDING_PHASE && !taken && !this.atTupleEnd()) this.failUnexpected();
        });
      },
    });
    if (this.RECORDING_PHASE) return { kind: "NameTarget", name: "", loc: PENDING };
    if (items.length === 0) {
      if (!this.atTupleEnd()) this.failUnexpected();
      this.fail(`Expected an expression, got ${q(T.describeToken(this.LA(1)))}`);
    }
    if (!isTuple) return this.toTarget(items[0]);
    if (items.some((i) => i.kind !== "Name" && i.kind !== "NsRef" && !(i.kind === "Tuple" && this.canAssign(i)))) {
      this.fail("can't assign to 'tuple'", start);
    }
    return { kind: "TupleTarget", items: items.map((i) => this.toTarget(i)), loc: this.span(start.startOffset) };
  });

  /** jinja2 parse_tuple: comma-separated expressions; a tuple when there is a comma (`{{ 1, 2 }}`). */
  private tupleExpr = this.RULE("tupleExpr", (withCondExpr = true, explicitParens = false): Expr => {
    const start = this.LA(1).startOffset;
    const items: Expr[] = [];
    let isTuple = false;
    this.OPTION({
      GATE: () => !this.atTupleEnd(),
      DEF: () => {
        items.push(this.SUBRULE(this.expression, { ARGS: [withCondExpr] }));
        this.MANY(() => {
          this.CONSUME(T.Comma);
          isTuple = true;
          let taken = false;
          this.OPTION2({
            GATE: () => !this.atTupleEnd(),
            DEF: () => {
              items.push(this.SUBRULE2(this.expression, { ARGS: [withCondExpr] }));
              taken = true;
            },
          });
          if (!this.RECORDING_PHASE && !taken && !this.atTupleEnd()) this.failUnexpected();
        });
      },
    });
    if (!this.RECORDING_PHASE && items.length === 0) {
      if (!this.atTupleEnd()) this.failUnexpected();
      if (!explicitParens) this.fail(`Expected an expression, got ${q(T.describeToken(this.LA(1)))}`);
    }
    if (isTuple || items.length === 0) return { kind: "Tuple", items, loc: items.length === 0 ? this.locator.loc(start, start) : this.span(start) };
    return items[0];
  });

  /** jinja2 parse_expression: with or without the conditional `a if b else c` (for and if heads use orExpr). */
  private expression = this.RULE("expression", (withCondExpr = true): Expr =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => withCondExpr, ALT: () => this.SUBRULE(this.condExpr) },
        { ALT: () => this.SUBRULE(this.orExpr) },
      ],
    }));

  private condExpr = this.RULE("condExpr", (): Expr => {
    const start = this.LA(1).startOffset;
    let expr = this.SUBRULE(this.orExpr);
    this.MANY(() => {
      this.CONSUME(T.KwIf);
      const test = this.SUBRULE2(this.orExpr);
      let orelse: Expr | null = null;
      this.OPTION(() => {
        this.CONSUME(T.KwElse);
        if (!this.RECORDING_PHASE) this.enter();
        orelse = this.SUBRULE(this.condExpr);
        this.depth--;
      });
      expr = { kind: "CondExpr", test, body: expr, orelse, loc: this.span(start) };
    });
    return expr;
  });

  private orExpr = this.RULE("orExpr", (): Expr => {
    const start = this.LA(1).startOffset;
    let left = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.KwOr);
      left = this.binOp("or", left, this.SUBRULE2(this.andExpr), start);
    });
    return left;
  });

  private andExpr = this.RULE("andExpr", (): Expr => {
    const start = this.LA(1).startOffset;
    let left = this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(T.KwAnd);
      left = this.binOp("and", left, this.SUBRULE2(this.notExpr), start);
    });
    return left;
  });

  private notExpr = this.RULE("notExpr", (): Expr =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: (): Expr => {
            const t = this.CONSUME(T.KwNot);
            if (!this.RECORDING_PHASE) this.enter();
            const operand = this.SUBRULE(this.notExpr);
            this.depth--;
            return { kind: "UnaryOp", op: "not", operand, loc: this.span(t.startOffset) };
          },
        },
        { ALT: () => this.SUBRULE(this.compareExpr) },
      ],
    }));

  /** jinja2 parse_compare: a chain `a < b <= c`, plus `in` and `not in`. */
  private compareExpr = this.RULE("compareExpr", (): Expr => {
    const start = this.LA(1).startOffset;
    const left = this.SUBRULE(this.addExpr);
    const ops: { op: CompareOpName; right: Expr }[] = [];
    this.MANY({
      GATE: () => !this.is(T.KwNot) || this.is(T.KwIn, 2),
      DEF: () => {
        const op = this.OR([
          { ALT: () => this.CONSUME(T.CompareOp).image as CompareOpName },
          { ALT: () => this.CONSUME(T.KwIn).image as CompareOpName },
          { ALT: (): CompareOpName => { this.CONSUME(T.KwNot); this.CONSUME2(T.KwIn); return "notin"; } },
        ]);
        ops.push({ op, right: this.SUBRULE2(this.addExpr) });
      },
    });
    return ops.length === 0 ? left : { kind: "Compare", left, ops, loc: this.span(start) };
  });

  private addExpr = this.RULE("addExpr", (): Expr => this.binary(0));
  private concatExpr = this.RULE("concatExpr", (): Expr => this.binary(1));
  private mulExpr = this.RULE("mulExpr", (): Expr => this.binary(2));
  private powExpr = this.RULE("powExpr", (): Expr => this.binary(3));

  /** The left-associative levels math1 (+ -), concat (~), math2 (* / // %) and pow (**). */
  private binary(level: number): Expr {
    const start = this.LA(1).startOffset;
    const operand = (i: number): Expr =>
      level === 0 ? this.subrule(i, this.concatExpr)
      : level === 1 ? this.subrule(i, this.mulExpr)
      : level === 2 ? this.subrule(i, this.powExpr)
      : this.subrule(i, this.unary);
    const opType = level === 0 ? T.AddOp : level === 1 ? T.Tilde : level === 2 ? T.MulOp : T.Pow;
    let left = operand(1);
    this.MANY(() => {
      const op = this.CONSUME(opType).image as BinOpName;
      left = this.binOp(op, left, operand(2), start);
    });
    return left;
  }

  private binOp(op: BinOpName, left: Expr, right: Expr, start: number): Expr {
    return { kind: "BinOp", op, left, right, loc: this.span(start) };
  }

  /** jinja2 parse_unary: `-x` and `+x` bind tighter than filters and tests (`-x|abs` is `(-x)|abs`). */
  private unary = this.RULE("unary", (withFilter = true): Expr => {
    const start = this.LA(1).startOffset;
    let node = this.OR([
      { ALT: (): Expr => this.sign(1, T.Minus, "-", start) },
      { ALT: (): Expr => this.sign(2, T.Plus, "+", start) },
      { ALT: () => this.SUBRULE3(this.primary, { ARGS: [false] }) as Expr },
    ]);
    node = this.SUBRULE(this.postfix, { ARGS: [node, start] });
    this.MANY({
      GATE: () => withFilter,
      DEF: () => {
        this.OR2([
          { ALT: () => { this.CONSUME(T.Pipe); node = this.SUBRULE(this.filterCall, { ARGS: [node, start] }); } },
          { ALT: () => { node = this.SUBRULE(this.testExpr, { ARGS: [node, start] }); } },
          { ALT: () => { node = this.SUBRULE(this.call, { ARGS: [node, start] }); } },
        ]);
      },
    });
    return node;
  });

  private sign(i: number, type: TokenType, op: "-" | "+", start: number): Expr {
    this.consume(i, type);
    if (!this.RECORDING_PHASE) this.enter();
    const operand = this.subrule(i, this.unary, { ARGS: [false] });
    this.depth--;
    return { kind: "UnaryOp", op, operand, loc: this.span(start) };
  }

  /** jinja2 parse_primary: names, literals, `( … )`, lists and dicts; `with_namespace` allows `ns.attr`. */
  private primary = this.RULE("primary", (withNamespace = false): Primary =>
    this.OR([
      {
        ALT: (): Primary => {
          const t = this.CONSUME(T.Name);
          const loc = this.tokenLoc(t);
          const c = CONST_NAMES.get(t.image);
          if (c !== undefined) return { kind: "Const", value: c, isFloat: false, loc };
          let attr: IToken | null = null;
          this.OPTION({
            GATE: () => withNamespace,
            DEF: () => {
              this.CONSUME(T.Dot);
              attr = this.CONSUME2(T.Name);
            },
          });
          if (attr !== null) return { kind: "NsRef", object: t.image, attr: (attr as IToken).image, loc: this.span(t.startOffset) };
          return { kind: "Name", name: t.image, loc };
        },
      },
      {
        ALT: (): Expr => {
          const first = this.CONSUME(T.StringLit);
          let value = first.payload as string;
          this.MANY(() => {
            value += this.CONSUME2(T.StringLit).payload as string;
          });
          return { kind: "Const", value, isFloat: false, loc: this.span(first.startOffset) };
        },
      },
      { ALT: (): Expr => { const t = this.CONSUME(T.Integer); return { kind: "Const", value: t.payload as number, isFloat: false, loc: this.tokenLoc(t) }; } },
      { ALT: (): Expr => { const t = this.CONSUME(T.Float); return { kind: "Const", value: t.payload as number, isFloat: true, loc: this.tokenLoc(t) }; } },
      {
        ALT: (): Expr => {
          const open = this.CONSUME(T.LParen);
          if (!this.RECORDING_PHASE) this.enter();
          const e = this.SUBRULE(this.tupleExpr, { ARGS: [true, true] });
          this.CONSUME(T.RParen);
          this.depth--;
          // A parenthesized tuple spans its parentheses (`()` has nothing else to point at).
          if (e.kind === "Tuple" && (e.items.length === 0 || e.loc.offset === e.items[0].loc.offset)) e.loc = this.span(open.startOffset);
          return e;
        },
      },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.dict) },
    ]));

  private list = this.RULE("list", (): List => {
    const open = this.CONSUME(T.LBracket);
    if (!this.RECORDING_PHASE) this.enter();
    const items: Expr[] = [];
    this.OPTION({
      GATE: () => !this.is(T.RBracket),
      DEF: () => {
        items.push(this.SUBRULE(this.expression));
        this.MANY(() => {
          this.CONSUME(T.Comma);
          const taken = this.OPTION2({ GATE: () => !this.is(T.RBracket), DEF: () => items.push(this.SUBRULE2(this.expression)) !== 0 });
          if (taken !== true) this.checkCloser(T.RBracket, false);
        });
      },
    });
    this.checkCloser(T.RBracket, items.length > 0);
    this.CONSUME(T.RBracket);
    this.depth--;
    return { kind: "List", items, loc: this.span(open.startOffset) };
  });

  private dict = this.RULE("dict", (): Dict => {
    const open = this.CONSUME(T.LBrace);
    if (!this.RECORDING_PHASE) this.enter();
    const keys: Expr[] = [];
    const values: Expr[] = [];
    const pair = (i: number): void => {
      keys.push(this.subrule(i, this.expression));
      this.consume(i, T.Colon);
      values.push(this.subrule(i + 2, this.expression));
    };
    this.OPTION({
      GATE: () => !this.is(T.RBrace),
      DEF: () => {
        pair(1);
        this.MANY(() => {
          this.CONSUME(T.Comma);
          const taken = this.OPTION2({ GATE: () => !this.is(T.RBrace), DEF: () => { pair(2); return true; } });
          if (taken !== true) this.checkCloser(T.RBrace, false);
        });
      },
    });
    this.checkCloser(T.RBrace, keys.length > 0);
    this.CONSUME(T.RBrace);
    this.depth--;
    return { kind: "Dict", keys, values, loc: this.span(open.startOffset) };
  });

  /** jinja2 parse_postfix: `.attr`, `.0`, `[subscript]` and calls. */
  private postfix = this.RULE("postfix", (operand: Expr = NO_EXPR, start = 0): Expr => {
    let node = operand;
    this.MANY(() => {
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
                  ALT: (): Expr => {
                    const t = this.CONSUME(T.Integer);
                    const index: Expr = { kind: "Const", value: t.payload as number, isFloat: false, loc: this.tokenLoc(t) };
                    return { kind: "GetItem", object: node, index, loc: this.span(start) };
                  },
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

  private subscript = this.RULE("subscript", (object: Expr = NO_EXPR, start = 0): Expr => {
    const open = this.CONSUME(T.LBracket);
    if (!this.RECORDING_PHASE) this.enter();
    const args: Expr[] = [];
    this.OPTION({
      GATE: () => !this.is(T.RBracket),
      DEF: () => {
        args.push(this.SUBRULE(this.subscribed));
        this.MANY(() => {
          this.CONSUME(T.Comma);
          args.push(this.SUBRULE2(this.subscribed));
        });
      },
    });
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
  private subscribed = this.RULE("subscribed", (): Expr => {
    const begin = this.LA(1).startOffset;
    let start: Expr | null = null;
    let stop: Expr | null = null;
    let step: Expr | null = null;
    let isSlice = false;
    this.OR([
      { ALT: () => { this.CONSUME(T.Colon); isSlice = true; } },
      {
        ALT: () => {
          start = this.SUBRULE(this.expression);
          this.OPTION(() => {
            this.CONSUME2(T.Colon);
            isSlice = true;
          });
        },
      },
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

  private call = this.RULE("call", (callee: Expr = NO_EXPR, start = 0): Expr => {
    const args = this.SUBRULE(this.callArgs);
    return { kind: "Call", callee, ...args, loc: this.span(start) };
  });

  /** jinja2 parse_call_args: positional, `name=value`, `*args`, `**kwargs`, in Python's order. */
  private callArgs = this.RULE("callArgs", (): Args => {
    const open = this.CONSUME(T.LParen);
    if (!this.RECORDING_PHASE) this.enter();
    const a = EMPTY_ARGS();
    let any = false;
    this.OPTION({
      GATE: () => !this.is(T.RParen),
      DEF: () => {
        this.SUBRULE(this.argument, { ARGS: [a, open] });
        any = true;
        this.MANY(() => {
          this.CONSUME(T.Comma);
          const taken = this.OPTION2({ GATE: () => !this.is(T.RParen), DEF: () => { this.SUBRULE2(this.argument, { ARGS: [a, open] }); return true; } });
          if (taken !== true) this.checkCloser(T.RParen, false);
        });
      },
    });
    this.checkCloser(T.RParen, any);
    this.CONSUME(T.RParen);
    this.depth--;
    return a;
  });

  private argument = this.RULE("argument", (a: Args = EMPTY_ARGS(), open: IToken = this.LA(0)): void => {
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
  private filterCall = this.RULE("filterCall", (operand: Expr | null = null, start = 0): Filter => {
    const name = this.SUBRULE(this.dottedName);
    let args = EMPTY_ARGS();
    this.OPTION(() => {
      args = this.SUBRULE(this.callArgs);
    });
    return { kind: "Filter", node: operand, name, ...args, loc: this.span(start) };
  });

  /** jinja2 parse_test: `is [not] name`, `is name(args)` or `is name arg` (one bare primary, e.g. `divisibleby 3`). */
  private testExpr = this.RULE("testExpr", (operand: Expr = NO_EXPR, start = 0): Expr => {
    this.CONSUME(T.KwIs);
    let negated = false;
    this.OPTION(() => {
      this.CONSUME(T.KwNot);
      negated = true;
    });
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
  private dottedName = this.RULE("dottedName", (): string => {
    let name = this.CONSUME(T.Name).image;
    this.MANY(() => {
      this.CONSUME(T.Dot);
      name += "." + this.CONSUME2(T.Name).image;
    });
    return name;
  });

  /** The rules as chevrotain serializes them, for grammar/generate.ts. */
  productions(): ReturnType<EmbeddedActionsParser["getSerializedGastProductions"]> {
    return this.getSerializedGastProductions();
  }
}

/** Placeholder loc of a statement node; the statement rule sets the real one when the closing `%}` is consumed. */
const PENDING: Loc = { line: 0, column: 0, offset: 0, endOffset: 0 };
const NO_EXPR: Expr = { kind: "Name", name: "", loc: { line: 1, column: 1, offset: 0, endOffset: 0 } };
const ELIFS = new WeakSet<Stmt>();

let shared: JinjaParser | undefined;

function parser(): JinjaParser {
  shared ??= new JinjaParser(false);
  return shared;
}

/** Parses a normalized template (newlines normalized, trailing newline dropped by the caller) into its AST. */
export function parse(source: Source, options: SyntaxOptions): Template {
  const locator = new Locator(source.text);
  const lexed = lex(source, locator);
  const p = parser();
  p.setup(locator, options, lexed.error !== null);
  p.input = applyWhitespace(lexed.tokens, source.text, options);
  const located = (detail: string, token: IToken, kind: ErrorKind = "syntax"): TemplateSyntaxError => {
    // jinja2 lexes lazily: a lexer error wins unless the parser failed before reaching it.
    if (lexed.error !== null && token.tokenType === EOF) return lexed.error;
    // chevrotain's EOF token has no position: an error at the end of input points at the end of the template.
    const loc = token.tokenType === EOF ? locator.loc(source.text.length, source.text.length) : locator.loc(token.startOffset, token.endOffset! + 1);
    return new TemplateSyntaxError(detail, { loc, source }, kind);
  };
  let body: Stmt[];
  try {
    body = p.template();
  } catch (e) {
    if (e instanceof Failure) throw lexed.error !== null && e.atEnd ? lexed.error : located(e.message, e.token, e.kind);
    if (e instanceof RangeError) throw located("template is nested too deeply (the parser ran out of stack)", p.input[0] ?? EOF_TOKEN);
    throw e;
  }
  if (p.errors.length > 0) {
    const err = p.errors[0];
    throw located(err.message, err.token);
  }
  if (lexed.error !== null) throw lexed.error;
  if (p.deferred !== null) throw located(p.deferred.message, p.deferred.token);
  return { kind: "Template", body, loc: locator.loc(0, source.text.length) };
}

const EOF_TOKEN: IToken = { image: "", startOffset: 0, tokenType: EOF, tokenTypeIdx: EOF.tokenTypeIdx! };

/** A fresh parser with chevrotain's grammar validations on, for tests and grammar/generate.ts. */
export function validatedGrammar(): ReturnType<EmbeddedActionsParser["getSerializedGastProductions"]> {
  return new JinjaParser(true).productions();
}
