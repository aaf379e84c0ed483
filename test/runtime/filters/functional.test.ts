// map / select / reject / selectattr / rejectattr / attr / default against python3 (expected values
// written by expect.py; jinja2's generators listed).
import { describe } from "vitest";
import { caseTable } from "./harness.ts";

describe("map", () => {
  caseTable("filter", [
    ["map", "['a', 'B'], 'upper'", "['A', 'B']"],
    ["map", "[1, 2], 'string'", "['1', '2']"],
    ["map", "['ab', 'c'], 'replace', 'a', 'x'", "['xb', 'c']"],
    ["map", "['a b c'], 'replace', ' ', '', count=1", "['ab c']"],
    ["map", "[{'u': 'a'}, {'u': 'b'}, {}], attribute='u'", "['a', 'b', Undefined]"],
    ["map", "[{'u': 'a'}, {}], attribute='u', default='anon'", "['a', 'anon']"],
    ["map", "[{'u': 'a'}, {}], attribute='u', default=None", "['a', Undefined]"],
    ["map", "[{'u': {'v': 1}}, {'w': {'v': 2}}], attribute='u.v', default={'v': 9}", "[1, 9]"],
    ["map", "[[1, 2], [3, 4]], attribute=1", "[2, 4]"],
    ["map", "[{'a': 1}], attribute='a', extra=1", "!FilterArgumentError: Unexpected keyword argument 'extra'"],
    ["map", "[1]", "!FilterArgumentError: map requires a filter argument"],
    ["map", "[1], foo=2", "!FilterArgumentError: map requires a filter argument"],
    ["map", "[], 'nosuchfilter'", "[]"],
    ["map", "[1], 'nosuchfilter'", "!TemplateRuntimeError: No filter named 'nosuchfilter'."],
    ["map", "[1], None", "!TemplateRuntimeError: No filter named None."],
    ["map", "[1], U('x')", "!TemplateRuntimeError: No filter named Undefined. ('x' is undefined; did you forget to quote the callable name?)"],
    ["map", "[1], 5", "!TemplateRuntimeError: No filter named 5."],
    ["map", "[1], [1]", "!TypeError: unhashable type: 'list'"],
    ["map", "5, 'string'", "!TypeError: 'int' object is not iterable"],
    ["map", "U('x'), 'string'", "[]"],
    ["map", "{'a': 1}, 'upper'", "['A']"],
    ["map", "[1, 2], 'default', 5", "[1, 2]"],
    ["map", "['a'], 'indent', foo=1", "!TypeError: do_indent() got an unexpected keyword argument 'foo'"],
  ]);
});

describe("select, reject", () => {
  caseTable("filter", [
    ["select", "[1, 2, 3, 4], 'odd'", "[1, 3]"],
    ["reject", "[1, 2, 3, 4], 'odd'", "[2, 4]"],
    ["select", "[0, 1, '', 'a', None, [], [0]]", "[1, 'a', [0]]"],
    ["reject", "[0, 1, '', 'a', None]", "[0, '', None]"],
    ["select", "[3, 6, 7, 9], 'divisibleby', 3", "[3, 6, 9]"],
    ["select", "[1, 5, 9], 'lessthan', 6", "[1, 5]"],
    ["select", "['a', 'b'], 'equalto', 'a'", "['a']"],
    ["select", "['a', 'b'], '==', 'b'", "['b']"],
    ["reject", "['a', 'code_interpreter'], 'equalto', 'code_interpreter'", "['a']"],
    ["reject", "['a', 'b', 'c'], 'in', ['b']", "['a', 'c']"],
    ["select", "[1], 'nosuchtest'", "!TemplateRuntimeError: No test named 'nosuchtest'."],
    ["select", "[1], U('x')", "!TemplateRuntimeError: No test named Undefined. ('x' is undefined; did you forget to quote the callable name?)"],
    ["select", "[1], 5", "!TemplateRuntimeError: No test named 5."],
    ["select", "[], 'nosuchtest'", "[]"],
    ["select", "5, 'odd'", "!TypeError: 'int' object is not iterable"],
    ["select", "U('x'), 'odd'", "[]"],
    ["select", "[1, 2], foo=1", "[1, 2]"],
  ]);
});

describe("selectattr, rejectattr", () => {
  caseTable("filter", [
    ["selectattr", "[{'role': 'system'}, {'role': 'user'}], 'role', 'equalto', 'system'", "[{'role': 'system'}]"],
    ["rejectattr", "[{'role': 'system'}, {'role': 'user'}], 'role', 'equalto', 'system'", "[{'role': 'user'}]"],
    ["selectattr", "[{'a': 1}, {'a': 0}, {}], 'a'", "[{'a': 1}]"],
    ["rejectattr", "[{'a': 1}, {'a': 0}, {}], 'a'", "[{'a': 0}, {}]"],
    ["selectattr", "[{'a': None}, {'a': 1}, {}], 'a', 'none'", "[{'a': None}]"],
    ["selectattr", "[{'a': None}, {'a': 1}, {}], 'a', 'defined'", "[{'a': None}, {'a': 1}]"],
    ["selectattr", "[{'t': {'k': 'x'}}, {'t': {'k': 'y'}}], 't.k', 'eq', 'y'", "[{'t': {'k': 'y'}}]"],
    ["selectattr", "[{'type': 'text'}, {'type': 'image'}], 'type', 'equalto', 'text'", "[{'type': 'text'}]"],
    ["selectattr", "[{'a': 1}]", "!FilterArgumentError: Missing parameter for attribute name"],
    ["selectattr", "[{'a': 'x'}], 'a', 'upper'", "[]"],
    ["rejectattr", "[], 'a', 'nosuchtest'", "[]"],
  ]);
});

describe("attr, default", () => {
  caseTable("filter", [
    ["attr", "{'a': 1}, 'a'", "Undefined"],
    ["attr", "'abc', 'x'", "Undefined"],
    ["attr", "{'a': 1}, '__class__'", "Undefined"],
    ["attr", "U('x'), 'a'", "!UndefinedError: 'x' is undefined"],
    ["attr", "{'a': 1}, 5", "!TypeError: attribute name must be string, not 'int'"],
    ["attr", "{'a': 1}, 'a', 3", "!TypeError: do_attr() takes 3 positional arguments but 4 were given"],
    ["default", "U('x')", "''"],
    ["default", "U('x'), 'd'", "'d'"],
    ["default", "None, 'd'", "None"],
    ["default", "'', 'd'", "''"],
    ["default", "'', 'd', True", "'d'"],
    ["default", "0, 'd', boolean=True", "'d'"],
    ["default", "[], 'd', True", "'d'"],
    ["default", "'x', 'd', True", "'x'"],
    ["d", "U('x'), 5", "5"],
    ["d", "1, 2, 3, 4", "!TypeError: do_default() takes from 1 to 3 positional arguments but 4 were given"],
  ]);
});
