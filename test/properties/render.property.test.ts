// Random templates drawn from the grammar render identically in spanja and in Python jinja2 configured as
// transformers configures it (conformance/reference/env.py: text and hf spans), and spanja never fails
// with anything but a TemplateError. One python3 process answers each batch.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Template, TemplateError, rangesToCodePoints } from "../../src/index.ts";
import { PYTHON } from "./python.ts";

const REFERENCE = join(import.meta.dirname, "../../conformance/reference");
const RUNS = Number(process.env.SPANJA_PROPERTY_RUNS ?? 400);

const SCRIPT = String.raw`
import json, sys
sys.path.insert(0, sys.argv[1])
from env import make_environment, compile_template, render_with_spans
env = make_environment()
out = []
for case in json.load(sys.stdin):
    t, err = compile_template(env, case["src"])
    if err is not None:
        out.append({"text": None, "spans": [], "error": err})
    else:
        out.append(render_with_spans(t, case["ctx"]))
print(json.dumps(out))
`;

// ---- a small generator of templates from the grammar ----
const name = fc.constantFrom("x", "s", "l", "d", "n", "u", "m", "none_var", "ms");
const literal = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.constantFrom("1.5", "2.0", "0.1", "-0.0", "1e3", "True", "False", "None", "none", "true"),
  fc.constantFrom("'a'", "'héllo'", "'😀x'", '"q\\n"', "''", "' pad '", "'A,b,c'"),
  fc.constantFrom("[1, 'a']", "[]", "(1,)", "()", "{'k': 1, 'j': [2]}", "{}"),
);
const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    literal,
    name,
    fc.tuple(tie("e"), fc.constantFrom("+", "-", "*", "//", "%", "/", "~", "and", "or", "==", "!=", "<", ">=", "in", "not in"), tie("e")).map(([a, op, b]) => `(${a} ${op} ${b})`),
    // filters, tests, methods and subscripts apply to variables: on constants jinja2's optimizer folds
    // them at compile time with other error rules (COMPATIBILITY.md); generator-returning filters are
    // listed, as spanja returns lists (COMPATIBILITY.md)
    fc.tuple(name, fc.constantFrom("length", "string", "list", "first", "last", "upper", "trim", "tojson", "abs", "int", "float", "reverse|list", "join(',')", "default('D')", "replace('a', 'b')", "center(7)", "round(1)", "sort", "unique|list", "batch(2)|list", "items|list", "dictsort", "title", "wordcount", "indent(2)",
      // filters of the real-template corpus (generator filters end in |list, see above)
      "lower", "min", "max", "sum", "tojson(indent=2)", "default('D', true)", "dictsort(by='value')", "map('upper')|list", "map(attribute='role')|list",
      "select('odd')|list", "reject('equalto', 1)|list", "selectattr('role')|list", "selectattr('role', 'equalto', 'user')|list", "rejectattr('content', 'defined')|list",
      "map(attribute='role')|join(', ')")).map(([a, f]) => `${a}|${f}`),
    fc.tuple(name, fc.constantFrom("defined", "none", "string", "number", "sequence", "mapping", "odd", "iterable", "divisibleby 3", "in [1, 'a']", "eq 1",
      "boolean", "true", "false", "undefined", "not none", "not string", "not mapping", "not defined", "in ['user', 'system']", "gt 1")).map(([a, t]) => `(${a} is ${t})`),
    fc.tuple(name, fc.constantFrom("upper()", "strip()", "split(',')", "startswith('a')", "count('a')", "get('k')", "items()|list", "index(1)", "format(1)", "title()", "zfill(4)",
      // string methods of the corpus; append/pop mutate (the immutable sandbox refuses); slice and length are JavaScript-isms
      "lstrip()", "rstrip('c')", "endswith('b')", "replace(',', ';')", "lower()", "split(',', 1)", "keys()|list", "values()|list", "append(1)", "pop()", "slice(1)")).map(([a, m]) => `${a}.${m}`),
    fc.tuple(name, fc.constantFrom("[0]", "[-1]", "[1:]", "[::-1]", "[::2]", "['k']", ".k", ".length", "[:-1]", "[1:-1]", "['j'][0]", "[0].role", "[-1]['content']")).map(([a, i]) => `${a}${i}`),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([a, b, c]) => `(${a} if ${b} else ${c})`),
    // without else: undefined when the condition fails
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => `(${a} if ${b})`),
    tie("e").map((a) => `(not ${a})`),
    fc.oneof(fc.constantFrom("x", "1.5", "(x + 1)", "(l|length)", "d.j[0]", "s"), tie("e")).map((a) => `(-${a})`),
    // list and dict displays built from expressions, as real templates build tool lists and arguments
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => `[${a}, ${b}]`),
    tie("e").map((a) => `{'k': ${a}, 'z': 1}`),
    // calls real templates make: namespace attributes, range, the clock, keyword arguments
    fc.constantFrom("range(3)|list", "range(x)|list", "namespace(a=1, b='c').b", "strftime_now('%d %b %Y')", "strftime_now('%Y-%m-%d %H:%M')"),
  ),
})).e;
// loop controls: bare, or behind a condition on the item or the loop; filters on the loop variable
const control = fc.constantFrom("{% break %}", "{% continue %}");
const guard = fc.constantFrom("loop.first", "loop.last", "loop.index > 1", "loop.index0 % 2", "x", "not x", "x is string", "x is number");
const loopFilter = fc.constantFrom("", "", " if x", " if not x", " if x is number", " if x != 1", " if x is sequence");
// a tree to recurse on: loop(x) descends into lists
const TREE = "[[1, [2, []]], [], 3, [[]]]";
const stmt: fc.Arbitrary<string> = fc.letrec((tie) => ({
  // the body of a loop (or the else block of a loop inside one): statements and loop controls
  b: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tie("s"),
    control,
    fc.tuple(guard, control).map(([g, c]) => `{% if ${g} %}${c}{% endif %}`),
    fc.tuple(tie("b"), tie("b")).map(([a, c]) => String(a) + String(c)),
    // an inner loop: a control in its else block acts on the enclosing loop
    fc.tuple(name, loopFilter, tie("b"), tie("b")).map(([it, fl, body, orelse]) => `{% for x in ${it}${fl} %}${body}{% else %}${orelse}{% endfor %}`),
  ),
  s: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("text ", "\n", "  ", "é😀", "a\n  ", "{# note #}", " {#- trimmed -#} ", "\n{# line #}\n"),
    expr.map((e) => `{{ ${e} }}`),
    expr.map((e) => `{{- ${e} -}}`),
    fc.tuple(expr, tie("s"), tie("s")).map(([c, a, b]) => `{% if ${c} %}${a}{% else %}${b}{% endif %}`),
    fc.tuple(expr, tie("s"), expr, tie("s"), tie("s")).map(([c, a, c2, b, e]) => `{%- if ${c} %}${a}{% elif ${c2} -%}${b}{%- elif x %}X{% else %}${e}{% endif -%}`),
    // a namespace carried across a loop (the corpus's flags, counters and accumulators); set on a non-namespace fails
    fc.tuple(expr, expr, tie("b")).map(
      ([it, c, body]) =>
        `{%- set ns = namespace(acc='', n=0, flag=false) %}{% for x in ${it} %}${body}{% set ns.acc = ns.acc ~ x %}{% set ns.n = ns.n + 1 %}{% if ${c} %}{% set ns.flag = true %}{% endif %}{% endfor %}[{{ ns.acc }}|{{ ns.n }}|{{ ns.flag }}]`,
    ),
    fc.tuple(expr, name, expr).map(([c, v, e]) => `{% set t = namespace(k=0) if ${c} else ${v} %}{% set t.k = ${e} %}{{ t.k }}`),
    // unpacking loop targets: items, pairs, and what cannot unpack
    fc.tuple(fc.constantFrom("d.items()", "d|dictsort", "[[1, 2], [3, 4]]", "[(1, 'a')]", "l", "s", "ms|map(attribute='role')|list"), tie("s")).map(
      ([it, body]) => `{% for a, b in ${it} %}{{ a }}:{{ b }};${body}{% endfor %}`,
    ),
    // the loop attributes real templates read
    fc.tuple(expr, tie("s")).map(([it, body]) => `{% for x in ${it} %}{{ loop.previtem }}/{{ loop.nextitem }}/{{ loop.length }}/{{ loop.revindex0 }}/{{ loop.cycle('o', 'e') }}${body}{% endfor %}`),
    fc.tuple(expr, expr).map(([c, e]) => `{% if ${c} is false %}{{ raise_exception('stop: ' ~ ${e}) }}{% endif %}`),
    fc.tuple(expr, tie("s")).map(([c, a]) => `{%- if ${c} -%}\n  ${a}\n{%- endif %}`),
    fc.tuple(expr, tie("s")).map(([it, b]) => `{% for x in ${it} %}{{ loop.index }}{{ x }}${b}{% else %}E{% endfor %}`),
    fc.tuple(expr, tie("s")).map(([it, b]) => `{% for x in ${it} %}{% if loop.first %}{% continue %}{% endif %}${b}{% if loop.index > 2 %}{% break %}{% endif %}{% endfor %}`),
    // for/else with loop controls and filters: the else block runs when no iteration finished its body
    fc.tuple(expr, loopFilter, tie("b"), tie("s")).map(([it, fl, body, orelse]) => `{% for x in ${it}${fl} %}${body}{% else %}E${orelse}{% endfor %}`),
    // recursive: the else block runs in every call of loop(...) whose iterations all broke off
    fc.tuple(fc.constantFrom(TREE, "l", "s"), loopFilter, tie("b"), tie("s")).map(
      ([it, fl, body, orelse]) => `{% for x in ${it}${fl} recursive %}${body}{% if x is sequence and x is not string %}({{ loop(x) }}){% endif %}{% else %}E${orelse}{% endfor %}`,
    ),
    fc.tuple(expr, tie("s")).map(([v, b]) => `{% set s = ${v} %}${b}`),
    tie("s").map((b) => `{% set s %}${b}{% endset %}[{{ s }}]`),
    tie("s").map((b) => `{% macro m(x, y=2) %}${b}{{ x }}{{ y }}{% endmacro %}{{ m(1) }}{{ m('a', y=[3]) }}`),
    tie("s").map((b) => `{% filter upper %}${b}{% endfilter %}`),
    tie("s").map((b) => `{% generation %}${b}{% endgeneration %}`),
    tie("s").map((b) => `\n  {% think %}\n${b}  {% endthink %}\n`),
    fc.tuple(tie("s"), tie("s")).map(([a, b]) => String(a) + String(b)),
  ),
})).s;

const CONTEXT = {
  x: 3,
  s: "a,b",
  l: [1, "a", 2.5],
  d: { k: "v", j: [1, 2] },
  n: null,
  u: "héllo 😀",
  none_var: null,
  ms: [{ role: "user", content: "hi" }, { role: "assistant", content: " yo " }, { role: "tool" }],
};

interface PyResult {
  text: string | null;
  spans: { label: string; start: number; end: number }[];
  error: { type: string; message: string } | null;
}

function spanja(src: string): PyResult {
  try {
    const r = new Template(src, { spanMode: "hf", now: new Date(2026, 0, 15, 10, 30) }).renderWithSpans(CONTEXT);
    return { text: r.text, spans: rangesToCodePoints(r.text, r.spans).map(({ label, start, end }) => ({ label, start, end })), error: null };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw new Error(`not a TemplateError: ${String(e)}\n${(e as Error).stack}`);
    return { text: null, spans: [], error: { type: e.name, message: e.detail } };
  }
}

describe.skipIf(PYTHON === null)("random templates render as in Python jinja2", () => {
  it(`matches text, hf spans and error-or-not on ${RUNS} templates`, () => {
    const templates = fc.sample(stmt, { numRuns: RUNS, seed: Number(process.env.SPANJA_PROPERTY_SEED ?? 20261125) });
    const r = spawnSync("python3", ["-c", SCRIPT, REFERENCE], {
      input: JSON.stringify(templates.map((src) => ({ src, ctx: CONTEXT }))),
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(r.status, r.stderr).toBe(0);
    const expected = JSON.parse(r.stdout) as PyResult[];
    const mismatches: string[] = [];
    templates.forEach((src, i) => {
      const want = expected[i];
      const got = spanja(src);
      const same =
        want.error !== null
          ? got.error !== null
          : got.error === null && got.text === want.text && JSON.stringify(got.spans) === JSON.stringify(want.spans.map(({ label, start, end }) => ({ label, start, end })));
      if (!same) mismatches.push(`${JSON.stringify(src)}\n  python: ${JSON.stringify(want.error ?? want.text)} ${JSON.stringify(want.spans)}\n  spanja: ${JSON.stringify(got.error ?? got.text)} ${JSON.stringify(got.spans)}`);
    });
    expect(mismatches.slice(0, 5).join("\n"), `${mismatches.length} of ${templates.length} differ`).toBe("");
  });
});
