"""Fills the expected column of the filter / global case tables from python3 (run by hand).

    python3 test/runtime/filters/expect.py test/runtime/filters/*.test.ts test/runtime/globals.test.ts

Each row `["name", "python args", "expected"]` inside `caseTable("filter", ...)` or
`caseTable("global", ...)` is evaluated with jinja2 configured as transformers configures it
(ImmutableSandboxedEnvironment, trim/lstrip blocks, loopcontrols, transformers' tojson,
raise_exception, strftime_now with the clock pinned to 2026-01-05 09:07:03.123000) and its third
column rewritten: Python's repr of the result (generators and iterators listed), or
`!ExceptionType: message`. Rows whose value changed are printed; review the diff before committing.
"""

import json
import re
import sys
from collections.abc import Iterator
from datetime import datetime

import jinja2
import jinja2.ext
from jinja2.runtime import Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

NOW = datetime(2026, 1, 5, 9, 7, 3, 123000)


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return NOW.strftime(format)


ENV = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
ENV.filters["tojson"] = tojson
ENV.globals["raise_exception"] = raise_exception
ENV.globals["strftime_now"] = strftime_now
CONTEXT = ENV.from_string("").new_context({})

NAMES = {
    "U": lambda name=None: Undefined(name=name),
    "M": lambda d: d,
    "inf": float("inf"),
    "nan": float("nan"),
    "_collect": lambda *a, **k: (a, k),
}


def deep(v):
    """Generators become lists, at any depth (Markup stays Markup: spanja has it too)."""
    if isinstance(v, (Iterator, range)):
        v = list(v)
    if isinstance(v, list):
        return [deep(x) for x in v]
    if isinstance(v, tuple) and type(v) is tuple:
        return tuple(deep(x) for x in v)
    if isinstance(v, dict):
        return {deep(k): deep(x) for k, x in v.items()}
    return v


def run(kind, name, src):
    args, kwargs = eval(f"_collect({src})", dict(NAMES))
    try:
        if kind == "filter":
            result = ENV.call_filter(name, args[0], args[1:], kwargs, context=CONTEXT)
        else:
            result = ENV.globals[name](*args, **kwargs)
        return repr(deep(result))
    except Exception as e:  # noqa: BLE001 - every failure is an expectation
        return f"!{type(e).__name__}: {e}"


STR = r'"(?:[^"\\]|\\.)*"'
ROW = re.compile(rf'^(\s*\[\s*)({STR})(\s*,\s*)({STR})(\s*,\s*)({STR})(\s*\],?.*)$')
TABLE = re.compile(r'caseTable\("(filter|global)"')


def main(paths):
    for path in paths:
        lines = open(path, encoding="utf-8").read().split("\n")
        kind = None
        changed = 0
        for i, line in enumerate(lines):
            t = TABLE.search(line)
            if t:
                kind = t.group(1)
            m = ROW.match(line)
            if not m or kind is None:
                continue
            name, src, old = json.loads(m.group(2)), json.loads(m.group(4)), json.loads(m.group(6))
            new = run(kind, name, src)
            if new != old:
                changed += 1
                print(f"{path}:{i + 1}: {name}({src}): {old!r} -> {new!r}")
                lines[i] = "".join([m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), json.dumps(new, ensure_ascii=False), m.group(7)])
        if changed:
            open(path, "w", encoding="utf-8").write("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
