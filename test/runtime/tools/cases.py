# The runtime cases expect.py answers with Python: name -> (kind, list of cases).
from jinja2.runtime import Undefined
from jinja2.utils import Namespace


class Obj(dict):
    """A caller's dict (plain object in JS)."""


Obj.__name__ = "dict"  # messages name the type: a caller's dict is a dict


class View:
    def __init__(self, kind, d):
        self.kind, self.d = kind, d

    def value(self):
        return getattr(self.d, self.kind)()


U = Undefined(name="missing")
INF, NAN = float("inf"), float("nan")
ASTRAL = "a\U0001F600b\u00e9"

# ---- str() and repr() ----
FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.1 + 0.2, 1 / 3, 2.0 ** 0.5, 1e-4, 1e-5, 0.00012345, 1.5e-7, 1e15, 1e16,
          1.5e16, 123456789012345678.0, 1e22, 1e100, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, INF, -INF,
          NAN, 100.0, 12345.678, 9007199254740993.0, 4.35, 0.3, 2.675, 1e21, 999999999999999.9, 9999999999999998.0]
STRINGS = ["", "a", "it's", 'say "hi"', "both ' and \"", "back\\slash", "tab\there", "nl\nx\r", "\x00\x01\x1f\x7f",
           "\x80\x9f\xa0\xad", "caf\u00e9", "\u4e2d\u6587", ASTRAL, "\u2028\u2029", "\u200b\u200e\ufeff", "\ue000",
           "\udc80", "\ud83d", "\U000e0001", "\U0010ffff", "\u0378", "\U0001faf8", "\u0600", "\u00a0\u3000"]
VALUES = (
    [{"v": x} for x in [None, True, False, 0, 1, -1, 42, 2 ** 53, -(2 ** 53), 10 ** 21, 10 ** 22]]
    + [{"v": x} for x in FLOATS]
    + [{"v": s} for s in STRINGS]
    + [{"v": x} for x in [[], [1, "a"], [1.0, [2, (3,)]], (), ("a",), (1, 2.5), {}, {"k": "v"}, {1: [None, True]},
                          {(1, 2): "t", None: 0.5, True: "x"}, Obj({"role": "user", "content": "it's"}),
                          [U], {"u": U}, Namespace(), Namespace(a=1, b=[1, "x"]),
                          View("items", {"a": 1, "b": [1, 2]}), View("keys", {"a": 1}), View("values", {"a": (1,)}),
                          [["nested", {"deep": [1.5, -0.0, "\n"]}]]]]
)

# ---- operators ----
NUMS = [0, 1, -7, 7, 3, -3, 2, True, False, 0.0, 1.5, -2.5, 7.0, 2.0, -0.0, INF, 1e308]
ARITH = ["+", "-", "*", "/", "//", "%", "**"]
BINOPS = [{"op": op, "a": a, "b": b} for op in ARITH for a, b in [
    (7, 2), (-7, 2), (7, -2), (-7, -2), (7, 3), (-7, 3), (7.0, 2), (-7.5, 2), (7.5, -2), (2, -1), (2, 0.5), (0, 0),
    (1, 0), (1.0, 0), (1, 0.0), (0, -1), (0.0, -1), (True, True), (True, 2.5), (-0.0, 1), (INF, 2), (2, INF), (-5.0, INF),
    (1e308, 10), (2 ** 52, 3), (3, 33), (10, 15), (-2, 3), (0.1, 0.2), (1, 3), (10, 400), (2.0, 10000), (-8, 0.5),
    (1, NAN), (NAN, 0), (-1, INF),
]] + [{"op": op, "a": a, "b": b} for op, a, b in [
    ("+", "ab", "cd"), ("+", "ab", 1), ("+", 1, "ab"), ("+", [1], [2, 3]), ("+", [1], (1,)), ("+", (1,), (2,)),
    ("+", (1,), [1]), ("+", {}, {}), ("+", None, 1), ("+", "a", None), ("+", U, 1), ("+", 1, U), ("+", "a", U),
    ("+", [1], View("keys", {"a": 1})), ("+", View("keys", {"a": 1}), [1]),
    ("*", "ab", 3), ("*", 3, "ab"), ("*", "ab", 0), ("*", "ab", -2), ("*", "ab", True), ("*", "ab", 2.0),
    ("*", 2.0, "ab"), ("*", "ab", "x"), ("*", [1, 2], 2), ("*", 2, [1]), ("*", (1,), 3), ("*", [1], None),
    ("*", None, 2), ("*", U, 2), ("*", [1], U),
    ("-", "a", "b"), ("-", [1], [1]), ("/", "a", 1), ("//", 1, "a"), ("**", "a", 2), ("**", None, 2),
    ("%", "%s and %d", (1, 2)), ("%", "%s", U), ("%", "abc", U), ("%", "%d", U), ("%", "abc", []), ("%", "abc", 5),
    ("%", "%s", [1, 2]), ("%", "%s %s", [1, 2]), ("%", "%r|%a", ("\u00e9", "\u00e9")), ("%", "%5.2f|%-3s|%%", (3.14159, "x")),
    ("%", "%(name)s is %(age)d", {"name": "Ann", "age": 7.9}), ("%", "%(a)s", (1,)), ("%", "%(a)s", {}),
    ("%", "%05d|%+d|% d|%x|%#X|%#o|%o", (-42, 5, 5, 255, 255, 8, 8)), ("%", "%.3d|%3c|%c", (5, "z", 65)),
    ("%", "%e|%E|%g|%G|%.0e|%#.0f", (12345.678, 0.000123, 1e-5, 1e16, 95, 3)), ("%", "%.2f", 2.675), ("%", "%.0f|%.0f|%.2f", (0.5, 1.5, 0.125)),
    ("%", "%f|%F|%010f|%-8.1f|", (INF, NAN, -INF, 1.25)), ("%", "%*d|%-*d|%.*f", (5, 1, 4, 2, 1, 3.14159)),
    ("%", "%y", 1), ("%", "abc%", ()), ("%", "%5%", (1,)), ("%", "%s", ()), ("%", "%s", (1, 2)), ("%", "%d", "a"),
    ("%", "%x", 1.0), ("%", "%f", "a"), ("%", "%d", None), ("%", "%d", INF), ("%", "%d", NAN), ("%", "%c", "ab"),
    ("%", "%c", 1114112), ("%", "%*d", ("a", 1)), ("%", "%d%%", 50), ("%", "%i|%u", (3.9, -3.9)), ("%", "%s", Namespace(a=1)),
    ("%", "%.1s|%5.3s|", ("abc", "\U0001F600bcd")), ("%", "%s", None), ("%", "%d", True), ("%", "%s", (None,)),
    ("%", 7, "a"), ("%", None, 1), ("%", [1], 2),
    ("~", "a", None), ("~", 1.0, [1]), ("~", U, True), ("~", "x", U), ("~", (1,), {"a": 1}),
]]
UNOPS = [{"op": op, "a": a} for op in ["-", "+", "not"] for a in [0, 5, -5, 1.5, -0.0, 0.0, True, False, 2.0, "a", [1], None, U, INF]]

COMPARE = [{"op": op, "a": a, "b": b} for op in ["==", "!=", "<", "<=", ">", ">="] for a, b in [
    (1, 1.0), (1, True), (0, False), (2, 1.5), ("a", "a"), ("a", "b"), ("b", "abc"), ("\uffff", "\U00010000"),
    ("\ue000", "\U0001F600"), ("a", 1), (None, None), (None, 1), ([1, 2], [1, 2]), ([1, 2], [1, 2, 0]), ([1, 3], [1, 2, 9]),
    ([1, "a"], [1, 2]), ([1], (1,)), ((1, 2), (1,)), ({}, {}), ({"a": 1}, {"a": 1.0}), ({"a": 1}, Obj({"a": 1})),
    ({"a": 1, "b": 2}, {"b": 2, "a": 1}), ([1, [2]], [1, [2.0]]), (U, U), (U, None), (None, U), (U, 1), (1, U),
    (Namespace(), Namespace()), (NAN, NAN), (INF, 1e308), (True, 2), (1.5, 1), (View("keys", {"a": 1}), View("keys", {"a": 2})),
    (View("keys", {"a": 1}), ["a"]), (View("items", {"a": 1}), View("items", {"a": 1})), (View("values", {"a": 1}), View("values", {"a": 1})),
]]
CONTAINS = [{"op": "in", "a": a, "b": b} for a, b in [
    (1, [1.0]), (True, [1]), ("a", {"a": 1}), ("a", Obj({"a": 1})), (1, {1.0: "x"}), (True, {1: 2}), (1.0, {True: 2}),
    ("b", "abc"), ("", "abc"), ("\U0001F600", ASTRAL), ((1, 2), [(1, 2)]), ([1, 2], [(1, 2)]), (1, "abc"), (1, 5),
    (1, None), ([1], {}), ([1], Obj({})), ({}, [{}]), ("x", U), (U, [1]), (U, [U]), (U, "abc"), (U, {}), (1, Namespace()),
    ("a", View("keys", {"a": 1})), (("a", 1), View("items", {"a": 1})), ("a", View("items", {"a": 1})), (1, View("values", {"a": 1})),
    ([1], View("keys", {"a": 1})), (None, [None]), ("a", ("a", "b")), (2, (1,)),
]]

# ---- format() ----
FORMATS = [{"v": v, "spec": s} for v, s in [
    (3.14159, ".2f"), (3.14159, "10.3f"), (3.14159, "<10.3f"), (3.14159, "^10.3f"), (3.14159, "+.1e"), (-3.14159, "=10.2f"),
    (1234567.891, ",.2f"), (1234567.891, "_.1f"), (1234567, ","), (1234567, "_"), (1234567, "_x"), (1234567, ",x"), (255, "#x"),
    (255, "#X"), (255, "#b"), (255, "#o"), (255, "08b"), (5, "#010b"), (-3, "010"), (-3, "+05"), (42, " d"), (42, "c"),
    (42, "+c"), (42, "#c"), (42, ".2"), (42, "z"), (42, "e"), (42, "%"), (42, ".1%"), (42, "n"), (42, "q"), (42, ">5"), (42, "*^7"),
    (True, ""), (True, ">5"), (True, "d"), (False, "x"), (1.0, ""), (1.0, ".3"), (100.0, ".3"), (12.0, ".2"), (123.0, ".0"),
    (0.0001, ".3"), (1e-5, ""), (1e16, ""), (1e16, "g"), (1e16, "G"), (1e-7, "g"), (-0.0, ""), (-0.0, "g"), (-0.0, "z.1f"),
    (-0.0001, "z.1f"), (0.5, ".0f"), (1.5, ".0f"), (2.5, ".0f"), (0.125, ".2f"), (2.675, ".2f"), (95.0, ".0e"), (95.0, "#.0e"),
    (95.0, "#.0f"), (1.0, "#"), (1.0, "#.3"), (1e22, "f"), (1e300, ".1e"), (5e-324, "e"), (5e-324, ".3g"), (INF, "010"),
    (-INF, "08"), (NAN, "+"), (NAN, "G"), (INF, "F"), (0.5, "%"), (1 / 3, ".20f"), (2 / 3, ".15g"), (1234.5, "012,.2f"),
    (1234, "08,"), (1234, "09,"), (1234, "010,"), (1234, "07,"), (255, "#012_x"), (255, "#011_x"), (-5, "^+7"), (5, "x<+#7x"),
    (1.5, "=5"), (1.5, "d"), (5.5, "_n"), (5, ",c"), (123456.789, "n"), (0.000123456, ".3n"),
    ("ab", ""), ("ab", "5"), ("ab", ">5"), ("ab", "^7"), ("ab", "*^8"), ("ab", "05"), ("abc", ".2"), ("abc", "8.2s"), ("ab", "+"),
    ("ab", "=5"), ("ab", "#"), ("ab", ","), ("ab", "d"), ("ab", "5x5"), (ASTRAL, "^8"), (ASTRAL, ".2"),
    (None, ""), (None, "5"), ([1], ""), ([1], ">5"), (U, ""), (U, ">5"), ({"a": 1}, "s"),
]]

# ---- str / dict / list / tuple methods ----
def M(obj, name, *args, **kwargs):
    return {"obj": obj, "name": name, "args": list(args), "kwargs": kwargs}


D = {"a": 1, "b": [1, 2]}
METHODS = [
    M("  hi  ", "strip"), M("xxhixx", "strip", "x"), M("\u3000\x1c hi\x85\u2028", "strip"), M("abcba", "strip", "ab"), M("aab", "lstrip", "a"),
    M("baa", "rstrip", "a"), M("  a ", "lstrip"), M("  a ", "rstrip"), M("a", "strip", None), M("a", "strip", 1), M("a", "lstrip", 1),
    M("a", "strip", chars="a"), M("a", "strip", "a", "b"), M(ASTRAL, "strip", "\U0001F600a"),
    M("a b  c", "split"), M(" a  b  c ", "split", None, 1), M(" a  b  c ", "rsplit", None, 1), M("a,b,,c", "split", ","),
    M("a,b,,c", "split", ",", 1), M("a,b,,c", "rsplit", ",", 2), M("a,b,,c", "rsplit", ","), M("a::b::c", "split", "::"),
    M("a\u3000b\x1fc\xa0d", "split"), M("", "split"), M("", "split", ","), M("   ", "split"), M("a b", "split", maxsplit=0),
    M("a,b", "split", sep=","), M("a,b", "split", ",", sep=","), M("a", "split", ""), M("a", "rsplit", ""), M("a", "split", 1),
    M("a b", "split", maxsplit=1.0), M("a b", "split", zz=1), M("a b c", "rsplit", maxsplit=1), M("aaa", "split", "aa"), M("aaa", "rsplit", "aa"),
    M("a\nb\r\nc\rd\x0be\x0cf\x1cg\x1dh\x1ei\x85j\u2028k\u2029l", "splitlines"), M("a\n\nb\n", "splitlines", True), M("a\r\n", "splitlines", keepends=True),
    M("", "splitlines"), M("\n", "splitlines"),
    M("hello", "startswith", "he"), M("hello", "startswith", ("x", "he")), M("hello", "startswith", "l", 2), M("hello", "startswith", "", 5),
    M("hello", "startswith", "", 6), M("hello", "endswith", "lo"), M("hello", "endswith", "l", 0, -1), M("hello", "endswith", ("a", "o")),
    M("hello", "startswith", 1), M("hello", "endswith", 1), M("hello", "startswith", ("a", 1)), M("hello", "startswith"), M("hello", "startswith", "h", prefix="h"),
    M("hello", "startswith", "h", 1.0), M(ASTRAL, "startswith", "\U0001F600", 1), M(ASTRAL, "endswith", "b", 0, 3),
    M("banana", "find", "na"), M("banana", "find", "na", 3), M("banana", "rfind", "na"), M("banana", "find", "x"), M("banana", "index", "x"),
    M("banana", "rindex", "na", 0, 4), M("banana", "count", "a"), M("banana", "count", "an", 0, 4), M("abc", "count", ""), M("abc", "count", "", 1),
    M("x", "count", "", 5), M("abc", "find", "", 3), M("abc", "find", "", 4), M("abc", "rfind", "", 1, 2), M("banana", "find", "a", -2),
    M(ASTRAL, "find", "b"), M(ASTRAL, "index", "\u00e9"), M(ASTRAL, "rfind", "\U0001F600"), M("a", "find", 1), M("abc", "find", "b", "x"), M("a", "find"),
    M("aaa", "replace", "a", "b"), M("aaa", "replace", "a", "b", 2), M("abc", "replace", "", "-"), M("abc", "replace", "", "-", 2), M("abc", "replace", "x", "y"),
    M("a", "replace", 1, "a"), M("a", "replace", "a", 1), M("a", "replace", "a"), M("a", "replace", old="a", new="b"), M("aaa", "replace", "a", "", -1),
    M(",", "join", ["a", "b"]), M(",", "join", ("a",)), M(",", "join", "abc"), M(",", "join", {"k": 1, "j": 2}), M(",", "join", [1]), M(",", "join", ["a", None]),
    M(",", "join", 5), M(",", "join", U), M(",", "join", []), M(",", "join", View("keys", {"x": 1, "y": 2})),
    M("{} and {}", "format", 1, "a"), M("{1}{0}", "format", "a", "b"), M("{x}-{y!r}", "format", x=1.5, y="q"), M("{:>6.2f}|{:<4}|{:^5}", "format", 3.14159, "ab", "c"),
    M("{0[a]} {0[b][1]}", "format", D), M("{0.upper}", "format", "a"), M("{0.append}", "format", []), M("{0.__class__}", "format", {}),
    M("{{}} {{x}}", "format"), M("{:{w}}|", "format", "a", w=5), M("{0:{1}{2}}", "format", 3.14159, ".", "2f"), M("{:{}}", "format", "a", 3),
    M("{:{:{}}}", "format", "a", 3, 4), M("{0}{}", "format", 1, 2), M("{}{0}", "format", 1, 2), M("{1}", "format", 1), M("{a}", "format"),
    M("{", "format"), M("}", "format"), M("{0", "format", 1), M("{!x}", "format", 1), M("{0!rr}", "format", 1), M("{0.}", "format", 1),
    M("{0[0]x}", "format", [1]), M("{!s:>4}|{!a}", "format", None, "\u00e9"), M("{}", "format", U), M("{:>3}", "format", U), M("{0.x}", "format", U),
    M("{0[items]}", "format", {"items": 5}), M("{0.items}", "format", {"items": 5}), M("{0[0]}", "format", "xyz"), M("{0[-1]}", "format", [1, 2]),
    M("{self}|{__self__}", "format", self=1, __self__=2), M("{x}", "format_map", {"x": 1}), M("a", "format_map", 5), M("{x}", "format_map", 5), M("{x}", "format_map", {}),
    M("-12", "zfill", 6), M("+1", "zfill", 4), M("ab", "zfill", -1), M("ab", "zfill", 5), M("a", "zfill", "a"), M("a", "zfill"),
    M("abc", "center", 6, "*"), M("abc", "center", 8, "*"), M("ab", "center", 5, "*"), M("ab", "center", 7, "*"), M("ab", "center", 1), M("a", "center", 3, "ab"),
    M("a", "center", 3, 1), M("a", "center", "a"), M("a", "center"), M("a", "ljust", 3), M("a", "rjust", 3, "."), M("a", "ljust", 3, ""), M(ASTRAL, "center", 6, "\U0001F600"),
    M("a,b,c", "partition", ","), M("a,b,c", "rpartition", ","), M("abc", "partition", "x"), M("abc", "rpartition", "x"), M("a", "partition", ""), M("a", "partition", 1),
    M("prefix_x", "removeprefix", "prefix_"), M("x_suffix", "removesuffix", "_suffix"), M("abc", "removeprefix", ""), M("a", "removeprefix", 1), M("a", "removesuffix", "b"),
    M("a\tbc\td\n\te", "expandtabs"), M("a\tb", "expandtabs", 4), M("a\tb", "expandtabs", tabsize=2), M("a\tb", "expandtabs", 0), M("a\tb", "expandtabs", 1.5),
    M("hello world", "title"), M("they're 1st", "title"), M("\u01c6ungla \u00dfx \ufb01re", "title"), M("hELLO wORLD", "capitalize"), M("\u01c6a", "capitalize"),
    M("Hello \u00df \u0130", "lower"), M("Hello \u00df \ufb01", "upper"), M("Hello World \u00df", "swapcase"), M("\u03a3\u0391\u03a3 \u03a3", "lower"),
    M("\u0391\u03a3 \u03a3\u0391", "title"), M("\u0391\u03a3\u0391\u03a3", "swapcase"), M("Stra\u00dfe \u1e9e \u0131 \u13a0\uab70", "casefold"), M("", "capitalize"),
    M("abc123", "isalnum"), M("abc", "isalpha"), M("ab1", "isalpha"), M("", "isalpha"), M("\u00e9\u4e2d", "isalpha"), M("123", "isdigit"), M("\u00b2", "isdigit"),
    M("\u00b2", "isdecimal"), M("\u4e00\u00bd", "isnumeric"), M("\u0663", "isdecimal"), M("  \t\n", "isspace"), M("", "isspace"), M("\u200b", "isspace"),
    M("abc", "islower"), M("aBc", "islower"), M("123", "islower"), M("ABC", "isupper"), M("A1", "isupper"), M("\u01c5", "isupper"), M("Hello World", "istitle"),
    M("Hello world", "istitle"), M("\u01c5a", "istitle"), M("", "istitle"), M("abc", "isascii"), M("\u00e9", "isascii"), M("", "isascii"), M("a\n", "isprintable"),
    M("", "isprintable"), M("caf\u00e9 \U0001F600", "isprintable"), M("_a1", "isidentifier"), M("1a", "isidentifier"), M("\u00e9t\u00e9", "isidentifier"),
    M("a", "upper", 1), M("a", "upper", x=1), M("a", "join"), M("a", "join", "b", "c"),
    M(D, "get", "a"), M(D, "get", "zz"), M(D, "get", "zz", 0), M(D, "get", "a", default=1), M(D, "get", [1]), M(D, "get"), M({1: "one"}, "get", True),
    M({1: "one"}, "get", 1.0), M(Obj({"a": 1}), "get", 1), M(D, "items"), M(D, "keys"), M(D, "values"), M(Obj({"x": None}), "items"), M({}, "items"),
    M(D, "copy"), M(D, "fromkeys", ["x", "y"]), M(D, "fromkeys", "ab", 0), M(D, "fromkeys", [[1]]), M(D, "items", 1), M(D, "update"), M(D, "pop", "a"),
    M(D, "setdefault", "q", 1), M(D, "clear"),
    M([1, 2, 1], "count", 1), M([1, 2, 1], "count", 1.0), M([1, 2, 1], "index", 2), M([1, 2, 1], "index", 1, 1), M([1], "index", 2), M([1], "index", 2, "a"),
    M([1], "index"), M([1, 2], "copy"), M([1], "append", 2), M([3, 1], "sort"), M([1], "pop"), M((1, 2, 1), "count", 1), M((1, 2), "index", 2),
    M((1,), "index", 2), M((1,), "count"), M([1], "count", value=1),
    M(5, "bit_length"), M(-5, "bit_length"), M(0, "bit_length"), M(255, "bit_count"), M(-7, "bit_count"), M(True, "bit_length"), M(7, "conjugate"),
    M(True, "conjugate"), M(True, "as_integer_ratio"), M(-12, "as_integer_ratio"), M(5, "bit_length", 1), M(5, "is_integer"), M(5, "real"),
    M(2.5, "is_integer"), M(2.0, "is_integer"), M(2.0, "conjugate"), M(0.1, "hex"), M(1.0, "hex"), M(-0.0, "hex"), M(5e-324, "hex"), M(INF, "hex"),
    M(NAN, "hex"), M(1e300, "hex"), M(0.1, "as_integer_ratio"), M(-0.75, "as_integer_ratio"), M(1e300, "as_integer_ratio"), M(INF, "as_integer_ratio"),
    M(NAN, "as_integer_ratio"), M(0.0, "as_integer_ratio"), M(2.0, "bit_length"),
    M("{0[k]} {1.real} {1.imag} {2.real} {2.imag} {3.numerator} {3.denominator}", "format", {"k": "v"}, 5, 1.5, True),
    M("{0.__class__.__name__}", "format", ""), M("{0.__class__}", "format", ""), M("{0._x}", "format", Obj({"_x": 1})), M(View("keys", {"a": 1}), "index", "a"), M("abc", "encode"),
]

# ---- tests (`x is name(args)`) ----
def T(name, v, *args):
    return {"name": name, "v": v, "args": list(args)}


TESTS = [T(n, v) for n in ["defined", "undefined", "none", "boolean", "false", "true", "integer", "float", "number", "string",
                          "mapping", "sequence", "iterable", "callable", "escaped", "lower", "upper"]
         for v in [U, None, True, False, 0, 1, 1.0, 1.5, "abc", "ABC", "", [1], (1,), {"a": 1}, Obj({}), Namespace(), View("keys", {"a": 1})]] + [
    T("odd", 3), T("odd", 4), T("odd", -3), T("odd", 3.0), T("odd", True), T("odd", "abc"), T("odd", "%d"), T("odd", None), T("odd", U),
    T("even", 4), T("even", 0), T("even", 2.5), T("divisibleby", 9, 3), T("divisibleby", 9, 2), T("divisibleby", 9, 0), T("divisibleby", 9.0, 1.5),
    T("sameas", None, None), T("sameas", True, True), T("sameas", True, 1), T("sameas", 1, 1), T("sameas", "a", "a"), T("sameas", 1, 1.0),
    T("in", 1, [1, 2]), T("in", "a", "abc"), T("in", "k", {"k": 1}), T("in", 1, "abc"), T("in", U, [1]), T("in", "a", U),
    T("==", 1, 1.0), T("eq", "a", "a"), T("equalto", [1], (1,)), T("!=", 1, 2), T("ne", U, U), T(">", 2, 1), T("gt", "b", "a"), T("greaterthan", 1, 2),
    T("ge", 2, 2), T(">=", 1.5, 2), T("<", 1, 2), T("lt", [1], [2]), T("lessthan", "a", 1), T("<=", 2, 2), T("le", None, 1), T("gt", U, 1),
    T("filter", "upper"), T("filter", "nope"), T("filter", 1), T("filter", [1]), T("test", U), T("test", "odd"), T("test", "nope"), T("lower", 123), T("upper", "\u01c5"),
    T("lower", "a\u01c5"),
]

# ---- tojson ----
def J(v, **kw):
    return {"v": v, "kwargs": kw}


TOJSON = [
    J(None), J(True), J(1), J(-0.0), J(1.0), J(1e-5), J(1e16), J(0.1), J(INF), J(-INF), J(NAN), J("it's \"q\" \\ \n\t\b\f\r\x00\x1f\x7f\u00e9\U0001F600"),
    J("\u2028</script>&<>"), J([]), J({}), J([1, [2, {"a": None}]]), J((1, "a")), J({"b": 1, "a": 2}), J(Obj({"role": "user", "content": "x"})),
    J({1: "int", 1.5: "float", True: "bool", None: "none", 2.0: "f2"}), J({(1, 2): "tuple"}), J(U), J([U]), J(Namespace(a=1)), J(View("items", {"a": 1})),
    J({"a": [1, 2], "b": {}}, indent=2), J([1, [2, []]], indent=0), J({"a": {"b": [1]}}, indent="\t"), J([1], indent=-1), J([1], indent=True),
    J([1], indent=1.5), J(5, indent=1.5), J({"b": 1, "a": [1, 2]}, sort_keys=True), J({"b": 1, 1: 2}, sort_keys=True), J({"a": [1, 2]}, separators=(",", ":")),
    J({"a": [1, 2]}, indent=2, separators=(";", "=")), J("\u00e9\U0001F600", ensure_ascii=True), J("\u00e9", ensure_ascii=1), J([1], separators=[",", ":"]),
    J([1, 2], separators=(",",)), J(9007199254740993), J(10 ** 21), J({"nested": [{"x": 1.5e-7}]}, indent=1),
]

# ---- slicing and iteration ----
SLICE_BOUNDS = [None, 0, 1, 2, -1, -2, 5, -5, True]
SLICES = [{"v": v, "start": a, "stop": b, "step": s} for v in ["abcde", ASTRAL, [1, 2, 3, 4, 5], (1, 2, 3)]
          for a in SLICE_BOUNDS for b in [None, 3, -1, 9] for s in [None, 1, 2, -1, -2]] + [
    {"v": v, "start": a, "stop": b, "step": s} for v, a, b, s in [
        ([1, 2], 1.5, None, None), ([1, 2], None, U, None), ("ab", None, None, 0), ([1], "a", None, None), (None, 1, None, None),
        (5, 1, None, None), ({"a": 1}, 1, None, None), (Obj({"a": 1}), None, None, None), (View("keys", {"a": 1}), 1, None, None),
        (Namespace(), 1, None, None), ("", None, None, -1), ([], -1, None, None)]]
ITERS = [{"v": v} for v in ["", "ab", ASTRAL, "\udc80x", [1, [2]], (1, "a"), {"k": 1, 2: "x"}, Obj({"a": 1, "b": 2}), View("items", {"a": 1}),
                           View("values", {"a": 1}), None, 5, 1.5, True, Namespace(a=1), U]]

FIXTURES = {
    "values": ("value", VALUES),
    "binops": ("binop", BINOPS + COMPARE + CONTAINS),
    "unops": ("unop", UNOPS),
    "formats": ("format", FORMATS),
    "methods": ("method", METHODS),
    "tests": ("test", TESTS),
    "tojson": ("tojson", TOJSON),
    "slices": ("slice", SLICES),
    "iters": ("iter", ITERS),
}
