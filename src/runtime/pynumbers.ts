// Python's int(str) and float(str): the numeric syntax they accept (Unicode digits and spaces,
// underscores, base prefixes, inf / nan). Used by the int / float filters and by Markup's `%d` / `%f`.
import { isDecimalCp, isPySpace } from "./pychars.ts";

/** CPython's first step for int() and float() of a str: Unicode digits → ASCII, Unicode spaces → " ". */
function asciiNumber(s: string): string {
  let out = "";
  for (const c of s) {
    const cp = c.codePointAt(0) as number;
    if (cp < 0x7f) out += c;
    else if (isPySpace(cp)) out += " ";
    else if (isDecimalCp(cp)) {
      // decimal digits come in runs of whole 0-9 sets: the value is the offset from the run's start mod 10
      let start = cp;
      while (isDecimalCp(start - 1)) start--;
      out += String((cp - start) % 10);
    } else out += c;
  }
  // then CPython strips C-locale whitespace only (not \x1c-\x1f, not U+FEFF)
  return out.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, "");
}

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

/** Python int(s, base); undefined where Python raises ValueError. */
export function pyParseInt(s: string, base: number): number | undefined {
  let t = asciiNumber(s);
  let neg = false;
  if (t[0] === "+" || t[0] === "-") {
    neg = t[0] === "-";
    t = t.slice(1);
  }
  let b = base;
  let prefixed = false;
  const pre = t.slice(0, 2).toLowerCase();
  const preBase = pre === "0x" ? 16 : pre === "0o" ? 8 : pre === "0b" ? 2 : 0;
  if (preBase !== 0 && (b === 0 || b === preBase)) {
    b = preBase;
    t = t.slice(2);
    prefixed = true;
  } else if (b === 0) {
    // base 0 without a prefix: decimal, and a leading zero only in an all-zero literal
    if (/^0[0_]*$/.test(t)) return 0;
    if (t[0] === "0") return undefined;
    b = 10;
  }
  // underscores only between digits (and right after a base prefix)
  if (t === "" || t.endsWith("_") || t.includes("__") || (t[0] === "_" && !prefixed)) return undefined;
  const digits = t.replace(/_/g, "").toLowerCase();
  if (digits === "") return undefined;
  let n = 0;
  for (const c of digits) {
    const d = DIGITS.indexOf(c);
    if (d === -1 || d >= b) return undefined;
    n = n * b + d;
  }
  return neg ? -n : n;
}

const DIGIT_PART = "[0-9](?:_?[0-9])*";
const FLOAT_RE = new RegExp(
  `^[+-]?(?:(?:(?:${DIGIT_PART})?\\.${DIGIT_PART}|${DIGIT_PART}\\.?)(?:[eE][+-]?${DIGIT_PART})?|inf|infinity|nan)$`,
  "i",
);

/** Python float(s); undefined where Python raises ValueError. */
export function pyParseFloat(s: string): number | undefined {
  const t = asciiNumber(s);
  if (!FLOAT_RE.test(t)) return undefined;
  const body = t.replace(/_/g, "").toLowerCase();
  const neg = body[0] === "-";
  const bare = body.replace(/^[+-]/, "");
  if (bare === "inf" || bare === "infinity") return neg ? -Infinity : Infinity;
  if (bare === "nan") return NaN;
  return Number(body);
}
