// tojson (transformers' json.dumps replacement), pprint and wordwrap against python3 (expected values
// written by expect.py).
import { describe } from "vitest";
import { caseTable } from "./harness.ts";

describe("tojson", () => {
  caseTable("filter", [
    ["tojson", "{'a': [1, 2.0, 'é', None, True], 'b': {'c': '<>&\\''}}", "'{\"a\": [1, 2.0, \"é\", null, true], \"b\": {\"c\": \"<>&\\'\"}}'"],
    ["tojson", "{'a': [1, {'b': 2}]}, indent=2", "'{\\n  \"a\": [\\n    1,\\n    {\\n      \"b\": 2\\n    }\\n  ]\\n}'"],
    ["tojson", "{'a': 1}, indent='\\t'", "'{\\n\\t\"a\": 1\\n}'"],
    ["tojson", "[1, 2], indent=0", "'[\\n1,\\n2\\n]'"],
    ["tojson", "{'b': 1, 'a': 2}, sort_keys=True", "'{\"a\": 2, \"b\": 1}'"],
    ["tojson", "{'a': 1, 'b': [1, 2]}, separators=(',', ':')", "'{\"a\":1,\"b\":[1,2]}'"],
    ["tojson", "'é😀', ensure_ascii=True", "'\"\\\\u00e9\\\\ud83d\\\\ude00\"'"],
    ["tojson", "[1e-05, 1e16, 0.1, nan, inf]", "'[1e-05, 1e+16, 0.1, NaN, Infinity]'"],
    ["tojson", "M({1: 'a', False: 'b', None: 'c', 2.5: 'd'})", "'{\"1\": \"a\", \"false\": \"b\", \"null\": \"c\", \"2.5\": \"d\"}'"],
    ["tojson", "(1, 2)", "'[1, 2]'"],
    ["tojson", "U('x')", "!TypeError: Object of type Undefined is not JSON serializable"],
    ["tojson", "{'a': 1}, foo=1", "!TypeError: tojson() got an unexpected keyword argument 'foo'"],
    ["tojson", "{'a': 1}, 2, 3", "'{\\n   \"a\": 1\\n}'"],
    ["tojson", "'a', 1, 2, 3, 4, 5", "!TypeError: tojson() takes from 1 to 5 positional arguments but 6 were given"],
  ]);
});

describe("pprint", () => {
  caseTable("filter", [
    ["pprint", "{'b': 1, 'a': [1, 2]}", "\"{'a': [1, 2], 'b': 1}\""],
    ["pprint", "'text'", "\"'text'\""],
    ["pprint", "None", "'None'"],
    ["pprint", "U('x')", "'Undefined'"],
    ["pprint", "[{'role': 'user', 'content': 'Hello there, this is a fairly long message for wrapping'}, {'role': 'assistant', 'content': 'Hi!'}]", "\"[{'content': 'Hello there, this is a fairly long message for wrapping',\\n  'role': 'user'},\\n {'content': 'Hi!', 'role': 'assistant'}]\""],
    ["pprint", "{'key': 'a very long string value that goes on and on and on and on and on and on and on and on forever and ever'}", "\"{'key': 'a very long string value that goes on and on and on and on and on and '\\n        'on and on and on forever and ever'}\""],
    ["pprint", "'a very long string value that goes on and on and on and on and on and on and on and on forever and ever\\nsecond line'", "\"('a very long string value that goes on and on and on and on and on and on and '\\n 'on and on forever and ever\\\\n'\\n 'second line')\""],
    ["pprint", "([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29],)", "'([0,\\n  1,\\n  2,\\n  3,\\n  4,\\n  5,\\n  6,\\n  7,\\n  8,\\n  9,\\n  10,\\n  11,\\n  12,\\n  13,\\n  14,\\n  15,\\n  16,\\n  17,\\n  18,\\n  19,\\n  20,\\n  21,\\n  22,\\n  23,\\n  24,\\n  25,\\n  26,\\n  27,\\n  28,\\n  29],)'"],
    ["pprint", "{'z': {'y': {'x': ['aaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbbb', 'cccccccccccccccccccccc', 'dddd']}}}", "\"{'z': {'y': {'x': ['aaaaaaaaaaaaaaaaaaaa',\\n                   'bbbbbbbbbbbbbbbbbbbbbbbbb',\\n                   'cccccccccccccccccccccc',\\n                   'dddd']}}}\""],
    ["pprint", "M({2: 'b', 1: 'a'})", "\"{1: 'a', 2: 'b'}\""],
  ]);
});

describe("wordwrap", () => {
  caseTable("filter", [
    ["wordwrap", "'The quick brown fox jumps over the lazy dog', 10", "'The quick\\nbrown fox\\njumps over\\nthe lazy\\ndog'"],
    ["wordwrap", "'The quick brown fox jumps over the lazy dog', 10, wrapstring='<br>'", "'The quick<br>brown fox<br>jumps over<br>the lazy<br>dog'"],
    ["wordwrap", "'supercalifragilisticexpialidocious word', 10", "'supercalif\\nragilistic\\nexpialidoc\\nious word'"],
    ["wordwrap", "'supercalifragilisticexpialidocious word', 10, False", "'supercalifragilisticexpialidocious\\nword'"],
    ["wordwrap", "'a well-known mother-in-law re-entered', 8", "'a well-\\nknown\\nmother-\\nin-law\\nre-\\nentered'"],
    ["wordwrap", "'a well-known mother-in-law re-entered', 8, break_on_hyphens=False", "'a well-k\\nnown mot\\nher-in-l\\naw re-en\\ntered'"],
    ["wordwrap", "'first paragraph here\\n\\nsecond one  with   spaces', 12", "'first\\nparagraph\\nhere\\n\\nsecond one\\nwith\\nspaces'"],
    ["wordwrap", "'  leading spaces and trailing  ', 10", "'  leading\\nspaces and\\ntrailing'"],
    ["wordwrap", "'em--dash between--words and ---', 9", "'em--dash\\nbetween--\\nwords and\\n---'"],
    ["wordwrap", "'tab\\tseparated\\twords', 8", "'tab\\tsepa\\nrated\\nwords'"],
    ["wordwrap", "'😀😀😀😀😀 😀😀', 3", "'😀😀😀\\n😀😀\\n😀😀'"],
    ["wordwrap", "'aaaa-bbbb-cccc', 6", "'aaaa-\\nbbbb-\\ncccc'"],
    ["wordwrap", "'x', 0", "!ValueError: invalid width 0 (must be > 0)"],
    ["wordwrap", "'', 0", "''"],
    ["wordwrap", "5", "!AttributeError: 'int' object has no attribute 'splitlines'"],
    ["wordwrap", "U('x')", "!UndefinedError: 'x' is undefined"],
    ["wordwrap", "'a b', 'x'", "!TypeError: '<=' not supported between instances of 'str' and 'int'"],
    ["wordwrap", "'a\\r\\nb c', 79", "'a\\nb c'"],
  ]);
});
