// jinja2's symbol tracking (idtracking.py) reduced to what spanja needs: which names a frame's own code
// touches (jinja2's refs: loads, stores, parameters) and what each name it stores before reading starts
// as. statements.ts builds the frames and calls the initializers made here.
import type * as ast from "../syntax/ast.ts";
import { descendants } from "../syntax/children.ts";
import { Undefined } from "../runtime/value.ts";
import { resolve, type Frame } from "./scope.ts";

type Event = "load" | "store" | "maybe";

/** A frame's names as jinja2's symbol visitor sees them (nested frames not entered). */
export interface FrameNames {
  /** Every name the frame's code loads, stores or takes as a parameter. */
  readonly refs: ReadonlySet<string>;
  /** Names whose first event is an unconditional store: local from the frame's start. */
  readonly storedFirst: readonly string[];
}

/** The parts of a frame in jinja2's visiting order (RootVisitor): parameters, expressions, statements. */
export type FramePart =
  | { readonly params: readonly string[] }
  | { readonly targets: readonly ast.AssignTarget[] }
  | { readonly exprs: readonly (ast.Expr | null)[] }
  | { readonly body: readonly ast.Stmt[] };

/** Analyzes a frame made of the given parts, in order. */
export function frameNames(...parts: FramePart[]): FrameNames {
  const first = new Map<string, Event>();
  const see = (name: string, e: Event) => {
    if (!first.has(name)) first.set(name, e);
  };
  const loads = (node: ast.Expr | readonly (ast.Expr | null)[] | null): void => {
    const roots = node === null ? [] : Array.isArray(node) ? node.filter((n) => n !== null) : [node as ast.Expr];
    for (const n of descendants(roots)) if (n.kind === "Name") see(n.name, "load");
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
          // the target, filter and body belong to the loop's frames
          loads(s.iter);
          break;
        case "Set":
          loads(s.value);
          stores(s.target, e);
          break;
        case "SetBlock":
          // jinja2 visits only the target here; the filter runs in the block's frame, unanalyzed
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
  for (const p of parts) {
    // parameters are bound before anything runs, so they count as read: never reset at the frame's start
    if ("params" in p) for (const n of p.params) see(n, "load");
    else if ("targets" in p) for (const t of p.targets) stores(t, "store");
    else if ("exprs" in p) loads(p.exprs);
    else walk(p.body, "store");
  }
  return { refs: new Set(first.keys()), storedFirst: [...first].filter(([, e]) => e === "store").map(([n]) => n) };
}

/** Names of an assignment target (for-loop and with targets). */
export function targetNames(t: ast.AssignTarget): string[] {
  if (t.kind === "NameTarget") return [t.name];
  if (t.kind === "AttrTarget") return [];
  return t.items.flatMap(targetNames);
}

/** The names enclosing frames know plus this frame's own: what frames nested in it see as known. */
export function knownInside(known: ReadonlySet<string>, names: FrameNames): ReadonlySet<string> {
  let out: Set<string> | null = null;
  for (const n of names.refs) {
    if (known.has(n)) continue;
    out ??= new Set(known);
    out.add(n);
  }
  return out ?? known;
}

/**
 * An initializer for a new frame's scope (its parent the enclosing scope), or null if it has nothing to
 * do. jinja2 (Symbols.store, compiler enter_frame): a name the frame stores before reading starts as the
 * enclosing frames' variable of that name when one of them references it anywhere (VAR_LOAD_ALIAS: its
 * value at the frame's start, the caller's context or the globals included), else as Undefined
 * (VAR_LOAD_UNDEFINED), even when the context has that name.
 */
export function localsInit(names: FrameNames, known: ReadonlySet<string>): ((f: Frame) => void) | null {
  const { storedFirst } = names;
  if (storedFirst.length === 0) return null;
  const alias = storedFirst.map((n) => known.has(n));
  return (f) => {
    for (let i = 0; i < storedFirst.length; i++) {
      const n = storedFirst[i];
      f.scope.set(n, alias[i] ? resolve(f, n) : new Undefined(n));
    }
  };
}
