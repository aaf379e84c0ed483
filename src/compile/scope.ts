// Name resolution at render time: a chain of scopes (loop iteration, macro call, block bodies), then the
// caller's context, then the globals. Mirrors jinja2's rules: for bodies, macro calls, set/filter blocks,
// with and region bodies get a scope of their own; if does not; top-level variables are live for macros.
import type { RenderState } from "../runtime/state.ts";
import { Undefined, type PlainDict, type Value } from "../runtime/value.ts";

/** One level of variables: a few bindings each, so parallel arrays beat a Map. */
export class Scope {
  readonly parent: Scope | null;
  private names: string[] | null = null;
  private values: Value[] | null = null;

  constructor(parent: Scope | null) {
    this.parent = parent;
  }

  set(name: string, value: Value): void {
    if (this.names === null || this.values === null) {
      this.names = [name];
      this.values = [value];
      return;
    }
    const i = this.names.indexOf(name);
    if (i === -1) {
      this.names.push(name);
      this.values.push(value);
    } else this.values[i] = value;
  }

  /** The value bound in this scope or an enclosing one, or undefined. */
  lookup(name: string): Value | undefined {
    for (let s: Scope | null = this; s !== null; s = s.parent) {
      if (s.names !== null) {
        const i = s.names.indexOf(name);
        if (i !== -1) return (s.values as Value[])[i];
      }
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
  return resolveFree(f, name);
}

/** Resolves a name the template never binds: context (own properties only), then globals, else Undefined. */
export function resolveFree(f: Frame, name: string): Value {
  if (Object.hasOwn(f.context, name)) {
    const c = f.context[name];
    if (c !== undefined) return c as Value;
  }
  const g = f.globals.get(name);
  if (g !== undefined) return g;
  return new Undefined(name);
}
