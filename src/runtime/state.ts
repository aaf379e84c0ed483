// Per-render state: the output sink, counters against the limits, warnings, the clock, and calling.
// Filters, tests, globals and methods receive it as their context.
import { LimitError, runtimeError } from "../errors.ts";
import type { Limits } from "../limits.ts";
import { Output } from "../spans/output.ts";
import { callBuiltin, type Builtin } from "./args.ts";
import type { MessageTracker } from "./messages.ts";
import { PyObject, Undefined, pyTypeName, undefinedError, type CallArgs, type CallContext, type Value } from "./value.ts";

/** What a render needs from its template: tables of filters and tests, limits, clock, mode. */
export interface RenderEnv {
  readonly filters: ReadonlyMap<string, Builtin<RenderState>>;
  readonly tests: ReadonlyMap<string, Builtin<RenderState>>;
  readonly limits: Limits;
  readonly now: () => Date;
  readonly immutable: boolean;
  /** str.format's field reader: the sandbox's getattr / getitem (sandbox.ts formatFieldReader). */
  readonly formatField: (obj: Value, key: string | number, isAttr: boolean) => Value;
}

/** Loop iterations counted against maxIterations; the renders of one span inference share one. */
export interface IterationBudget {
  used: number;
}

export class RenderState implements CallContext {
  readonly env: RenderEnv;
  readonly out: Output;
  private readonly budget: IterationBudget;
  /** Current depth of macro calls and recursive loops. */
  depth = 0;
  /** Message views and loop executions, when this render infers spans; null otherwise. */
  readonly messages: MessageTracker | null;

  constructor(env: RenderEnv, out: Output, messages: MessageTracker | null = null, budget: IterationBudget = { used: 0 }) {
    this.env = env;
    this.out = out;
    this.messages = messages;
    this.budget = budget;
  }

  get limits(): Limits {
    return this.env.limits;
  }

  /** Calls a callable value with Python semantics, or raises "'x' object is not callable". */
  call(callee: Value, args: CallArgs): Value {
    if (callee instanceof PyObject && callee.call !== undefined) return callee.call(args, this);
    if (callee instanceof Undefined) throw undefinedError(callee);
    throw runtimeError("type", `'${pyTypeName(callee)}' object is not callable`);
  }

  formatField(obj: Value, key: string | number, isAttr: boolean): Value {
    return this.env.formatField(obj, key, isAttr);
  }

  /** Applies a registered filter by name (for `map`, `select` …). */
  applyFilter(name: string, args: CallArgs): Value {
    const f = this.env.filters.get(name);
    if (f === undefined) throw runtimeError("unknown-filter", `No filter named '${name}'.`);
    return callBuiltin(f, args, this);
  }

  /** Applies a registered test by name. */
  applyTest(name: string, args: CallArgs): Value {
    const t = this.env.tests.get(name);
    if (t === undefined) throw runtimeError("unknown-test", `No test named '${name}'.`);
    return callBuiltin(t, args, this);
  }

  /** Counts one loop iteration against maxIterations. */
  countIteration(): void {
    if (++this.budget.used > this.env.limits.maxIterations) {
      throw new LimitError(`loop iterations exceeded the limit of ${this.env.limits.maxIterations} (limits.maxIterations)`);
    }
  }

  /** Enters a macro call or recursive loop level; pair with `leave()`. */
  enter(): void {
    if (++this.depth > this.env.limits.maxRecursionDepth) {
      this.depth--;
      throw new LimitError(`recursion depth exceeded the limit of ${this.env.limits.maxRecursionDepth} (limits.maxRecursionDepth)`);
    }
  }

  leave(): void {
    this.depth--;
  }

  /** Checks a string about to be built against maxStringLength. */
  checkStringLength(n: number): void {
    if (n > this.env.limits.maxStringLength) {
      throw new LimitError(`string length ${n} exceeds the limit of ${this.env.limits.maxStringLength} (limits.maxStringLength)`);
    }
  }
}
