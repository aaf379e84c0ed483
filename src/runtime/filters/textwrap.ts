// The wordwrap filter: a port of Python's textwrap.TextWrapper as jinja2 calls it (expand_tabs=False,
// replace_whitespace=False, drop_whitespace=True), paragraph by paragraph. Lengths count code points.
import { toUtf16Offset } from "../../codepoints.ts";
import { runtimeError } from "../../errors.ts";
import { isPySpace } from "../pychars.ts";
import { pyRepr } from "../pystr.ts";
import { typeNameOf } from "../sequences.ts";
import { cpChars, cpLength } from "../strings.ts";
import { htmlEscape } from "../markup.ts";
import { Markup, Undefined, isString, strValue, truthy, undefinedError, type Value } from "../value.ts";
import type { RenderState } from "../state.ts";
import { passFilter, type Filter } from "./common.ts";
import { splitLines } from "./strings.ts";

// textwrap's whitespace is ASCII only ('\t\n\x0b\x0c\r '); \w and \d are Python's Unicode classes
const WS = "[\\t\\n\\v\\f\\r ]";
const NWS = "[^\\t\\n\\v\\f\\r ]";
const W = "[\\p{L}\\p{N}_]";
const WORD_PUNCT = "[\\p{L}\\p{N}_!\"'&.,?]";
const LETTER = "[\\p{L}\\p{Nl}\\p{No}_]";

/** TextWrapper.wordsep_re (break_on_hyphens=True): words, hyphenated parts, em-dashes, whitespace. */
const WORDSEP_RE = new RegExp(
  `(${WS}+` +
    `|(?<=${WORD_PUNCT})-{2,}(?=${W})` +
    `|${NWS}+?(?:-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})|(?=${WS}|$)|(?<=${WORD_PUNCT})(?=-{2,}${W})))`,
  "u",
);
/** TextWrapper.wordsep_simple_re (break_on_hyphens=False). */
const WORDSEP_SIMPLE_RE = new RegExp(`(${WS}+)`, "u");

function isBlank(chunk: string): boolean {
  for (const c of chunk) if (!isPySpace(c.codePointAt(0) as number)) return false;
  return true;
}

function len(s: string): number {
  return cpLength(s);
}

/** The UTF-16 offset after the first n code points of s (s.length when it has fewer). */
function cpOffset(s: string, n: number): number {
  return Math.min(toUtf16Offset(s, n), s.length);
}

/**
 * The chunks still to place, last one next, with their lengths in code points kept beside them: a long
 * word is cut a line at a time, and measuring the rest again at every cut would be quadratic.
 */
class Chunks {
  readonly text: string[];
  readonly lens: number[];
  constructor(text: string[]) {
    this.text = text;
    this.lens = text.map(len);
  }
  get size(): number {
    return this.text.length;
  }
  lastLen(): number {
    return this.lens[this.lens.length - 1];
  }
  last(): string {
    return this.text[this.text.length - 1];
  }
  pop(): string {
    this.lens.pop();
    return this.text.pop() as string;
  }
}

/** TextWrapper._handle_long_word: breaks the chunk at the space left (or after a hyphen before it). */
function handleLongWord(chunks: Chunks, line: string[], curLen: number, width: number, breakLong: boolean, breakHyphens: boolean): void {
  const spaceLeft = width < 1 ? 1 : width - curLen;
  if (breakLong) {
    let end = spaceLeft;
    const chunk = chunks.last();
    const chunkLen = chunks.lastLen();
    if (breakHyphens && chunkLen > spaceLeft) {
      const head = cpChars(chunk.slice(0, cpOffset(chunk, Math.max(0, spaceLeft))));
      const hyphen = head.lastIndexOf("-");
      if (hyphen > 0 && head.slice(0, hyphen).some((c) => c !== "-")) end = hyphen + 1;
    }
    const at = cpOffset(chunk, Math.max(0, end));
    line.push(chunk.slice(0, at));
    const i = chunks.size - 1;
    chunks.text[i] = chunk.slice(at);
    chunks.lens[i] = Math.max(0, chunkLen - Math.max(0, end));
  } else if (line.length === 0) {
    line.push(chunks.pop());
  }
}

/** textwrap.wrap(text, width, break_long_words, break_on_hyphens) with jinja2's fixed options. */
export function wrap(text: string, width: number, breakLong: boolean, breakHyphens: boolean, widthRepr = String(width)): string[] {
  const parts = text.split(breakHyphens ? WORDSEP_RE : WORDSEP_SIMPLE_RE).filter((c) => c);
  if (width <= 0) throw runtimeError("value", `invalid width ${widthRepr} (must be > 0)`);
  const lines: string[] = [];
  const chunks = new Chunks(parts.reverse());
  while (chunks.size > 0) {
    const line: string[] = [];
    let curLen = 0;
    // drop_whitespace: leading whitespace of every line but the first goes
    if (lines.length > 0 && isBlank(chunks.last())) chunks.pop();
    while (chunks.size > 0) {
      const l = chunks.lastLen();
      if (curLen + l > width) break;
      line.push(chunks.pop());
      curLen += l;
    }
    if (chunks.size > 0 && chunks.lastLen() > width) {
      handleLongWord(chunks, line, curLen, width, breakLong, breakHyphens);
      curLen = line.reduce((n, c) => n + len(c), 0);
    }
    if (line.length > 0 && isBlank(line[line.length - 1])) {
      curLen -= len(line[line.length - 1]);
      line.pop();
    }
    if (line.length > 0) lines.push(line.join(""));
  }
  return lines;
}

function wordwrap(s: Value, width: Value, breakLong: Value, wrapstring: Value, breakHyphens: Value, ctx: RenderState): Value {
  if (s instanceof Undefined) throw undefinedError(s);
  if (!isString(s)) throw runtimeError("attribute", `'${typeNameOf(s)}' object has no attribute 'splitlines'`);
  if (typeof width !== "number" && typeof width !== "boolean") {
    throw runtimeError("type", `'<=' not supported between instances of '${typeNameOf(width)}' and 'int'`);
  }
  const w = Number(width);
  if (wrapstring !== null && !isString(wrapstring)) throw runtimeError("attribute", `'${typeNameOf(wrapstring)}' object has no attribute 'join'`);
  // Environment.newline_sequence is "\n"
  const sep = wrapstring === null ? "\n" : strValue(wrapstring);
  // a Markup wrapstring's join escapes the wrapped lines (plain str, whatever s was) and makes Markup
  const markup = wrapstring instanceof Markup;
  const paras = splitLines(strValue(s)).map((para) =>
    wrap(para, w, truthy(breakLong), truthy(breakHyphens), pyRepr(width)).map((line) => (markup ? htmlEscape(line) : line)),
  );
  // the wrapped lines joined by the wrapstring within and between paragraphs: its length first
  let total = Math.max(0, paras.length - 1) * sep.length;
  for (const lines of paras) {
    total += Math.max(0, lines.length - 1) * sep.length;
    for (const line of lines) total += line.length;
  }
  ctx.checkStringLength(total);
  const rv = paras.map((lines) => lines.join(sep)).join(sep);
  return markup ? new Markup(rv) : rv;
}

/** The wordwrap filter. */
export const WORDWRAP: Filter = passFilter("do_wordwrap", "s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True", (a, ctx) =>
  wordwrap(a[0], a[1], a[2], a[3], a[4], ctx),
);
