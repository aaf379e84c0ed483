// Untrusted templates: no way to JS prototypes, host objects or functions, no mutation of the caller's
// data, and every limit stops a runaway template with a LimitError that names it.
import { describe, expect, it } from "vitest";
import { LimitError, Template, TemplateError } from "../../src/index.ts";

const render = (src: string, ctx: object = {}, options = {}) => new Template(src, options).render(ctx);

class Secret {
  token = "s3cret";
  reveal(): string {
    return this.token;
  }
}

describe("no way out of the value model", () => {
  const ctx = { d: { a: 1 }, l: [1, 2], s: "x", fn: () => "called", obj: new Secret(), date: new Date(0) };
  it.each([
    "{{ d.constructor }}",
    "{{ d.__proto__ }}",
    "{{ d['__proto__'] }}",
    "{{ d['constructor'] }}",
    "{{ d.toString }}",
    "{{ d.hasOwnProperty }}",
    "{{ d.valueOf }}",
    "{{ l.constructor }}",
    "{{ l['constructor'] }}",
    "{{ s.constructor }}",
    "{{ obj.token }}",
    "{{ obj['token'] }}",
    "{{ obj.reveal }}",
    "{{ date.getTime }}",
    "{{ range.constructor }}",
    "{% set ns = namespace() %}{{ ns.constructor }}",
    "{% for x in l %}{{ loop.constructor }}{% endfor %}",
  ])("%s is empty (Undefined)", (src) => {
    expect(render(src, ctx)).toBe("");
  });

  it.each([
    "{{ d.constructor.constructor('return process')() }}",
    "{{ l.constructor.prototype }}",
    "{{ obj.reveal() }}",
    "{{ fn() }}",
    "{{ d.toString() }}",
    "{{ s.__class__.__mro__ }}",
    "{{ ''.__class__.__base__.__subclasses__() }}",
  ])("%s raises a TemplateError", (src) => {
    expect(() => render(src, ctx)).toThrow(TemplateError);
  });

  it("never mutates the caller's data", () => {
    const data = Object.freeze({ messages: Object.freeze([Object.freeze({ role: "user", content: "hi" })]), d: Object.freeze({ a: 1 }) });
    for (const src of [
      "{% set d = {'a': 2} %}{{ d.a }}",
      "{{ messages.append(1) }}",
      "{{ d.update({'b': 1}) }}",
      "{{ messages.pop() }}",
      "{% set messages = [] %}{{ messages }}",
      "{% set x = messages.reverse() %}",
      "{{ d.setdefault('z', 1) }}",
    ]) {
      try {
        render(src, data);
      } catch (e) {
        expect(e).toBeInstanceOf(TemplateError);
      }
    }
    expect(data).toEqual({ messages: [{ role: "user", content: "hi" }], d: { a: 1 } });
  });
});

describe("limits", () => {
  const limited = (src: string, limits: object, pattern: RegExp) => {
    let err: unknown;
    try {
      render(src, {}, { limits });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LimitError);
    expect((err as LimitError).kind).toBe("limit");
    expect((err as LimitError).message).toMatch(pattern);
  };

  it("stops output growth", () => limited("{% for i in range(1000) %}xxxxxxxxxx{% endfor %}", { maxOutputLength: 5000 }, /maxOutputLength/));
  it("stops loops", () => limited("{% for i in range(100) %}{% for j in range(100) %}{% endfor %}{% endfor %}", { maxIterations: 5000 }, /maxIterations/));
  it("stops macro recursion", () => limited("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", {}, /maxRecursionDepth/));
  it("stops recursive loops", () =>
    limited("{% set t = [1] %}{% for x in [t] recursive %}{{ loop([t]) }}{% endfor %}", { maxRecursionDepth: 50 }, /maxRecursionDepth/));
  it("stops huge ranges", () => limited("{{ range(10**9)|length }}", {}, /MAX_RANGE|maxRange/));
  it("stops string blow-up", () => limited("{{ 'x' * 10**9 }}", {}, /maxStringLength/));
  it("stops doubling strings", () =>
    limited("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}", { maxStringLength: 1 << 20 }, /maxStringLength|maxOutputLength/));

  it("places limit errors in the template", () => {
    try {
      render("line one\n{% for i in range(10) %}{{ i }}{% endfor %}", {}, { limits: { maxIterations: 3 } });
      expect.unreachable();
    } catch (e) {
      expect((e as LimitError).loc?.line).toBe(2);
      expect((e as LimitError).message).toContain("^");
    }
  });

  it("rejects deeply nested source with a syntax error, not a stack overflow", () => {
    expect(() => render("{{ " + "(".repeat(5000) + "1" + ")".repeat(5000) + " }}")).toThrow(TemplateError);
    expect(() => render("{% if true %}".repeat(2000) + "{% endif %}".repeat(2000))).toThrow(TemplateError);
  });
});
