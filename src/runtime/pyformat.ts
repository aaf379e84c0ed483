// Python's format-spec mini-language (format(), str.format) and the str.format / format_map field syntax.
// Floats are formatted from their exact binary value (BigInt), rounding half to even as CPython does,
// never through toFixed (decimal.ts). printf-style `%` lives in printf.ts and shares the float digits.
import { runtimeError } from "../errors.ts";
import { fixedDigits, isNeg, scaled, scaledRound } from "./decimal.ts";
import { typeNameOf } from "./sequences.ts";
import { cpChars, cpLength } from "./strings.ts";
import { floatRepr, intStr, pyAscii, pyRepr, pyStr } from "./pystr.ts";
import { Float, SpannedString, type Value } from "./value.ts";

/** Something that refuses strings over the configured limit (RenderState). */
export interface LengthCheck {
  checkStringLength(n: number): void;
}

/** |x| rounded to prec+1 significant digits: the digit string and the decimal exponent. */
function sigDigits(ax: number, prec: number): [string, number] {
  if (ax === 0) return ["0".repeat(prec + 1), 0];
  // the exponent exactly (log10 may round across a power of ten), then the rounding may carry into it
  let exp = Math.floor(Math.log10(ax));
  while (scaled(ax, -exp)[0] >= 10n) exp++;
  while (scaled(ax, -exp)[0] < 1n) exp--;
  const hi = 10n ** BigInt(prec + 1);
  let q = scaledRound(ax, prec - exp);
  if (q >= hi) {
    exp += 1;
    q = hi / 10n;
  }
  return [q.toString(), exp];
}

function expSuffix(exp: number, upper: boolean): string {
  const a = Math.abs(exp);
  return `${upper ? "E" : "e"}${exp < 0 ? "-" : "+"}${a < 10 ? "0" : ""}${a}`;
}

/** `%e` body of |x|: d.ddddde+XX. */
function expBody(ax: number, prec: number, alt: boolean, upper: boolean): string {
  const [d, exp] = sigDigits(ax, prec);
  const mant = prec > 0 ? `${d[0]}.${d.slice(1)}` : alt ? `${d}.` : d;
  return mant + expSuffix(exp, upper);
}

/**
 * `%g` body of |x|. `dot0` is the no-type format spec with a precision: Python switches to scientific
 * from exp >= prec - 1 there and keeps one digit after the point.
 */
function generalBody(ax: number, prec: number, alt: boolean, upper: boolean, dot0: boolean): string {
  const p = prec === 0 ? 1 : prec;
  const [d, exp] = sigDigits(ax, p - 1);
  const useExp = exp < -4 || exp >= (dot0 ? p - 1 : p);
  let body: string;
  if (useExp) {
    const frac = alt ? d.slice(1) : d.slice(1).replace(/0+$/, "");
    return (frac || alt ? `${d[0]}.${frac}` : d[0]) + expSuffix(exp, upper);
  }
  body = fixedDigits(ax, Math.max(0, p - 1 - exp));
  if (!alt && body.includes(".")) body = body.replace(/0+$/, "").replace(/\.$/, "");
  if (alt && !body.includes(".")) body += ".";
  if (dot0 && !body.includes(".")) body += ".0";
  return body;
}

/** A double's exact decimal expansion has at most 767 significant digits: more precision adds only zeros. */
const EXACT_DIGITS = 800;

/**
 * The digits of a non-negative float (or inf / nan) for a conversion type, without sign. A precision
 * whose digits would pass limits.maxStringLength is refused before any digit is computed.
 */
export function floatBody(ax: number, type: string, prec: number | null, alt: boolean, dot0 = false, check?: LengthCheck): string {
  const body = floatDigits(ax, type, prec, alt, dot0, check);
  check?.checkStringLength(body.length);
  return body;
}

function floatDigits(ax: number, type: string, prec: number | null, alt: boolean, dot0: boolean, check?: LengthCheck): string {
  const upper = type === "E" || type === "F" || type === "G";
  // '%' multiplies first (in double arithmetic, as CPython does), so a huge value becomes inf%
  const x = type === "%" ? ax * 100 : ax;
  const suffix = type === "%" ? "%" : "";
  if (x !== x) return (upper ? "NAN" : "nan") + suffix;
  if (x === Infinity) return (upper ? "INF" : "inf") + suffix;
  let body: string;
  // the digits after the point alone: the result is at least this long
  if (prec !== null && (alt || !"gGn".includes(type))) check?.checkStringLength(prec);
  switch (type) {
    case "e":
    case "E":
      return expBody(x, prec ?? 6, alt, upper);
    case "f":
    case "F":
    case "%":
      body = fixedDigits(x, prec ?? 6);
      return (alt && !body.includes(".") ? body + "." : body) + suffix;
    case "r":
      // no type and no precision: repr's digits; '#' still forces a point (1.e+16)
      body = floatRepr(x);
      if (alt && !body.includes(".")) body = body.includes("e") ? body.replace("e", ".e") : body + ".";
      return body;
    default:
      // without '#' trailing zeros are stripped: a precision past the exact expansion changes nothing
      return generalBody(x, alt ? (prec ?? 6) : Math.min(prec ?? 6, EXACT_DIGITS), alt, upper, dot0);
  }
}


// ---- padding and grouping ----

function groupDigits(digits: string, sep: string, every: number, minWidth: number): string {
  if (sep === "" && digits.length >= minWidth) return digits;
  const out: string[] = [];
  let count = 0;
  let len = 0;
  for (let i = digits.length - 1; i >= 0 || len < minWidth; i--) {
    if (sep !== "" && count === every) {
      out.push(sep);
      len++;
      count = 0;
      // a separator may not lead: finish it with a zero
      if (i < 0 && len >= minWidth) {
        out.push("0");
        len++;
        break;
      }
    }
    out.push(i >= 0 ? digits[i] : "0");
    len++;
    count++;
  }
  return out.reverse().join("");
}

/** Pads to `width` code points with `fill` ("<", ">" or "^"), checking the length limit. */
export function pad(s: string, width: number, align: string, fill: string, check?: LengthCheck): string {
  const n = cpLength(s);
  if (n >= width) return s;
  check?.checkStringLength(width);
  const total = width - n;
  if (align === "<") return s + fill.repeat(total);
  if (align === "^") {
    const left = total >> 1;
    return fill.repeat(left) + s + fill.repeat(total - left);
  }
  return fill.repeat(total) + s;
}

// ---- the format-spec mini-language: format(value, spec) ----

interface Spec {
  fill: string;
  align: string;
  sign: string;
  z: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number | null;
  type: string;
}

const SPEC = /^(?:(.)?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?(.)?$/su;

/** CPython parse_internal_render_format_spec; `defaultType` is 's' for str, 'd' for int, '' for float. */
function parseSpec(spec: string, v: Value, defaultType: string): Spec {
  const m = SPEC.exec(spec);
  if (m === null) throw runtimeError("value", `Invalid format specifier '${spec}' for object of type '${typeNameOf(v)}'`);
  const zero = m[6] !== undefined;
  const type = m[10] ?? defaultType;
  // the parser already refuses a separator the presentation type cannot group ('_' also fits b o x X)
  if (m[8] !== undefined && !"defgEGF%".includes(type) && !(m[8] === "_" && "boxX".includes(type))) {
    const t = type.codePointAt(0) as number;
    const shown = t > 32 && t < 128 ? type : `\\x${t.toString(16)}`;
    throw runtimeError("value", `Cannot specify '${m[8]}' with '${shown}'.`);
  }
  // CPython: a '0' before the width sets the fill to '0' unless a fill was given (and, for numbers
  // only, the alignment to '=' unless one was given: see layoutNumber)
  return {
    fill: m[1] ?? (zero ? "0" : " "),
    align: m[2] ?? "",
    sign: m[3] ?? "",
    z: m[4] !== undefined,
    alt: m[5] !== undefined,
    zero,
    width: m[7] === undefined ? 0 : Number(m[7]),
    grouping: m[8] ?? "",
    precision: m[9] === undefined ? null : Number(m[9]),
    type: m[10] ?? "",
  };
}

/** Lays out sign, prefix and body with the spec's width, alignment and fill ('=' pads after the sign). */
function layoutNumber(sign: string, prefix: string, intDigits: string, rest: string, s: Spec, groupEvery: number, check?: LengthCheck): string {
  const align = s.align || (s.zero ? "=" : ">");
  let digits: string;
  // zero fill with '=' pads inside the digits, so grouping separators go between the zeros too
  if (s.fill === "0" && align === "=") {
    const min = Math.max(0, s.width - sign.length - prefix.length - cpLength(rest));
    check?.checkStringLength(min);
    digits = groupDigits(intDigits, s.grouping, groupEvery, min);
    return sign + prefix + digits + rest;
  }
  digits = groupDigits(intDigits, s.grouping, groupEvery, 0);
  if (align === "=") {
    const body = digits + rest;
    const n = sign.length + prefix.length + cpLength(body);
    if (n >= s.width) return sign + prefix + body;
    check?.checkStringLength(s.width);
    return sign + prefix + s.fill.repeat(s.width - n) + body;
  }
  return pad(sign + prefix + digits + rest, s.width, align, s.fill, check);
}

function signOf(neg: boolean, flag: string): string {
  return neg ? "-" : flag === "+" ? "+" : flag === " " ? " " : "";
}

function formatIntSpec(n: number, s: Spec, check?: LengthCheck): string {
  const t = s.type;
  if (s.precision !== null) throw runtimeError("value", "Precision not allowed in integer format specifier");
  if (s.z) throw runtimeError("value", "Negative zero coercion (z) not allowed in integer format specifier");
  if (t === "c") {
    if (s.sign) throw runtimeError("value", "Sign not allowed with integer format specifier 'c'");
    if (s.alt) throw runtimeError("value", "Alternate form (#) not allowed with integer format specifier 'c'");
    if (n < 0 || n > 0x10ffff) throw runtimeError("overflow", "%c arg not in range(0x110000)");
    return pad(String.fromCodePoint(n), s.width, s.align || ">", s.fill, check);
  }
  const big = BigInt(n < 0 ? -n : n);
  let digits: string;
  let prefix = "";
  let every = 3;
  switch (t) {
    case "b":
      digits = big.toString(2);
      prefix = s.alt ? "0b" : "";
      every = 4;
      break;
    case "o":
      digits = big.toString(8);
      prefix = s.alt ? "0o" : "";
      every = 4;
      break;
    case "x":
    case "X":
      digits = big.toString(16);
      if (t === "X") digits = digits.toUpperCase();
      prefix = s.alt ? (t === "x" ? "0x" : "0X") : "";
      every = 4;
      break;
    default:
      digits = intStr(Math.abs(n));
  }
  return layoutNumber(signOf(n < 0, s.sign), prefix, digits, "", s, every, check);
}

function formatFloatSpec(x: number, s: Spec, check?: LengthCheck): string {
  let t = s.type;
  if (t === "n") t = "g";
  let neg = isNeg(x);
  let body: string;
  if (t === "") body = s.precision === null ? floatBody(Math.abs(x), "r", null, s.alt) : floatBody(Math.abs(x), "g", s.precision, s.alt, true, check);
  else body = floatBody(Math.abs(x), t, s.precision, s.alt, false, check);
  // 'z' (3.11): a negative zero after rounding prints unsigned
  if (s.z && neg && !/[1-9]/.test(body.replace(/e.*$/i, ""))) neg = false;
  const m = /^(\d*)(.*)$/s.exec(body) as RegExpExecArray;
  // inf and nan have no digits to group (zero fill still applies)
  const spec = m[1] === "" ? { ...s, grouping: "" } : s;
  return layoutNumber(signOf(neg, s.sign), "", m[1], m[2], spec, 3, check);
}

function formatStrSpec(str: string, s: Spec, check?: LengthCheck): string {
  if (s.type !== "" && s.type !== "s") throw runtimeError("value", `Unknown format code '${s.type}' for object of type 'str'`);
  if (s.sign) throw runtimeError("value", s.sign === " " ? "Space not allowed in string format specifier" : "Sign not allowed in string format specifier");
  if (s.z) throw runtimeError("value", "Negative zero coercion (z) not allowed in format specifier");
  if (s.alt) throw runtimeError("value", "Alternate form (#) not allowed in string format specifier");
  if (s.align === "=") throw runtimeError("value", "'=' alignment not allowed in string format specifier");
  const text = s.precision !== null && cpLength(str) > s.precision ? cpChars(str).slice(0, s.precision).join("") : str;
  return pad(text, s.width, s.align || "<", s.fill, check);
}

/** Python format(value, spec): the `__format__` of str, int, bool and float; other types take only ''. */
export function formatValue(v: Value, spec: string, check?: LengthCheck): string {
  if (spec === "") return pyStr(v);
  if (typeof v === "string" || v instanceof SpannedString) return formatStrSpec(typeof v === "string" ? v : v.text, parseSpec(spec, v, "s"), check);
  if (typeof v === "boolean" || (typeof v === "number" && Number.isInteger(v))) {
    const n = typeof v === "boolean" ? (v ? 1 : 0) : v;
    const s = parseSpec(spec, v, "d");
    if ("eEfFgG%".includes(s.type) && s.type !== "") return formatFloatSpec(n, s, check);
    if (s.type !== "" && !"bcdoxXn".includes(s.type)) throw runtimeError("value", `Unknown format code '${s.type}' for object of type '${typeNameOf(v)}'`);
    return formatIntSpec(n, s, check);
  }
  if (typeof v === "number" || v instanceof Float) {
    const s = parseSpec(spec, v, "");
    if (s.type !== "" && !"eEfFgGn%".includes(s.type)) throw runtimeError("value", `Unknown format code '${s.type}' for object of type 'float'`);
    return formatFloatSpec(typeof v === "number" ? v : v.value, s, check);
  }
  throw runtimeError("type", `unsupported format string passed to ${typeNameOf(v)}.__format__`);
}

// ---- str.format ----

/** Resolves `.attr` and `[key]` parts of a replacement field as jinja2's SandboxedFormatter does. */
export type FieldAccess = (obj: Value, key: string | number, isAttr: boolean) => Value;

interface FormatState {
  auto: number;
  mode: "" | "auto" | "manual";
  formatField: FormatField;
}

/**
 * Python str.format / format_map through jinja2's SandboxedFormatter (string.Formatter with the
 * sandbox's getattr / getitem for field parts). Nested fields in the spec are allowed one level deep.
 */
export function strFormat(
  template: string,
  args: readonly Value[],
  kwargs: (key: string) => Value | undefined,
  access: FieldAccess,
  check?: LengthCheck,
  formatField: FormatField = formatValue,
): string {
  return vformat(template, args, kwargs, access, { auto: 0, mode: "", formatField }, 2, check);
}

/** Formatter.format_field: format(value, spec), or Markup's escaping one (markup.ts). */
export type FormatField = (v: Value, spec: string, check?: LengthCheck) => string;

function vformat(template: string, args: readonly Value[], kwargs: (key: string) => Value | undefined, access: FieldAccess, st: FormatState, depth: number, check?: LengthCheck): string {
  if (depth < 0) throw runtimeError("value", "Max string recursion exceeded");
  let out = "";
  let i = 0;
  const n = template.length;
  while (i < n) {
    const c = template[i];
    if (c === "}") {
      if (template[i + 1] === "}") {
        out += "}";
        i += 2;
        continue;
      }
      throw runtimeError("value", "Single '}' encountered in format string");
    }
    if (c !== "{") {
      out += c;
      i++;
      continue;
    }
    if (template[i + 1] === "{") {
      out += "{";
      i += 2;
      continue;
    }
    // find the matching close brace, counting nested ones in the spec
    let j = i + 1;
    let level = 1;
    while (j < n) {
      if (template[j] === "[") {
        const k = template.indexOf("]", j);
        if (k !== -1 && level === 1 && !/[:!]/.test(template.slice(i + 1, j))) {
          j = k + 1;
          continue;
        }
      }
      if (template[j] === "{") level++;
      else if (template[j] === "}" && --level === 0) break;
      j++;
    }
    if (j >= n) throw runtimeError("value", i + 1 === n ? "Single '{' encountered in format string" : "expected '}' before end of string");
    const field = replaceField(template.slice(i + 1, j), args, kwargs, access, st, depth, check);
    // each field is within the limit; together they may not be
    check?.checkStringLength(out.length + field.length);
    out += field;
    i = j + 1;
  }
  return out;
}

function replaceField(field: string, args: readonly Value[], kwargs: (key: string) => Value | undefined, access: FieldAccess, st: FormatState, depth: number, check?: LengthCheck): string {
  // field_name [! conversion] [: spec]; brackets in the name may hold ':' or '!'
  let k = 0;
  while (k < field.length && field[k] !== "!" && field[k] !== ":") {
    if (field[k] === "[") {
      const close = field.indexOf("]", k);
      if (close === -1) throw runtimeError("value", "expected '}' before end of string");
      k = close;
    }
    k++;
  }
  const name = field.slice(0, k);
  let conversion = "";
  let spec = "";
  if (field[k] === "!") {
    if (k + 1 >= field.length) throw runtimeError("value", "end of string while looking for conversion specifier");
    conversion = field[k + 1];
    if (k + 2 < field.length && field[k + 2] !== ":") throw runtimeError("value", "expected ':' after conversion specifier");
    spec = field.slice(k + 3);
  } else if (field[k] === ":") spec = field.slice(k + 1);
  const m = /^([^.[]*)(.*)$/s.exec(name) as RegExpExecArray;
  const first = m[1];
  let obj: Value;
  // string.Formatter (not str.format) says "manual … to automatic" for both directions
  if (first === "") {
    if (st.mode === "manual") throw runtimeError("value", "cannot switch from manual field specification to automatic field numbering");
    st.mode = "auto";
    obj = positionalArg(args, st.auto++);
  } else if (/^\d+$/.test(first)) {
    if (st.mode === "auto") throw runtimeError("value", "cannot switch from manual field specification to automatic field numbering");
    st.mode = "manual";
    obj = positionalArg(args, Number(first));
  } else {
    const v = kwargs(first);
    if (v === undefined) throw runtimeError("key", pyRepr(first));
    obj = v;
  }
  let rest = m[2];
  while (rest.length > 0) {
    const part = /^\.([^.[]+)|^\[([^\]]+)\]/.exec(rest);
    if (part === null) throw runtimeError("value", rest.startsWith(".") ? "Empty attribute in format string" : "Only '.' or '[' may follow ']' in format field specifier");
    if (part[1] !== undefined) obj = access(obj, part[1], true);
    else obj = access(obj, /^\d+$/.test(part[2]) ? Number(part[2]) : part[2], false);
    rest = rest.slice(part[0].length);
  }
  if (conversion === "r") obj = pyRepr(obj);
  else if (conversion === "s") obj = pyStr(obj);
  else if (conversion === "a") obj = pyAscii(obj);
  else if (conversion !== "") throw runtimeError("value", `Unknown conversion specifier ${conversion}`);
  // string.Formatter runs every spec, even '', through _vformat at depth - 1
  const fullSpec = depth < 1 || spec.includes("{") ? vformat(spec, args, kwargs, access, st, depth - 1, check) : spec;
  return st.formatField(obj, fullSpec, check);
}

function positionalArg(args: readonly Value[], i: number): Value {
  // string.Formatter.get_value indexes the args tuple directly
  if (i >= args.length) throw runtimeError("index", "tuple index out of range");
  return args[i];
}
