"""Parse templates with Python jinja2 the way transformers configures it and print a normalized AST dump per template.

Input on stdin: JSON {"options": {...}, "templates": [str, ...]}. Output: JSON list of {"dump": str},
{"error": str, "line": int} or {"unsupported": node class}. The dump format is the one test/syntax/jinja2.ts produces from spanja's AST, so the
two can be compared string for string. Used only by tests (skipped when python3 or jinja2 is missing).
"""

import json
import sys

from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment


class Regions(Extension):
    """transformers' generation tag (and spanja's think tag): a call block around the body."""

    tags = {"generation", "think"}

    def parse(self, parser):
        token = next(parser.stream)
        body = parser.parse_statements(("name:end" + token.value,), drop_needle=True)
        call = nodes.Call(nodes.Name("__region_" + token.value, "load"), [], [], None, None)
        return nodes.CallBlock(call, [], [], body).set_lineno(token.lineno)


def fmt_float(v):
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    return "%.16e" % v


def const(v):
    if isinstance(v, bool) or v is None:
        return repr(v)
    if isinstance(v, int):
        return "I:" + str(v)
    if isinstance(v, float):
        return "F:" + fmt_float(v)
    if isinstance(v, str):
        return "S:" + json.dumps(v, ensure_ascii=True)
    raise TypeError(type(v))


BIN = {"Add": "+", "Sub": "-", "Mul": "*", "Div": "/", "FloorDiv": "//", "Mod": "%", "Pow": "**", "And": "and", "Or": "or"}
CMP = {"eq": "==", "ne": "!=", "lt": "<", "lteq": "<=", "gt": ">", "gteq": ">=", "in": "in", "notin": "notin"}
UN = {"Not": "not", "Neg": "-", "Pos": "+"}


def args(n):
    parts = [expr(a) for a in n.args]
    parts += [f"{k.key}={expr(k.value)}" for k in n.kwargs]
    if n.dyn_args is not None:
        parts.append("*" + expr(n.dyn_args))
    if n.dyn_kwargs is not None:
        parts.append("**" + expr(n.dyn_kwargs))
    return "; ".join(parts)


def expr(n):
    if n is None:
        return "_"
    t = type(n).__name__
    if t == "Name":
        return "N:" + n.name
    if t == "NSRef":
        return f"NS:{n.name}.{n.attr}"
    if t == "Const":
        return const(n.value)
    if t in ("List", "Tuple"):
        return f"{t}({', '.join(expr(i) for i in n.items)})"
    if t == "Dict":
        return "Dict(" + ", ".join(f"{expr(p.key)}: {expr(p.value)}" for p in n.items) + ")"
    if t == "Getattr":
        return f"Attr({expr(n.node)}, {n.attr})"
    if t == "Getitem":
        return f"Item({expr(n.node)}, {expr(n.arg)})"
    if t == "Slice":
        return f"Slice({expr(n.start)}, {expr(n.stop)}, {expr(n.step)})"
    if t == "Call":
        return f"Call({expr(n.node)}; {args(n)})"
    if t == "Filter":
        return f"Filter({expr(n.node)}, {n.name}; {args(n)})"
    if t == "Test":
        return f"Test({expr(n.node)}, {n.name}; {args(n)})"
    if t in UN:
        return f"Un({UN[t]}, {expr(n.node)})"
    if t in BIN:
        return f"Bin({BIN[t]}, {expr(n.left)}, {expr(n.right)})"
    if t == "Concat":
        acc = expr(n.nodes[0])
        for x in n.nodes[1:]:
            acc = f"Bin(~, {acc}, {expr(x)})"
        return acc
    if t == "Compare":
        return f"Cmp({expr(n.expr)}; " + "; ".join(f"{CMP[o.op]} {expr(o.expr)}" for o in n.ops) + ")"
    if t == "CondExpr":
        return f"Cond({expr(n.test)}, {expr(n.expr1)}, {expr(n.expr2)})"
    raise TypeError(t)


def params(n):
    out = []
    offset = len(n.args) - len(n.defaults)
    for i, a in enumerate(n.args):
        d = n.defaults[i - offset] if i >= offset else None
        out.append("P:" + a.name + ("" if d is None else "=" + expr(d)))
    return "[" + ", ".join(out) + "]"


def body(stmts):
    out = []
    text = None
    for s in stmts:
        if isinstance(s, nodes.Output):
            for x in s.nodes:
                if isinstance(x, nodes.TemplateData):
                    text = (text or "") + x.data
                    continue
                if text is not None:
                    out.append("T:" + json.dumps(text, ensure_ascii=True))
                    text = None
                out.append(f"O({expr(x)})")
            continue
        if text is not None:
            out.append("T:" + json.dumps(text, ensure_ascii=True))
            text = None
        out.append(stmt(s))
    if text is not None:
        out.append("T:" + json.dumps(text, ensure_ascii=True))
    return "[" + ", ".join(out) + "]"


def stmt(n):
    t = type(n).__name__
    if t == "If":
        orelse = n.else_
        for e in reversed(n.elif_):
            e.else_ = orelse
            e.elif_ = []
            orelse = [e]
        return f"If({expr(n.test)}, {body(n.body)}, {body(orelse)})"
    if t == "For":
        return f"For({expr(n.target)}, {expr(n.iter)}, {expr(n.test)}, {n.recursive}, {body(n.body)}, {body(n.else_)})"
    if t == "Assign":
        return f"Set({expr(n.target)}, {expr(n.node)})"
    if t == "AssignBlock":
        return f"SetBlock({expr(n.target)}, {expr(n.filter)}, {body(n.body)})"
    if t == "Macro":
        return f"Macro({n.name}, {params(n)}, {body(n.body)})"
    if t == "CallBlock":
        callee = n.call.node
        if isinstance(callee, nodes.Name) and callee.name.startswith("__region_"):
            return f"Region({callee.name[9:]}, {body(n.body)})"
        return f"CallBlock({expr(n.call)}, {params(n)}, {body(n.body)})"
    if t == "FilterBlock":
        return f"FilterBlock({expr(n.filter)}, {body(n.body)})"
    if t == "With":
        return f"With([{', '.join(expr(x) for x in n.targets)}], [{', '.join(expr(x) for x in n.values)}], {body(n.body)})"
    if t in ("Break", "Continue"):
        return t
    if t in ("Include", "Extends", "Import", "FromImport", "Block", "Scope"):
        raise Unsupported(t)
    raise TypeError(t)


class Unsupported(Exception):
    """A node spanja rejects on purpose (template loading, inheritance, autoescape)."""


def main():
    req = json.load(sys.stdin)
    o = req["options"]
    exts = ["jinja2.ext.loopcontrols"] if o.get("loopControls", True) else []
    if o.get("regionTags", False):
        exts.append(Regions)
    env = ImmutableSandboxedEnvironment(trim_blocks=o.get("trimBlocks", True), lstrip_blocks=o.get("lstripBlocks", True), extensions=exts)
    out = []
    for src in req["templates"]:
        try:
            ast = env.parse(src)
            dump = body(ast.body)
            try:
                # Python's own compile errors ('break' outside loop) appear only when generating code.
                env.compile(src)
            except SyntaxError as e:
                if not isinstance(e, TemplateSyntaxError):
                    out.append({"error": e.msg, "line": None})
                    continue
            except Exception:
                # Unknown filter or test, constant folding: the compiler's business. Python's own compile step did
                # not run, so a compile-time error (duplicate keyword, 'break' outside loop) stays unknown.
                out.append({"dump": dump, "compiled": False})
                continue
            out.append({"dump": dump})
        except TemplateSyntaxError as e:
            out.append({"error": e.message, "line": e.lineno})
        except Unsupported as e:
            out.append({"unsupported": str(e)})
        except RecursionError:
            out.append({"error": "RecursionError", "line": None})
    json.dump(out, sys.stdout)


main()
