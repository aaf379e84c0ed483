// Generators and reverse iterators (runtime/iterators.ts) as Python prints them. Python prints the
// object's address, so these cannot be conformance goldens: the expected strings come from python3 with
// jinja2 in transformers' sandbox, the address replaced by spanja's fixed 0x000000000000.
import { describe, expect, it } from "vitest";
import { TemplateError } from "../../src/errors.ts";
import { LoopItems } from "../../src/runtime/loop.ts";
import { PyIterator, generator } from "../../src/runtime/iterators.ts";
import { Template } from "../../src/template.ts";

const CONTEXT = { xs: [3, 1, 2], d: { a: 1, b: 2 } };

function render(source: string): string {
  try {
    return new Template(source).render(CONTEXT);
  } catch (e) {
    if (e instanceof TemplateError) return `!${e.detail}`;
    throw e;
  }
}

describe("printed generators and iterators", () => {
  const rows: [string, string][] = [
    ["{{ xs|select }}", "<generator object select_or_reject at 0x000000000000>"],
    ["{{ xs|reject }}", "<generator object select_or_reject at 0x000000000000>"],
    ["{{ xs|selectattr('real') }}", "<generator object select_or_reject at 0x000000000000>"],
    ["{{ xs|rejectattr('real') }}", "<generator object select_or_reject at 0x000000000000>"],
    ["{{ xs|map('string') }}", "<generator object sync_do_map at 0x000000000000>"],
    ["{{ xs|batch(2) }}", "<generator object do_batch at 0x000000000000>"],
    ["{{ xs|slice(2) }}", "<generator object sync_do_slice at 0x000000000000>"],
    ["{{ xs|unique }}", "<generator object sync_do_unique at 0x000000000000>"],
    ["{{ d|items }}", "<generator object do_items at 0x000000000000>"],
    ["{{ xs|reverse }}", "<list_reverseiterator object at 0x000000000000>"],
    ["{{ (1, 2)|reverse }}", "<reversed object at 0x000000000000>"],
    ["{{ nope|reverse }}", "<reversed object at 0x000000000000>"],
    ["{{ d|reverse }}", "<dict_reversekeyiterator object at 0x000000000000>"],
    ["{{ d.items()|reverse }}", "<dict_reverseitemiterator object at 0x000000000000>"],
    ["{{ d.keys()|reverse }}", "<dict_reversekeyiterator object at 0x000000000000>"],
    ["{{ d.values()|reverse }}", "<dict_reversevalueiterator object at 0x000000000000>"],
    ["{{ xs|select|string }}", "<generator object select_or_reject at 0x000000000000>"],
    ["{{ xs|select ~ '!' }}", "<generator object select_or_reject at 0x000000000000>!"],
    ["{{ xs|select|upper }}", "<GENERATOR OBJECT SELECT_OR_REJECT AT 0X000000000000>"],
    ["{{ xs|select|pprint }}", "<generator object select_or_reject at 0x000000000000>"],
    ["{{ [xs|reverse, 1] }}", "[<list_reverseiterator object at 0x000000000000>, 1]"],
    ["{{ dict(a=xs|map('string')) }}", "{'a': <generator object sync_do_map at 0x000000000000>}"],
    ["{{ xs|select|e }}", "&lt;generator object select_or_reject at 0x000000000000&gt;"],
    ["{{ '%s'|format(xs|select) }}", "<generator object select_or_reject at 0x000000000000>"],
    ["{{ '{}'.format(xs|select) }}", "<generator object select_or_reject at 0x000000000000>"],
    ["{{ xs|select|default(1) }}", "<generator object select_or_reject at 0x000000000000>"],
    ["{{ xs|select|wordcount }}", "5"],
    ["{{ xs|map()|list }}", "!map requires a filter argument"],
  ];
  for (const [source, expected] of rows) it(source, () => expect(render(source)).toBe(expected));
});

describe("PyIterator", () => {
  it("runs a generator's body only when the first item is read, and once", () => {
    let started = 0;
    const g = generator("f", function* () {
      started++;
      yield 1;
      yield 2;
    });
    expect(started).toBe(0);
    expect(g.next()).toEqual({ done: false, value: 1 });
    expect(started).toBe(1);
    expect(g.drain()).toEqual([2]);
    expect(g.drain()).toEqual([]);
    expect(g.next().done).toBe(true);
  });
  it("is exhausted after its body raised", () => {
    const g = new PyIterator("generator", "f", (function* () {
      yield 1;
      throw new Error("boom");
    })());
    expect(g.next().value).toBe(1);
    expect(() => g.next()).toThrow("boom");
    expect(g.next().done).toBe(true);
  });
});

describe("LoopItems", () => {
  it("reads a source only as far as asked", () => {
    const g = generator("f", function* () {
      yield* [1, 2, 3];
    });
    const items = new LoopItems([], g);
    expect(items.has(0)).toBe(true);
    expect(items.at(0)).toBe(1);
    expect(g.drain()).toEqual([2, 3]);
    expect(items.has(1)).toBe(false);
    expect(items.length).toBe(1);
  });
  it("reads an array in place", () => {
    const items = new LoopItems([1, 2]);
    expect(items.length).toBe(2);
    expect(items.has(2)).toBe(false);
  });
});
