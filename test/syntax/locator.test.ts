// The parser's Locator gives exactly Source.locOf's Loc (columns in code points) without rescanning long lines.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Source } from "../../src/source.ts";
import { Locator } from "../../src/syntax/lexer.ts";

describe("Locator", () => {
  it("agrees with Source.locOf on text with newlines, astral characters and lone surrogates", () => {
    const piece = fc.constantFrom("a", "\n", "😀", "é", "\ud800", "\udc00", "{{", " ", "𝒳\n");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.nat(), fc.nat(), (parts, a, b) => {
        const text = parts.join("");
        const source = new Source(text);
        const locator = new Locator(text);
        const start = a % (text.length + 1);
        const end = start + (b % 5);
        expect(locator.loc(start, end)).toEqual(source.locOf(start, end));
      }),
      { numRuns: 2000, seed: 42 },
    );
  });
});
