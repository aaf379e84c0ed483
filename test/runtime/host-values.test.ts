// Host data and host functions at the template boundary: a context key whose value is undefined is absent
// everywhere (as JSON has it), and host globals, filters and tests bind arguments alike (positional only).
import { describe, expect, it } from "vitest";
import { Template, TemplateError } from "../../src/index.ts";

// Each expression is rendered with `d` holding an undefined value and with the key left out: the two must agree.
const PROBES = [
  "{{ 'T' if d else 'F' }}",
  "{{ d|length }}",
  "{{ d }}",
  "{{ d|tojson }}",
  "{{ 'a' in d }}",
  "{{ d.a is defined }}",
  "{{ d['a'] is defined }}",
  "{{ d|list }}",
  "{{ d.items()|list }}",
  "{{ d.keys()|list }}|{{ d.values()|list }}",
  "{{ d.get('a', 5) }}",
  "{{ d == {} }}|{{ d == {'b': 1} }}",
  "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
  "{% for k in d %}{{ k }};{% endfor %}",
  "{{ d|dictsort }}",
  "{{ d|items|list }}",
  "{{ (d|default('x')) }}",
  "{% if d %}yes{% else %}no{% endif %}",
];

describe("a context key whose value is undefined is absent", () => {
  for (const [name, withUndefined, without] of [
    ["the only key", { a: undefined }, {}],
    ["beside another key", { a: undefined, b: 1 }, { b: 1 }],
    ["in a nested message", { a: undefined, b: { c: undefined } }, { b: {} }],
  ] as const) {
    it(`${name}: every probe renders as without the key`, () => {
      for (const probe of PROBES) {
        const t = new Template(probe);
        expect(t.render({ d: withUndefined }), probe).toBe(t.render({ d: without }));
      }
    });
  }
});

describe("host functions take positional arguments only, globals, filters and tests alike", () => {
  const fn = (...a: unknown[]) => a.length;
  const options = { globals: { g: fn }, filters: { f: fn }, tests: { t: (...a: unknown[]) => a.length > 1 } };
  for (const [kind, source] of [
    ["global", "{{ g(1, x=2) }}"],
    ["filter", "{{ 1|f(x=2) }}"],
    ["test", "{{ 1 is t(x=2) }}"],
  ] as const) {
    it(`a keyword argument to a host ${kind} is the same error`, () => {
      let error: unknown;
      try {
        new Template(source, options).render({});
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).detail).toMatch(/^[gft]\(\) got an unexpected keyword argument 'x'$/);
    });
  }

  it("positional arguments reach the function in order", () => {
    const seen: unknown[][] = [];
    const rec = (...a: unknown[]) => (seen.push(a), "");
    new Template("{{ g(1, 'two') }}{{ 3|f(4) }}{{ 5 is t(6) }}", { globals: { g: rec }, filters: { f: rec }, tests: { t: rec } }).render({});
    expect(seen).toEqual([[1, "two"], [3, 4], [5, 6]]);
  });
});
