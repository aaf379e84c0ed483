// The machinery under both levels of the one chevrotain parser (expressions.ts, then parser.ts): jinja2's error
// wording and the Failure that carries it, nesting and chain limits, lazily lexed errors, locations, comma lists.
// No grammar rule lives here.
import { EmbeddedActionsParser, EOF, tokenMatcher, type IToken, type TokenType } from "chevrotain";
import type { ErrorKind } from "../errors.ts";
import { Source, type Loc } from "../source.ts";
import type { Expr } from "./ast.ts";
import * as T from "./tokens.ts";

/** Deepest nesting of blocks, brackets and prefix operators (`not`, unary `-`, `else` branches) before a syntax error. */
export const MAX_NESTING = 150;
/** Longest run of operators, filters, postfix operations or `elif`s: they nest left-deep, which costs stack later. */
export const MAX_CHAIN = 1000;
/** Placeholder loc of a statement node; the statement rule sets the real one when the closing `%}` is consumed. */
export const PENDING: Loc = { line: 0, column: 0, offset: 0, endOffset: 0 };
/** A stand-in operand for rule parameters during chevrotain's recording phase. */
export const NO_EXPR: Expr = { kind: "Name", name: "", loc: { line: 1, column: 1, offset: 0, endOffset: 0 } };
export const NESTING = `template is nested too deeply (more than ${MAX_NESTING} levels of blocks, brackets or operators)`;

/** Python's repr of a tag name in messages. */
export const quoted = (s: string): string => `'${s}'`;

/** A syntax error raised by a rule, remembering the token it points at. */
export class Failure extends Error {
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

/** State and helpers of the parser; the rules are in the subclasses. */
export class ParserBase extends EmbeddedActionsParser {
  protected source = new Source("");
  protected depth = 0;
  /** The token vector ends at a lexer error. */
  protected truncated = false;
  /** An error Python raises when compiling jinja2's output ('break' outside loop …), thrown only if parsing succeeds. */
  deferred: Failure | null = null;

  constructor(validate: boolean) {
    super(T.ALL_TOKENS, { maxLookahead: 1, recoveryEnabled: false, errorMessageProvider: T.ERROR_MESSAGES, skipValidations: !validate });
  }

  override reset(): void {
    super.reset();
    this.depth = 0;
    this.deferred = null;
  }

  protected fail(detail: string, token: IToken = this.LA(1), kind: ErrorKind = "syntax"): never {
    throw new Failure(detail, token, kind, this.LA(1).tokenType === EOF);
  }

  protected failUnexpected(): never {
    this.fail(T.unexpectedMessage(this.LA(1)));
  }

  protected failExpected(type: TokenType): never {
    this.fail(T.expectedMessage(T.describeType(type), this.LA(1)));
  }

  /** Records an error Python raises when compiling jinja2's generated code; it is thrown only if parsing succeeds. */
  protected defer(detail: string, loc: Loc): void {
    if (!this.RECORDING_PHASE && this.deferred === null) this.deferred = new Failure(detail, this.tokenAt(loc), "syntax", false);
  }

  protected enter(): void {
    if (++this.depth > MAX_NESTING) this.fail(NESTING, this.LA(0));
  }

  protected chain(length: number): void {
    if (!this.RECORDING_PHASE && length > MAX_CHAIN) this.fail(`expression is too long (more than ${MAX_CHAIN} operators, filters, postfix operations or elif branches in a row)`, this.LA(0));
  }

  protected is(type: TokenType, k = 1): boolean {
    return tokenMatcher(this.peek(k), type);
  }

  protected isWord(words: readonly string[], k = 1): boolean {
    const t = this.peek(k);
    return tokenMatcher(t, T.Name) && words.includes(t.image);
  }

  /** LA(k); jinja2 lexes lazily, so peeking past a lexer error raises that error (jinja2's `stream.look()`). */
  protected peek(k: number): IToken {
    const t = this.LA(k);
    if (k > 1 && this.truncated && t.tokenType === EOF && !this.RECORDING_PHASE) throw new Failure("", t, "syntax", true);
    return t;
  }

  /**
   * jinja2 is_tuple_end. Its extra end rules (`in` after a for target, `recursive` after the iterable) never match in
   * jinja2 3.1 (`test_any(extra_end_rules)` lacks a `*`), so `{% for x, in y %}` reads `in` as a name, as jinja2 does.
   */
  protected atTupleEnd(): boolean {
    return this.is(T.VariableEnd) || this.is(T.BlockEnd) || this.is(T.RParen);
  }

  /** Loc from a start offset to the end of the last consumed token. */
  protected span(start: number): Loc {
    return this.source.locOf(start, this.LA(0).endOffset! + 1);
  }

  protected tokenLoc(t: IToken): Loc {
    return this.source.locOf(t.startOffset, t.endOffset! + 1);
  }

  /**
   * jinja2's comma loops `item {',' [item]}`: items are tried while `more()` holds (the closer is not next), and a
   * missing item after a comma must be at the closer, else parse_primary's "unexpected X". Returns [items, commas].
   */
  protected commaList(more: () => boolean, item: (i: number) => void): [number, number] {
    let items = 0;
    let commas = 0;
    this.option(7, {
      GATE: more,
      DEF: () => {
        item(1);
        items++;
        this.many(7, () => {
          this.consume(7, T.Comma);
          commas++;
          if (this.option(8, { GATE: more, DEF: () => (item(2), true) }) === true) items++;
          else if (!this.RECORDING_PHASE && more()) this.failUnexpected();
        });
      },
    });
    return [items, commas];
  }

  /** `item {',' item}`, no trailing comma (signatures, subscripts, `with`, `print`). */
  protected sepList(item: (i: number) => void): void {
    item(1);
    this.many(6, () => (this.consume(6, T.Comma), item(2)));
  }

  /** jinja2's `while current != closer: if items: expect(comma)` loops end here when the closer is missing. */
  protected checkCloser(closer: TokenType, hasItems: boolean): void {
    if (!this.RECORDING_PHASE && !this.is(closer)) {
      if (hasItems) this.failExpected(T.Comma);
      this.failUnexpected();
    }
  }

  /** A token-shaped pointer at a node, for errors about nodes. */
  protected tokenAt(loc: Loc): IToken {
    return { image: "", startOffset: loc.offset, endOffset: loc.endOffset - 1, tokenType: T.Name, tokenTypeIdx: T.Name.tokenTypeIdx! };
  }
}
