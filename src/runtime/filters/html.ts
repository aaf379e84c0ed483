// HTML and URL filters: escape, forceescape, safe, striptags, urlize, urlencode, xmlattr. escape,
// forceescape and safe return Markup (markup.ts), as jinja2's do; with autoescape off (transformers)
// urlize and xmlattr return plain str, and leave a Markup input or value unescaped.
import { runtimeError } from "../../errors.ts";
import { builtin } from "../args.ts";
import { pyRepr, pyStr } from "../pystr.ts";
import { iterate, typeNameOf } from "../sequences.ts";
import type { RenderState } from "../state.ts";
import { cpChars, cpCompare, cpSlice } from "../strings.ts";
import { Markup, Tuple, Undefined, dictEntries, isDict, isString, strValue, truthy, undefinedError, type Value } from "../value.ts";
import { escape, htmlEscape, markSafe, striptags } from "../markup.ts";
import { passFilter, type Filter } from "./common.ts";
import { splitWhitespace } from "./strings.ts";

/** urllib.parse.quote of the UTF-8 bytes; "/" stays unless for a query string (then " " → "+"). */
export function urlQuote(v: Value, forQs: boolean): string {
  const s = isString(v) ? strValue(v) : pyStr(v);
  let out = "";
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9_.~-]/.test(c) || (!forQs && c === "/")) out += c;
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return forQs ? out.replace(/%20/g, "+") : out;
}

/** Python's `k, v = item` for one pair of urlencode's iterable. */
function unpackPair(item: Value): [Value, Value] {
  if (!isIterable(item)) throw runtimeError("type", `cannot unpack non-iterable ${typeNameOf(item)} object`);
  const parts = iterate(item);
  if (parts.length > 2) throw runtimeError("value", "too many values to unpack (expected 2)");
  if (parts.length < 2) throw runtimeError("value", `not enough values to unpack (expected 2, got ${parts.length})`);
  return [parts[0], parts[1]];
}

function isIterable(v: Value): boolean {
  return isString(v) || Array.isArray(v) || v instanceof Tuple || isDict(v) || v instanceof Undefined;
}

function urlencode(value: Value): string {
  if (isString(value) || !isIterable(value)) return urlQuote(value, false);
  const pairs = isDict(value) ? dictEntries(value) : iterate(value).map(unpackPair);
  return pairs.map(([k, v]) => `${urlQuote(k, true)}=${urlQuote(v, true)}`).join("&");
}

/** Python `\s` and `\S` (Unicode str patterns). */
const WS = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
/** Python `\w` (str.isalnum() or "_"); `\d` is \p{Nd}. */
const W = "\\p{L}\\p{N}_";

// jinja2.utils._http_re, re.IGNORECASE | re.VERBOSE, whitespace removed
const HTTP_RE = new RegExp(
  "^(" +
    `(https?://|www\\.)(([${W}%-]+\\.)+)?([a-z]{2,63}|xn--[${W}%]{2,59})` +
    `|([${W}%-]{2,63}\\.)+(com|net|int|edu|gov|org|info|mil)` +
    "|(https?://)((\\p{Nd}{1,3}(\\.\\p{Nd}{1,3}){3})|(\\[([\\p{Nd}a-f]{0,4}:){2}([\\p{Nd}a-f]{0,4}:?){1,6}\\]))" +
    `)(?::\\p{Nd}{1,5})?(?:[/?#][^${WS}]*)?$`,
  "iu",
);
const EMAIL_RE = new RegExp(`^[^${WS}]+@[${W}][${W}.-]*\\.[${W}]+$`, "u");
const URI_SCHEME_RE = new RegExp(`^([${W}.+-]{2,}:(/){0,2})$`, "u");
const SPLIT_WS = new RegExp(`([${WS}]+)`, "u");
const HEAD_RE = /^(?:[(<]|&lt;)+/;
const TAIL_RE = /(?:[)>.,\n]|&gt;)+$/;

function countOf(s: string, sub: string): number {
  return s.split(sub).length - 1;
}

/** jinja2.utils.urlize, with do_urlize's rel / target / extra_schemes handling. */
function urlize(value: Value, trimLimit: Value, nofollow: Value, target: Value, rel: Value, extraSchemes: Value): string {
  const relParts = new Set(splitWhitespace(rel === null || !truthy(rel) ? "" : pyStr(rel)));
  if (truthy(nofollow)) relParts.add("nofollow");
  // the environment policy "urlize.rel" defaults to "noopener"
  relParts.add("noopener");
  const relText = [...relParts].sort(cpCompare).join(" ");
  const schemes = extraSchemes === null ? [] : iterate(extraSchemes).map((s) => pyStr(s));
  for (const scheme of extraSchemes === null ? [] : iterate(extraSchemes)) {
    if (!isString(scheme) || !URI_SCHEME_RE.test(strValue(scheme))) {
      throw runtimeError("filter-argument", `${pyRepr(scheme)} is not a valid URI scheme prefix.`);
    }
  }
  const limit = trimLimit === null ? null : (trimLimit as number);
  const trimUrl = (x: string): string => {
    if (limit === null) return x;
    const cps = cpChars(x);
    return cps.length > limit ? `${cpSlice(x, null, limit, null)}...` : x;
  };
  const relAttr = relText ? ` rel="${htmlEscape(relText)}"` : "";
  const targetAttr = target !== null && truthy(target) ? ` target="${escape(target).text}"` : "";
  const words = escape(value).text.split(SPLIT_WS);
  for (let i = 0; i < words.length; i++) {
    let head = "";
    let middle = words[i];
    let tail = "";
    const h = HEAD_RE.exec(middle);
    if (h) {
      head = h[0];
      middle = middle.slice(head.length);
    }
    if (/(?:[)>.,\n]|&gt;)$/.test(middle)) {
      const t = TAIL_RE.exec(middle);
      if (t) {
        tail = t[0];
        middle = middle.slice(0, t.index);
      }
    }
    // prefer balancing parentheses in URLs over dropping a trailing character
    for (const [open, close] of [["(", ")"], ["<", ">"], ["&lt;", "&gt;"]]) {
      const opens = countOf(middle, open);
      if (opens <= countOf(middle, close)) continue;
      for (let k = Math.min(opens, countOf(tail, close)); k > 0; k--) {
        const end = tail.indexOf(close) + close.length;
        middle += tail.slice(0, end);
        tail = tail.slice(end);
      }
    }
    if (HTTP_RE.test(middle)) {
      const href = middle.startsWith("https://") || middle.startsWith("http://") ? middle : `https://${middle}`;
      middle = `<a href="${href}"${relAttr}${targetAttr}>${trimUrl(middle)}</a>`;
    } else if (middle.startsWith("mailto:") && EMAIL_RE.test(middle.slice(7))) {
      middle = `<a href="${middle}">${middle.slice(7)}</a>`;
    } else if (middle.includes("@") && !middle.startsWith("www.") && !middle.startsWith("@") && !middle.includes(":") && EMAIL_RE.test(middle)) {
      middle = `<a href="mailto:${middle}">${middle}</a>`;
    } else {
      for (const scheme of schemes) {
        if (middle !== scheme && middle.startsWith(scheme)) middle = `<a href="${middle}"${relAttr}${targetAttr}>${middle}</a>`;
      }
    }
    words[i] = head + middle + tail;
  }
  return words.join("");
}

/** jinja2's check for characters that would end an attribute name (`[\s/>=]`, ASCII). */
const ATTR_KEY_RE = /[ \t\n\r\f\v/>=]/;

function xmlattr(d: Value, autospace: Value): string {
  if (d instanceof Undefined) throw undefinedError(d);
  if (!isDict(d)) throw runtimeError("attribute", `'${typeNameOf(d)}' object has no attribute 'items'`);
  const items: string[] = [];
  for (const [key, value] of dictEntries(d)) {
    if (value === null || value instanceof Undefined) continue;
    if (!isString(key)) throw runtimeError("type", `expected string or bytes-like object, got '${typeNameOf(key)}'`);
    const k = strValue(key);
    if (ATTR_KEY_RE.test(k)) throw runtimeError("value", `Invalid character in attribute name: ${pyRepr(k)}`);
    items.push(`${escape(key).text}="${escape(value).text}"`);
  }
  const rv = items.join(" ");
  return truthy(autospace) && rv ? " " + rv : rv;
}

/** The escaped text, held to the string limit: `|forceescape` repeated grows it fivefold each time. */
function checked(m: Markup, ctx: RenderState): Markup {
  ctx.checkStringLength(m.text.length);
  return m;
}

const escapeFilter = builtin("escape", "s", (a, ctx: RenderState) => checked(escape(a[0]), ctx));

/** The HTML and URL filters, keyed by jinja2 name. */
export const HTML_FILTERS: ReadonlyMap<string, Filter> = new Map<string, Filter>([
  ["e", escapeFilter],
  ["escape", escapeFilter],
  // escape(str(value)): a Markup is escaped again
  ["forceescape", builtin("do_forceescape", "value", (a, ctx: RenderState) => checked(new Markup(htmlEscape(pyStr(a[0]))), ctx))],
  ["safe", builtin("do_mark_safe", "value", (a) => markSafe(a[0]))],
  ["striptags", builtin("do_striptags", "value", (a) => striptags(pyStr(a[0])))],
  ["urlencode", builtin("do_urlencode", "value", (a) => urlencode(a[0]))],
  [
    "urlize",
    passFilter("do_urlize", "value, trim_url_limit=None, nofollow=False, target=None, rel=None, extra_schemes=None", (a) =>
      urlize(a[0], a[1], a[2], a[3], a[4], a[5]),
    ),
  ],
  ["xmlattr", passFilter("do_xmlattr", "d, autospace=True", (a) => xmlattr(a[0], a[1]))],
]);
