// The globals against python3: case tables filled in by filters/expect.py (jinja2's sandboxed range,
// dict, namespace, raise_exception, strftime_now with the clock pinned), plus what tables cannot show.
import { describe, expect, it } from "vitest";
import { TemplateError } from "../../src/errors.ts";
import { Cycler, GLOBALS, Joiner } from "../../src/runtime/globals.ts";
import { strftime } from "../../src/runtime/strftime.ts";
import { pyRepr } from "../../src/runtime/pystr.ts";
import { Callable, Markup, Namespace, type Value } from "../../src/runtime/value.ts";
import { callGlobal, caseTable, makeState } from "./filters/harness.ts";
import { pyArgs } from "./filters/pylit.ts";

function detail(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof TemplateError) return `${e.name} ${e.kind}: ${e.detail}`;
    throw e;
  }
  return "no error";
}

/** Calls a method attribute of a runtime object. */
function method(obj: Value, name: string, src = ""): Value {
  const m = (obj as Cycler).getAttr(name) as Callable;
  return makeState().call(m, pyArgs(src));
}

describe("range", () => {
  caseTable("global", [
    ["range", "5", "[0, 1, 2, 3, 4]"],
    ["range", "2, 5", "[2, 3, 4]"],
    ["range", "0, 10, 3", "[0, 3, 6, 9]"],
    ["range", "10, 0, -3", "[10, 7, 4, 1]"],
    ["range", "5, 2", "[]"],
    ["range", "-2", "[]"],
    ["range", "True", "[0]"],
    ["range", "", "!TypeError: range expected at least 1 argument, got 0"],
    ["range", "1, 2, 3, 4", "!TypeError: range expected at most 3 arguments, got 4"],
    ["range", "1.5", "!TypeError: 'float' object cannot be interpreted as an integer"],
    ["range", "U('x')", "!TypeError: 'Undefined' object cannot be interpreted as an integer"],
    ["range", "None", "!TypeError: 'NoneType' object cannot be interpreted as an integer"],
    ["range", "'3'", "!TypeError: 'str' object cannot be interpreted as an integer"],
    ["range", "1, 2, 0", "!ValueError: range() arg 3 must not be zero"],
    ["range", "3, x=1", "!TypeError: safe_range() got an unexpected keyword argument 'x'"],
    ["range", "100001", "!OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."],
    ["range", "0, 200001, 2", "!OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."],
    ["range", "-5, 5, 3", "[-5, -2, 1, 4]"],
    ["range", "5, -5, -4", "[5, 1, -3]"],
  ]);
  it("allows exactly MAX_RANGE items", () => {
    expect((callGlobal("range", "100000") as number[]).length).toBe(100000);
    expect((callGlobal("range", "0, 200000, 2") as number[]).length).toBe(100000);
  });
  it("is a LimitError naming limits.maxRange when the limit is not jinja2's", () => {
    expect(detail(() => callGlobal("range", "11", makeState({ maxRange: 10 })))).toBe(
      "LimitError limit: Range too big. The sandbox blocks ranges larger than 10 (limits.maxRange).",
    );
    expect(detail(() => callGlobal("range", "100001"))).toMatch(/^LimitError limit: Range too big/);
  });
});

describe("dict and namespace", () => {
  caseTable("global", [
    ["dict", "", "{}"],
    ["dict", "a=1, b='x'", "{'a': 1, 'b': 'x'}"],
    ["dict", "{'a': 1}, b=2", "{'a': 1, 'b': 2}"],
    ["dict", "[('a', 1), ['b', 2]]", "{'a': 1, 'b': 2}"],
    ["dict", "['ab']", "{'a': 'b'}"],
    ["dict", "[(1, 'a'), (True, 'b'), (1.0, 'c')]", "{1: 'c'}"],
    ["dict", "{'a': 1}, a=2", "{'a': 2}"],
    ["dict", "1, 2", "!TypeError: dict expected at most 1 argument, got 2"],
    ["dict", "5", "!TypeError: 'int' object is not iterable"],
    ["dict", "[1]", "!TypeError: cannot convert dictionary update sequence element #0 to a sequence"],
    ["dict", "['abc']", "!ValueError: dictionary update sequence element #0 has length 3; 2 is required"],
    ["dict", "[[[1], 2]]", "!TypeError: unhashable type: 'list'"],
    ["dict", "U('x')", "!UndefinedError: 'x' is undefined"],
    ["namespace", "", "<Namespace {}>"],
    ["namespace", "a=1", "<Namespace {'a': 1}>"],
    ["namespace", "{'a': 1}, b=2", "<Namespace {'a': 1, 'b': 2}>"],
    ["namespace", "[('a', 1)]", "<Namespace {'a': 1}>"],
    ["namespace", "1, 2", "!TypeError: dict expected at most 1 argument, got 2"],
    ["namespace", "5", "!TypeError: 'int' object is not iterable"],
  ]);
  it("dict() builds a template dict (a Map) and namespace() a Namespace", () => {
    expect(callGlobal("dict", "a=1")).toBeInstanceOf(Map);
    const ns = callGlobal("namespace", "{'a': 1}, b=2") as Namespace;
    expect(ns).toBeInstanceOf(Namespace);
    expect(ns.getAttr("a")).toBe(1);
    expect(ns.getAttr("b")).toBe(2);
  });
});

describe("raise_exception and strftime_now", () => {
  caseTable("global", [
    ["raise_exception", "'No user message'", "!TemplateError: No user message"],
    ["raise_exception", "None", "!TemplateError: None"],
    ["raise_exception", "U('x')", "!TemplateError: "],
    ["raise_exception", "", "!TypeError: raise_exception() missing 1 required positional argument: 'message'"],
    ["raise_exception", "'a', 'b'", "!TypeError: raise_exception() takes 1 positional argument but 2 were given"],
    ["strftime_now", "'%d %b %Y'", "'05 Jan 2026'"],
    ["strftime_now", "'%-d %B %Y, %A'", "'5 January 2026, Monday'"],
    ["strftime_now", "'%Y-%m-%d %H:%M:%S.%f'", "'2026-01-05 09:07:03.123000'"],
    ["strftime_now", "'%e|%k|%l|%I|%p|%P'", "' 5| 9| 9|09|AM|am'"],
    ["strftime_now", "'%j %U %W %V %G %g %u %w %C %y'", "'005 01 01 02 2026 26 1 1 20 26'"],
    ["strftime_now", "'%c|%x|%X|%r|%D|%T|%R|%F'", "'Mon Jan  5 09:07:03 2026|01/05/26|09:07:03|09:07:03 AM|01/05/26|09:07:03|09:07|2026-01-05'"],
    ["strftime_now", "'%h %n%t|%%|%z|%Z|'", "'Jan \\n\\t|%|||'"],
    ["strftime_now", "'%Q|%|%+|%:z|%3|%_|%E|%Ea|%E%|%OY|%Od|%Ey'", "'%Q|%|%+|%:z|%3|%_|%E|%Ea|%|%OY|05|26'"],
    ["strftime_now", "'%5d|%_5d|%-5d|%05e|%^a|%#a|%#p|%^B|%10B|%-10B|%010B|%5%|%5f|%-3e|%10Y|%-Y'", "'00005|    5|    5|00005|MON|MON|am|JANUARY|   January|   January|000January|    %|  %5f|  5|0000002026|2026'"],
    ["strftime_now", "'%%z|%-%z|%-z|%_Z'", "'%z|%-||'"],
    ["strftime_now", "'a%'", "'a%'"],
    ["strftime_now", "'éé%3000d'", "''"],
    ["strftime_now", "'%100000000000d'", "''"],
    ["strftime_now", "'%99999999999c'", "''"],
    ["strftime_now", "''", "''"],
    ["strftime_now", "5", "!TypeError: strftime() argument 1 must be str, not int"],
    ["strftime_now", "", "!TypeError: strftime_now() missing 1 required positional argument: 'format'"],
  ]);
  it("raise_exception throws TemplateError with kind 'raised'", () => {
    expect(detail(() => callGlobal("raise_exception", "'boom'"))).toBe("TemplateError raised: boom");
  });
});

describe("strftime", () => {
  // python3: datetime(Y, M, D, h).strftime(fmt)
  it.each([
    [new Date(2024, 11, 30, 23), "%G-W%V-%u %U %W %j", "2025-W01-1 52 53 365"],
    [new Date(2021, 0, 3, 0), "%G-W%V-%u %U %W %j %I%p", "2020-W53-7 01 00 003 12AM"],
    [new Date(2026, 5, 15, 12, 5), "%a %A %b %B %I:%M %p %l", "Mon Monday Jun June 12:05 PM 12"],
    [new Date(999, 0, 1), "%Y|%C|%y|%5Y|%_Y", "999|9|99|00999|999"],
  ])("%s %s", (d, fmt, out) => {
    expect(strftime(fmt, d)).toBe(out);
  });
  it("prints nothing past CPython's buffer of 256 characters per format character (at least 1024)", () => {
    // python3: len(strftime('%1537d')) == 1537, '%2047d' → 2047, '%2048d' → 0, '%2047d|' → 0
    const d = new Date(2026, 0, 5);
    expect(strftime("%1537d", d)).toHaveLength(1537);
    expect(strftime("%2047d", d)).toHaveLength(2047);
    expect(strftime("%2048d", d)).toBe("");
    expect(strftime("%2047d|", d)).toBe("");
  });
  it("%s is seconds since the epoch", () => {
    const d = new Date(2026, 0, 5, 9, 7, 3);
    expect(strftime("%s", d)).toBe(String(Math.floor(d.getTime() / 1000)));
  });
});

describe("cycler and joiner", () => {
  it("cycler cycles across calls; current, reset, items, pos", () => {
    const c = callGlobal("cycler", "'odd', 'even'") as Cycler;
    expect(c).toBeInstanceOf(Cycler);
    expect(c.getAttr("current")).toBe("odd");
    expect([method(c, "next"), method(c, "next"), method(c, "next")]).toEqual(["odd", "even", "odd"]);
    expect(c.getAttr("pos")).toBe(1);
    expect(pyRepr(c.getAttr("items") as Value)).toBe("('odd', 'even')");
    expect(method(c, "reset")).toBe(null);
    expect(c.getAttr("current")).toBe("odd");
    expect(c.getAttr("__next__")).toBeUndefined();
  });
  it("cycler needs an item", () => {
    // python3: RuntimeError: at least one item has to be provided
    expect(detail(() => callGlobal("cycler", ""))).toBe("TemplateRuntimeError runtime: at least one item has to be provided");
    try {
      callGlobal("cycler", "");
    } catch (e) {
      expect((e as TemplateError).pythonException).toBe("RuntimeError");
    }
  });
  it("joiner returns '' once, then the separator", () => {
    const state = makeState();
    const j = callGlobal("joiner", "") as Joiner;
    expect([state.call(j, pyArgs("")), state.call(j, pyArgs("")), state.call(j, pyArgs(""))]).toEqual(["", ", ", ", "]);
    const k = callGlobal("joiner", "'|'") as Joiner;
    expect([state.call(k, pyArgs("")), state.call(k, pyArgs(""))]).toEqual(["", "|"]);
    expect(k.getAttr("sep")).toBe("|");
    // python3: TypeError: Joiner.__call__() takes 1 positional argument but 2 were given
    expect(detail(() => state.call(k, pyArgs("1")))).toBe("TemplateRuntimeError arguments: Joiner.__call__() takes 1 positional argument but 2 were given");
  });
});

describe("lipsum", () => {
  it("writes n paragraphs of min..max-1 words, in <p> when html", () => {
    // jinja2 returns the HTML form as Markup
    const markup = callGlobal("lipsum", "2, True, 5, 8");
    expect(markup).toBeInstanceOf(Markup);
    const paras = (markup as Markup).text.split("\n");
    expect(paras).toHaveLength(2);
    for (const p of paras) {
      expect(p).toMatch(/^<p>[A-Z][a-z,. ]*\.<\/p>$/);
      const words = p.slice(3, -4).split(" ").length;
      expect(words).toBeGreaterThanOrEqual(5);
      expect(words).toBeLessThan(8);
    }
    const text = callGlobal("lipsum", "n=3, html=False") as string;
    expect(text.split("\n\n")).toHaveLength(3);
  });
  it("reports Python's errors", () => {
    // python3: ValueError: empty range for randrange() (5, 5, 0); TypeError: generate_lorem_ipsum() got an unexpected keyword argument 'foo'
    expect(detail(() => callGlobal("lipsum", "1, False, 5, 5"))).toBe("TemplateRuntimeError value: empty range for randrange() (5, 5, 0)");
    expect(detail(() => callGlobal("lipsum", "foo=1"))).toBe("TemplateRuntimeError arguments: generate_lorem_ipsum() got an unexpected keyword argument 'foo'");
  });
});

describe("the GLOBALS table", () => {
  it("holds jinja2's default namespace plus transformers' two functions, all callable", () => {
    expect([...GLOBALS.keys()].sort()).toEqual(["cycler", "dict", "joiner", "lipsum", "namespace", "raise_exception", "range", "strftime_now"]);
    for (const v of GLOBALS.values()) expect(v).toBeInstanceOf(Callable);
  });
});
