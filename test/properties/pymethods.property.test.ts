// Property: for random strings (Python's whitespace and line breaks, cased letters of several scripts,
// digits of several kinds, astral characters, lone surrogates) and random arguments, the str methods in
// pymethods.ts return what python3's do, or raise its error message. One python3 process per batch.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TemplateError } from "../../src/errors.ts";
import { lookupMethod } from "../../src/runtime/pymethods.ts";
import { pyRepr } from "../../src/runtime/pystr.ts";
import { Tuple, type Callable, type Value } from "../../src/runtime/value.ts";
import { PYTHON, python } from "./python.ts";
import { testState } from "../runtime/state.ts";

const RUNS = Number(process.env.SPANJA_PROPERTY_RUNS ?? 300);
const SEED = process.env.SPANJA_PROPERTY_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.SPANJA_PROPERTY_SEED);

const PIECES = [
  " ", "  ", "\t", "\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u1680", "\u2000", "\u2028", "\u3000", "\u200b", "\ufeff",
  "a", "B", "hello", "World", "it's", "x1y", "ǅ", "ǆ", "ß", "ﬁ", "İ", "ı", "Σ", "σς", "ΑΣ", "ŉ", "ᾳ", "Ꭰ", "ꭰ", "ẞ", "Straße",
  "1", "42", "²", "½", "٣", "一", "Ⅻ", "①", "_", "-", "+", ",", "::", "é", "e\u0301", "中文", "😀", "\u{1F1EB}\u{1F1F7}", "\udc80", "\ud83d",
];
const piece = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 3 }) });
const text = fc.array(piece, { maxLength: 8 }).map((xs) => xs.join(""));
const small = fc.oneof(fc.constant(null), fc.integer({ min: -6, max: 12 }));
const sub = fc.oneof(fc.constantFrom("", " ", "a", "l", "::", ",", "\n", "ß", "😀"), fc.array(piece, { maxLength: 2 }).map((xs) => xs.join("")));

/** [method, args] with arguments Python accepts (and some it refuses). */
const callGen: fc.Arbitrary<[string, Value[]]> = fc.oneof(
  fc.constantFrom(
    ...["strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "title", "capitalize", "swapcase", "lower", "upper", "casefold", "isalnum",
      "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle", "isupper", "expandtabs"].map(
      (m): [string, Value[]] => [m, []],
    ),
  ),
  fc.tuple(fc.constantFrom("strip", "lstrip", "rstrip", "removeprefix", "removesuffix", "partition", "rpartition", "find", "rfind", "count", "index", "startswith", "endswith"), sub).map(([m, s]): [string, Value[]] => [m, [s]]),
  fc.tuple(fc.constantFrom("split", "rsplit"), fc.oneof(fc.constant(null), sub), small).map(([m, s, n]): [string, Value[]] => [m, [s, n ?? -1]]),
  fc.tuple(fc.constantFrom("find", "rfind", "count", "startswith", "endswith", "index", "rindex"), sub, small, small).map(([m, s, a, b]): [string, Value[]] => [m, [s, a, b]]),
  fc.tuple(fc.constantFrom("startswith", "endswith"), fc.array(sub, { maxLength: 3 }), small).map(([m, xs, a]): [string, Value[]] => [m, [new Tuple(xs), a]]),
  fc.tuple(sub, sub, small).map(([a, b, n]): [string, Value[]] => ["replace", [a, b, n ?? -1]]),
  fc.tuple(fc.constantFrom("center", "ljust", "rjust"), small, fc.constantFrom(" ", "*", "😀", "ab")).map(([m, w, f]): [string, Value[]] => [m, [w ?? 0, f]]),
  fc.tuple(fc.constantFrom("zfill", "expandtabs"), small).map(([m, w]): [string, Value[]] => [m, [w ?? 0]]),
  fc.boolean().map((k): [string, Value[]] => ["splitlines", [k]]),
);

function tagged(v: Value): unknown {
  return v instanceof Tuple ? { t: v.items.map(tagged) } : v;
}

describe.skipIf(PYTHON === null)(`str methods against python3 ${PYTHON} (seed ${SEED})`, () => {
  const batch = fc.sample(fc.tuple(text, callGen), { numRuns: RUNS * 3, seed: SEED });
  const answers = PYTHON === null ? [] : (python(
    `json.dump([attempt(lambda: repr(getattr(s, m)(*args))) for s, m, args in cases], sys.stdout)`,
    batch.map(([s, [m, args]]) => [s, m, args.map(tagged)]),
  ) as { ok?: string; message?: string }[]);

  it(`calls ${RUNS * 3} random str methods as Python does`, () => {
    const state = testState();
    const bad: string[] = [];
    batch.forEach(([s, [m, args]], i) => {
      let mine: string;
      try {
        mine = pyRepr(state.call(lookupMethod(s, m) as Callable, { args, kwargs: new Map() }));
      } catch (e) {
        mine = `error: ${(e as TemplateError).detail}`;
      }
      const py = answers[i];
      const theirs = py.ok ?? `error: ${py.message}`;
      // a lone high surrogate next to a lone low one is one character in UTF-16 (COMPATIBILITY.md)
      if (/\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}/.test(theirs)) return;
      if (mine !== theirs) bad.push(`${pyRepr(s)}.${m}(${args.map((a) => pyRepr(a)).join(", ")}): python ${theirs}, spanja ${mine}`);
    });
    expect(bad.slice(0, 10)).toEqual([]);
  });
});
