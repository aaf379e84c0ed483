// Whitespace control in one pass over the token stream, as jinja2's lexer does it while matching: `-` and `+` signs,
// trim_blocks, lstrip_blocks. Comments vanish, raw blocks become text, adjacent text merges. Never touches tag tokens.
import type { IToken } from "chevrotain";
import { BlockBegin, BlockEnd, Comment, Raw, Text, VariableBegin, VariableEnd, closeSign, isPyWhitespace, openSign, type BlockPayload } from "./tokens.ts";

/** The two environment settings the pass depends on. */
export interface WhitespaceOptions {
  trimBlocks: boolean;
  lstripBlocks: boolean;
}

/** How the previous tag ended, which decides what happens to the start of the following text. */
type After = "start" | "strip" | "keep" | "trim";

/** Text tokens for the parser: `image` is the final text, offsets span the source it came from (inclusive end). */
export function applyWhitespace(tokens: readonly IToken[], source: string, options: WhitespaceOptions): IToken[] {
  const out: IToken[] = [];
  let after: After = "start";
  let value = "";
  let start = -1;
  let end = -1;
  const flush = (): void => {
    if (value !== "") out.push(textToken(value, start, end));
    value = "";
    start = -1;
  };
  const add = (s: number, e: number): void => {
    if (s >= e) return;
    value += source.slice(s, e);
    if (start === -1) start = s;
    end = e;
  };
  // jinja2 ends a tag with `-%}\s*` (strip), `+%}` (keep) or, with trim_blocks, `%}\n?`. `}}` never trims.
  const endOf = (sign: string, block: boolean): After =>
    sign === "-" ? "strip" : sign === "+" || !block || !options.trimBlocks ? "keep" : "trim";

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const type = t.tokenType;
    if (type === Text) {
      const s = t.startOffset;
      const e = s + t.image.length;
      const next = tokens[i + 1];
      add(...strip(source, s, e, after, next, options));
    } else if (type === Comment) {
      after = endOf(closeSign(t), true);
    } else if (type === Raw) {
      const p = t.payload as BlockPayload;
      // `{% raw -%}` strips the content's leading whitespace; `{% raw %}` never trims a newline (jinja2 quirk).
      const opening: After = p.rawOpenEndSign === "-" ? "strip" : "keep";
      add(...strip(source, p.contentStart, p.contentEnd, opening, p.unterminated === "" ? rawCloseMark(p) : undefined, options));
      after = endOf(p.closeSign, true);
    } else {
      if (type === VariableBegin || type === BlockBegin) flush();
      else if (type === VariableEnd) after = endOf(closeSign(t), false);
      else if (type === BlockEnd) after = endOf(closeSign(t), true);
      out.push(t);
    }
  }
  flush();
  return out;
}

/** A stand-in for the `{% endraw %}` tag, so its sign and lstrip_blocks apply to the raw content like any block tag. */
function rawCloseMark(p: BlockPayload): IToken {
  return { image: "{%" + p.rawCloseSign, startOffset: p.contentEnd, tokenType: BlockBegin, tokenTypeIdx: BlockBegin.tokenTypeIdx! };
}

/** The kept part [s, e) of a text between two tags. */
function strip(source: string, s: number, e: number, after: After, next: IToken | undefined, options: WhitespaceOptions): [number, number] {
  // jinja2's line_starting: did the previous match end with a newline (or is this the start of the template)?
  let lineStarting = after === "start";
  if (after === "strip") {
    const s0 = s;
    while (s < e && isPyWhitespace(source.charCodeAt(s))) s++;
    lineStarting = s > s0 && source.charCodeAt(s - 1) === 10;
  } else if (after === "trim" && source.charCodeAt(s) === 10 && s < e) {
    s++;
    lineStarting = true;
  }
  if (next === undefined) return [s, e];
  const type = next.tokenType;
  if (type !== VariableBegin && type !== BlockBegin && type !== Comment && type !== Raw) return [s, e];
  const sign = openSign(next);
  if (sign === "-") {
    while (e > s && isPyWhitespace(source.charCodeAt(e - 1))) e--;
  } else if (sign !== "+" && options.lstripBlocks && type !== VariableBegin) {
    // lstrip_blocks: drop spaces between the line start and a block or comment tag (never before `{{`).
    let k = e;
    while (k > s && source.charCodeAt(k - 1) !== 10 && isPyWhitespace(source.charCodeAt(k - 1))) k--;
    const atLineStart = k > s ? source.charCodeAt(k - 1) === 10 : lineStarting;
    if (atLineStart && k < e) e = k;
  }
  return [s, e];
}

function textToken(value: string, start: number, end: number): IToken {
  return { image: value, startOffset: start, endOffset: end - 1, tokenType: Text, tokenTypeIdx: Text.tokenTypeIdx! };
}
