// Offset conversion between UTF-16 units and code points: the batch converters agree with the
// one-offset functions everywhere, including inside surrogate pairs and past the end.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rangesToCodePoints, rangesToUtf16, toCodePointOffset, toUtf16Offset } from "../../src/index.ts";

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
});
