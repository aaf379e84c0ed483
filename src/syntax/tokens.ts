// Chevrotain token types and the lexer modes (text, `{{ }}`, `{% %}`, inside brackets), mirroring jinja2's lexer.py,
// and how jinja2's messages name tokens. Knows nothing of the AST; lexer.ts and the parser import these.
import { createToken, Lexer, type CustomPatternMatcherReturn, type IMultiModeLexerDefinition, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";

/** Python's whitespace (`str.isspace`, and `\s` of the `re` module): JS `\s` without U+FEFF, plus U+001C–U+001F and U+0085. */
export const PY_WHITESPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const WS_RE = new RegExp(`[${PY_WHITESPACE}]`);

/** Whether a UTF-16 code unit is Python whitespace. */
export function isPyWhitespace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return WS_RE.test(String.fromCharCode(code));
}

// Start-character hints for custom patterns: every Latin-1 code plus one code per 256-wide bucket above it,
// which is how chevrotain groups non-ASCII first characters; this keeps the lexer's first-char optimization on.
const ALL_CHARS: number[] = [];
for (let c = 0; c < 256; c++) ALL_CHARS.push(c);
for (let c = 256; c < 65536; c += 256) ALL_CHARS.push(c);
const NAME_START: number[] = ALL_CHARS.filter((c) => c >= 256 || c === 95 || /\p{L}|\p{N}|\p{M}|\p{Pc}/u.test(String.fromCharCode(c)));

const OPEN_BRACE = 123;

/** Text up to the next `{{`, `{%` or `{#` (jinja2's root rule `(.*?)(?:…)`). Never empty. */
function matchText(text: string, offset: number): CustomPatternMatcherReturn | null {
  let end = offset;
  for (;;) {
    const j = text.indexOf("{", end);
    if (j === -1) {
      end = text.length;
      break;
    }
    const c = text.charCodeAt(j + 1);
    if (c === OPEN_BRACE || c === 37 || c === 35) {
      end = j;
      break;
    }
    end = j + 1;
  }
  return end === offset ? null : [text.slice(offset, end)];
}

/** What the whitespace pass and lexer.ts need from a comment or raw block token. */
export interface BlockPayload {
  /** Whitespace sign right after the opening delimiter (`{#-`, `{%+ raw`): "-", "+" or "". */
  openSign: string;
  /** Sign before the closing delimiter (`-#}`, `+#}`; for raw, of the `{% endraw %}` tag's `%}`). */
  closeSign: string;
  /** Raw only: sign before the `%}` of `{% raw %}` ("-" or ""). */
  rawOpenEndSign: string;
  /** Raw only: sign after the `{%` of `{% endraw %}`. */
  rawCloseSign: string;
  /** Raw only: the raw content as offsets into the source. */
  contentStart: number;
  contentEnd: number;
  /** Unterminated: jinja2 stops silently when nothing follows the opening tag, else it raises this message. */
  unterminated: "" | "silent" | "Missing end of comment tag" | "Missing end of raw directive";
}

const WS_STAR = `[${PY_WHITESPACE}]*`;
const RAW_OPEN = new RegExp(`\\{%([-+]?)${WS_STAR}raw${WS_STAR}(-%\\}${WS_STAR}|%\\})`, "y");
const RAW_CLOSE = new RegExp(`\\{%([-+]?)${WS_STAR}endraw${WS_STAR}(\\+%\\}|-%\\}|%\\})`, "y");

function withPayload(image: string, payload: BlockPayload): CustomPatternMatcherReturn {
  const m = [image] as CustomPatternMatcherReturn;
  m.payload = payload;
  return m;
}

/** `{% raw %}…{% endraw %}` as one token (jinja2: the raw_begin rule, then the raw state's lazy content). */
function matchRaw(text: string, offset: number): CustomPatternMatcherReturn | null {
  RAW_OPEN.lastIndex = offset;
  const open = RAW_OPEN.exec(text);
  if (open === null) return null;
  const contentStart = offset + open[0].length;
  const payload: BlockPayload = {
    openSign: open[1],
    closeSign: "",
    rawOpenEndSign: open[2].startsWith("-") ? "-" : "",
    rawCloseSign: "",
    contentStart,
    contentEnd: contentStart,
    unterminated: "",
  };
  for (let i = text.indexOf("{%", contentStart); i !== -1; i = text.indexOf("{%", i + 1)) {
    RAW_CLOSE.lastIndex = i;
    const close = RAW_CLOSE.exec(text);
    if (close === null) continue;
    payload.contentEnd = i;
    payload.rawCloseSign = close[1];
    payload.closeSign = close[2].length === 3 ? close[2][0] : "";
    return withPayload(text.slice(offset, i + close[0].length), payload);
  }
  payload.contentEnd = text.length;
  payload.unterminated = contentStart >= text.length ? "silent" : "Missing end of raw directive";
  return withPayload(text.slice(offset), payload);
}

/** `{# … #}` as one token; the content ends at the first `#}` (a `-` or `+` right before it is the sign). */
function matchComment(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== OPEN_BRACE || text.charCodeAt(offset + 1) !== 35) return null;
  const s = text[offset + 2];
  const openSign = s === "-" || s === "+" ? s : "";
  const contentStart = offset + 2 + openSign.length;
  const payload: BlockPayload = { openSign, closeSign: "", rawOpenEndSign: "", rawCloseSign: "", contentStart, contentEnd: contentStart, unterminated: "" };
  const q = text.indexOf("#}", contentStart);
  if (q === -1) {
    payload.contentEnd = text.length;
    payload.unterminated = contentStart >= text.length ? "silent" : "Missing end of comment tag";
    return withPayload(text.slice(offset), payload);
  }
  const before = text[q - 1];
  if (q - 1 >= contentStart && (before === "-" || before === "+")) payload.closeSign = before;
  payload.contentEnd = q - payload.closeSign.length;
  return withPayload(text.slice(offset, q + 2), payload);
}

const FLOAT_RE = /(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?[eE][+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/y;

/** jinja2's float_re, including its `(?<!\.)`: `x.0.1` is x[0][1], not x[0.1]. */
function matchFloat(text: string, offset: number): RegExpExecArray | null {
  if (offset > 0 && text.charCodeAt(offset - 1) === 46) return null;
  FLOAT_RE.lastIndex = offset;
  return FLOAT_RE.exec(text);
}

// jinja2's name_re is `[\w…]+` (Python's Unicode \w plus identifier marks); lexer.ts then applies isidentifier().
const NAME_RE = /[\p{L}\p{N}\p{M}\p{Pc}\p{XID_Continue}]+/uy;
function matchName(text: string, offset: number): RegExpExecArray | null {
  NAME_RE.lastIndex = offset;
  return NAME_RE.exec(text);
}

/** A token category shared by every word: plain names and all keywords (jinja2 lexes both as `name`). */
export const Name = createToken({ name: "Name", pattern: { exec: matchName }, start_chars_hint: NAME_START, label: "name" });

// ---- text mode ----
export const Text = createToken({ name: "Text", pattern: { exec: matchText }, line_breaks: true, start_chars_hint: ALL_CHARS, label: "text" });
export const Raw = createToken({ name: "Raw", pattern: { exec: matchRaw }, line_breaks: true, start_chars_hint: ["{"], label: "{% raw %}…{% endraw %}" });
export const Comment = createToken({ name: "Comment", pattern: { exec: matchComment }, line_breaks: true, start_chars_hint: ["{"], label: "{# … #}" });
export const VariableBegin = createToken({ name: "VariableBegin", pattern: /\{\{[-+]?/, push_mode: "expression", label: "'{{'" });
export const BlockBegin = createToken({ name: "BlockBegin", pattern: /\{%[-+]?/, push_mode: "statement", label: "'{%'" });

// ---- tag modes ----
export const VariableEnd = createToken({ name: "VariableEnd", pattern: /-?\}\}/, pop_mode: true, label: "'}}'" });
export const BlockEnd = createToken({ name: "BlockEnd", pattern: /[-+]?%\}/, pop_mode: true, label: "'%}'" });
export const Whitespace = createToken({ name: "Whitespace", pattern: new RegExp(`[${PY_WHITESPACE}]+`), group: Lexer.SKIPPED, line_breaks: true });
export const Float = createToken({ name: "Float", pattern: { exec: matchFloat }, start_chars_hint: "0123456789".split(""), label: "float" });
export const Integer = createToken({ name: "Integer", pattern: /0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[0-9a-fA-F])+|[1-9](?:_?[0-9])*|0(?:_?0)*/, label: "integer" });
export const StringLit = createToken({ name: "String", pattern: /'[^'\\]*(?:\\[\s\S][^'\\]*)*'|"[^"\\]*(?:\\[\s\S][^"\\]*)*"/, line_breaks: true, label: "string" });

/** Operator categories, so the grammar can say "a comparison operator" once. */
export const CompareOp = createToken({ name: "CompareOp", pattern: Lexer.NA, label: "('==' | '!=' | '<' | '<=' | '>' | '>=')" });
export const AddOp = createToken({ name: "AddOp", pattern: Lexer.NA, label: "('+' | '-')" });
export const MulOp = createToken({ name: "MulOp", pattern: Lexer.NA, label: "('*' | '/' | '//' | '%')" });

function op(name: string, image: string, extra: { categories?: TokenType[]; push_mode?: string; pop_mode?: boolean } = {}): TokenType {
  return createToken({ name, pattern: image, label: `'${image}'`, ...extra });
}
export const Pow = op("Pow", "**");
export const Mul = op("Mul", "*", { categories: [MulOp] });
export const FloorDiv = op("FloorDiv", "//", { categories: [MulOp] });
export const Div = op("Div", "/", { categories: [MulOp] });
export const Mod = op("Mod", "%", { categories: [MulOp] });
export const Plus = op("Plus", "+", { categories: [AddOp] });
export const Minus = op("Minus", "-", { categories: [AddOp] });
export const Tilde = op("Tilde", "~");
export const Eq = op("Eq", "==", { categories: [CompareOp] });
export const Ne = op("Ne", "!=", { categories: [CompareOp] });
export const Ge = op("Ge", ">=", { categories: [CompareOp] });
export const Gt = op("Gt", ">", { categories: [CompareOp] });
export const Le = op("Le", "<=", { categories: [CompareOp] });
export const Lt = op("Lt", "<", { categories: [CompareOp] });
export const Assign = op("Assign", "=");
export const Dot = op("Dot", ".");
export const Colon = op("Colon", ":");
export const Pipe = op("Pipe", "|");
export const Comma = op("Comma", ",");
export const Semicolon = op("Semicolon", ";");
// jinja2 recognizes `}}` and `%}` only while no bracket is open: brackets push the "nested" mode, which has no end tags.
export const LParen = op("LParen", "(", { push_mode: "nested" });
export const LBracket = op("LBracket", "[", { push_mode: "nested" });
export const LBrace = op("LBrace", "{", { push_mode: "nested" });
export const RParen = op("RParen", ")", { pop_mode: true });
export const RBracket = op("RBracket", "]", { pop_mode: true });
export const RBrace = op("RBrace", "}", { pop_mode: true });

// Keywords are retyped from Name by lexer.ts (they are never lexed directly) and stay in the Name category:
// jinja2 has no reserved words, so `loop.if`, `f(call=1)` or a variable named `filter` remain valid.
/** Keyword token types by their text. */
export const KEYWORDS = new Map<string, TokenType>();
function kw(name: string, word: string): TokenType {
  const t = createToken({ name, pattern: Lexer.NA, categories: [Name], label: `'${word}'` });
  KEYWORDS.set(word, t);
  return t;
}
export const KwIf = kw("If", "if");
export const KwElif = kw("Elif", "elif");
export const KwElse = kw("Else", "else");
export const KwEndIf = kw("EndIf", "endif");
export const KwFor = kw("For", "for");
export const KwIn = kw("In", "in");
export const KwRecursive = kw("Recursive", "recursive");
export const KwEndFor = kw("EndFor", "endfor");
export const KwSet = kw("Set", "set");
export const KwEndSet = kw("EndSet", "endset");
export const KwMacro = kw("Macro", "macro");
export const KwEndMacro = kw("EndMacro", "endmacro");
export const KwCall = kw("Call", "call");
export const KwEndCall = kw("EndCall", "endcall");
export const KwFilter = kw("Filter", "filter");
export const KwEndFilter = kw("EndFilter", "endfilter");
export const KwWith = kw("With", "with");
export const KwEndWith = kw("EndWith", "endwith");
export const KwPrint = kw("Print", "print");
export const KwBreak = kw("Break", "break");
export const KwContinue = kw("Continue", "continue");
export const KwGeneration = kw("Generation", "generation");
export const KwEndGeneration = kw("EndGeneration", "endgeneration");
export const KwThink = kw("Think", "think");
export const KwEndThink = kw("EndThink", "endthink");
export const KwAnd = kw("And", "and");
export const KwOr = kw("Or", "or");
export const KwNot = kw("Not", "not");
export const KwIs = kw("Is", "is");
/** Tags jinja2 knows but chat templates cannot use (template loading and inheritance, autoescape). */
export const KwInclude = kw("Include", "include");
export const KwExtends = kw("Extends", "extends");
export const KwImport = kw("Import", "import");
export const KwFrom = kw("From", "from");
export const KwBlock = kw("Block", "block");
export const KwAutoescape = kw("Autoescape", "autoescape");

const EXPRESSION_TOKENS: TokenType[] = [
  Whitespace, Float, Integer, Name, StringLit,
  Pow, Mul, FloorDiv, Div, Mod, Plus, Minus, Tilde,
  Eq, Ne, Ge, Gt, Le, Lt, Assign, Dot, Colon, Pipe, Comma, Semicolon,
  LParen, LBracket, LBrace,
];

/** The lexer modes: jinja2's root state, variable state, block state, plus "nested" for its balancing stack. */
export const LEXER_DEFINITION: IMultiModeLexerDefinition = {
  modes: {
    text: [Text, Raw, Comment, VariableBegin, BlockBegin],
    // The end tag comes first: jinja2 tries it before the operators, so `-}}` is an end tag, not a minus.
    expression: [VariableEnd, ...EXPRESSION_TOKENS],
    statement: [BlockEnd, ...EXPRESSION_TOKENS],
    nested: [...EXPRESSION_TOKENS, RParen, RBracket, RBrace],
  },
  defaultMode: "text",
};

/** Every token type the parser knows (lexed ones, keywords, categories). */
export const ALL_TOKENS: TokenType[] = [
  Text, Raw, Comment, VariableBegin, BlockBegin, VariableEnd, BlockEnd, Whitespace, Float, Integer, Name, StringLit,
  CompareOp, AddOp, MulOp, Pow, Mul, FloorDiv, Div, Mod, Plus, Minus, Tilde, Eq, Ne, Ge, Gt, Le, Lt, Assign, Dot, Colon,
  Pipe, Comma, Semicolon, LParen, LBracket, LBrace, RParen, RBracket, RBrace, ...KEYWORDS.values(),
];

// jinja2's describe_token / describe_token_expr: how messages name a token ("expected token 'end of print statement'").
const DESCRIPTIONS = new Map<TokenType, string>([
  [Text, "template data / text"],
  [VariableBegin, "begin of print statement"],
  [BlockBegin, "begin of statement block"],
  [VariableEnd, "end of print statement"],
  [BlockEnd, "end of statement block"],
  [Name, "name"],
  [StringLit, "string"],
  [Integer, "integer"],
  [Float, "float"],
  [Comment, "begin of comment"],
]);

/** jinja2's description of an expected token type (`name`, `end of statement block`, `in`, `)`). */
export function describeType(type: TokenType): string {
  if (type.name === "EOF") return "end of template";
  const d = DESCRIPTIONS.get(type);
  if (d !== undefined) return d;
  for (const [word, t] of KEYWORDS) if (t === type) return word;
  return typeof type.PATTERN === "string" ? type.PATTERN : type.name;
}

/** jinja2's describe_token of an actual token: a name is its own text, an operator its symbol. */
export function describeToken(token: IToken): string {
  const type = token.tokenType;
  if (type.name === "EOF") return "end of template";
  if (type === Name || KEYWORDS.get(token.image) === type) return token.image;
  if (typeof type.PATTERN === "string") return type.PATTERN;
  return describeType(type);
}

/** chevrotain's parse errors in jinja2's words; an OR's ERR_MSG "expect:X" reads as a failed expect of X. */
export const ERROR_MESSAGES: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => expectedMessage(describeType(expected), actual),
  buildNotAllInputParsedMessage: ({ firstRedundant }) => unexpectedMessage(firstRedundant),
  buildNoViableAltMessage: ({ actual, customUserDescription }) =>
    customUserDescription === undefined ? unexpectedMessage(actual[0])
    : customUserDescription.startsWith("expect:") ? expectedMessage(customUserDescription.slice(7), actual[0])
    : customUserDescription,
  buildEarlyExitMessage: ({ actual }) => unexpectedMessage(actual[0]),
};

/** jinja2 TokenStream.expect's two messages. */
export function expectedMessage(expected: string, actual: IToken): string {
  return actual.tokenType.name === "EOF"
    ? `unexpected end of template, expected '${expected}'.`
    : `expected token '${expected}', got '${describeToken(actual)}'`;
}

/** jinja2 parse_primary's message. */
export function unexpectedMessage(actual: IToken): string {
  return `unexpected '${describeToken(actual)}'`;
}

/** The whitespace-control sign of a tag-start token (`{%-` → "-"). */
export function openSign(token: IToken): string {
  const type = token.tokenType;
  if (type === Comment || type === Raw) return (token.payload as BlockPayload).openSign;
  return token.image.length === 3 ? token.image[2] : "";
}

/** The whitespace-control sign of a tag-end token (`-%}` → "-", `+%}` → "+"). */
export function closeSign(token: IToken): string {
  const type = token.tokenType;
  if (type === Comment || type === Raw) return (token.payload as BlockPayload).closeSign;
  const c = token.image[0];
  return c === "-" || c === "+" ? c : "";
}
