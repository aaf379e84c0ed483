// Python-style signatures for builtins (filters, tests, globals, methods): parsed once from a jinja2-like
// spec string, then used to bind positional and keyword arguments with Python's rules and messages.
import { runtimeError, spanjaBug } from "../errors.ts";
import { Float, type CallArgs, type Value } from "./value.ts";

interface Param {
  name: string;
  /** Present when the parameter has a default. */
  default?: Value;
  hasDefault: boolean;
}

/** A parsed signature: `value, width=4, first=False, *args, **kwargs`. */
export interface Signature {
  name: string;
  params: Param[];
  varargs: boolean;
  varkw: boolean;
}

function parseDefault(text: string): Value {
  const t = text.trim();
  if (t === "None") return null;
  if (t === "True") return true;
  if (t === "False") return false;
  if (t === "()") return [];
  if (/^-?\d+$/.test(t)) return Number(t);
  if (/^-?\d+\.\d*([eE][-+]?\d+)?$/.test(t)) {
    const n = Number(t);
    return Number.isInteger(n) ? new Float(n) : n;
  }
  const m = /^(['"])(.*)\1$/s.exec(t);
  if (m) return m[2].replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\(['"\\])/g, "$1");
  return spanjaBug(`unsupported default ${t}`);
}

/** Parses `"s, width=4, first=False, *args, **kwargs"` (Python syntax, simple literal defaults). */
export function signature(name: string, spec: string): Signature {
  const sig: Signature = { name, params: [], varargs: false, varkw: false };
  // split on commas outside quotes
  const parts: string[] = [];
  let cur = "";
  let quote = "";
  for (const ch of spec) {
    if (quote) {
      if (ch === quote) quote = "";
      cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      cur += ch;
    } else if (ch === ",") {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (p.startsWith("**")) sig.varkw = true;
    else if (p.startsWith("*")) sig.varargs = true;
    else {
      const eq = p.indexOf("=");
      if (eq === -1) sig.params.push({ name: p, hasDefault: false });
      else sig.params.push({ name: p.slice(0, eq).trim(), default: parseDefault(p.slice(eq + 1)), hasDefault: true });
    }
  }
  return sig;
}

/**
 * Binds arguments to a signature. Returns one slot per parameter, then (if the signature has them) the
 * extra positional arguments as an array and the extra keyword arguments as a Map. Errors use Python's
 * TypeError wording.
 */
export function bind(sig: Signature, call: CallArgs): Value[] {
  const { params } = sig;
  // fast path: positional arguments only, no *args / **kwargs in the signature
  if (call.kwargs.size === 0 && !sig.varargs && !sig.varkw && call.args.length <= params.length) {
    // every slot given: the caller's fresh array serves as is (implementations never write their slots)
    if (call.args.length === params.length) return call.args;
    const out = call.args.slice();
    for (let i = out.length; i < params.length; i++) {
      if (!params[i].hasDefault) return bindSlow(sig, call);
      out.push(params[i].default as Value);
    }
    return out;
  }
  // positional arguments only into a signature with *args / **kwargs (e.g. `length`, `namespace`)
  if (call.kwargs.size === 0 && call.args.length >= params.length && (sig.varargs || call.args.length === params.length)) {
    const out = call.args.slice(0, params.length);
    if (sig.varargs) out.push(call.args.slice(params.length));
    if (sig.varkw) out.push(new Map<string, Value>());
    return out;
  }
  return bindSlow(sig, call);
}

function bindSlow(sig: Signature, call: CallArgs): Value[] {
  const { params } = sig;
  const out: Value[] = new Array(params.length);
  const filled: boolean[] = new Array(params.length).fill(false);
  const nPos = call.args.length;
  const n = Math.min(nPos, params.length);
  for (let i = 0; i < n; i++) {
    out[i] = call.args[i];
    filled[i] = true;
  }
  const extraKw = new Map<string, Value>();
  for (const [k, v] of call.kwargs) {
    const i = params.findIndex((p) => p.name === k);
    if (i === -1) {
      if (sig.varkw) extraKw.set(k, v);
      else throw runtimeError("arguments", `${sig.name}() got an unexpected keyword argument '${k}'`);
      continue;
    }
    if (filled[i]) throw runtimeError("arguments", `${sig.name}() got multiple values for argument '${k}'`);
    out[i] = v;
    filled[i] = true;
  }
  // CPython reports keyword errors before a positional overflow
  if (nPos > params.length && !sig.varargs) {
    const required = params.filter((p) => !p.hasDefault).length;
    const takes = required === params.length ? `${params.length}` : `from ${required} to ${params.length}`;
    const plural = params.length === 1 && required === params.length ? "argument" : "arguments";
    throw runtimeError("arguments", `${sig.name}() takes ${takes} positional ${plural} but ${nPos} ${nPos === 1 ? "was" : "were"} given`);
  }
  const missing: string[] = [];
  for (let i = 0; i < params.length; i++) {
    if (filled[i]) continue;
    if (params[i].hasDefault) out[i] = params[i].default as Value;
    else missing.push(params[i].name);
  }
  if (missing.length > 0) {
    const names = missing.map((m) => `'${m}'`);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
    throw runtimeError("arguments", `${sig.name}() missing ${missing.length} required positional argument${missing.length === 1 ? "" : "s"}: ${list}`);
  }
  if (sig.varargs) out.push(call.args.slice(params.length));
  if (sig.varkw) out.push(extraKw);
  return out;
}

/** A builtin: name, signature and implementation over the bound argument slots. */
export interface Builtin<C = unknown> {
  readonly name: string;
  readonly sig: Signature;
  readonly impl: (a: Value[], ctx: C) => Value;
}

/** Declares a builtin with a jinja2-style spec, e.g. `builtin("indent", "s, width=4, first=False, blank=False", impl)`. */
export function builtin<C>(name: string, spec: string, impl: (a: Value[], ctx: C) => Value): Builtin<C> {
  return { name, sig: signature(name, spec), impl };
}

/** Calls a builtin with Python argument binding. */
export function callBuiltin<C>(b: Builtin<C>, call: CallArgs, ctx: C): Value {
  return b.impl(bind(b.sig, call), ctx);
}

const NO_KWARGS: ReadonlyMap<string, Value> = new Map();

/** CallArgs from positional values only. */
export function positional(...args: Value[]): CallArgs {
  return { args, kwargs: NO_KWARGS as Map<string, Value> };
}
