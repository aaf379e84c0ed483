// Offset conversion between UTF-16 units and code points (src/codepoints.ts): the batch converters agree with the
// one-offset functions everywhere, including inside surrogate pairs and past the end, and every count agrees with
// JS string iteration (which walks code points, lone surrogates whole).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codePointLength, codePointTable, splitsPair } from "../src/codepoints.ts";
import { rangesToCodePoints, rangesToUtf16, toCodePointOffset, toUtf16Offset } from "../src/index.ts";
import { Source } from "../src/source.ts";

const text = fc.array(fc.constantFrom("a", "é", "😀", "\ud800", "\udc00", "中", "\n"), { maxLength: 30 }).map((a) => a.join(""));

describe("units", () => {
  it("batch conversions equal single conversions", () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(40), { maxLength: 8 }), (t, offs) => {
        const ranges = offs.map((o, i) => ({ label: "x", start: o, end: o + (i % 3) }));
        expect(rangesToCodePoints(t, ranges)).toEqual(ranges.map((r) => ({ ...r, start: toCodePointOffset(t, r.start), end: toCodePointOffset(t, r.end) })));
        expect(rangesToUtf16(t, ranges)).toEqual(ranges.map((r) => ({ ...r, start: toUtf16Offset(t, r.start), end: toUtf16Offset(t, r.end) })));
      }),
      { numRuns: 500 },
    );
  });

  it("counts an astral character as one code point", () => {
    expect(toCodePointOffset("😀a", 2)).toBe(1);
    expect(toUtf16Offset("😀a", 1)).toBe(2);
  });

  it("counts code points as JS iteration does, and maps each unit to the code point containing it", () => {
    fc.assert(
      fc.property(text, (t) => {
        const cps = [...t];
        expect(codePointLength(t)).toBe(cps.length);
        const table = codePointTable(t);
        let u = 0;
        cps.forEach((c, k) => {
          for (let j = 0; j < c.length; j++) expect(table[u + j]).toBe(k);
          if (c.length === 2) expect(splitsPair(t, u + 1)).toBe(true);
          expect(splitsPair(t, u)).toBe(false);
          u += c.length;
        });
        expect(table[t.length]).toBe(cps.length);
      }),
      { numRuns: 500 },
    );
  });

  it("gives lines and code-point columns as a rescan of the line would", () => {
    fc.assert(
      fc.property(text, fc.nat(40), (t, o) => {
        const loc = new Source(t).locOf(o);
        const offset = Math.min(o, t.length);
        const before = t.slice(0, offset);
        expect(loc.line).toBe(before.split("\n").length);
        expect(loc.column).toBe([...before.slice(before.lastIndexOf("\n") + 1)].length + 1);
      }),
      { numRuns: 500 },
    );
  });
});
