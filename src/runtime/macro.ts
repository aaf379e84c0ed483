// Macro argument binding with jinja2's Macro.__call__ rules and messages: positional then keyword,
// `varargs` / `kwargs` / `caller` only when the body references them, missing parameters become Undefined.
import { runtimeError } from "../errors.ts";
import { Undefined, type CallArgs, type Value } from "./value.ts";

/** What the compiler knows of a macro: parameter names, which have defaults, what the body references. */
export interface MacroSignature {
  name: string;
  params: readonly string[];
  hasDefault: readonly boolean[];
  catchVarargs: boolean;
  catchKwargs: boolean;
  usesCaller: boolean;
}

/** Bound arguments; a `null` slot means "evaluate the default". */
export interface BoundMacroArgs {
  slots: (Value | null)[];
  varargs: Value[];
  kwargs: Map<string, Value>;
  caller: Value | undefined;
}

export function bindMacroArgs(sig: MacroSignature, call: CallArgs): BoundMacroArgs {
  const n = sig.params.length;
  const slots: (Value | null)[] = new Array(n).fill(null);
  const given: boolean[] = new Array(n).fill(false);
  const pos = call.args;
  for (let i = 0; i < Math.min(n, pos.length); i++) {
    slots[i] = pos[i];
    given[i] = true;
  }
  const varargs = pos.length > n ? pos.slice(n) : [];
  if (varargs.length > 0 && !sig.catchVarargs) {
    throw runtimeError("arguments", `macro '${sig.name}' takes not more than ${n} argument(s)`);
  }
  const kwargs = new Map<string, Value>();
  let caller: Value | undefined;
  for (const [k, v] of call.kwargs) {
    const i = sig.params.indexOf(k);
    if (i !== -1) {
      if (given[i]) throw runtimeError("arguments", `macro '${sig.name}' got multiple values for argument '${k}'`);
      slots[i] = v;
      given[i] = true;
    } else if (k === "caller" && sig.usesCaller) caller = v;
    else if (sig.catchKwargs) kwargs.set(k, v);
    else throw runtimeError("arguments", `macro '${sig.name}' takes no keyword argument '${k}'`);
  }
  for (let i = 0; i < n; i++) {
    if (!given[i] && !sig.hasDefault[i]) {
      slots[i] = new Undefined(sig.params[i], undefined, false, `parameter '${sig.params[i]}' was not provided`);
    }
  }
  return { slots, varargs, kwargs, caller };
}
