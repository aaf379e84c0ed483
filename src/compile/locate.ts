// Attaching template positions to errors raised at render time, and turning anything that is not a
// TemplateError (a JS RangeError from deep recursion, an output overflow, a bug) into one.
import { LimitError, TemplateError, runtimeError } from "../errors.ts";
import type { ResolvedOptions } from "../options.ts";
import type { Builtin } from "../runtime/args.ts";
import type { RenderState } from "../runtime/state.ts";
import type { Loc, Source } from "../source.ts";
import { OutputLimitExceeded } from "../spans/output.ts";

/** What compilation needs besides the node: the source (for error excerpts) and the options. */
export interface CompileContext {
  readonly source: Source;
  readonly options: ResolvedOptions;
  /** The template's filters and tests, resolved once at compile time; an unknown name outside a soft
   *  frame is a TemplateAssertionError. */
  readonly filters: ReadonlyMap<string, Builtin<RenderState>>;
  readonly tests: ReadonlyMap<string, Builtin<RenderState>>;
  /** Inside an if-branch or conditional expression (jinja2's soft frame). */
  readonly soft: boolean;
  /** Every name the template binds anywhere (set, for, with, macro, parameters, loop …); any other name
   *  can only come from the context or the globals, so its lookup skips the scopes. */
  readonly boundNames: ReadonlySet<string>;
  /** Names the enclosing frames reference (jinja2's refs of the frame and its parents): a name a nested
   *  frame stores before reading starts as their value instead of Undefined (locals.ts). */
  readonly known: ReadonlySet<string>;
}

/** Converts any thrown value into a TemplateError located at loc (if it has no position yet). */
export function toTemplateError(e: unknown, loc: Loc | undefined, source: Source): TemplateError {
  let err: TemplateError;
  if (e instanceof TemplateError) err = e;
  else if (e instanceof OutputLimitExceeded) err = new LimitError(`output exceeded the limit of ${e.limit} characters (limits.maxOutputLength)`);
  else if (e instanceof RangeError && /call stack/i.test(e.message)) err = new LimitError("the template nests too deeply for the JS stack (recursion)");
  // a safety net: builtins check limits.maxStringLength before they build, so this is a missed check
  else if (e instanceof RangeError && /Invalid (string|array) length/i.test(e.message)) {
    err = new LimitError(`a ${/array/i.test(e.message) ? "list" : "string"} grew past the JS engine's maximum length (limits.maxStringLength)`, { cause: e });
  } else err = runtimeError("internal", `internal error: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  if (loc !== undefined) err.locate(loc, source);
  return err;
}

/** Wraps a one-argument closure (the common case: an Eval or Exec) so that its errors carry loc. */
export function at<A, R>(cx: CompileContext, loc: Loc, fn: (a: A) => R): (a: A) => R {
  const source = cx.source;
  return (a) => {
    try {
      return fn(a);
    } catch (e) {
      throw toTemplateError(e, loc, source);
    }
  };
}

/** Wraps a closure of any arity so that errors it raises carry loc. */
export function located<A extends unknown[], R>(cx: CompileContext, loc: Loc, fn: (...a: A) => R): (...a: A) => R {
  const source = cx.source;
  return (...a) => {
    try {
      return fn(...a);
    } catch (e) {
      throw toTemplateError(e, loc, source);
    }
  };
}
