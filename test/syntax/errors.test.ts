// Syntax errors as a table: jinja2's wording (each `detail` below is what Python jinja2 3.1.6 printed for the same
// template, except where the comment says spanja words it), spanja's position (line:column of the loc) and kind.
import { describe, expect, it } from "vitest";
import { TemplateSyntaxError } from "../../src/errors.ts";
import { Source } from "../../src/source.ts";
import { parse, type SyntaxOptions } from "../../src/syntax/parser.ts";

const OPTIONS: SyntaxOptions = { trimBlocks: true, lstripBlocks: true, loopControls: true, regionTags: true };

// [template, detail, "line:column", kind]
const ERRORS: [string, string, string, string][] = [
  ["{% endif %}", "Encountered unknown tag 'endif'.", "1:4", "syntax"],
  ["{% for x in y %}{% endif %}", "Encountered unknown tag 'endif'. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.", "1:20", "syntax"],
  ["{% if a %}{% for x in y %}{% endif %}", "Encountered unknown tag 'endif'. You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.", "1:30", "syntax"],
  ["{% if a %}{% else %}{% elif b %}{% endif %}", "Encountered unknown tag 'elif'. Jinja was looking for the following tags: 'endif'. The innermost block that needs to be closed is 'if'.", "1:24", "syntax"],
  ["{% do x %}", "Encountered unknown tag 'do'.", "1:4", "syntax"],
  ["{% raw +%}x{% endraw %}", "Encountered unknown tag 'raw'.", "1:4", "syntax"],
  // spanja points at the innermost open tag; jinja2 reports the line of the last token.
  ["{% if x %}\n", "Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.", "1:4", "syntax"],
  ["{{", "unexpected 'end of template'", "1:3", "syntax"],
  ["{{ x", "unexpected end of template, expected 'end of print statement'.", "1:5", "syntax"],
  ["{{ x y }}", "expected token 'end of print statement', got 'y'", "1:6", "syntax"],
  ["{% if x y %}{% endif %}", "expected token 'end of statement block', got 'y'", "1:9", "syntax"],
  ["{% %}", "tag name expected", "1:4", "syntax"],
  ["{{ }}", "Expected an expression, got 'end of print statement'", "1:4", "syntax"],
  ["{% for %}", "Expected an expression, got 'end of statement block'", "1:8", "syntax"],
  ["{{ ,}}", "unexpected ','", "1:4", "syntax"],
  ["{{ [1 2] }}", "expected token ',', got 'integer'", "1:7", "syntax"],
  ["{{ [:] }}", "unexpected ':'", "1:5", "syntax"],
  ["{% with a=1 b=2 %}{% endwith %}", "expected token ',', got 'b'", "1:13", "syntax"],
  ["{% with : %}{% endwith %}", "unexpected ':'", "1:9", "syntax"],
  ["{% macro f(a,) %}{% endmacro %}", "expected token 'name', got ')'", "1:14", "syntax"],
  ["{% macro f(1) %}{% endmacro %}", "expected token 'name', got 'integer'", "1:12", "syntax"],
  ["{% macro f(a=1, b) %}{% endmacro %}", "non-default argument follows default argument", "1:18", "syntax"],
  ["{% macro true() %}{% endmacro %}", "can't assign to 'name'", "1:10", "syntax"],
  ["{% set true = 1 %}", "can't assign to 'const'", "1:8", "syntax"],
  ["{% set (a.b, c) = 1 %}", "can't assign to 'tuple'", "1:8", "syntax"],
  ["{% set a + b = 1 %}", "expected token 'end of statement block', got '+'", "1:10", "syntax"],
  ["{% call foo %}{% endcall %}", "expected call", "1:4", "syntax"],
  ["{{ f(*b, a) }}", "invalid syntax for function call expression", "1:5", "syntax"],
  ["{{ f(c=1, a) }}", "invalid syntax for function call expression", "1:5", "syntax"],
  ["{{ x is defined is defined }}", "You cannot chain multiple tests with is", "1:17", "syntax"],
  ["{{ x is defined else 1 }}", "expected token 'end of print statement', got 'else'", "1:17", "syntax"],
  ["{{ a. }}", "expected name or number", "1:7", "syntax"],
  ["{{ (1 }}", "unexpected '}', expected ')'", "1:7", "syntax"],
  ["{{ (1] }}", "unexpected ']', expected ')'", "1:6", "syntax"],
  ["{{ 1 ) }}", "unexpected ')'", "1:6", "syntax"],
  ["{{ a $ }}", "unexpected char '$' at 5", "1:6", "syntax"],
  ['{{ "abc }}', "unexpected char '\"' at 3", "1:4", "syntax"],
  ["{{ 'a\\'b }}", "unexpected char \"'\" at 3", "1:4", "syntax"],
  ["😀{{ a ! }}", "unexpected char '!' at 6", "1:7", "syntax"],
  ["{# abc", "Missing end of comment tag", "1:1", "syntax"],
  ["x\n{% raw %}abc", "Missing end of raw directive", "2:1", "syntax"],
  ["{{ '\\x4' }}", "truncated \\xXX escape", "1:4", "syntax"],
  ["{{ '\\u12' }}", "truncated \\uXXXX escape", "1:4", "syntax"],
  ["{{ '\\U00110000' }}", "illegal Unicode character", "1:4", "syntax"],
  ["{{ '\\N' }}", "malformed \\N character escape", "1:4", "syntax"],
  ["{{ x² }}", "Invalid character in identifier", "1:4", "syntax"],
  ["{{ 1__0 }}", "expected token 'end of print statement', got '__0'", "1:5", "syntax"],
  ["{{ 007 }}", "expected token 'end of print statement', got 'integer'", "1:6", "syntax"],
  ["{% for x, in y %}{% endfor %}", "expected token 'in', got 'y'", "1:14", "syntax"],
  // Python's compile-time errors (jinja2 has no line for them; spanja points at the construct).
  ["{% break %}", "'break' outside loop", "1:4", "syntax"],
  ["{% for x in y %}{% else %}{% continue %}{% endfor %}", "'continue' not properly in loop", "1:30", "syntax"],
  ["{% for x in y %}{% generation %}{% break %}{% endgeneration %}{% endfor %}", "'break' outside loop", "1:36", "syntax"],
  ["{{ f(k=1, k=2) }}", "keyword argument repeated: k", "1:11", "syntax"],
  ["{% macro m(a, a) %}{% endmacro %}", "duplicate argument 'a' in function definition", "1:15", "syntax"],
  // spanja's own wording.
  ["{{ x[a:b, c] }}", "invalid syntax: jinja2 cannot compile a slice inside a multi-part subscript", "1:6", "syntax"],
  ["{{ '\\N{BULLET}' }}", "\\N{...} escapes (Unicode character names) are not supported; write the character or a \\u escape", "1:4", "unsupported"],
  ["{% include 'x' %}", "'include' is not supported: a chat template is rendered on its own and cannot include, import or extend other templates", "1:4", "unsupported"],
  ["{% import 'x' as y %}", "'import' is not supported: a chat template is rendered on its own and cannot include, import or extend other templates", "1:4", "unsupported"],
  ["{% from 'x' import y %}", "'from' is not supported: a chat template is rendered on its own and cannot include, import or extend other templates", "1:4", "unsupported"],
  ["{% block b %}{% endblock %}", "'block' is not supported: a chat template is rendered on its own and cannot include, import or extend other templates", "1:4", "unsupported"],
  ["{% autoescape true %}{% endautoescape %}", "'autoescape' is not supported: chat templates render with autoescaping off", "1:4", "unsupported"],
];

function failure(template: string, options = OPTIONS): TemplateSyntaxError {
  try {
    parse(new Source(template), options);
  } catch (e) {
    if (e instanceof TemplateSyntaxError) return e;
    throw e;
  }
  throw new Error(`parsed: ${JSON.stringify(template)}`);
}

describe("syntax errors", () => {
  it.each(ERRORS)("%j", (template, detail, at, kind) => {
    const e = failure(template);
    expect(e.detail).toBe(detail);
    expect(`${e.loc?.line}:${e.loc?.column}`).toBe(at);
    expect(e.kind).toBe(kind);
    expect(e.message).toContain(`--> chat_template:${at}`);
  });

  it("reports the lexer error jinja2 reaches first, not a later parse error", () => {
    expect(failure("{{ x }}{{ f(! }}{% endfor %}").detail).toBe("unexpected char '!' at 12");
    expect(failure("{% endfor %}{{ ! }}").detail).toBe("Encountered unknown tag 'endfor'.");
    expect(failure("{% set 's' } %}").detail).toBe("unexpected '}'");
    expect(failure("{% if elif not ] %}").detail).toBe("unexpected ']'");
  });

  it("treats break, continue, generation and think as unknown tags when they are off", () => {
    const off = { ...OPTIONS, loopControls: false, regionTags: false };
    expect(failure("{% for x in y %}{% break %}{% endfor %}", off).detail).toMatch(/^Encountered unknown tag 'break'\./);
    expect(failure("{% generation %}{% endgeneration %}", off).detail).toBe("Encountered unknown tag 'generation'.");
    expect(failure("{% think %}{% endthink %}", off).detail).toBe("Encountered unknown tag 'think'.");
  });

  it("never lets a chevrotain exception or a JS error escape", () => {
    const nasty = ["{", "{{", "{%", "{#", "{{ ( }}", "{% for %}{% endfor", "}}", "%}", "{{ [ }}", "{% raw %}", "{%- raw -%}   ", "{{-}}", "{%-%}"];
    for (const t of nasty) {
      try {
        parse(new Source(t), OPTIONS);
      } catch (e) {
        expect(e, JSON.stringify(t)).toBeInstanceOf(TemplateSyntaxError);
        expect((e as TemplateSyntaxError).loc, JSON.stringify(t)).toBeDefined();
      }
    }
  });
});
