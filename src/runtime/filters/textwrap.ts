// The wordwrap filter: a port of Python's textwrap.TextWrapper as jinja2 calls it (expand_tabs=False,
// replace_whitespace=False, drop_whitespace=True), paragraph by paragraph. Lengths count code points.
import { runtimeError } from "../../errors.ts";
import { isPySpace } from "../pychars.ts";
import { pyRepr } from "../pystr.ts";
import { typeNameOf } from "../sequences.ts";
import { cpChars } from "../strings.ts";
import { Undefined, isString, strValue, truthy, undefinedError, type Value } from "../value.ts";
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
  return cpChars(s).length;
}

/** TextWrapper._handle_long_word: breaks the chunk at the space left (or after a hyphen before it). */
function handleLongWord(chunks: string[], line: string[], curLen: number, width: number, breakLong: boolean, breakHyphens: boolean): void {
  const spaceLeft = width < 1 ? 1 : width - curLen;
  if (breakLong) {
    let end = spaceLeft;
    const chunk = cpChars(chunks[chunks.length - 1]);
    if (breakHyphens && chunk.length > spaceLeft) {
      const hyphen = chunk.slice(0, Math.max(0, spaceLeft)).lastIndexOf("-");
      if (hyphen > 0 && chunk.slice(0, hyphen).some((c) => c !== "-")) end = hyphen + 1;
    }
    line.push(chunk.slice(0, end).join(""));
    chunks[chunks.length - 1] = chunk.slice(end).join("");
  } else if (line.length === 0) {
    line.push(chunks.pop() as string);
  }
}

/** textwrap.wrap(text, width, break_long_words, break_on_hyphens) with jinja2's fixed options. */
export function wrap(text: string, width: number, breakLong: boolean, breakHyphens: boolean, widthRepr = String(width)): string[] {
  const chunks = text.split(breakHyphens ? WORDSEP_RE : WORDSEP_SIMPLE_RE).filter((c) => c);
  if (width <= 0) throw runtimeError("arguments", `invalid width ${widthRepr} (must be > 0)`);
  const lines: string[] = [];
  chunks.reverse();
  while (chunks.length > 0) {
    const line: string[] = [];
    let curLen = 0;
    // drop_whitespace: leading whitespace of every line but the first goes
    if (isBlank(chunks[chunks.length - 1]) && lines.length > 0) chunks.pop();
    while (chunks.length > 0) {
      const l = len(chunks[chunks.length - 1]);
      if (curLen + l > width) break;
      line.push(chunks.pop() as string);
      curLen += l;
    }
    if (chunks.length > 0 && len(chunks[chunks.length - 1]) > width) {
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

function wordwrap(s: Value, width: Value, breakLong: Value, wrapstring: Value, breakHyphens: Value): string {
  if (s instanceof Undefined) throw undefinedError(s);
  if (!isString(s)) throw runtimeError("type", `'${typeNameOf(s)}' object has no attribute 'splitlines'`);
  if (typeof width !== "number" && typeof width !== "boolean") {
    throw runtimeError("type", `'<=' not supported between instances of '${typeNameOf(width)}' and 'int'`);
  }
  const w = Number(width);
  if (wrapstring !== null && !isString(wrapstring)) throw runtimeError("type", `'${typeNameOf(wrapstring)}' object has no attribute 'join'`);
  // Environment.newline_sequence is "\n"
  const sep = wrapstring === null ? "\n" : strValue(wrapstring);
  return splitLines(strValue(s))
    .map((line) => wrap(line, w, truthy(breakLong), truthy(breakHyphens), pyRepr(width)).join(sep))
    .join(sep);
}

/** The wordwrap filter. */
export const WORDWRAP: Filter = passFilter("do_wordwrap", "s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True", (a) =>
  wordwrap(a[0], a[1], a[2], a[3], a[4]),
);
