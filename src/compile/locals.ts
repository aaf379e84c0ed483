// jinja2's rule for names a frame assigns (idtracking.py): if the frame's own code stores a name before
// it reads it, the name is local from the frame's start and reads of it (in nested frames too: macros,
// loops, blocks) see Undefined until the store, never the caller's variable of the same name. Names first
// read, or stored only inside an if-branch, keep resolving outward until stored.
import type * as ast from "../syntax/ast.ts";
import { Undefined } from "../runtime/value.ts";
import type { Scope } from "./scope.ts";

type Event = "load" | "store" | "maybe";

/** Names the body stores before any read of them, in its own frame (nested frames not entered). */
export function storedFirst(body: readonly ast.Stmt[]): string[] {
  const first = new Map<string, Event>();
  const see = (name: string, e: Event) => {
    if (!first.has(name)) first.set(name, e);
  };
  const loads = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const n of node) loads(n);
      return;
    }
    const n = node as { kind?: string; name?: string };
    if (n.kind === "Name" && typeof n.name === "string") see(n.name, "load");
    for (const [k, v] of Object.entries(node)) if (k !== "loc" && typeof v === "object") loads(v);
  };
  const stores = (t: ast.AssignTarget, e: Event): void => {
    if (t.kind === "NameTarget") see(t.name, e);
    else if (t.kind === "AttrTarget") see(t.object, "load");
    else for (const i of t.items) stores(i, e);
  };
  const walk = (stmts: readonly ast.Stmt[], e: Event): void => {
    for (const s of stmts) {
      switch (s.kind) {
        case "Output":
          loads(s.expr);
          break;
        case "If":
          loads(s.test);
          walk(s.body, "maybe");
          walk(s.orelse, "maybe");
          break;
        case "For":
          loads(s.iter);
          break;
        case "Set":
          loads(s.value);
          stores(s.target, e);
          break;
        case "SetBlock":
          loads(s.filter);
          stores(s.target, e);
          break;
        case "Macro":
          see(s.name, e);
          break;
        case "CallBlock":
          loads(s.call);
          break;
        case "FilterBlock":
          loads(s.filter);
          break;
        case "With":
          loads(s.values);
          break;
        default:
          break;
      }
    }
  };
  walk(body, "store");
  return [...first].filter(([, e]) => e === "store").map(([n]) => n);
}

/** An initializer that makes the stored-first names local (Undefined) in a new scope, or null if none. */
export function localsInit(body: readonly ast.Stmt[]): ((scope: Scope) => void) | null {
  const names = storedFirst(body);
  if (names.length === 0) return null;
  return (scope) => {
    for (const n of names) scope.set(n, new Undefined(n));
  };
}
