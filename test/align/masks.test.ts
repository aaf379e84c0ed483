// align/masks.ts on hand-made offsets: transformers' loop ("hf") with each of its quirks, exact overlap, and
// the warnings. Tokens: code-point ranges; spans: code points, in recorded order.
import { describe, expect, it } from "vitest";
import { Sequence, excludeMask, spanMask, type LabeledSpan, type TokenLayout } from "../../src/align/masks.ts";

// "Hi there!" split as  Hi | ␣there | !   → [0,2) [2,8) [8,9)
const words: [number, number][] = [
  [0, 2],
  [2, 8],
  [8, 9],
];
// ten one-character tokens over "0123456789"
const chars: [number, number][] = Array.from({ length: 10 }, (_, i) => [i, i + 1]);
const span = (start: number, end: number, label = "assistant"): LabeledSpan => ({ label, start, end });
const codes = (ws: { code: string }[]) => ws.map((w) => w.code);

function hf(layout: TokenLayout, spans: LabeledSpan[], label = "assistant") {
  return spanMask(layout, spans, label, "hf");
}
function exact(layout: TokenLayout, spans: LabeledSpan[], label = "assistant") {
  return spanMask(layout, spans, label, "exact");
}

describe("Sequence.charToToken (Rust char_to_token on a truncated, padded encoding)", () => {
  it("finds the first token containing a character, shifted by left padding", () => {
    const seq = new Sequence({ offsets: words, padLeft: 2, padRight: 1 });
    expect(seq.length).toBe(6);
    expect([0, 1, 2, 7, 8, 9].map((p) => seq.charToToken(p))).toEqual([2, 2, 3, 3, 4, null]);
  });
  it("returns the first of several tokens sharing one range (byte pieces of one character)", () => {
    const seq = new Sequence({ offsets: [[0, 1], [1, 2], [1, 2], [2, 3]] });
    expect(seq.charToToken(1)).toBe(1);
  });
  it("knows nothing of truncated tokens", () => {
    const right = new Sequence({ offsets: chars, keep: [0, 4] });
    expect([3, 4].map((p) => right.charToToken(p))).toEqual([3, null]);
    const left = new Sequence({ offsets: chars, keep: [6, 10] });
    expect([5, 6, 9].map((p) => left.charToToken(p))).toEqual([null, 0, 3]);
  });
  it("maps characters no token covers, negative and fractional positions to null", () => {
    const seq = new Sequence({ offsets: [[0, 1], [2, 3]] });
    expect([1, -1, 0.5, 3].map((p) => seq.charToToken(p))).toEqual([null, null, null, null]);
  });
});

describe('mask_policy "hf": transformers\' loop', () => {
  it("marks start_token..end_token inclusive, whole tokens", () => {
    const r = hf({ offsets: words }, [span(3, 5)]);
    expect(r.mask).toEqual([0, 1, 0]);
    expect(codes(r.warnings)).toEqual(["straddle"]);
  });
  it("ignores spans of other labels", () => {
    expect(hf({ offsets: words }, [span(2, 8, "think")]).mask).toEqual([0, 0, 0]);
    expect(hf({ offsets: words }, [span(2, 8, "think")], "think").mask).toEqual([0, 1, 0]);
  });
  it("stops at a span whose start maps to no token: it and every later span are dropped", () => {
    const offsets: [number, number][] = [[0, 1], [1, 2], [3, 5], [5, 7]]; // character 2 belongs to no token
    const r = hf({ offsets }, [span(1, 2), span(2, 4), span(5, 7)]);
    expect(r.mask).toEqual([0, 1, 0, 0]);
    expect(codes(r.warnings)).toEqual(["span-dropped-hf", "span-dropped-hf", "straddle", "uncovered"]);
    expect(r.warnings[1].message).toContain("an earlier span's start (character 2)");
  });
  it("marks to the end of the sequence when the end token is None", () => {
    const offsets: [number, number][] = [[0, 2], [2, 4], [5, 6], [6, 8]]; // character 4 belongs to no token
    const r = hf({ offsets }, [span(2, 5)]);
    expect(r.mask).toEqual([0, 1, 1, 1]);
    expect(codes(r.warnings)).toEqual(["span-to-end", "uncovered"]);
  });
  it("marks to the end when the end token is 0 (transformers reads 0 as false), padding included", () => {
    const r = hf({ offsets: words, padRight: 2 }, [span(0, 2), span(8, 9)]);
    expect(r.mask).toEqual([1, 1, 1, 1, 1]);
    expect(r.warnings[0]).toMatchObject({ code: "span-to-end", start: 0, end: 2 });
    expect(r.warnings[0].message).toContain("padding included");
  });
  it("with left padding the end token is never 0, so the same span marks only itself", () => {
    expect(hf({ offsets: words, padLeft: 2 }, [span(0, 2)]).mask).toEqual([0, 0, 1, 0, 0]);
  });
  it("truncation: a span cut at its end runs to the end; a span cut at its start stops the loop", () => {
    const layout = { offsets: chars, keep: [0, 5] as [number, number], padRight: 0 };
    const r = hf(layout, [span(3, 7), span(8, 9)]);
    expect(r.mask).toEqual([0, 0, 0, 1, 1]);
    expect(codes(r.warnings)).toEqual(["span-to-end", "span-dropped-hf", "truncated", "truncated"]);
  });
  it("left truncation drops a span whose start was cut, even though its end is kept", () => {
    const r = hf({ offsets: chars, keep: [5, 10] }, [span(3, 7)]);
    expect(r.mask).toEqual([0, 0, 0, 0, 0]);
    expect(codes(r.warnings)).toEqual(["span-dropped-hf", "truncated"]);
  });
  it("an empty span marks the token before it when that token also holds its start", () => {
    // start 1 and end - 1 = 0 both fall in token 0, and an end token of 0 means "to the end"
    expect(hf({ offsets: words }, [span(1, 1)]).mask).toEqual([1, 1, 1]);
    // start 3 in token 1, end - 1 = 2 in token 1: token 1 is marked although nothing is labeled
    expect(hf({ offsets: words }, [span(3, 3)]).mask).toEqual([0, 1, 0]);
    // start 2 in token 1, end - 1 = 1 in token 0 (end token 0): to the end
    expect(hf({ offsets: words }, [span(2, 2)]).mask).toEqual([0, 1, 1]);
  });
  it("overlapping and repeated spans mark once", () => {
    expect(hf({ offsets: chars }, [span(1, 4), span(2, 6), span(1, 4)]).mask).toEqual([0, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  });
  it("spans past the end of the text (transformers' arithmetic in a discarded block) stop the loop", () => {
    const r = hf({ offsets: words }, [span(12, 15)]);
    expect(r.mask).toEqual([0, 0, 0]);
    expect(codes(r.warnings)).toEqual(["span-dropped-hf", "uncovered"]);
  });
});

describe('mask_policy "exact"', () => {
  it("marks every token that overlaps a span, and never drops one", () => {
    const offsets: [number, number][] = [[0, 2], [3, 5], [5, 7]];
    const r = exact({ offsets }, [span(0, 1), span(2, 4), span(5, 7)]);
    expect(r.mask).toEqual([1, 1, 1]);
    expect(codes(r.warnings)).toEqual(["straddle", "straddle", "uncovered"]);
  });
  it("does not run to the end and never marks padding", () => {
    expect(exact({ offsets: words, padRight: 2 }, [span(0, 2)]).mask).toEqual([1, 0, 0, 0, 0]);
    expect(exact({ offsets: words, padLeft: 2 }, [span(8, 9)]).mask).toEqual([0, 0, 0, 0, 1]);
  });
  it("marks kept tokens of a truncated span and warns", () => {
    const r = exact({ offsets: chars, keep: [0, 5] }, [span(3, 7)]);
    expect(r.mask).toEqual([0, 0, 0, 1, 1]);
    expect(codes(r.warnings)).toEqual(["truncated"]);
  });
  it("an empty span marks nothing; an empty token counts where it sits", () => {
    expect(exact({ offsets: words }, [span(3, 3)]).mask).toEqual([0, 0, 0]);
    expect(exact({ offsets: [[0, 1], [1, 1], [1, 2]] }, [span(1, 2)]).mask).toEqual([0, 1, 1]);
  });
  it("names tokens that straddle a span boundary, with their position", () => {
    const r = exact({ offsets: words, padLeft: 1 }, [span(1, 9)]);
    expect(r.mask).toEqual([0, 1, 1, 1]);
    expect(r.warnings).toEqual([expect.objectContaining({ code: "straddle", token: 1, start: 0, end: 2 })]);
  });
});

describe("excludeMask", () => {
  it("removes the second mask from the first", () => {
    expect(excludeMask([1, 1, 1, 0, 1], [0, 1, 1, 1, 0])).toEqual([1, 0, 0, 0, 1]);
  });
});
