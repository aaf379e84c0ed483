// The one walk over the AST: the nodes directly inside a node, typed by kind. Every analysis that visits the
// tree (names a frame touches, names a macro mentions, names the template binds) goes through here, so a new
// node kind fails to type-check until it is listed.
import { spanjaBug } from "../errors.ts";
import type { Args, AssignTarget, Expr, Param, Stmt, Template } from "./ast.ts";

/** Any node with a `kind`. Params, keyword arguments and compare operands are not nodes: their expressions are. */
export type Node = Template | Stmt | Expr | AssignTarget;

/** The nodes directly inside `node`, in source order (a Param's default, a Kwarg's value stand for them). */
export function children(node: Node): Node[] {
  switch (node.kind) {
    case "Template":
      return node.body;
    case "Text":
    case "Break":
    case "Continue":
    case "Name":
    case "Const":
    case "NameTarget":
    case "AttrTarget":
      return [];
    case "Output":
      return [node.expr];
    case "If":
      return [node.test, ...node.body, ...node.orelse];
    case "For":
      return present([node.target, node.iter, node.filter, ...node.body, ...node.orelse]);
    case "Set":
      return [node.target, node.value];
    case "SetBlock":
      return present([node.target, node.filter, ...node.body]);
    case "Macro":
      return [...defaults(node.params), ...node.body];
    case "CallBlock":
      return [...defaults(node.params), node.call, ...node.body];
    case "FilterBlock":
      return [node.filter, ...node.body];
    case "With":
      return [...node.targets, ...node.values, ...node.body];
    case "Region":
      return node.body;
    case "TupleTarget":
    case "List":
    case "Tuple":
      return node.items;
    case "Dict":
      return node.keys.flatMap((k, i) => [k, node.values[i]]);
    case "GetAttr":
      return [node.object];
    case "GetItem":
      return [node.object, node.index];
    case "Slice":
      return present([node.start, node.stop, node.step]);
    case "Call":
      return [node.callee, ...args(node)];
    case "Filter":
      return present([node.node, ...args(node)]);
    case "Test":
      return [node.node, ...args(node)];
    case "UnaryOp":
      return [node.operand];
    case "BinOp":
      return [node.left, node.right];
    case "Compare":
      return [node.left, ...node.ops.map((o) => o.right)];
    case "CondExpr":
      return present([node.test, node.body, node.orelse]);
    default: {
      // a kind missing above makes `node` a real type here, and this line fails to type-check
      const unknown: never = node;
      return spanjaBug(`unknown AST node ${JSON.stringify((unknown as { kind?: unknown }).kind)}`);
    }
  }
}

/** Every node at or below the given ones, parents before children. */
export function* descendants(nodes: readonly Node[]): Generator<Node> {
  for (const n of nodes) {
    yield n;
    yield* descendants(children(n));
  }
}

function args(a: Args): Expr[] {
  return present([...a.args, ...a.kwargs.map((k) => k.value), a.starArgs, a.starKwargs]);
}

function defaults(params: readonly Param[]): Expr[] {
  return present(params.map((p) => p.default));
}

function present<T>(xs: readonly (T | null)[]): T[] {
  return xs.filter((x): x is T => x !== null);
}
