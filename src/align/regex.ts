// Regexes and character classes as the Rust tokenizers evaluate them. Patterns are Oniguruma syntax, translated
// to JS by @huggingface/tokenizers; their Unicode properties are then pinned to the categories Oniguruma has
// (Unicode 16 in tokenizers 0.22) instead of the runtime's (Node 24: Unicode 17), so a character added later
// is unassigned on both sides. Knows nothing of tokenizers beyond patterns.
import * as tokenizers from "@huggingface/tokenizers";
import { CATEGORIES, CATEGORY_MARKS, CATEGORY_RUNS } from "./unicode-onig.ts";

// The package's type declarations do not resolve their own deep exports under NodeNext; the class exists.
const { SplitPreTokenizer } = tokenizers as unknown as { SplitPreTokenizer: new (config: object) => { pattern: RegExp | null } };

let runStarts: Uint32Array | undefined;
let runCategory: Uint8Array | undefined;

function loadRuns(): void {
  if (runStarts) return;
  const starts: number[] = [];
  const cats: number[] = [];
  let cp = 0;
  for (const m of CATEGORY_RUNS.matchAll(/([0-9a-z]+)(.)/g)) {
    starts.push(cp);
    cats.push(CATEGORY_MARKS.indexOf(m[2]));
    cp += parseInt(m[1], 36);
  }
  runStarts = Uint32Array.from(starts);
  runCategory = Uint8Array.from(cats);
}

/** Oniguruma's general category of a code point (two letters, e.g. `Lu`; `Cn` when unassigned). */
export function category(cp: number): string {
  loadRuns();
  let lo = 0;
  let hi = runStarts!.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runStarts![mid] <= cp) lo = mid;
    else hi = mid - 1;
  }
  return CATEGORIES[runCategory![lo]];
}

/** Whether Oniguruma's tables assign the code point at all. */
export function isAssigned(cp: number): boolean {
  return category(cp) !== "Cn";
}

const GROUPS: Record<string, string[]> = {
  L: ["Lu", "Ll", "Lt", "Lm", "Lo"],
  LC: ["Lu", "Ll", "Lt"],
  M: ["Mn", "Mc", "Me"],
  N: ["Nd", "Nl", "No"],
  P: ["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"],
  S: ["Sm", "Sc", "Sk", "So"],
  Z: ["Zs", "Zl", "Zp"],
  C: ["Cc", "Cf", "Cs", "Co", "Cn"],
};
const LONG: Record<string, string> = {
  Letter: "L", Cased_Letter: "LC", Uppercase_Letter: "Lu", Lowercase_Letter: "Ll", Titlecase_Letter: "Lt", Modifier_Letter: "Lm",
  Other_Letter: "Lo", Mark: "M", Combining_Mark: "M", Nonspacing_Mark: "Mn", Spacing_Mark: "Mc", Enclosing_Mark: "Me", Number: "N",
  Decimal_Number: "Nd", digit: "Nd", Letter_Number: "Nl", Other_Number: "No", Punctuation: "P", punct: "P", Connector_Punctuation: "Pc",
  Dash_Punctuation: "Pd", Open_Punctuation: "Ps", Close_Punctuation: "Pe", Initial_Punctuation: "Pi", Final_Punctuation: "Pf",
  Other_Punctuation: "Po", Symbol: "S", Math_Symbol: "Sm", Currency_Symbol: "Sc", Modifier_Symbol: "Sk", Other_Symbol: "So",
  Separator: "Z", Space_Separator: "Zs", Line_Separator: "Zl", Paragraph_Separator: "Zp", Other: "C", Control: "Cc", cntrl: "Cc",
  Format: "Cf", Surrogate: "Cs", Private_Use: "Co", Unassigned: "Cn",
};

/** The general categories a property name stands for, or null if it is not a general category. */
function categoriesOf(name: string): string[] | null {
  const bare = name.replace(/^(?:gc|General_Category)=/, "");
  const short = LONG[bare] ?? bare;
  if (GROUPS[short]) return GROUPS[short];
  return CATEGORIES.includes(short) ? [short] : null;
}

type Ranges = [number, number][];
const rangeCache = new Map<string, Ranges>();

/** Code-point ranges of a property as Oniguruma sees it. */
function propertyRanges(name: string): Ranges {
  const cached = rangeCache.get(name);
  if (cached) return cached;
  loadRuns();
  const out: Ranges = [];
  const push = (a: number, b: number) => {
    const last = out[out.length - 1];
    if (last && last[1] + 1 === a) last[1] = b;
    else out.push([a, b]);
  };
  const cats = categoriesOf(name);
  if (cats) {
    const wanted = new Set(cats.map((c) => CATEGORIES.indexOf(c)));
    for (let i = 0; i < runStarts!.length; i++) {
      const end = i + 1 < runStarts!.length ? runStarts![i + 1] - 1 : 0x10ffff;
      if (wanted.has(runCategory![i])) push(runStarts![i], end);
    }
  } else {
    // Another property (Alphabetic, Script=…): the runtime's, among the characters Oniguruma knows.
    const re = new RegExp(`^\\p{${name}}$`, "u");
    for (let cp = 0; cp < 0x110000; cp++) {
      if ((cp < 0xd800 || cp > 0xdfff) && re.test(String.fromCodePoint(cp)) && isAssigned(cp)) push(cp, cp);
    }
  }
  rangeCache.set(name, out);
  return out;
}

function complement(ranges: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [a, b] of ranges) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

const hex = (cp: number) => `\\u{${cp.toString(16)}}`;
const classBody = (ranges: Ranges) => ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join("");

// White_Space has not changed since Unicode 6.3: the runtime's is Oniguruma's.
const STABLE = new Set(["White_Space", "space"]);

/**
 * Rewrites `\p{…}` and `\P{…}` of a JS (u-flag) regex source into explicit code-point classes with
 * Oniguruma's Unicode data. Inside a class they become ranges; outside, a class of their own.
 */
export function pinUnicode(source: string, inClass = false): string {
  let out = "";
  for (let i = 0; i < source.length; ) {
    const c = source[i];
    if (c === "\\") {
      const m = /^\\([pP])\{([^}]+)\}/.exec(source.slice(i, i + 80));
      if (m && !STABLE.has(m[2])) {
        const ranges = m[1] === "p" ? propertyRanges(m[2]) : complement(propertyRanges(m[2]));
        out += inClass ? classBody(ranges) : ranges.length === 0 ? "[]" : `[${classBody(ranges)}]`;
        i += m[0].length;
        continue;
      }
      out += source.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === "[" && !inClass) inClass = true;
    else if (c === "]" && inClass) inClass = false;
    out += c;
    i++;
  }
  return out;
}

/** A tokenizer.json pattern (`{String}` or `{Regex}`) as a global JS regex with Oniguruma's Unicode; null if it cannot be. */
export function compilePattern(pattern: unknown): RegExp | null {
  const p = pattern as { String?: unknown; Regex?: unknown } | undefined;
  if (typeof p?.String === "string") return new RegExp(p.String.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gu");
  if (typeof p?.Regex === "string") {
    try {
      const re = new SplitPreTokenizer({ type: "Split", pattern: { Regex: p.Regex }, behavior: "Isolated", invert: false }).pattern;
      if (re) return new RegExp(pinUnicode(re.source), "gu");
    } catch {
      // Oniguruma syntax the translation does not handle: reported by the caller as unsupported.
    }
  }
  return null;
}

/** A one-character test for the body of a u-flag class such as `\p{L}\p{N}_`, with Oniguruma's Unicode (built lazily). */
export function charClass(body: string): (cp: number) => boolean {
  let re: RegExp | undefined;
  return (cp) => (re ??= new RegExp(`^[${pinUnicode(body, true)}]$`, "u")).test(String.fromCodePoint(cp));
}
