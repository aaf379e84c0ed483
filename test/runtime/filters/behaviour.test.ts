// Filter behaviour the case tables cannot show: Undefined hints, groupby's namedtuple fields, random,
// attr returning bound methods, template-built dicts (Maps), the FILTERS table itself, limits.
import { Template } from "../../../src/index.ts";
import { describe, expect, it } from "vitest";
import { TemplateError } from "../../../src/errors.ts";
import { FILTERS } from "../../../src/runtime/filters/index.ts";
import { GroupTuple } from "../../../src/runtime/filters/sequences.ts";
import { pyRepr, pyStr } from "../../../src/runtime/pystr.ts";
import { Callable, Tuple, Undefined, undefinedError, type Value } from "../../../src/runtime/value.ts";
import { applyFilter, listed, makeState } from "./harness.ts";

function detail(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof TemplateError) return `${e.kind}: ${e.detail}`;
    throw e;
  }
  return "no error";
}

describe("the FILTERS table", () => {
  it("holds every jinja2 3.1 built-in filter", () => {
    // jinja2.filters.FILTERS keys, printed by python3
    const jinja2 = [
      "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape", "filesizeformat",
      "first", "float", "forceescape", "format", "groupby", "indent", "int", "join", "last", "length", "list", "lower",
      "items", "map", "min", "max", "pprint", "random", "reject", "rejectattr", "replace", "reverse", "round", "safe",
      "select", "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "trim", "truncate", "unique",
      "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr", "tojson",
    ];
    expect([...FILTERS.keys()].sort()).toEqual([...jinja2].sort());
  });
});

describe("Undefined results carry jinja2's hints", () => {
  const hint = (v: Value) => (v instanceof Undefined ? undefinedError(v).detail : "not undefined");
  it("first / last / min / max / random of an empty sequence", () => {
    expect(hint(applyFilter("first", "[]"))).toBe("No first item, sequence was empty.");
    expect(hint(applyFilter("last", "[]"))).toBe("No last item, sequence was empty.");
    expect(hint(applyFilter("min", "[]"))).toBe("No aggregated item, sequence was empty.");
    expect(hint(applyFilter("max", "''"))).toBe("No aggregated item, sequence was empty.");
    expect(hint(applyFilter("random", "[]"))).toBe("No random item, sequence was empty.");
  });
  it("map(attribute=) of a missing key is the lookup's Undefined", () => {
    const out = listed(applyFilter("map", "[{}], attribute='u'")) as Value[];
    expect(hint(out[0])).toBe("'dict object' has no attribute 'u'");
  });
  it("attr of a missing attribute", () => {
    expect(hint(applyFilter("attr", "{'a': 1}, 'a'"))).toBe("'dict object' has no attribute 'a'");
  });
});

describe("groupby", () => {
  it("returns (grouper, list) tuples that also answer .grouper and .list", () => {
    const groups = applyFilter("groupby", "[{'c': 'b'}, {'c': 'a'}, {'c': 'B'}], 'c'") as GroupTuple[];
    expect(groups).toHaveLength(2);
    expect(groups[0]).toBeInstanceOf(Tuple);
    expect(groups[1].field("grouper")).toBe("b");
    expect(pyRepr(groups[1].field("list") as Value)).toBe("[{'c': 'b'}, {'c': 'B'}]");
    expect(groups[1].field("other")).toBeUndefined();
    // and through the template's attribute protocol
    expect(new Template("{% for g in x|groupby('c') %}{{ g.grouper }}:{{ g.list|length }} {% endfor %}").render({ x: [{ c: "b" }, { c: "a" }] })).toBe("a:1 b:1 ");
    // python3: str(_GroupTuple) is tuple.__str__
    expect(pyStr(groups[0])).toBe("('a', [{'c': 'a'}])");
  });
});

describe("random", () => {
  it("picks an item of the sequence", () => {
    for (let i = 0; i < 20; i++) expect([1, 2, 3]).toContain(applyFilter("random", "[1, 2, 3]"));
    expect(["a", "b"]).toContain(applyFilter("random", "'ab'"));
  });
  it("looks a random int up as a dict key, as random.choice does", () => {
    // python3: random.choice({0: 'x'}) == 'x'; random.choice({'a': 1}) raises KeyError 0
    expect(applyFilter("random", "M({0: 'x'})")).toBe("x");
    expect(detail(() => applyFilter("random", "{'a': 1}"))).toBe("key: 0");
  });
  it("reports arguments like jinja2 (do_random takes the context first)", () => {
    expect(detail(() => applyFilter("random", "[1], 2"))).toBe("arguments: do_random() takes 2 positional arguments but 3 were given");
  });
});

describe("attr", () => {
  it("returns a dict method rather than the item of the same name", () => {
    const m = applyFilter("attr", "{'items': 1}, 'items'");
    expect(m).toBeInstanceOf(Callable);
  });
  it("refuses dunder attributes through the sandbox", () => {
    const u = applyFilter("attr", "{'a': 1}, '__class__'") as Undefined;
    // python3: printing it gives '', using it raises SecurityError with this text
    expect(pyStr(u)).toBe("");
    expect(undefinedError(u).kind).toBe("security");
    expect(undefinedError(u).detail).toBe("access to attribute '__class__' of 'dict' object is unsafe.");
  });
});

describe("template-built dicts (Maps)", () => {
  it("dictsort, items, xmlattr, tojson and length read Maps like plain objects", () => {
    expect(pyRepr(applyFilter("dictsort", "M({'b': 1, 'a': 2})"))).toBe("[('a', 2), ('b', 1)]");
    expect(pyRepr(listed(applyFilter("items", "M({'b': 1})")))).toBe("[('b', 1)]");
    expect(applyFilter("xmlattr", "M({'id': 'x'})")).toBe(' id="x"');
    expect(applyFilter("tojson", "M({'b': 1, 'a': [2]})")).toBe('{"b": 1, "a": [2]}');
    expect(applyFilter("length", "M({'b': 1, 'a': 2})")).toBe(2);
    expect(applyFilter("join", "M({'b': 1, 'a': 2}), ','")).toBe("b,a");
  });
});

describe("limits", () => {
  it("center and indent stop at limits.maxStringLength", () => {
    const state = makeState({ maxStringLength: 100 });
    expect(detail(() => applyFilter("center", "'a', 1000", state))).toMatch(/^limit: /);
    expect(detail(() => applyFilter("indent", "'a\\nb\\nc', 60, True", state))).toMatch(/^limit: /);
    expect(detail(() => applyFilter("replace", "'aaaa', 'a', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'", state))).toMatch(/^limit: /);
    expect(applyFilter("center", "'a', 5", state)).toBe("  a  ");
  });
});
