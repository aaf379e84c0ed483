// jinja2's rule for `self` (compiler.py visit_Template, find_undeclared): the root frame binds `self` to a
// TemplateReference when the first `self` the compiler's visitor meets, walking the tree in jinja2's
// field order and into macros and loops alike, is a read. A store or a parameter named `self` met first
// makes it an ordinary name for the whole template (the context's `self`, or Undefined).
import type * as ast from "../syntax/ast.ts";

type Found = "load" | "store" | null;

const NAME = "self";

/** Does the template read `self` before anything binds that name, in jinja2's visiting order? */
export function readsSelfFirst(body: readonly ast.Stmt[]): boolean {
  return stmts(body) === "load";
}

function first(...found: (() => Found)[]): Found {
  for (const f of found) {
    const r = f();
    if (r !== null) return r;
  }
  return null;
}

/** The first finding over a list, in order. */
function firstOf<T>(items: readonly T[], find: (item: T) => Found): Found {
  for (const item of items) {
    const r = find(item);
    if (r !== null) return r;
  }
  return null;
}

function stmts(body: readonly ast.Stmt[]): Found {
  return firstOf(body, stmt);
}

function exprs(list: readonly (ast.Expr | null)[]): Found {
  return firstOf(list, (e) => (e === null ? null : expr(e)));
}

function target(t: ast.AssignTarget): Found {
  switch (t.kind) {
    case "NameTarget":
      return t.name === NAME ? "store" : null;
    case "AttrTarget":
      // jinja2's NSRef holds the namespace's name as a string, not a Name node
      return null;
    case "TupleTarget":
      for (const i of t.items) {
        const r = target(i);
        if (r !== null) return r;
      }
      return null;
  }
}

/** Macro and call-block parameters: all the names (Name nodes in the param context), then the defaults. */
function params(ps: readonly ast.Param[]): Found {
  if (ps.some((p) => p.name === NAME)) return "store";
  return exprs(ps.map((p) => p.default));
}

/** nodes.py field order for each statement. */
function stmt(s: ast.Stmt): Found {
  switch (s.kind) {
    case "Output":
      return expr(s.expr);
    case "If":
      return first(() => expr(s.test), () => stmts(s.body), () => stmts(s.orelse));
    case "For":
      // For: target, iter, body, else_, test
      return first(() => target(s.target), () => expr(s.iter), () => stmts(s.body), () => stmts(s.orelse), () => (s.filter === null ? null : expr(s.filter)));
    case "Set":
      return first(() => target(s.target), () => expr(s.value));
    case "SetBlock":
      return first(() => target(s.target), () => (s.filter === null ? null : expr(s.filter)), () => stmts(s.body));
    case "Macro":
      return first(() => params(s.params), () => stmts(s.body));
    case "CallBlock":
      return first(() => expr(s.call), () => params(s.params), () => stmts(s.body));
    case "FilterBlock":
      // FilterBlock: body, filter
      return first(() => stmts(s.body), () => expr(s.filter));
    case "With":
      return first(() => exprsOrTargets(s.targets), () => exprs(s.values), () => stmts(s.body));
    case "Region":
      return stmts(s.body);
    default:
      return null;
  }
}

function exprsOrTargets(ts: readonly ast.AssignTarget[]): Found {
  return firstOf(ts, target);
}

function args(a: ast.Args): Found {
  return first(() => exprs(a.args), () => exprs(a.kwargs.map((k) => k.value)), () => exprs([a.starArgs, a.starKwargs]));
}

/** nodes.py field order for each expression. */
function expr(e: ast.Expr): Found {
  switch (e.kind) {
    case "Name":
      return e.name === NAME ? "load" : null;
    case "Const":
      return null;
    case "List":
    case "Tuple":
      return exprs(e.items);
    case "Dict":
      // Dict(items=[Pair(key, value), …])
      for (let i = 0; i < e.keys.length; i++) {
        const r = first(() => expr(e.keys[i]), () => expr(e.values[i]));
        if (r !== null) return r;
      }
      return null;
    case "GetAttr":
      return expr(e.object);
    case "GetItem":
      return first(() => expr(e.object), () => expr(e.index));
    case "Slice":
      return exprs([e.start, e.stop, e.step]);
    case "Call":
      return first(() => expr(e.callee), () => args(e));
    case "Filter":
    case "Test":
      return first(() => (e.node === null ? null : expr(e.node)), () => args(e));
    case "UnaryOp":
      return expr(e.operand);
    case "BinOp":
      return first(() => expr(e.left), () => expr(e.right));
    case "Compare":
      return first(() => expr(e.left), () => exprs(e.ops.map((o) => o.right)));
    case "CondExpr":
      // CondExpr: test, expr1, expr2
      return first(() => expr(e.test), () => expr(e.body), () => (e.orelse === null ? null : expr(e.orelse)));
  }
}
