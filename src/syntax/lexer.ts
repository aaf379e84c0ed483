// Runs the chevrotain lexer and finishes each token as jinja2's Lexer.wrap does: keywords, identifiers, string
// escapes, numbers, bracket balance. Lexer errors are fatal TemplateSyntaxErrors with jinja2's wording.
import { Lexer, type IToken } from "chevrotain";
import { TemplateSyntaxError } from "../errors.ts";
import type { Source } from "../source.ts";
import { toCodePointOffset } from "../codepoints.ts";
import {
  Comment, Float, Integer, KEYWORDS, LBrace, LBracket, LEXER_DEFINITION, LParen, Name, RBrace, RBracket, RParen, Raw, StringLit,
  type BlockPayload,
} from "./tokens.ts";

let lexer: Lexer | undefined;

function chevrotainLexer(): Lexer {
  lexer ??= new Lexer(LEXER_DEFINITION, { positionTracking: "onlyOffset", recoveryEnabled: false, ensureOptimizations: true });
  return lexer;
}

/** Tokens up to the first lexer error, and that error. */
export interface LexResult {
  tokens: IToken[];
  /** jinja2 lexes lazily, so a parse error before this point is reported instead of it (parser.ts decides). */
  error: TemplateSyntaxError | null;
}

/** Lexes a normalized template. `payload` holds a String's value, a number's value, a Comment's or Raw's BlockPayload. */
export function lex(source: Source): LexResult {
  const text = source.text;
  const result = chevrotainLexer().tokenize(text);
  const tokens = result.tokens;
  let error: TemplateSyntaxError | null = null;
  const fail = (detail: string, offset: number, end: number, index: number, kind: "syntax" | "unsupported" = "syntax"): void => {
    error = new TemplateSyntaxError(detail, { loc: source.locOf(offset, end), source }, kind);
    tokens.length = index;
  };
  const brackets: IToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const type = t.tokenType;
    t.endOffset = t.startOffset + t.image.length - 1;
    if (type === Name) {
      const kw = KEYWORDS.get(t.image);
      if (kw !== undefined) {
        t.tokenType = kw;
        t.tokenTypeIdx = kw.tokenTypeIdx!;
      } else if (!IDENTIFIER.test(t.image)) {
        fail("Invalid character in identifier", t.startOffset, t.endOffset + 1, i);
        break;
      }
    } else if (type === StringLit) {
      const value = unescapeString(t.image.slice(1, -1));
      if (typeof value !== "string") {
        fail(value.error, t.startOffset, t.endOffset + 1, i, value.unsupported === true ? "unsupported" : "syntax");
        break;
      }
      t.payload = value;
    } else if (type === Integer) {
      t.payload = parseInteger(t.image);
    } else if (type === Float) {
      t.payload = Number(t.image.replaceAll("_", ""));
    } else if (type === LParen || type === LBracket || type === LBrace) {
      brackets.push(t);
    } else if (type === RParen || type === RBracket || type === RBrace) {
      const open = brackets.pop();
      const expected = open === undefined ? "" : CLOSERS.get(open.tokenType)!;
      if (expected !== t.image) {
        fail(`unexpected '${t.image}', expected '${expected}'`, t.startOffset, t.endOffset + 1, i);
        break;
      }
    } else if (type === Comment || type === Raw) {
      const p = t.payload as BlockPayload;
      if (p.unterminated !== "" && p.unterminated !== "silent") {
        fail(p.unterminated, t.startOffset, t.startOffset + 2, i);
        break;
      }
    }
  }
  if (error === null && result.errors.length > 0) {
    const offset = result.errors[0].offset;
    const c = String.fromCodePoint(text.codePointAt(offset)!);
    const detail = c === ")" || c === "]" || c === "}" ? `unexpected '${c}'` : `unexpected char ${pyRepr(c)} at ${toCodePointOffset(text, offset)}`;
    error = new TemplateSyntaxError(detail, { loc: source.locOf(offset, offset + c.length), source });
  }
  return { tokens, error };
}

const CLOSERS = new Map([
  [LParen, ")"],
  [LBracket, "]"],
  [LBrace, "}"],
]);

// Python's str.isidentifier(), which jinja2 applies to every name it lexes.
const IDENTIFIER = /^[\p{XID_Start}_][\p{XID_Continue}]*$/u;

/** Python's int(s.replace("_", ""), 0): a number, or a bigint beyond Number.MAX_SAFE_INTEGER. */
export function parseInteger(image: string): number | bigint {
  const s = image.replaceAll("_", "");
  const prefix = s.slice(0, 2).toLowerCase();
  const n = prefix === "0b" ? parseInt(s.slice(2), 2) : prefix === "0o" ? parseInt(s.slice(2), 8) : prefix === "0x" ? parseInt(s.slice(2), 16) : Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(prefix === "0b" || prefix === "0o" || prefix === "0x" ? prefix + s.slice(2) : s);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
};

/**
 * jinja2's string value: `s.encode("ascii", "backslashreplace").decode("unicode-escape")`. Non-ASCII characters are
 * first written as escapes, so a backslash before one stays literal (`'\é'` is the four characters `\xe9`).
 */
export function unescapeString(body: string): string | { error: string; unsupported?: boolean } {
  if (body.indexOf("\\") === -1) return body;
  let ascii = "";
  for (const ch of body) {
    const cp = ch.codePointAt(0)!;
    if (cp < 128) ascii += ch;
    else if (cp <= 0xff) ascii += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) ascii += `\\u${hex(cp, 4)}`;
    else ascii += `\\U${hex(cp, 8)}`;
  }
  let out = "";
  for (let i = 0; i < ascii.length; i++) {
    const c = ascii[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = ascii[++i];
    if (n === undefined) return { error: "\\ at end of string" };
    if (n === "\n") continue;
    const simple = SIMPLE_ESCAPES[n];
    if (simple !== undefined) {
      out += simple;
    } else if (n >= "0" && n <= "7") {
      let j = i;
      while (j < i + 3 && ascii[j] >= "0" && ascii[j] <= "7") j++;
      out += String.fromCharCode(parseInt(ascii.slice(i, j), 8));
      i = j - 1;
    } else if (n === "x" || n === "u" || n === "U") {
      const width = n === "x" ? 2 : n === "u" ? 4 : 8;
      const digits = ascii.slice(i + 1, i + 1 + width);
      if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length < width) {
        return { error: `truncated \\${n}${n === "x" ? "XX" : n === "u" ? "XXXX" : "XXXXXXXX"} escape` };
      }
      const cp = parseInt(digits, 16);
      if (cp > 0x10ffff) return { error: "illegal Unicode character" };
      out += cp > 0xffff ? String.fromCodePoint(cp) : String.fromCharCode(cp);
      i += width;
    } else if (n === "N") {
      const close = ascii.indexOf("}", i);
      if (ascii[i + 1] !== "{" || close === -1 || close === i + 2) return { error: "malformed \\N character escape" };
      // Resolving names needs Unicode's name table, which JS engines do not expose.
      return { error: "\\N{...} escapes (Unicode character names) are not supported; write the character or a \\u escape", unsupported: true };
    } else {
      out += "\\" + n;
    }
  }
  return out;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** Python's repr() of a one-character string, as jinja2's "unexpected char" message prints it. */
export function pyRepr(c: string): string {
  if (c === "'") return `"'"`;
  if (c === "\\") return "'\\\\'";
  if (c === "\n") return "'\\n'";
  if (c === "\r") return "'\\r'";
  if (c === "\t") return "'\\t'";
  const cp = c.codePointAt(0)!;
  if (/^[\p{C}\p{Z}]$/u.test(c) && c !== " ") {
    if (cp <= 0xff) return `'\\x${hex(cp, 2)}'`;
    if (cp <= 0xffff) return `'\\u${hex(cp, 4)}'`;
    return `'\\U${hex(cp, 8)}'`;
  }
  return `'${c}'`;
}
