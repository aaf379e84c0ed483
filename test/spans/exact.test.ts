// Exact-mode spans against an independent oracle: the same template with each region tag replaced by a
// marker character that is printed; the markers' positions in the output are where the spans must be.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Template, type Span } from "../../src/index.ts";

const OPEN: Record<string, string> = { generation: "\uE000", think: "\uE002" };
const CLOSE: Record<string, string> = { generation: "\uE001", think: "\uE003" };
const LABEL: Record<string, Span["label"]> = { generation: "assistant", think: "think" };

/** Replaces `{% generation %}` … with `{{ "\uE000" }}` … keeping whitespace-control markers. */
function markerVersion(src: string): string {
  return src.replace(/\{%([-+]?)\s*(end)?(generation|think)\s*([-+]?)%\}/g, (_m, l, end, tag, r) => {
    const ch = end ? CLOSE[tag] : OPEN[tag];
    // a block tag strips like `{%-`; keep the same side-stripping with `{{-` (trim/lstrip differ, so the
    // table below only uses `-` or bare tags at positions where they coincide)
    return `{{${l === "-" ? "-" : ""} "${ch}" ${r === "-" ? "-" : ""}}}`;
  });
}

/** Spans from marker positions; the returned text has the markers removed. */
function spansFromMarkers(marked: string): { text: string; spans: Span[] } {
  let text = "";
  const stack: { label: Span["label"]; start: number }[] = [];
  const spans: Span[] = [];
  for (const ch of marked) {
    const open = Object.entries(OPEN).find(([, c]) => c === ch);
    const close = Object.entries(CLOSE).find(([, c]) => c === ch);
    if (open) stack.push({ label: LABEL[open[0]], start: text.length });
    else if (close) {
      const o = stack.pop()!;
      spans.push({ label: o.label, start: o.start, end: text.length });
    } else text += ch;
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  return { text, spans };
}

function check(src: string, context: object = {}) {
  const options = { trimBlocks: false, lstripBlocks: false };
  const got = new Template(src, options).renderWithSpans(context);
  const want = spansFromMarkers(new Template(markerVersion(src), options).render(context));
  expect(got.text).toBe(want.text);
  expect(got.spans).toEqual(want.spans);
  expect(got.warnings).toEqual([]);
}

const CASES: [string, string][] = [
  ["top level", "a{% generation %}b{% endgeneration %}c"],
  ["in a macro", "{% macro m(x) %}HEAD:{% generation %}{{ x }}{% endgeneration %}!{% endmacro %}pre{{ m('yo') }}{{ m('😀') }}"],
  ["macro output concatenated", "{% macro m() %}{% generation %}g{% endgeneration %}{% endmacro %}{{ 'ab' + m() ~ 'c' + m() }}"],
  ["in a set block", "{% set x %}12{% generation %}34{% endgeneration %}{% endset %}xx{{ x }}{{ x }}"],
  ["in a call block", "{% macro w() %}[{{ caller() }}]{% endmacro %}a{% call w() %}b{% think %}c{% endthink %}{% endcall %}"],
  ["nested", "{% generation %}a{% think %}b{% generation %}c{% endgeneration %}{% endthink %}d{% endgeneration %}"],
  ["empty", "x{% generation %}{% endgeneration %}y"],
  ["in loops", "{% for i in range(3) %}<{% generation %}{{ i }}{% if loop.last %}!{% endif %}{% endgeneration %}>{% endfor %}"],
  ["recursive loop", "{% for n in tree recursive %}({% generation %}{{ n.v }}{% endgeneration %}{{ loop(n.c) }}){% endfor %}"],
  ["astral text before", "😀😀{% generation %}é😀{% endgeneration %}"],
];

describe("exact spans", () => {
  it.each(CASES)("%s", (_name, src) => {
    check(src, { tree: [{ v: 1, c: [{ v: 2, c: [] }] }, { v: 3, c: [] }] });
  });

  it("rejects a loop control inside a region, as Python does for transformers' call-block body", () => {
    expect(() => new Template("{% for i in [1] %}{% generation %}{% break %}{% endgeneration %}{% endfor %}")).toThrow(/'break' outside loop/);
  });

  it("drops spans whose text a filter changed, with a warning", () => {
    const t = new Template("{% filter upper %}a{% generation %}b{% endgeneration %}{% endfilter %}");
    const r = t.renderWithSpans({});
    expect(r.text).toBe("AB");
    expect(r.spans).toEqual([]);
    expect(r.warnings.map((w) => w.code)).toEqual(["span-dropped"]);
  });

  it("holds for random nestings of regions, macros, set blocks and loops", () => {
    const leaf = fc.constantFrom("a", "😀", "{{ i }}", "é", "");
    const tree: fc.Arbitrary<string> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        leaf,
        fc.tuple(tie("node"), tie("node")).map(([a, b]) => String(a) + String(b)),
        tie("node").map((b) => `{% generation %}${b}{% endgeneration %}`),
        tie("node").map((b) => `{% think %}${b}{% endthink %}`),
        tie("node").map((b) => `{% for i in [1, 2] %}${b}{% endfor %}`),
        tie("node").map((b) => `{% set s %}${b}{% endset %}{{ s }}{{ s }}`),
        tie("node").map((b) => `{% if true %}${b}{% endif %}`),
      ),
    })).node;
    fc.assert(
      fc.property(tree, fc.boolean(), (body, viaMacro) => {
        const src = viaMacro ? `{% macro m(i) %}${body}{% endmacro %}x{{ m(0) }}{{ m(1) }}` : `{% set i = 7 %}${body}`;
        check(src);
      }),
      { numRuns: 300 },
    );
  });
});
