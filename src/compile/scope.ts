// Name resolution at render time: a chain of scopes (loop iteration, macro call, block bodies), then the
// caller's context, then the globals. Mirrors jinja2's rules: for bodies, macro calls, set/filter blocks,
// with and region bodies get a scope of their own; if does not; top-level variables are live for macros.
import type { RenderState } from "../runtime/state.ts";
import { Undefined, type PlainDict, type Value } from "../runtime/value.ts";

/** One level of variables. `vars` is created on first assignment. */
export class Scope {
  readonly parent: Scope | null;
  private vars: Map<string, Value> | null = null;

  constructor(parent: Scope | null) {
    this.parent = parent;
  }

  set(name: string, value: Value): void {
    (this.vars ??= new Map()).set(name, value);
  }

  /** The value bound in this scope or an enclosing one, or undefined. */
  lookup(name: string): Value | undefined {
    for (let s: Scope | null = this; s !== null; s = s.parent) {
      const v = s.vars?.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}

/** What compiled closures run against: per-render state, the caller's context and the current scope. */
export interface Frame {
  readonly state: RenderState;
  readonly context: PlainDict;
  readonly globals: ReadonlyMap<string, Value>;
  readonly scope: Scope;
}

/** A frame whose scope is a new child of the current one. */
export function childFrame(f: Frame, scope: Scope = new Scope(f.scope)): Frame {
  return { state: f.state, context: f.context, globals: f.globals, scope };
}

/** Resolves a name: scopes, then context (own properties only), then globals, else Undefined. */
export function resolve(f: Frame, name: string): Value {
  const v = f.scope.lookup(name);
  if (v !== undefined) return v;
  if (Object.hasOwn(f.context, name)) {
    const c = f.context[name];
    if (c !== undefined) return c as Value;
  }
  const g = f.globals.get(name);
  if (g !== undefined) return g;
  return new Undefined(name);
}
