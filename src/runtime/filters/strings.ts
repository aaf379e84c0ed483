// String filters (filters.py): case, centering, indent, replace, trim, truncate, wordcount, format.
// Lengths and indexes count code points, as Python's str does; whitespace is Python's str.isspace.
import { runtimeError } from "../../errors.ts";
import { builtin } from "../args.ts";
import { binaryOp } from "../ops.ts";
import { isAlphaCp, isLineBreak, isNumericCp, isPySpace, pyCapitalize, pyStrip } from "../pychars.ts";
import { htmlEscape, markupConcat, sameKind, softStr } from "../markup.ts";
import { pyStr } from "../pystr.ts";
import { isRange, length, sliceValue, typeNameOf } from "../sequences.ts";
import type { RenderState } from "../state.ts";
import { cpChars, cpLength, cpSlice } from "../strings.ts";
import { Markup, Tuple, Undefined, isString, strValue, truthy, undefinedError, type Value } from "../value.ts";
import { passFilter, textOf, type Filter } from "./common.ts";

/** Python's operator.index for int-only arguments: "'float' object cannot be interpreted as an integer". */
export function indexArg(v: Value): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  throw runtimeError("type", `'${typeNameOf(v)}' object cannot be interpreted as an integer`);
}

/** Python str.splitlines(keepends): \n, \r\n, \r, \v, \f, \x1c-\x1e, \x85, \u2028, \u2029; no empty last line. */
export function splitLines(s: string, keepEnds = false): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isLineBreak(c)) continue;
    const brk = i;
    if (c === 0x0d && s.charCodeAt(i + 1) === 0x0a) i++;
    out.push(s.slice(start, keepEnds ? i + 1 : brk));
    start = i + 1;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

/** Python str.split() with no separator: runs of whitespace, no empty strings. */
export function splitWhitespace(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (const c of s) {
    if (isPySpace(c.codePointAt(0) as number)) {
      if (cur) out.push(cur);
      cur = "";
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/** Python str.replace(old, new, count); an empty `old` inserts between code points. The result's length
 *  is checked before it is built. */
function pyReplace(s: string, old: string, rep: string, count: number, ctx: RenderState): string {
  if (count === 0) return s;
  if (old === "") {
    const cps = cpChars(s);
    const n = count < 0 ? cps.length + 1 : Math.min(count, cps.length + 1);
    ctx.checkStringLength(s.length + n * rep.length);
    let out = "";
    for (let i = 0; i < cps.length; i++) out += (i < n ? rep : "") + cps[i];
    return out + (n > cps.length ? rep : "");
  }
  if (count < 0) {
    const parts = s.split(old);
    ctx.checkStringLength(s.length + (parts.length - 1) * (rep.length - old.length));
    return parts.join(rep);
  }
  let out = "";
  let from = 0;
  for (let done = 0; done < count; done++) {
    const at = s.indexOf(old, from);
    if (at === -1) break;
    ctx.checkStringLength(out.length + (at - from) + rep.length + (s.length - at - old.length));
    out += s.slice(from, at) + rep;
    from = at + old.length;
  }
  return out + s.slice(from);
}

/** str(v) for the filters whose result is plain str even for a Markup (title, wordcount, replace …). */
const text = (v: Value): string => pyStr(v);

/** jinja2 do_title: `([-\s({\[<]+)` splits words; each piece's first character is UPPERcased. */
const WORD_BEGINNING = /([-\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000({[<]+)/u;

function title(s: string): string {
  let out = "";
  for (const item of s.split(WORD_BEGINNING)) {
    if (!item) continue;
    const first = String.fromCodePoint(item.codePointAt(0) as number);
    out += first.toUpperCase() + item.slice(first.length).toLowerCase();
  }
  return out;
}

/** Python's `\w`: str.isalnum() or underscore. */
function isWordCp(cp: number): boolean {
  return cp === 0x5f || isAlphaCp(cp) || isNumericCp(cp);
}

function wordcount(s: string): number {
  let n = 0;
  let inWord = false;
  for (const c of s) {
    const w = isWordCp(c.codePointAt(0) as number);
    if (w && !inWord) n++;
    inWord = w;
  }
  return n;
}

function center(s: string, width: number, ctx: RenderState): string {
  const marg = width - cpLength(s);
  if (marg <= 0) return s;
  ctx.checkStringLength(s.length + marg);
  // CPython pad(): left = marg / 2 + (marg & width & 1)
  const left = Math.floor(marg / 2) + (marg & width & 1);
  return " ".repeat(left) + s + " ".repeat(marg - left);
}

/**
 * jinja2 do_indent. A Markup text makes indention and newline Markup too: same text, Markup result. A
 * Markup width with plain text is Markup's `+` and join at work: each indented line is escaped, the
 * first too (with `first`, twice), and the result is Markup only when a Markup operation made it last.
 */
function indent(s: Value, width: Value, first: Value, blank: Value, ctx: RenderState): Value {
  let indention: string;
  if (isString(width)) indention = strValue(width);
  else if (typeof width === "number" && Number.isInteger(width)) {
    // jinja2 builds `" " * width` first, whatever the text: held to the limit like any repetition
    ctx.checkStringLength(width);
    indention = " ".repeat(Math.max(0, width));
  } else if (typeof width === "boolean") indention = width ? " " : "";
  else if (width instanceof Undefined) throw undefinedError(width);
  else throw runtimeError("type", `can't multiply sequence by non-int of type '${typeNameOf(width)}'`);
  if (s instanceof Undefined) throw undefinedError(s);
  const text = textOf(s);
  if (text === undefined) throw runtimeError("type", `unsupported operand type(s) for +=: '${typeNameOf(s)}' and 'str'`);
  const escapes = width instanceof Markup && !(s instanceof Markup);
  const esc = (x: string): string => (escapes ? htmlEscape(x) : x);
  // jinja2: `s += newline` before splitlines, so every line break (\r\n, \x85 …) becomes "\n"
  const lines = splitLines(text + "\n");
  // the result's length before building it: every line, a newline between lines, and each indentation
  let total = lines.length - 1 + (truthy(first) ? indention.length : 0);
  for (let i = 0; i < lines.length; i++) total += lines[i].length + (i > 0 && (lines[i] !== "" || truthy(blank)) ? indention.length : 0);
  ctx.checkStringLength(total);
  let rv: string;
  if (truthy(blank)) rv = lines.map(esc).join("\n" + indention);
  else {
    rv = lines[0];
    if (lines.length > 1) rv += "\n" + lines.slice(1).map((l) => (l ? indention + esc(l) : l)).join("\n");
  }
  if (truthy(first)) rv = indention + (truthy(blank) ? rv : esc(rv));
  ctx.checkStringLength(rv.length);
  return s instanceof Markup || (escapes && (truthy(blank) || truthy(first))) ? new Markup(rv) : rv;
}

function truncate(s: Value, lengthArg: Value, killwords: Value, end: Value, leeway: Value, ctx: RenderState): Value {
  const lee = leeway === null ? 5 : leeway;
  const endLen = length(end);
  const n = typeof lengthArg === "number" ? lengthArg : indexArg(lengthArg);
  if (!(n >= endLen)) throw runtimeError("assertion", `expected length >= ${endLen}, got ${pyStr(lengthArg)}`);
  if (!(typeof lee === "number" && lee >= 0)) throw runtimeError("assertion", `expected leeway >= 0, got ${pyStr(lee)}`);
  if (length(s) <= n + lee) return s;
  const text = textOf(s);
  const stop = n - endLen;
  if (!Number.isInteger(stop)) throw runtimeError("type", "slice indices must be integers or None or have an __index__ method");
  if (text === undefined) {
    if (truthy(killwords)) return binaryOp("+", sliceOf(s, stop), end, ctx);
    throw runtimeError("attribute", `'${typeNameOf(s)}' object has no attribute 'rsplit'`);
  }
  const head = cpSlice(text, null, stop, null);
  const endText = textOf(end);
  if (endText === undefined) {
    if (s instanceof Markup) throw runtimeError("type", `unsupported operand type(s) for +: 'Markup' and '${typeNameOf(end)}'`);
    throw runtimeError("type", `can only concatenate str (not "${typeNameOf(end)}") to str`);
  }
  const sp = head.lastIndexOf(" ");
  const kept = truthy(killwords) || sp === -1 ? head : head.slice(0, sp);
  // `result + end`: Markup's `+` when either side is Markup (a slice of a Markup is Markup)
  if (s instanceof Markup || end instanceof Markup) return markupConcat(sameKind(s, kept), end, ctx);
  return kept + endText;
}

function sliceOf(v: Value, stop: number): Value {
  if (isRange(v)) return sliceValue(v, null, stop, null);
  if (Array.isArray(v)) return v.slice(0, stop < 0 ? Math.max(0, v.length + stop) : stop);
  if (v instanceof Tuple) return new Tuple(v.items.slice(0, stop < 0 ? Math.max(0, v.items.length + stop) : stop));
  throw runtimeError("type", `'${typeNameOf(v)}' object is not subscriptable`);
}

function format(value: Value, args: Value[], kwargs: Map<string, Value>, ctx: RenderState): Value {
  if (args.length > 0 && kwargs.size > 0) throw runtimeError("filter-argument", "can't handle positional and keyword arguments at the same time");
  // `soft_str(value) % (kwargs or args)`: a dict when keywords were given, else the tuple
  const operand: Value = kwargs.size > 0 ? new Map<Value, Value>(kwargs) : new Tuple(args);
  return binaryOp("%", softStr(value), operand, ctx);
}

function trim(value: Value, chars: Value): Value {
  if (chars !== null && !isString(chars)) throw runtimeError("type", "strip arg must be None or str");
  return sameKind(value, pyStrip(text(value), chars === null ? null : strValue(chars)));
}

function replace(s: Value, old: Value, rep: Value, count: Value, ctx: RenderState): string {
  const n = count === null ? -1 : indexArg(count);
  // autoescape is off: jinja2 replaces in str(s), so the result is plain str even for a Markup
  return pyReplace(text(s), text(old), text(rep), n, ctx);
}

/** The string filters, keyed by jinja2 name. */
export const STRING_FILTERS: ReadonlyMap<string, Filter> = new Map<string, Filter>([
  // soft_str(s).method(): Markup's methods keep it Markup
  ["capitalize", builtin("do_capitalize", "s", (a) => sameKind(a[0], pyCapitalize(text(a[0]))))],
  ["center", builtin("do_center", "value, width=80", (a, ctx) => sameKind(a[0], center(text(a[0]), indexArg(a[1]), ctx)))],
  ["format", builtin("do_format", "value, *args, **kwargs", (a, ctx) => format(a[0], a[1] as Value[], a[2] as Map<string, Value>, ctx))],
  ["indent", builtin("do_indent", "s, width=4, first=False, blank=False", (a, ctx) => indent(a[0], a[1], a[2], a[3], ctx))],
  ["lower", builtin("do_lower", "s", (a) => sameKind(a[0], text(a[0]).toLowerCase()))],
  ["replace", builtin("do_replace", "s, old, new, count=None", (a, ctx) => replace(a[0], a[1], a[2], a[3], ctx))],
  ["string", builtin("soft_str", "s", (a) => softStr(a[0]))],
  ["title", builtin("do_title", "s", (a) => title(text(a[0])))],
  ["trim", builtin("do_trim", "value, chars=None", (a) => trim(a[0], a[1]))],
  ["truncate", passFilter("do_truncate", "s, length=255, killwords=False, end='...', leeway=None", (a, ctx) => truncate(a[0], a[1], a[2], a[3], a[4], ctx))],
  ["upper", builtin("do_upper", "s", (a) => sameKind(a[0], text(a[0]).toUpperCase()))],
  ["wordcount", builtin("do_wordcount", "s", (a) => wordcount(text(a[0])))],
]);
