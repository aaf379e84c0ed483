// The rendered error display (errors.ts formatMessage / excerpt), pinned as file snapshots beside this test: the
// ` --> name:line:column` header, the excerpt with its caret, and the `in macro …, called at` frames, for syntax
// and runtime errors. Update with `vitest -u`, read the diff, commit.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TemplateError } from "../../src/errors.ts";
import { Template } from "../../src/template.ts";

const here = dirname(fileURLToPath(import.meta.url));

/** Each case: a template that must fail, on parse or render. Tabs, wide and astral characters sit before carets. */
const CASES: Record<string, string> = {
  "syntax-simple": "{{ 1 + }}",
  "syntax-multi-line-statement": "{% for x in\n   items\n   | selectattr('a' %}\n{% endfor %}",
  "syntax-tabs-before-caret": "line one\n\t\t{{ foo( }}",
  "syntax-cjk-before-caret": "你好世界 {{ 1 + }}",
  "syntax-emoji-before-caret": "😀😀 {{ x.y( }}",
  "syntax-combining-before-caret": "e\u0301e\u0301 {{ x.y( }}",
  "syntax-tabs-and-cjk": "\t你好\t{{ nope | nofilter }}",
  "syntax-lexer-astral": "{% set 😀 = 1 %}",
  "syntax-include": "{% include 'other.jinja' %}",
  "syntax-long-line-window": `${"a".repeat(250)}{{ x( }}${"b".repeat(250)}`,
  "syntax-long-line-wide": `${"中".repeat(150)}{{ x( }}${"中".repeat(150)}`,
  "runtime-multi-line-statement": "{% if\n  1 / 0\n%}x{% endif %}",
  "runtime-tab-before-caret": "\t{{ 1 // 0 }}",
  "runtime-in-macro": "{% macro m(x) %}\n  {{ x.a.b }}\n{% endmacro %}\n{{ m({}) }}",
  "runtime-nested-macros": "{% macro inner(x) %}\n  {{ x.a.b }}\n{% endmacro %}\n{% macro outer(y) %}{{ inner(y) }}{% endmacro %}\n{{ outer({}) }}",
  "runtime-in-caller": "{% macro m() %}[{{ caller() }}]{% endmacro %}\n{% call m() %}{{ raise_exception('boom') }}{% endcall %}",
  "runtime-deep-recursion-frames": "{% macro f(n) %}{% if n == 0 %}{{ n.a.b }}{% else %}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(8) }}",
  "runtime-wide-before-caret": "中文 😀 {{ 1 // 0 }}",
};

function display(template: string): string {
  try {
    new Template(template).render({ items: [] });
  } catch (e) {
    if (e instanceof TemplateError) return `${e.message}\n`;
    throw e;
  }
  throw new Error("the template rendered, but every case must fail");
}

describe("error display", () => {
  for (const [name, template] of Object.entries(CASES)) {
    it(name, async () => {
      await expect(display(template)).toMatchFileSnapshot(join(here, "__snapshots__", `${name}.txt`));
    });
  }
});
