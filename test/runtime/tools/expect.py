# Writes test/runtime/fixtures/*.json: runtime cases with the answers Python gives, in the environment
# transformers renders with (jinja2 ImmutableSandboxedEnvironment, transformers' tojson).
# Run: python3 test/runtime/tools/expect.py [--out DIR]   (the JSON records the Python and jinja2 versions used)
# The output is deterministic (object addresses normalized, hash seed fixed): test/runtime/goldens.test.ts
# regenerates into a temporary folder and requires byte-identical files.
#
# Values travel as tagged JSON (see test/runtime/pyvalues.ts): null/bool/str/list as themselves, ints as
# JSON ints, non-integral floats as JSON numbers, {"f": repr} for other floats, {"t": [..]} tuple,
# {"d": [[k, v], ..]} template-built dict, {"o": {..}} caller dict, {"u": name} Undefined,
# {"ns": [[k, v], ..]} namespace, {"dv": kind, "d": [..]} dict view.
import json
import math
import operator
import os
import re
import sys

import jinja2
from jinja2.runtime import Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

sys.path.insert(0, os.path.dirname(__file__))
import cases  # noqa: E402
from cases import Obj, View  # noqa: E402

ENV = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    # transformers.utils.chat_template_utils: the tojson filter it installs
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


ENV.filters["tojson"] = tojson
OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures")
# CPython prints object addresses (`<built-in method upper of str object at 0x7f…>`); spanja prints this one
ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def stable(text):
    return ADDRESS.sub(" at 0x000000000000>", text)


def enc(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if math.isfinite(v) and v != int(v):
            return v
        return {"f": repr(v)}
    if isinstance(v, list):
        return [enc(x) for x in v]
    if isinstance(v, tuple):
        return {"t": [enc(x) for x in v]}
    if isinstance(v, Obj):
        return {"o": {k: enc(x) for k, x in v.items()}}
    if isinstance(v, dict):
        return {"d": [[enc(k), enc(x)] for k, x in v.items()]}
    if isinstance(v, Undefined):
        return {"u": v._undefined_name}
    if isinstance(v, Namespace):
        return {"ns": [[k, enc(x)] for k, x in v._Namespace__attrs.items()]}
    if isinstance(v, View):
        return {"dv": v.kind, "d": [[enc(k), enc(x)] for k, x in v.d.items()]}
    raise TypeError(f"cannot encode {v!r}")


def real(v):
    """The Python value a case argument stands for (dict views are built from their dict)."""
    if isinstance(v, View):
        return v.value()
    if isinstance(v, list):
        return [real(x) for x in v]
    if isinstance(v, tuple):
        return tuple(real(x) for x in v)
    return v


def outcome(f):
    try:
        r = f()
    except Exception as e:  # noqa: BLE001 - every Python error is an expected answer
        msg = str(e) if not isinstance(e, KeyError) else str(e)
        return {"error": type(e).__name__, "message": stable(msg)}
    return {"repr": stable(repr(r)), "str": stable(str(r)) if not isinstance(r, Undefined) else ""}


def binop(op, a, b):
    if op == "~":
        return str(a) + str(b)
    ops = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "//": operator.floordiv,
           "%": operator.mod, "**": operator.pow, "==": operator.eq, "!=": operator.ne, "<": operator.lt,
           "<=": operator.le, ">": operator.gt, ">=": operator.ge, "in": lambda x, y: x in y}
    return ops[op](a, b)


def unop(op, a):
    return {"-": operator.neg, "+": operator.pos, "not": operator.not_}[op](a)


def method(obj, name, args, kwargs):
    return ENV.getattr(obj, name)(*args, **kwargs)


def run(kind, c):
    if kind == "value":
        v = real(c["v"])
        return {"v": enc(c["v"]), "str": str(v), "repr": repr(v)}
    if kind == "binop":
        return {"op": c["op"], "a": enc(c["a"]), "b": enc(c["b"]), **outcome(lambda: binop(c["op"], real(c["a"]), real(c["b"])))}
    if kind == "unop":
        return {"op": c["op"], "a": enc(c["a"]), **outcome(lambda: unop(c["op"], real(c["a"])))}
    if kind == "method":
        args, kwargs = c.get("args", []), c.get("kwargs", {})
        return {"obj": enc(c["obj"]), "name": c["name"], "args": enc(list(args)), "kwargs": {k: enc(v) for k, v in kwargs.items()},
                **outcome(lambda: method(real(c["obj"]), c["name"], real(list(args)), {k: real(v) for k, v in kwargs.items()}))}
    if kind == "format":
        return {"v": enc(c["v"]), "spec": c["spec"], **outcome(lambda: format(real(c["v"]), c["spec"]))}
    if kind == "test":
        args = c.get("args", [])
        return {"name": c["name"], "v": enc(c["v"]), "args": enc(list(args)),
                **outcome(lambda: ENV.call_test(c["name"], real(c["v"]), real(list(args))))}
    if kind == "tojson":
        kw = c.get("kwargs", {})
        return {"v": enc(c["v"]), "kwargs": {k: enc(v) for k, v in kw.items()}, **outcome(lambda: tojson(real(c["v"]), **kw))}
    if kind == "slice":
        return {"v": enc(c["v"]), "start": enc(c["start"]), "stop": enc(c["stop"]), "step": enc(c["step"]),
                **outcome(lambda: real(c["v"])[c["start"]:c["stop"]:c["step"]])}
    if kind == "iter":
        v = real(c["v"])
        return {"v": enc(c["v"]), "list": outcome(lambda: list(v)), "len": outcome(lambda: len(v))}
    if kind == "template":
        ctx = {k: real(v) for k, v in c.get("ctx", {}).items()}
        return {"template": c["template"], "ctx": {k: enc(v) for k, v in c.get("ctx", {}).items()},
                **outcome(lambda: ENV.from_string(c["template"]).render(**ctx))}
    raise ValueError(kind)


def main():
    # set and dict-of-str orders depend on the hash seed: fix it, so two runs write the same bytes
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    out = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else OUT
    os.makedirs(out, exist_ok=True)
    versions = {"python": sys.version.split()[0], "jinja2": jinja2.__version__}
    for name, (kind, items) in cases.FIXTURES.items():
        head = {"generated_by": "test/runtime/tools/expect.py", **versions, "kind": kind}
        rows = ",\n  ".join(json.dumps(run(kind, c), ensure_ascii=True) for c in items)
        with open(os.path.join(out, f"{name}.json"), "w", encoding="utf-8") as f:
            # one case per line, so a diff shows which answers changed
            f.write(json.dumps(head)[:-1] + ', "cases": [\n  ' + rows + "\n]}\n")
        print(f"{name}: {len(items)} cases")


if __name__ == "__main__":
    main()
