"""Inferred spans, the independent reference: README.md "Inferred spans: masks for a template without tags"
implemented on instrumented jinja2 (env.py's environment). spanja's src/ is never read or imported.

How it works:
- The caller's `messages` is wrapped in `MessageList`, a `list` subclass that only adds `indices` (the
  message index of each item) and returns another MessageList for a slice (`x[a:b:c]` is a plain Python
  subscript in jinja2's generated code, so slices of slices compose). Everything else is `list`: the
  immutable sandbox refuses its mutating methods (it checks `MutableSequence`), `tojson`, `str`, `length`,
  iteration and every filter behave as on a list, and a filter's result is never a view.
- The template is parsed with jinja2 and its AST edited, never its source: every `for` gets its iterable
  wrapped in `spanja_iter_(loop id, iterable)` (pushes a per-execution record), a first body statement that
  prints `spanja_mark_(loop id, target)` (a start marker holding the execution id and the message index of
  the item, found by identity in the view) and, after the loop (after its `else` block), a statement that
  prints `spanja_end_(loop id)` (an end marker). Markers are output text made of noncharacters and
  plane-15 private-use characters, so they travel through macros, `caller()`, `{% set %}` and
  `{% filter %}` blocks and land where that output lands.
- Output that a filter, a method call, a subscript, a slice or an operator other than `+`/`~` takes as a
  value loses its markers (the value is given the text without them, so the template computes the same
  thing); its non-empty iterations are remembered in a "lost" marker put in front of a string result: when
  that lands in the final text those iterations count as rendering output without a range (README: the
  range is lost; the message then has no region). Comparisons, tests, `if` conditions, `not` and loop
  iterables see the text without markers; `and`/`or` test the text without markers and return the
  operand as it is.
- Reads of `add_generation_prompt` are wrapped, and a read-point marker is printed just before the
  statement that reads it (a macro's defaults: at the start of its body), so a read has a position in the
  final text.
- The final text is split into its markers and the text without them (positions in code points). If that
  text differs from the uninstrumented render, the markers changed what the template did: the case is
  recorded as "interfered", without spans.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable

import jinja2
import jinja2.nodes as nodes
from jinja2.runtime import Macro
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from env import error_record, make_environment

#: (opening marker, closing marker, the closing marker takes the whitespace after it)
DEFAULT_PAIRS: list[tuple[str, str, bool]] = [
    ("<think>", "</think>", True),
    ("<|channel|>analysis<|message|>", "<|end|>", False),
]

FAIL_KINDS = ("no-message-loop", "no-region", "prompt-render-failed", "content-elsewhere")

# ---------------------------------------------------------------------------------------------
# Message views


class MessageList(list):
    """A message view: a list whose item i is message `indices[i]` of the caller's list."""

    __slots__ = ("indices",)

    def __init__(self, items: Any, indices: list[int]) -> None:
        list.__init__(self, items)
        self.indices = indices

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return MessageList(list.__getitem__(self, key), self.indices[key])
        return list.__getitem__(self, key)


def root_view(messages: list[Any]) -> MessageList:
    return MessageList(messages, list(range(len(messages))))


# ---------------------------------------------------------------------------------------------
# Markers: a kind character, numbers as three plane-15 private-use characters each, U+FDD1.

_START, _CLOSE, _END, _LOST, _READ = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3", "\ufdd4"
_DIGIT0 = 0xF0000
_MARKER = re.compile("([\ufdd0\ufdd2\ufdd3\ufdd4])([\U000F0000-\U000F0FFF]+)\ufdd1")
#: Characters that must not occur in a render (inputs containing them cannot be instrumented).
RESERVED = re.compile("[\ufdd0-\ufdd4\U000F0000-\U000F0FFF]")


def _num(n: int) -> str:
    return chr(_DIGIT0 + ((n >> 24) & 0xFFF)) + chr(_DIGIT0 + ((n >> 12) & 0xFFF)) + chr(_DIGIT0 + (n & 0xFFF))


def _nums(s: str) -> list[int]:
    return [((ord(s[i]) - _DIGIT0) << 24) | ((ord(s[i + 1]) - _DIGIT0) << 12) | (ord(s[i + 2]) - _DIGIT0) for i in range(0, len(s), 3)]


class Parsed:
    """A text with markers, split: the clean text and what the markers say, in clean-text positions."""

    def __init__(self, marked: str, lost_records: list["LostRecord"], reads: set[int]) -> None:
        pieces: list[str] = []
        pos = 0
        last = 0
        #: landed iteration occurrences: (execution, message index, start, end)
        self.iterations: list[tuple[int, int, int, int]] = []
        #: message indices of non-empty iterations whose range was lost (one entry per occurrence)
        self.lost_iterations: list[int] = []
        self.ends: list[int] = []
        self.read_positions: list[int] = []
        #: ids of the reads whose read point is in this text (directly or inside a lost marker)
        self.read_ids: set[int] = set()
        open_: dict[int, tuple[int, int]] = {}
        order: list[int] = []
        for m in _MARKER.finditer(marked):
            pieces.append(marked[last : m.start()])
            pos += m.start() - last
            last = m.end()
            kind, values = m.group(1), _nums(m.group(2))
            if kind == _START:
                e, idx = values
                if e in open_:
                    i, s = open_.pop(e)
                    self.iterations.append((e, i, s, pos))
                open_[e] = (idx, pos)
                order.append(e)
            elif kind == _END:
                (e,) = values
                if e in open_:
                    i, s = open_.pop(e)
                    self.iterations.append((e, i, s, pos))
                self.ends.append(pos)
            elif kind == _READ:
                if values[0] in reads:
                    self.read_positions.append(pos)
                    self.read_ids.add(values[0])
            else:  # _LOST
                record = lost_records[values[0]]
                self.lost_iterations.extend(record.iterations)
                if record.reads:
                    self.read_positions.append(pos)
                    self.read_ids |= record.reads
        pieces.append(marked[last:])
        pos += len(marked) - last
        self.text = "".join(pieces)
        # An execution whose end marker is not in this text (only possible in a captured string that
        # is consumed as a value): its open iteration runs to the end of the text.
        for e in order:
            if e in open_:
                i, s = open_.pop(e)
                self.iterations.append((e, i, s, pos))

    def nonempty(self) -> list[tuple[int, int, int, int]]:
        return [it for it in self.iterations if it[3] > it[2]]

    def has_loop_output(self) -> bool:
        return bool(self.nonempty()) or bool(self.lost_iterations)

    def region(self, k: int) -> tuple[int, int] | None:
        landed = [(s, t) for (_, i, s, t) in self.nonempty() if i == k]
        lost = self.lost_iterations.count(k)
        if len(landed) == 1 and lost == 0:
            return landed[0]
        return None

    def loop_end(self) -> int | None:
        return max(self.ends) if self.ends else None


class LostRecord:
    """What a consumed marked string held: its non-empty iterations (by message index) and the reads of
    add_generation_prompt whose read points were inside."""

    def __init__(self, iterations: list[int], reads: set[int]) -> None:
        self.iterations = iterations
        self.reads = reads


# ---------------------------------------------------------------------------------------------
# The AST edit

AGP = "add_generation_prompt"


def _call(name: str, args: list[nodes.Expr], lineno: int) -> nodes.Call:
    return nodes.Call(nodes.Name(name, "load"), args, [], None, None).set_lineno(lineno)


def _output(name: str, args: list[nodes.Expr], lineno: int) -> nodes.Output:
    return nodes.Output([_call(name, args, lineno)]).set_lineno(lineno)


class _ReadWrapper(NodeTransformer):
    """Wraps every load of add_generation_prompt in spanja_agp_(read point, value)."""

    def __init__(self, point: int) -> None:
        self.point = point
        self.found = False

    def visit_Name(self, node: nodes.Name) -> nodes.Node:
        if node.name == AGP and node.ctx == "load":
            self.found = True
            return _call("spanja_agp_", [nodes.Const(self.point), node], node.lineno or 1)
        return node


class _ValueWrapper(NodeTransformer):
    """Where a value is inspected rather than printed, the template sees it without markers.

    An expression jinja2 folds to a constant at compile time (its optimizer; a constant slice then goes
    through environment.getitem, not a subscript) holds no markers and is left as it is."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.eval_ctx = nodes.EvalContext(env)

    def visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        if isinstance(node, nodes.Expr) and not isinstance(node, nodes.Const):
            try:
                node.as_const(self.eval_ctx)
                return node
            except Exception:  # noqa: BLE001 - Impossible, or an error that keeps it for run time
                pass
        return super().visit(node, *args, **kwargs)

    def _val(self, node: nodes.Expr) -> nodes.Expr:
        return _call("spanja_val_", [node], node.lineno or 1)

    def visit_If(self, node: nodes.If) -> nodes.Node:
        self.generic_visit(node)
        node.test = self._val(node.test)
        return node

    def visit_CondExpr(self, node: nodes.CondExpr) -> nodes.Node:
        self.generic_visit(node)
        node.test = self._val(node.test)
        return node

    def _truth(self, node: nodes.Expr) -> nodes.Expr:
        return _call("spanja_truth_", [node], node.lineno or 1)

    def visit_And(self, node: nodes.And) -> nodes.Node:
        self.generic_visit(node)
        node.left = self._truth(node.left)
        node.right = self._truth(node.right)
        return node

    visit_Or = visit_And

    def visit_Not(self, node: nodes.Not) -> nodes.Node:
        self.generic_visit(node)
        node.node = self._val(node.node)
        return node

    def visit_Compare(self, node: nodes.Compare) -> nodes.Node:
        self.generic_visit(node)
        node.expr = self._val(node.expr)
        for op in node.ops:
            op.expr = self._val(op.expr)
        return node

    def visit_Getitem(self, node: nodes.Getitem) -> nodes.Node:
        self.generic_visit(node)
        if isinstance(node.arg, nodes.Slice):
            sl = node.arg
            parts = [p if p is not None else nodes.Const(None) for p in (sl.start, sl.stop, sl.step)]
            return _call("spanja_slice_", [node.node, *parts], node.lineno or 1)
        return node


class _Instrumenter:
    def __init__(self) -> None:
        self.loops = 0
        self.points = 0

    def _reads(self, exprs: list[tuple[Any, str]]) -> int | None:
        """Wraps the reads in the given (owner, field) expression slots; returns the read point or None."""
        wrapper = _ReadWrapper(self.points)
        for owner, field in exprs:
            value = getattr(owner, field)
            if isinstance(value, list):
                setattr(owner, field, [wrapper.visit(v) if isinstance(v, nodes.Node) else v for v in value])
            elif isinstance(value, nodes.Node):
                setattr(owner, field, wrapper.visit(value))
        if not wrapper.found:
            return None
        self.points += 1
        return wrapper.point

    def body(self, stmts: list[nodes.Node]) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for st in stmts:
            line = st.lineno or 1
            if isinstance(st, nodes.Output):
                if any(n.name == AGP and n.ctx == "load" for n in st.find_all(nodes.Name)):
                    for child in st.nodes:
                        holder = nodes.Output([child]).set_lineno(line)
                        point = self._reads([(holder, "nodes")])
                        if point is not None:
                            out.append(_output("spanja_rp_", [nodes.Const(point)], line))
                        out.append(holder)
                else:
                    out.append(st)
                continue
            own: list[tuple[Any, str]] = []
            inner: list[tuple[Any, str]] = []  # expressions evaluated at the start of a body
            for field, value in st.iter_fields():
                if field in ("body", "else_", "elif_"):
                    continue
                if isinstance(st, (nodes.Macro, nodes.CallBlock)) and field == "defaults":
                    inner.append((st, field))
                    continue
                own.append((st, field))
            if isinstance(st, nodes.If):
                own.extend((e, "test") for e in st.elif_)
            point = self._reads(own)
            if point is not None:
                out.append(_output("spanja_rp_", [nodes.Const(point)], line))
            inner_point = self._reads(inner) if inner else None
            for field in ("body", "else_"):
                if isinstance(getattr(st, field, None), list):
                    setattr(st, field, self.body(getattr(st, field)))
            if isinstance(st, nodes.If):
                for e in st.elif_:
                    e.body = self.body(e.body)
                    e.else_ = self.body(e.else_)
            if inner_point is not None:
                st.body.insert(0, _output("spanja_rp_", [nodes.Const(inner_point)], line))
            if isinstance(st, nodes.For):
                lid = self.loops
                self.loops += 1
                st.iter = _call("spanja_iter_", [nodes.Const(lid), st.iter], line)
                target = nodes.Name(st.target.name, "load") if isinstance(st.target, nodes.Name) else nodes.Const(None)
                st.body.insert(0, _output("spanja_mark_", [nodes.Const(lid), target.set_lineno(line)], line))
                out.append(st)
                out.append(_output("spanja_end_", [nodes.Const(lid)], line))
                continue
            out.append(st)
        return out


def instrument(tree: nodes.Template, env: jinja2.Environment) -> nodes.Template:
    tree.body = _Instrumenter().body(tree.body)
    _ValueWrapper(env).visit(tree)
    return tree


# ---------------------------------------------------------------------------------------------
# The instrumented environment


class _Truth(str):
    """A marked string whose truth value is that of its text without markers."""

    def __new__(cls, value: str, truth: bool) -> "_Truth":
        obj = super().__new__(cls, value)
        obj._truth = truth  # type: ignore[attr-defined]
        return obj

    def __bool__(self) -> bool:
        return self._truth  # type: ignore[attr-defined,no-any-return]


class _Render:
    """Per-render state of the instrumentation."""

    def __init__(self) -> None:
        self.stacks: dict[int, list[list[Any] | None]] = {}
        self.executions = 0
        self.points: dict[int, int] = {}
        self.next_point = 0
        self.reads: set[int] = set()
        self.unplaced_read = False
        self.lost: list[LostRecord] = []


class Instrumented:
    """An environment like env.make_environment()'s, with the hooks above."""

    def __init__(self, plain: jinja2.Environment) -> None:
        env = make_environment(
            trim_blocks=plain.trim_blocks,
            lstrip_blocks=plain.lstrip_blocks,
            keep_trailing_newline=plain.keep_trailing_newline,
        )
        env.globals["strftime_now"] = plain.globals["strftime_now"]
        self.env = env
        self.state = _Render()
        for name, f in list(env.filters.items()):
            env.filters[name] = self._wrap(f, tag=True)
        for name, f in list(env.tests.items()):
            env.tests[name] = self._wrap(f, tag=False)
        env.intercepted_binops = frozenset({"-", "*", "/", "//", "%", "**"})  # type: ignore[misc]
        env.call = self._env_call  # type: ignore[method-assign]
        env.getattr = self._env_getattr  # type: ignore[method-assign]
        env.getitem = self._env_getitem  # type: ignore[method-assign]
        env.call_binop = self._env_call_binop  # type: ignore[method-assign]
        names = ("iter", "mark", "end", "rp", "agp", "val", "truth", "slice")
        for name in names:
            env.globals[f"spanja_{name}_"] = getattr(self, f"_g_{name}")
        self._internal = {id(env.globals[f"spanja_{n}_"]) for n in names}

    # -- values with markers

    def consume(self, s: str) -> tuple[str, int | None]:
        """The text of a marked string without markers, and a lost record for what it held (or None)."""
        if _CLOSE not in s:
            return s, None
        p = Parsed(s, self.state.lost, self.state.reads)
        iterations = [i for (_, i, a, b) in p.iterations if b > a] + p.lost_iterations
        if not iterations and not p.read_ids:
            return p.text, None
        self.state.lost.append(LostRecord(iterations, p.read_ids))
        return p.text, len(self.state.lost) - 1

    def deep(self, v: Any, lost: list[int]) -> Any:
        if isinstance(v, str):
            if _CLOSE not in v:
                return v
            clean, lid = self.consume(v)
            if lid is not None:
                lost.append(lid)
            return type(v)(clean) if type(v) is not str else clean
        if isinstance(v, (list, tuple)):
            items = [self.deep(x, lost) for x in v]
            if all(a is b for a, b in zip(items, v)):
                return v
            return type(v)(items) if type(v) in (list, tuple) else list(items)
        if isinstance(v, dict):
            changed = False
            out = {}
            for k, x in v.items():
                y = self.deep(x, lost)
                changed = changed or y is not x
                out[k] = y
            return out if changed else v
        return v

    def tag(self, rv: Any, lost: list[int]) -> Any:
        """Puts a lost marker in front of a string result (or of each string of a list or tuple result)."""
        if not lost:
            return rv
        if type(rv) in (list, tuple):
            return type(rv)(self.tag(x, lost) if isinstance(x, str) else x for x in rv)
        if not isinstance(rv, str):
            return rv
        if len(lost) == 1:
            lid = lost[0]
        else:
            records = [self.state.lost[i] for i in lost]
            self.state.lost.append(LostRecord([i for r in records for i in r.iterations], set().union(*(r.reads for r in records))))
            lid = len(self.state.lost) - 1
        marker = _LOST + _num(lid) + _CLOSE
        return rv.__class__(marker) + rv if type(rv) is not str else marker + rv

    def _wrap(self, f: Callable[..., Any], tag: bool) -> Callable[..., Any]:
        @functools.wraps(f)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            lost: list[int] = []
            args = tuple(self.deep(a, lost) for a in args)
            kwargs = {k: self.deep(v, lost) for k, v in kwargs.items()}
            rv = f(*args, **kwargs)
            if isinstance(rv, MessageList):
                rv = list(rv)  # a filter's result is not a view
            return self.tag(rv, lost) if tag else rv

        return wrapped

    def _tagging(self, f: Any, lid: int | None) -> Any:
        if lid is None or not callable(f):
            return f

        def method(*args: Any, **kwargs: Any) -> Any:
            return self.tag(f(*args, **kwargs), [lid])

        return method

    def _env_call(self, context: Any, obj: Any, *args: Any, **kwargs: Any) -> Any:
        # jinja2 passes the loop's and block's variables as keywords; Context.call consumes them
        frame_vars = {k: kwargs.pop(k) for k in ("_loop_vars", "_block_vars") if k in kwargs}
        if id(obj) in self._internal:
            return obj(*args, **kwargs)
        if isinstance(obj, Macro):
            return SandboxedEnvironment.call(self.env, context, obj, *args, **kwargs, **frame_vars)
        lost: list[int] = []
        args = tuple(self.deep(a, lost) for a in args)
        kwargs = {k: self.deep(v, lost) for k, v in kwargs.items()}
        rv = SandboxedEnvironment.call(self.env, context, obj, *args, **kwargs, **frame_vars)
        return self.tag(rv, lost)

    def _env_getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, MessageList) and attribute == "indices":
            return SandboxedEnvironment.getattr(self.env, list(obj), attribute)
        if isinstance(obj, str) and _CLOSE in obj:
            clean, lid = self.consume(obj)
            return self._tagging(SandboxedEnvironment.getattr(self.env, clean, attribute), lid)
        return SandboxedEnvironment.getattr(self.env, obj, attribute)

    def _env_getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str) and _CLOSE in argument:
            argument, _ = self.consume(argument)
        if isinstance(obj, MessageList) and argument == "indices":
            return SandboxedEnvironment.getitem(self.env, list(obj), argument)
        if isinstance(obj, str) and _CLOSE in obj:
            clean, lid = self.consume(obj)
            rv = SandboxedEnvironment.getitem(self.env, clean, argument)
            if isinstance(rv, str):
                return self.tag(rv, [] if lid is None else [lid])
            return self._tagging(rv, lid)
        return SandboxedEnvironment.getitem(self.env, obj, argument)

    def _env_call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        lost: list[int] = []
        left = self.deep(left, lost) if isinstance(left, str) else left
        right = self.deep(right, lost) if isinstance(right, str) else right
        return self.tag(self.env.binop_table[operator](left, right), lost)  # type: ignore[attr-defined]

    # -- globals the edited AST calls

    def _g_iter(self, lid: int, value: Any) -> Any:
        if isinstance(value, str) and _CLOSE in value:
            value, _ = self.consume(value)
        record = None
        if isinstance(value, MessageList):
            record = [self.state.executions, value, 0]
            self.state.executions += 1
        self.state.stacks.setdefault(lid, []).append(record)
        return value

    def _g_mark(self, lid: int, target: Any) -> str:
        stack = self.state.stacks.get(lid)
        if not stack or stack[-1] is None:
            return ""
        record = stack[-1]
        e, view, cursor = record
        for j in range(cursor, len(view)):
            if list.__getitem__(view, j) is target:
                record[2] = j + 1
                return _START + _num(e) + _num(view.indices[j]) + _CLOSE
        return ""

    def _g_end(self, lid: int) -> str:
        stack = self.state.stacks.get(lid)
        record = stack.pop() if stack else None
        return "" if record is None else _END + _num(record[0]) + _CLOSE

    def _g_rp(self, point: int) -> str:
        d = self.state.next_point
        self.state.next_point += 1
        self.state.points[point] = d
        return _READ + _num(d) + _CLOSE

    def _g_agp(self, point: int, value: Any) -> Any:
        d = self.state.points.get(point)
        if d is None:
            self.state.unplaced_read = True
        else:
            self.state.reads.add(d)
        return value

    def _g_val(self, value: Any) -> Any:
        if isinstance(value, str) and _CLOSE in value:
            return self.consume(value)[0]
        return value

    def _g_truth(self, value: Any) -> Any:
        # `a or b` / `a and b` return an operand: keep its markers, test the text without them
        if isinstance(value, str) and _CLOSE in value:
            return _Truth(value, bool(self.consume(value)[0]))
        return value

    def _g_slice(self, obj: Any, start: Any, stop: Any, step: Any) -> Any:
        if isinstance(obj, str) and _CLOSE in obj:
            clean, lid = self.consume(obj)
            return self.tag(clean[start:stop:step], [] if lid is None else [lid])
        return obj[start:stop:step]

    # -- compiling and rendering

    def compile(self, source: str) -> Any:
        tree = self.env.parse(source)
        tree = instrument(tree, self.env)
        tree.set_environment(self.env)
        return self.env.from_string(tree)

    def render(self, template: Any, context: dict[str, Any]) -> tuple[Parsed, bool]:
        """Renders; returns the parsed output and whether a read of add_generation_prompt has no place."""
        self.state = _Render()
        marked = template.render(**context)
        state = self.state
        parsed = Parsed(marked, state.lost, state.reads)
        # a read whose read point never reached the final text (a discarded capture) counts as at 0
        unplaced = state.unplaced_read or bool(state.reads - parsed.read_ids)
        return parsed, unplaced


# ---------------------------------------------------------------------------------------------
# The definition


class InferenceFailure(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class _Interfered(Exception):
    pass


def first_difference(p: str, q: str) -> int:
    """The first position where P and Q differ (len(P) when Q equals P or P is a prefix of Q, len(Q) when
    Q is a proper prefix of P)."""
    n = min(len(p), len(q))
    for i in range(n):
        if p[i] != q[i]:
            return i
    return len(p) if len(p) <= len(q) else len(q)


def common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def think_spans(text: str, s: int, e: int, g: str, pairs: list[tuple[str, str, bool]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []

    def through(close: str, ws: bool, frm: int) -> int:
        k = text.find(close, frm)
        if k < 0 or k + len(close) > e:
            return e
        end = k + len(close)
        if ws:
            while end < e and text[end].isspace():
                end += 1
        return end

    pos = s
    # 1. G_k ends inside an open block
    best = -1
    open_pair = None
    for pi, (o, c, _ws) in enumerate(pairs):
        j = g.rfind(o)
        if j < 0 or g.find(c, j + len(o)) >= 0:
            continue
        if j > best:
            best, open_pair = j, pi
    if open_pair is not None and s < e:
        _o, c, ws = pairs[open_pair]
        end = through(c, ws, s)
        out.append((s, end))
        pos = end
    # 2. blocks opened inside the span
    while pos < e:
        found = None
        for pi, (o, _c, _ws) in enumerate(pairs):
            j = text.find(o, pos)
            if j >= 0 and j + len(o) <= e and (found is None or j < found[0]):
                found = (j, pi)
        if found is None:
            break
        j, pi = found
        o, c, ws = pairs[pi]
        end = through(c, ws, j + len(o))
        out.append((j, end))
        pos = end
    return out


def content_needle(content: Any, pairs: list[tuple[str, str, bool]]) -> str | None:
    """The last non-blank line (stripped) of the content after its last closing think marker."""
    if not isinstance(content, str):
        return None
    cut = 0
    for _o, c, _ws in pairs:
        j = content.rfind(c)
        if j >= 0:
            cut = max(cut, j + len(c))
    for line in reversed(content[cut:].split("\n")):
        if line.strip():
            return line.strip()
    return None


class Reference:
    """Compiles each template once (plain and instrumented) and infers spans."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.plain_env = env
        self.inst = Instrumented(env)
        self._plain: dict[str, Any] = {}
        self._inst: dict[str, Any] = {}

    def plain_template(self, source: str) -> Any:
        """The template as transformers compiles it; a template jinja2 refuses raises here."""
        if source not in self._plain:
            self._plain[source] = self.plain_env.from_string(source)
        return self._plain[source]

    def instrumented_template(self, source: str) -> Any:
        """The edited template; it must compile wherever the plain one does (else the edit is wrong)."""
        if source not in self._inst:
            self._inst[source] = self.inst.compile(source)
        return self._inst[source]

    def _render_pair(self, plain: Any, inst: Any, context: dict[str, Any], text: str | None = None) -> tuple[str, Parsed, bool]:
        """Plain render (may raise; skipped when its text is given), then the instrumented one with
        `messages` as a view; raises _Interfered if they differ."""
        if text is None:
            text = plain.render(**context)
        if RESERVED.search(text):
            raise ValueError("the render contains characters the instrumentation reserves (U+FDD0-U+FDD4, U+F0000-U+F0FFF)")
        messages = context.get("messages")
        inst_context = {**context, "messages": root_view(messages)} if isinstance(messages, list) else context
        try:
            parsed, unplaced = self.inst.render(inst, inst_context)
        except Exception as e:  # noqa: BLE001
            raise _Interfered(f"the instrumented render raised {type(e).__name__}: {e}") from e
        if parsed.text != text:
            raise _Interfered("the instrumented render differs from the plain render")
        return text, parsed, unplaced

    def infer(self, source: str, context: dict[str, Any], pairs: list[tuple[str, str, bool]] = DEFAULT_PAIRS) -> dict[str, Any]:
        try:
            plain = self.plain_template(source)
        except Exception as e:  # noqa: BLE001
            return {"text": None, "spans": [], "error": error_record(e), "reference": "ok", "regions": []}
        inst = self.instrumented_template(source)
        messages = context.get("messages")
        msgs: list[Any] = messages if isinstance(messages, list) else []
        try:
            text = plain.render(**context)
        except Exception as e:  # noqa: BLE001
            return {"text": None, "spans": [], "error": error_record(e), "reference": "ok", "regions": []}
        try:
            _, full, _ = self._render_pair(plain, inst, context, text)
        except _Interfered as e:
            return {"text": text, "spans": [], "error": None, "reference": "interfered", "regions": [], "note": str(e)}
        regions = [list(r) if (r := full.region(k)) is not None else None for k in range(len(msgs))]
        base = {"text": text, "reference": "ok", "regions": regions}
        try:
            spans = self._spans(plain, inst, context, msgs, text, full, pairs)
        except InferenceFailure as f:
            return {**base, "spans": [], "error": {"kind": f.kind, "message": str(f)}}
        except _Interfered as e:
            return {**base, "spans": [], "error": None, "reference": "interfered", "note": str(e)}
        spans.sort(key=lambda s: (s[1], -s[2], 0 if s[0] == "assistant" else 1))
        return {**base, "spans": [{"label": l, "start": s, "end": t, "excerpt": text[s:t]} for (l, s, t) in spans], "error": None}

    def _spans(self, plain: Any, inst: Any, context: dict[str, Any], msgs: list[Any], text: str, full: Parsed, pairs: list[tuple[str, str, bool]]) -> list[tuple[str, int, int]]:
        if not full.has_loop_output():
            raise InferenceFailure("no-message-loop", "the full render has no message loop that renders output")
        spans: list[tuple[str, int, int]] = []
        for k, m in enumerate(msgs):
            if not (isinstance(m, dict) and m.get("role") == "assistant"):
                continue
            region = full.region(k)
            if region is None:
                raise InferenceFailure("no-region", f"assistant message {k} has no region in the full render")
            rs, re_ = region
            rtext = text[rs:re_]
            needle = content_needle(m.get("content"), pairs)
            if needle is not None and needle not in rtext:
                raise InferenceFailure("content-elsewhere", f"the last line of message {k}'s content ({needle!r}) is not inside its region")
            g = self._prompt_tail(plain, inst, context, msgs, k)
            j = rtext.find(g)
            start = rs + (j + len(g) if j >= 0 else common_prefix(rtext, g))
            if start >= re_:
                continue
            spans.append(("assistant", start, re_))
            for s, t in think_spans(text, start, re_, g, pairs):
                spans.append(("think", s, t))
        return spans

    def _prompt_tail(self, plain: Any, inst: Any, context: dict[str, Any], msgs: list[Any], k: int) -> str:
        prefix = msgs[:k]
        ctx_p = {**context, "messages": prefix, "add_generation_prompt": True}
        try:
            p, parsed, unplaced = self._render_pair(plain, inst, ctx_p)
        except _Interfered:
            raise
        except Exception as e:  # noqa: BLE001
            raise InferenceFailure("prompt-render-failed", f"the prompt render P for message {k} raised {type(e).__name__}: {e}") from e
        if k == 0:
            point = parsed.loop_end()
            if point is None:
                raise InferenceFailure("no-message-loop", "the prompt render P for message 0 has no message loop")
        else:
            r = parsed.region(k - 1)
            if r is None:
                raise InferenceFailure("no-region", f"message {k - 1} has no region in the prompt render P for message {k}")
            point = r[1]
        start = point
        if unplaced or any(pos < point for pos in parsed.read_positions):
            ctx_q = {**context, "messages": prefix, "add_generation_prompt": False}
            try:
                q = plain.render(**ctx_q)
            except Exception as e:  # noqa: BLE001
                raise InferenceFailure("prompt-render-failed", f"the prompt render Q for message {k} raised {type(e).__name__}: {e}") from e
            start = min(point, first_difference(p, q))
        return p[start:]


_references: dict[int, Reference] = {}


def infer_spans(env: jinja2.Environment, source: str, context: dict[str, Any], pairs: list[tuple[str, str, bool]] = DEFAULT_PAIRS) -> dict[str, Any]:
    """README "Inferred spans" on `source` rendered with `context` in env (env.make_environment()).

    Returns {text, spans: [{label, start, end, excerpt}], error, reference, regions}: spans in code points
    sorted by start, then by descending end, assistant before think; error None, a fail-closed
    {kind, message}, or a render error {type, message}; reference "ok" or "interfered"."""
    ref = _references.get(id(env))
    if ref is None or ref.plain_env is not env:
        ref = _references[id(env)] = Reference(env)
    return ref.infer(source, context, pairs)
