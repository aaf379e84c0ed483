// The variables a template reads from its context: names read where no set, loop, macro, call or with of the
// template has bound them yet (jinja2's find_undeclared_variables, read in source order).
import type { AssignTarget, Expr, Stmt, Template } from "../../src/syntax/ast.ts";

export function contextVariables(tree: Template): Set<string> {
  const found = new Set<string>();
  const scopes: Set<string>[] = [new Set()];
  const bound = (name: string) => scopes.some((s) => s.has(name));
  const bind = (t: AssignTarget, into: Set<string>): void => {
    if (t.kind === "NameTarget") into.add(t.name);
    else if (t.kind === "TupleTarget") for (const item of t.items) bind(item, into);
  };
  // expressions bind nothing: every Name in them is a read
  const read = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(read);
    const e = node as Expr;
    if (e.kind === "Name") {
      if (!bound(e.name)) found.add(e.name);
      return;
    }
    for (const [key, value] of Object.entries(e)) if (key !== "loc") read(value);
  };
  const block = (body: Stmt[], scope: Set<string> | null): void => {
    if (scope !== null) scopes.push(scope);
    body.forEach(stmt);
    if (scope !== null) scopes.pop();
  };
  const stmt = (s: Stmt): void => {
    const here = scopes[scopes.length - 1];
    switch (s.kind) {
      case "Text":
      case "Break":
      case "Continue":
        return;
      case "Output":
        return read(s.expr);
      case "If":
        read(s.test);
        block(s.body, null);
        return block(s.orelse, null);
      case "For": {
        read(s.iter);
        const scope = new Set(["loop"]);
        bind(s.target, scope);
        scopes.push(scope);
        read(s.filter);
        block(s.body, null);
        scopes.pop();
        return block(s.orelse, null);
      }
      case "Set":
        read(s.value);
        if (s.target.kind === "AttrTarget") read({ kind: "Name", name: s.target.object });
        else bind(s.target, here);
        return;
      case "SetBlock":
        read(s.filter);
        block(s.body, null);
        return bind(s.target, here);
      case "Macro":
        here.add(s.name);
        s.params.forEach((p) => read(p.default));
        return block(s.body, new Set([...s.params.map((p) => p.name), "caller", "varargs", "kwargs"]));
      case "CallBlock":
        read(s.call);
        s.params.forEach((p) => read(p.default));
        return block(s.body, new Set(s.params.map((p) => p.name)));
      case "FilterBlock":
        read(s.filter);
        return block(s.body, null);
      case "With": {
        read(s.values);
        const scope = new Set<string>();
        s.targets.forEach((t) => bind(t, scope));
        return block(s.body, scope);
      }
      case "Region":
        return block(s.body, null);
    }
  };
  block(tree.body, null);
  return found;
}
