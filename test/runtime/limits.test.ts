// Every limit stops a template with a LimitError instance that names it, before the string or list is
// built: never "internal error: Invalid string length", a RangeError, a hang or an out-of-memory crash.
// Errors are built from their kind in one place (errors.ts runtimeError), so `instanceof` holds for all.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LimitError, SecurityError, TemplateError, TemplateRuntimeError, UndefinedError, runtimeError, type ErrorKind } from "../../src/errors.ts";
import type { Limits } from "../../src/options.ts";
import { Template } from "../../src/template.ts";

function failure(src: string, limits: Partial<Limits> = {}, ctx: object = {}): unknown {
  try {
    new Template(src, { limits }).render(ctx);
  } catch (e) {
    return e;
  }
  return undefined;
}

/** The template raises a LimitError whose message names the limit. */
function expectLimit(src: string, limit: RegExp, limits: Partial<Limits> = {}, ctx: object = {}): void {
  const e = failure(src, limits, ctx);
  expect(e, src).toBeInstanceOf(LimitError);
  expect((e as LimitError).kind).toBe("limit");
  expect((e as LimitError).name).toBe("LimitError");
  expect((e as LimitError).detail, src).toMatch(limit);
}

const STRING = /\(limits\.maxStringLength\)/;

describe("errors are built from their kind", () => {
  const classes: [ErrorKind, Function, string][] = [
    ["undefined", UndefinedError, "UndefinedError"],
    ["security", SecurityError, "SecurityError"],
    ["limit", LimitError, "LimitError"],
    ["raised", TemplateRuntimeError, "TemplateError"],
    ["type", TemplateRuntimeError, "TemplateRuntimeError"],
    ["arguments", TemplateRuntimeError, "TemplateRuntimeError"],
    ["unknown-filter", TemplateRuntimeError, "TemplateRuntimeError"],
  ];
  it.each(classes)("runtimeError(%j) is an instance of its class", (kind, cls, name) => {
    const e = runtimeError(kind, "detail");
    expect(e).toBeInstanceOf(cls);
    expect(e).toBeInstanceOf(TemplateRuntimeError);
    expect(e).toBeInstanceOf(TemplateError);
    expect(e.kind).toBe(kind);
    expect(e.name).toBe(name);
  });
  it("a runtimeError('limit') is a LimitError", () => {
    expect(runtimeError("limit", "x")).toBeInstanceOf(LimitError);
    expect(runtimeError("undefined", "x")).not.toBeInstanceOf(LimitError);
  });
});

describe("every configured limit raises a LimitError naming it", () => {
  it.each<[string, string, Partial<Limits>, RegExp]>([
    ["maxOutputLength", "{% for i in range(1000) %}xxxxxxxxxx{% endfor %}", { maxOutputLength: 5000 }, /\(limits\.maxOutputLength\)/],
    ["maxIterations", "{% for i in range(100) %}{% for j in range(100) %}{% endfor %}{% endfor %}", { maxIterations: 5000 }, /\(limits\.maxIterations\)/],
    ["maxRecursionDepth (macro)", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", {}, /\(limits\.maxRecursionDepth\)/],
    ["maxRecursionDepth (recursive loop)", "{% set t = [1] %}{% for x in [t] recursive %}{{ loop([t]) }}{% endfor %}", { maxRecursionDepth: 50 }, /\(limits\.maxRecursionDepth\)/],
    ["maxRange", "{{ range(11)|length }}", { maxRange: 10 }, /\(limits\.maxRange\)/],
    ["maxRange (jinja2's MAX_RANGE wording)", "{{ range(10**9)|length }}", {}, /MAX_RANGE \(100000\)/],
    ["maxStringLength", "{{ 'x' * 11 }}", { maxStringLength: 10 }, STRING],
  ])("%s", (_, src, limits, pattern) => expectLimit(src, pattern, limits));

  it.each([
    ["repr nesting", "{% set ns = namespace(l=[]) %}{% for i in range(1000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ ns.l }}"],
    ["tojson nesting", "{% set ns = namespace(l=[]) %}{% for i in range(1000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ ns.l|tojson }}"],
    ["int beyond a double", "{{ 10 ** 400 }}"],
  ])("fixed limits (%s) are LimitError instances too", (_, src) => {
    const e = failure(src);
    expect(e, src).toBeInstanceOf(LimitError);
  });
});

describe("strings and lists are measured before they are built", () => {
  // default limits: these fail at once, before any allocation
  it.each([
    "{{ 'a\\nb'|indent(10**9) }}",
    "{{ 'a\\nb'|indent(10**9, true) }}",
    "{{ 'x'|indent(first=true, width=2**31) }}",
    "{{ 'x'|indent(2**53) }}",
    "{{ 'x'|center(10**9) }}",
    "{{ 'x'.center(10**9) }}",
    "{{ 'x'.ljust(10**9) }}",
    "{{ 'x'.rjust(10**9, '*') }}",
    "{{ 'x'.zfill(10**9) }}",
    "{{ 'a\\tb'.expandtabs(10**9) }}",
    '{{ "%1000000000d" % 1 }}',
    '{{ "%-1000000000s" % "x" }}',
    '{{ "%*d" % (10**9, 1) }}',
    '{{ "%.1000000000f" % 1.5 }}',
    '{{ "%.1000000000e" % 1.5 }}',
    '{{ "%#.1000000000g" % 1.5 }}',
    '{{ "%.1000000000d" % 1 }}',
    '{{ "%.1000000000x" % 1 }}',
    '{{ "%.3000000000f" % 1.5 }}',
    '{{ "%1000000000d"|format(1) }}',
    '{{ "{:>1000000000}".format("x") }}',
    '{{ "{:0>1000000000}".format(1) }}',
    '{{ "{:{}}".format("x", 10**9) }}',
    '{{ "{:.1000000000f}".format(1.5) }}',
    '{{ "{:.1000000000e}".format(1.5) }}',
    '{{ "{:.1000000000%}".format(1.5) }}',
    '{{ "{:#.1000000000g}".format(1.5) }}',
    "{{ 'x' * 10**9 }}",
    "{{ 10**9 * 'x' }}",
    "{{ 'x' * 2**53 }}",
    "{{ ([1] * 10**9)|length }}",
    "{{ ((1,) * 10**9)|length }}",
    "{{ [1]|tojson(indent=10**9) }}",
    "{{ [1]|batch(10**9, 'x')|list|length }}",
  ])("%s", (src) => expectLimit(src, STRING));

  // a small limit keeps the inputs small
  const small = { maxStringLength: 1000 };
  it.each([
    // join
    "{{ range(100)|join('x' * 20) }}",
    "{{ ('x' * 20).join(range(100)|map('string')) }}",
    "{{ ['x' * 600, 'y' * 600]|join }}",
    // replace, with and without a count, with an empty old string
    "{{ ('x' * 100)|replace('x', 'y' * 20) }}",
    "{{ ('x' * 100)|replace('x', 'y' * 20, 90) }}",
    "{{ ('x' * 100)|replace('', 'y' * 20) }}",
    "{{ ('x' * 100).replace('x', 'y' * 20) }}",
    "{{ ('x' * 100).replace('', 'y' * 20) }}",
    // indent over many lines, wordwrap with a long wrapstring
    "{{ ('a\\n' * 400)|indent(4) }}",
    "{{ ('a\\n' * 400)|indent(4, blank=true) }}",
    "{{ ('ab ' * 100)|wordwrap(2, wrapstring='-' * 10) }}",
    // tojson's indentation grows with the depth
    "{{ [[[[1]]]]|tojson(indent=300) }}",
    "{{ [1, 2, 3]|tojson(indent='x' * 400) }}",
    // concatenation: ~ and + on strings, + on lists and tuples, sum onto a list
    "{% set ns = namespace(s='x') %}{% for i in range(20) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set ns = namespace(s='x') %}{% for i in range(20) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{% set ns = namespace(s=[1]) %}{% for i in range(20) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{% set ns = namespace(s=(1,)) %}{% for i in range(20) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{{ ([[1] * 100] * 20)|sum(start=[])|length }}",
    "{{ 'x' * 600 ~ 'y' * 600 }}",
    // printf and format widths under the limit in themselves, over it with the text
    "{{ '%500s%501s' % ('a', 'b') }}",
    // Markup: escaping grows the text (fivefold for '&'), and its operators escape before joining
    "{{ ('&' * 300)|e }}",
    "{{ ('&' * 150)|forceescape|forceescape }}",
    "{{ ('a'|safe).escape('&' * 300) }}",
    "{% set ns = namespace(s='x'|safe) %}{% for i in range(20) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{{ ('x'|safe) + '<' * 300 }}",
    "{{ ('<'|safe) * 2000 }}",
    "{{ ('%s'|safe) % ('<' * 300) }}",
    "{{ ('{}'|safe).format('<' * 300) }}",
    "{{ ('-'|safe).join(['<' * 300]) }}",
    "{{ ('<\n' * 100)|indent('<'|safe, true) }}",
    "{{ ('< ' * 300)|wordwrap(2, wrapstring='<'|safe) }}",
  ])("%s", (src) => expectLimit(src, STRING, small));

  it("a large sum of lists stays linear", () => {
    const t0 = Date.now();
    expectLimit("{{ ([[1] * 1000] * 100000)|sum(start=[])|length }}", STRING);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it("lists repeated to near the limit do not overflow the stack", () => {
    expect(new Template("{{ (([1] * 1000000) * 2)|length }}").render()).toBe("2000000");
  });

  it("a long word wrapped at width 1 takes linear time", () => {
    const t0 = Date.now();
    expect(new Template("{{ (('x' * 100000)|wordwrap(1))|length }}").render()).toBe("199999");
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it("huge precisions that strip their zeros render as Python does", () => {
    expect(new Template('{{ "%.1000000000g" % 1.5 }}|{{ "{:.1000000000}".format(1.5) }}|{{ "{:.1000000000g}".format(0.1) }}').render()).toBe("1.5|1.5|0.1000000000000000055511151231257827021181583404541015625");
    const tiny = "4.940656458412465441765687928682213723650598026143247644255856825006755072702087518652998363616359923797965646954457177309266567103559397963987747960107818781263007131903114045278458171678489821036887186360569987307230500063874091535649843873124733972731696151400317153853980741262385655911710266585566867681870395603106249319452715914924553293054565444011274801297099995419319894090804165633245247571478690147267801593552386115501348035264934720193790268107107491703332226844753335720832431936092382893458368060106011506169809753078342277318329247904982524730776375927247874656084778203734469699533647017972677717585125660551199131504891101451037862738167250955837389733598993664809941164205702637090279242767544565229087538682506419718265533447265625e-324";
    // python3: '%.1000g' % 5e-324 (the exact value: more precision adds nothing)
    expect(new Template('{{ "%.1000000000g" % 5e-324 }}').render()).toBe(tiny);
  });
});

// every construct that takes a width, count or precision, with one drawn from [-2^31, 2^31]
const WIDTH_TEMPLATES = [
  "{{ 'a\\nb'|indent(W) }}",
  "{{ 'a\\nb'|indent(W, true, true) }}",
  "{{ 'ab'|center(W) }}",
  "{{ 'ab'.center(W) }}",
  "{{ 'ab'.ljust(W, '*') }}",
  "{{ 'ab'.rjust(W) }}",
  "{{ '-5'.zfill(W) }}",
  "{{ 'a\\tb\\tc'.expandtabs(W) }}",
  "{{ 'x' * W }}",
  "{{ [1, 2] * W }}",
  "{{ (1,) * W }}",
  "{{ '%Wd' % 7 }}",
  "{{ '%-Ws' % 'x' }}",
  "{{ '%.Wf' % 1.5 }}",
  "{{ '%.We' % 1.5 }}",
  "{{ '%.Wg' % 0.1 }}",
  "{{ '%#.Wg' % 0.1 }}",
  "{{ '%.Wd' % 7 }}",
  "{{ '%.Wx' % 255 }}",
  "{{ '%*d' % (W, 7) }}",
  "{{ '%.*f' % (W, 1.5) }}",
  "{{ '{:>W}'.format('x') }}",
  "{{ '{:0=W}'.format(-7) }}",
  "{{ '{:.Wf}'.format(1.5) }}",
  "{{ '{:.W}'.format(1.5) }}",
  "{{ '{:.Wg}'.format(1.5) }}",
  "{{ '{:.W%}'.format(1.5) }}",
  "{{ '{:.W}'.format('abc') }}",
  "{{ '{:{}}'.format('x', W) }}",
  "{{ '%Wd'|format(7) }}",
  "{{ [[1]]|tojson(indent=W) }}",
  "{{ 'ab cd ef'|wordwrap(W) }}",
  "{{ 'ab cd ef gh'|truncate(W) }}",
  "{{ 'ab cd ef gh'|truncate(W, true, '...', 0) }}",
  "{{ [1, 2, 3]|batch(W, 0)|list }}",
  "{{ [1, 2, 3]|slice(W)|list }}",
  "{{ range(W)|length }}",
  "{{ (1.5)|round(W) }}",
  "{{ 'x'.replace('x', 'y' * 10, W) }}",
  "{{ 'a,b,c'.split(',', W) }}",
];

describe("widths up to 2^31 never end in an internal error", () => {
  it("renders or raises a TemplateError (a LimitError names its limit)", () => {
    const limits = { maxStringLength: 1000, maxIterations: 10_000, maxOutputLength: 5000 };
    fc.assert(
      fc.property(fc.constantFrom(...WIDTH_TEMPLATES), fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.integer({ min: -5, max: 1200 })), (tpl, w) => {
        const src = tpl.replaceAll("W", String(w));
        let err: unknown;
        try {
          new Template(src, { limits }).render();
        } catch (e) {
          err = e;
        }
        if (err === undefined) return;
        expect(err, src).toBeInstanceOf(TemplateError);
        const e = err as TemplateError;
        expect(e.detail, src).not.toMatch(/internal error|Invalid (string|array) length|call stack/);
        if (e instanceof LimitError) expect(e.detail, src).toMatch(/limits\.max\w+|MAX_RANGE/);
      }),
      { numRuns: 2000, seed: 20261207 },
    );
  });
});
