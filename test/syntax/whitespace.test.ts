// Whitespace control (`-`, `+`, trim_blocks, lstrip_blocks, comments, raw) as table tests. Every expected string was
// printed by Python jinja2 3.1.6: ImmutableSandboxedEnvironment(trim_blocks=…, lstrip_blocks=…,
// extensions=["jinja2.ext.loopcontrols"]).from_string(template).render(), for the four settings in column order.
// The templates use only text, comments, raw blocks, `{% if true %}`, `{% set %}`, `{% for %}` over a literal list
// and `{{ }}` of literals or loop variables, so a ten-line evaluator of the AST gives the rendered text.
import { describe, expect, it } from "vitest";
import { Source } from "../../src/source.ts";
import type { Expr, Stmt } from "../../src/syntax/ast.ts";
import { parse } from "../../src/syntax/parser.ts";
import { normalize } from "./jinja2.ts";

type Value = string | number | boolean | null | Value[];

function evaluate(e: Expr, env: Map<string, Value>): Value {
  if (e.kind === "Const") return e.value;
  if (e.kind === "Name") return env.get(e.name) ?? "";
  if (e.kind === "List") return e.items.map((i) => evaluate(i, env));
  throw new Error(`not in this test's subset: ${e.kind}`);
}

function render(body: Stmt[], env: Map<string, Value>): string {
  let out = "";
  for (const s of body) {
    if (s.kind === "Text") out += s.value;
    else if (s.kind === "Output") out += String(evaluate(s.expr, env));
    else if (s.kind === "If") out += render(evaluate(s.test, env) ? s.body : s.orelse, env);
    else if (s.kind === "Set" && s.target.kind === "NameTarget") env.set(s.target.name, evaluate(s.value, env));
    else if (s.kind === "For" && s.target.kind === "NameTarget") {
      for (const v of evaluate(s.iter, env) as Value[]) out += render(s.body, new Map(env).set(s.target.name, v));
    } else throw new Error(`not in this test's subset: ${s.kind}`);
  }
  return out;
}

// [template, trim+lstrip (transformers), trim_blocks only, lstrip_blocks only, neither]
const TABLE: [string, string, string, string, string][] = [
  ["  {% if true %}x{% endif %}", "x", "  x", "x", "  x"],
  ["a\n  {% if true %}\nx\n  {% endif %}\nb", "a\nx\nb", "a\n  x\n  b", "a\n\nx\n\nb", "a\n  \nx\n  \nb"],
  ["a  {% if true %}x{% endif %}", "a  x", "a  x", "a  x", "a  x"],
  ["a\n  {{ 'v' }}\nb", "a\n  v\nb", "a\n  v\nb", "a\n  v\nb", "a\n  v\nb"],
  ["{% if true %}\n\nx{% endif %}", "\nx", "\nx", "\n\nx", "\n\nx"],
  ["{{ 'v' }}\nx", "v\nx", "v\nx", "v\nx", "v\nx"],
  ["a  \n  {%- if true %}x{% endif %}", "ax", "ax", "ax", "ax"],
  ["{% if true -%}  \n\n x{% endif %}", "x", "x", "x", "x"],
  ["a \n {{- 'v' -}} \n b", "avb", "avb", "avb", "avb"],
  ["a\n  {%+ if true %}x{% endif %}", "a\n  x", "a\n  x", "a\n  x", "a\n  x"],
  ["{% if true +%}\nx{% endif %}", "\nx", "\nx", "\nx", "\nx"],
  ["a\n  {# c #}\nb", "a\nb", "a\n  b", "a\n\nb", "a\n  \nb"],
  ["a {#- c -#} b", "ab", "ab", "ab", "ab"],
  ["{# c +#}\nx", "\nx", "\nx", "\nx", "\nx"],
  ["a\n  {#+ c #}\nb", "a\n  b", "a\n  b", "a\n  \nb", "a\n  \nb"],
  ["{% raw %}\n{{ x }}\n{% endraw %}\nz", "\n{{ x }}\nz", "\n{{ x }}\nz", "\n{{ x }}\n\nz", "\n{{ x }}\n\nz"],
  ["  {% raw -%}  a  {%- endraw %}", "a", "  a", "a", "  a"],
  ["a\n  {% raw %}x\n  {% endraw %}\nb", "a\nx\nb", "a\n  x\n  b", "a\nx\n\nb", "a\n  x\n  \nb"],
  ["{% raw %}   {% endraw %}", "   ", "   ", "   ", "   "],
  ["{%- raw -%}  a  {%- endraw -%}  b", "ab", "ab", "ab", "ab"],
  ["x\n  {%+ raw %}a{% endraw +%}\nb", "x\n  a\nb", "x\n  a\nb", "x\n  a\nb", "x\n  a\nb"],
  ["{%raw%}{% if %}{{ x }}{#{%endraw%}", "{% if %}{{ x }}{#", "{% if %}{{ x }}{#", "{% if %}{{ x }}{#", "{% if %}{{ x }}{#"],
  ["{% raw %}a{% endraw %}{# c #}b", "ab", "ab", "ab", "ab"],
  ["a\n\u00a0{% if true %}x{% endif %}", "a\nx", "a\n\u00a0x", "a\nx", "a\n\u00a0x"],
  ["a\n\u3000\t {% if true %}x{% endif %}", "a\nx", "a\n\u3000\t x", "a\nx", "a\n\u3000\t x"],
  ["a\n\ufeff{% if true %}x{% endif %}", "a\n\ufeffx", "a\n\ufeffx", "a\n\ufeffx", "a\n\ufeffx"],
  ["a \u0085{%- if true %}x{% endif %}", "ax", "ax", "ax", "ax"],
  ["x\u2028  {% if true %}y{% endif %}", "x\u2028  y", "x\u2028  y", "x\u2028  y", "x\u2028  y"],
  ["{% if true %}   {% endif %}", "   ", "   ", "   ", "   "],
  ["{% if true %}\n   {% endif %}", "", "   ", "\n", "\n   "],
  ["{{ 'v' }}\n  {% if true %}x{% endif %}", "v\nx", "v\n  x", "v\nx", "v\n  x"],
  ["{{ 'v' -}}\n  {% if true %}x{% endif %}", "vx", "vx", "vx", "vx"],
  ["\t {% if true %}x{% endif %}", "x", "\t x", "x", "\t x"],
  ["  {# c #}x", "x", "  x", "x", "  x"],
  ["x {%+ if true %}y{% endif %}", "x y", "x y", "x y", "x y"],
  ["a{# c #}b", "ab", "ab", "ab", "ab"],
  ["{% if true %}\n{% endif %}\n", "", "", "\n", "\n"],
  ["{%- if true -%}\n a \n{%- endif -%}\n", "a", "a", "a", "a"],
  ["{{ '}}' }}{{ \"%}\\n\" }}", "}}%}\n", "}}%}\n", "}}%}\n", "}}%}\n"],
  ["{% set x = '%}\\n' %}\n{{ x }}", "%}\n", "%}\n", "\n%}\n", "\n%}\n"],
  ["{% if true %}\r\n  x\r\n{% endif %}\r\n", "  x\n", "  x\n", "\n  x\n", "\n  x\n"],
  ["line1\n    {% if true %}\n    body\n    {% endif %}\nline2", "line1\n    body\nline2", "line1\n        body\n    line2", "line1\n\n    body\n\nline2", "line1\n    \n    body\n    \nline2"],
  ["{% for i in [1, 2] %}\n  {{ i }}\n{% endfor %}\n", "  1\n  2\n", "  1\n  2\n", "\n  1\n\n  2\n", "\n  1\n\n  2\n"],
  ["{{- 'a' }}  \n  {{ 'b' -}}  \n  c", "a  \n  bc", "a  \n  bc", "a  \n  bc", "a  \n  bc"],
  ["a\n  {%- if true -%}\n  b\n  {%- endif -%}\n  c", "abc", "abc", "abc", "abc"],
  ["{#-#}  x", "  x", "  x", "  x", "  x"],
  ["{#--#}  x", "x", "x", "x", "x"],
  ["{# a\nb #}\n  c", "  c", "  c", "\n  c", "\n  c"],
];

const SETTINGS = [
  { trimBlocks: true, lstripBlocks: true },
  { trimBlocks: true, lstripBlocks: false },
  { trimBlocks: false, lstripBlocks: true },
  { trimBlocks: false, lstripBlocks: false },
];

describe("whitespace control renders as jinja2 does", () => {
  SETTINGS.forEach((setting, column) => {
    const label = `trim_blocks=${setting.trimBlocks} lstrip_blocks=${setting.lstripBlocks}`;
    it.each(TABLE.map((row) => [row[0], row[column + 1]]))(`${label}: %j`, (template, expected) => {
      const ast = parse(new Source(normalize(template)), { ...setting, loopControls: true, regionTags: false });
      expect(render(ast.body, new Map())).toBe(expected);
    });
  });

  it("keeps Text nodes non-empty and merged", () => {
    const ast = parse(new Source("a{# c #}b{% raw %}c{% endraw %}  {%- if true -%}  {%- endif %}"), { trimBlocks: true, lstripBlocks: true, loopControls: true, regionTags: false });
    expect(ast.body.map((s) => s.kind)).toEqual(["Text", "If"]);
    expect(ast.body[0]).toMatchObject({ kind: "Text", value: "abc", loc: { offset: 0, endOffset: 19 } });
    expect((ast.body[1] as { body: Stmt[] }).body).toEqual([]);
  });
});
