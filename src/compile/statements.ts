// Statement nodes → closures, once per template. A closure writes to the frame's output and returns a
// signal (NEXT, BREAK, CONTINUE), so loop controls need no exceptions.
import type * as ast from "../syntax/ast.ts";
import { descendants, type Node } from "../syntax/children.ts";
import { TemplateError, runtimeError } from "../errors.ts";
import { PyIterator } from "../runtime/iterators.ts";
import { LoopItems, LoopObject } from "../runtime/loop.ts";
import type { MessageTracker } from "../runtime/messages.ts";
import { bindMacroArgs, type MacroSignature } from "../runtime/macro.ts";
import { pyStr } from "../runtime/pystr.ts";
import { iterate } from "../runtime/sequences.ts";
import { ITERATION, LOOP_END } from "../spans/regions.ts";
import { Callable, Namespace, SpannedString, Tuple, Undefined, truthy, type CallArgs, type Value } from "../runtime/value.ts";
import { compileArgs, compileExpr, compileFilter, compileOutputExpr, plain, type Eval } from "./expressions.ts";
import { at, located, toTemplateError, type CompileContext } from "./locate.ts";
import { frameNames, knownInside, localsInit, targetNames, type FrameNames } from "./locals.ts";
import { Scope, childFrame, resolve, type Frame } from "./scope.ts";

export const NEXT = 0;
export const BREAK = 1;
export const CONTINUE = 2;
export type Signal = 0 | 1 | 2;

/** A compiled statement (or statement list). */
export type Exec = (f: Frame) => Signal;

export function compileBody(body: readonly ast.Stmt[], cx: CompileContext): Exec {
  const stmts = body.map((s) => compileStmt(s, cx));
  if (stmts.length === 0) return () => NEXT;
  if (stmts.length === 1) return stmts[0];
  return (f) => {
    for (let i = 0; i < stmts.length; i++) {
      const sig = stmts[i](f);
      if (sig !== NEXT) return sig;
    }
    return NEXT;
  };
}

/** The body of a frame of its own (set/filter block, region, for-else, template): its stored-first names
 *  start as locals.ts says. The frame passed in must have a fresh scope. */
export function compileFrameBody(body: readonly ast.Stmt[], cx: CompileContext, names: FrameNames = frameNames({ body })): Exec {
  const [icx, init] = enterFrame(names, cx);
  const exec = compileBody(body, icx);
  if (init === null) return exec;
  return (f) => {
    init(f);
    return exec(f);
  };
}

/** A nested frame: the context its code compiles in (its names known) and its scope's initializer. */
function enterFrame(names: FrameNames, cx: CompileContext): [CompileContext, ((f: Frame) => void) | null] {
  const icx = inner(cx);
  return [{ ...icx, known: knownInside(cx.known, names) }, localsInit(names, cx.known)];
}

function compileStmt(node: ast.Stmt, cx: CompileContext): Exec {
  switch (node.kind) {
    case "Text": {
      // only the output limit can fail here; the enclosing statement gives the place
      const text = node.value;
      return (f: Frame) => {
        f.state.out.write(text);
        return NEXT;
      };
    }
    case "Output": {
      const expr = compileOutputExpr(node.expr, cx);
      const { loc } = node;
      const { source } = cx;
      return (f: Frame) => {
        try {
          emit(f, expr(f));
        } catch (e) {
          throw toTemplateError(e, loc, source);
        }
        return NEXT;
      };
    }
    case "If": {
      // jinja2 compiles if-branches in a "soft" frame: unknown filters there fail only when run
      const soft = { ...cx, soft: true };
      const test = compileExpr(node.test, soft);
      const body = compileBody(node.body, soft);
      const orelse = compileBody(node.orelse, soft);
      return (f) => (truthy(test(f)) ? body(f) : orelse(f));
    }
    case "For":
      return compileFor(node, cx);
    case "Set": {
      const value = compileExpr(node.value, cx);
      const assign = compileAssign(node.target, cx);
      return (f) => {
        assign(f, value(f));
        return NEXT;
      };
    }
    case "SetBlock": {
      const names = frameNames({ body: node.body });
      const body = compileFrameBody(node.body, cx, names);
      const assign = compileAssign(node.target, cx);
      // jinja2 applies the filter in the block's frame, after the body: it sees the body's assignments
      const filter = node.filter ? compileFilterChain(node.filter, enterFrame(names, cx)[0]) : null;
      return at(cx, node.loc, (f: Frame): Signal => {
        const blockFrame = childFrame(f);
        const [captured, sig] = captureWithSignal(f, blockFrame, body);
        // a loop control inside the block leaves it at once, as the inlined Python code does
        if (sig !== NEXT) return sig;
        assign(f, filter ? filter(blockFrame, captured) : captured);
        return NEXT;
      });
    }
    case "FilterBlock": {
      const names = frameNames({ body: node.body }, { exprs: [node.filter] });
      const body = compileFrameBody(node.body, cx, names);
      // as for set blocks, the filter runs in the block's frame after the body
      const filter = compileFilterChain(node.filter, enterFrame(names, cx)[0]);
      return at(cx, node.loc, (f: Frame): Signal => {
        const blockFrame = childFrame(f);
        const [captured, sig] = captureWithSignal(f, blockFrame, body);
        if (sig !== NEXT) return sig;
        emit(f, filter(blockFrame, captured));
        return NEXT;
      });
    }
    case "Macro": {
      const make = compileMacro(node.name, node.params, node.body, cx, node.loc);
      const name = node.name;
      return (f) => {
        f.scope.set(name, make(f));
        return NEXT;
      };
    }
    case "CallBlock": {
      const callee = compileExpr(node.call.callee, cx);
      const args = compileArgs(node.call, cx);
      const makeCaller = compileMacro("caller", node.params, node.body, cx, node.loc);
      return at(cx, node.loc, (f: Frame) => {
        const a = args(f);
        const kwargs = new Map(a.kwargs).set("caller", makeCaller(f));
        emit(f, f.state.call(callee(f), { args: a.args, kwargs }));
        return NEXT;
      });
    }
    case "With": {
      const values = node.values.map((v) => compileExpr(v, cx));
      const targets = node.targets.map((t) => compileAssign(t, cx));
      const [icx, init] = enterFrame(frameNames({ targets: node.targets }, { body: node.body }), cx);
      const body = compileBody(node.body, icx);
      return (f) => {
        const vals = values.map((v) => v(f));
        const inner = childFrame(f);
        init?.(inner);
        for (let i = 0; i < targets.length; i++) targets[i](inner, vals[i]);
        return body(inner);
      };
    }
    case "Break":
      return () => BREAK;
    case "Continue":
      return () => CONTINUE;
    case "Region": {
      const body = compileFrameBody(node.body, cx);
      const label = node.label;
      return (f) => {
        // transformers renders the body as a call block: `{% set %}` inside it stays local
        f.state.out.openRegion(label);
        const sig = body(childFrame(f));
        f.state.out.closeRegion();
        return sig;
      };
    }
  }
}

/** The context for a body jinja2 compiles in an inner frame (not soft). */
function inner(cx: CompileContext): CompileContext {
  return cx.soft ? { ...cx, soft: false } : cx;
}

/** Prints a value: captured output keeps its spans, everything else goes through Python's str(). */
function emit(f: Frame, v: Value): void {
  if (typeof v === "string") f.state.out.write(v);
  else if (v instanceof SpannedString) f.state.out.writeCaptured(v);
  else f.state.out.write(pyStr(v));
}

/** Runs body into a capture buffer; the result is a str, or a SpannedString when it holds spans. */
function capture(f: Frame, inner: Frame, body: Exec): Value {
  return captureWithSignal(f, inner, body)[0];
}

function captureWithSignal(f: Frame, inner: Frame, body: Exec): [Value, Signal] {
  const out = f.state.out;
  out.pushCapture();
  let c;
  let sig: Signal;
  try {
    sig = body(inner);
  } finally {
    c = out.popCapture();
  }
  return [c.spans.length > 0 ? new SpannedString(c.text, c.spans) : c.text, sig];
}

/** A filter chain whose innermost operand is block output (filter blocks, `{% set x | f %}`). */
function compileFilterChain(node: ast.Filter, cx: CompileContext): (f: Frame, input: Value) => Value {
  // the operand slot is filled per call through this holder
  let current: Value = "";
  const build = (n: ast.Filter): Eval => compileFilter(n, n.node === null ? () => current : build(n.node as ast.Filter), cx);
  const chain = build(node);
  return (f, input) => {
    const saved = current;
    current = input;
    try {
      return chain(f);
    } finally {
      current = saved;
    }
  };
}

type Assign = (f: Frame, v: Value) => void;

function compileAssign(target: ast.AssignTarget, cx: CompileContext): Assign {
  switch (target.kind) {
    case "NameTarget": {
      const name = target.name;
      return (f, v) => f.scope.set(name, v);
    }
    case "AttrTarget": {
      const { object, attr } = target;
      return located(cx, target.loc, (f: Frame, v: Value) => {
        const ns = resolve(f, object);
        if (!(ns instanceof Namespace)) throw runtimeError("template-runtime", "cannot assign attribute on non-namespace object");
        ns.attrs.set(attr, v);
      });
    }
    case "TupleTarget": {
      const items = target.items.map((t) => compileAssign(t, cx));
      const n = items.length;
      return located(cx, target.loc, (f: Frame, v: Value) => {
        const vals = iterate(plain(f, v));
        if (vals.length < n) throw runtimeError("value", `not enough values to unpack (expected ${n}, got ${vals.length})`);
        if (vals.length > n) throw runtimeError("value", `too many values to unpack (expected ${n})`);
        for (let i = 0; i < n; i++) items[i](f, vals[i]);
      });
    }
  }
}

function compileFor(node: ast.For, cx: CompileContext): Exec {
  const iter = compileExpr(node.iter, cx);
  const assign = compileAssign(node.target, cx);
  const filter = node.filter ? compileExpr(node.filter, inner(cx)) : null;
  const [bodyCx, init] = enterFrame(frameNames({ params: targetNames(node.target) }, { body: node.body }), cx);
  const body = compileBody(node.body, bodyCx);
  const orelse = compileFrameBody(node.orelse, cx);
  const recursive = node.recursive;
  // inferred spans: an iteration is attributed to the message its item is, so the target must be one name
  const trackable = node.target.kind === "NameTarget";
  const loopLoc = node.loc;

  /**
   * Runs the loop and, when no iteration finished its body, the else block (jinja2 clears its iteration
   * flag at the end of the body, so iterations left by `continue` or `break` do not count). Returns the
   * else block's signal (a loop control in it acts on the enclosing loop) and the message loop execution
   * (or -1).
   */
  const run = (f: Frame, iterable: Value, depth0: number): [Signal, number] => {
    const state = f.state;
    const source = plain(f, iterable);
    // a generator is read lazily: only as far as the loop gets (message views are never generators)
    if (source instanceof PyIterator) return runItems(f, lazyItems(f, source), depth0);
    const all = iterate(source);
    // inferred spans: the message index of each item when the iterable is a message view
    const tracker = state.messages;
    const view = tracker !== null && trackable ? tracker.viewOf(iterable) : undefined;
    let items = all;
    let indices: number[] | undefined;
    if (view !== undefined) {
      indices = new Array<number>(all.length);
      for (let j = 0; j < all.length; j++) indices[j] = view.start + j * view.step;
    }
    if (filter !== null) {
      items = [];
      const kept: number[] = [];
      for (let j = 0; j < all.length; j++) {
        const probe = childFrame(f);
        assign(probe, all[j]);
        if (truthy(filter(probe))) {
          items.push(all[j]);
          if (indices !== undefined) kept.push(indices[j]);
        }
      }
      if (indices !== undefined) indices = kept;
    }
    return runItems(f, new LoopItems(items), depth0, indices);
  };

  /** jinja2 compiles `for x in it if cond` to a generator over `it`: filtered items are pulled lazily. */
  const lazyItems = (f: Frame, source: PyIterator): LoopItems => {
    if (filter === null) return new LoopItems([], source);
    return new LoopItems([], (function* () {
      for (const item of source) {
        const probe = childFrame(f);
        assign(probe, item);
        if (truthy(filter(probe))) yield item;
      }
    })());
  };

  const runItems = (f: Frame, items: LoopItems, depth0: number, indices?: number[]): [Signal, number] => {
    const state = f.state;
    const tracker = state.messages;
    const exec = indices !== undefined ? (tracker as MessageTracker).startLoop(loopLoc) : -1;
    const only = tracker !== null ? tracker.only : null;
    const out = state.out;
    const loop = new LoopObject(items, depth0, recursive ? (it: Value) => recurse(f, it, depth0 + 1) : null);
    let finished = false;
    for (let i = 0; items.has(i); i++) {
      state.countIteration();
      loop.index0 = i;
      const scope = new Scope(f.scope);
      const inner = childFrame(f, scope);
      init?.(inner);
      scope.set("loop", loop);
      assign(inner, items.at(i));
      let sig: Signal;
      if (indices === undefined || (only !== null && indices[i] !== only)) sig = body(inner);
      else {
        out.openRegion(ITERATION, (tracker as MessageTracker).iterations.add(exec, indices[i]));
        sig = body(inner);
        out.closeRegion();
      }
      if (sig === NEXT) finished = true;
      else if (sig === BREAK) break;
    }
    // a recursive loop renders its else block inside the loop function: once per call of loop(...)
    return [finished ? NEXT : orelse(childFrame(f)), exec];
  };

  const recurse = (f: Frame, it: Value, depth0: number): Value => {
    f.state.enter();
    try {
      const out = f.state.out;
      out.pushCapture();
      let c;
      try {
        // a loop control in the else block of a recursive loop is refused at compile time
        const exec = run(f, it, depth0)[1];
        if (exec >= 0) out.mark(LOOP_END, exec);
      } finally {
        c = out.popCapture();
      }
      return c.spans.length > 0 ? new SpannedString(c.text, c.spans) : c.text;
    } finally {
      f.state.leave();
    }
  };

  return at(cx, loopLoc, (f: Frame): Signal => {
    const iterable = iter(f);
    // jinja2 renders a recursive loop as a function into a buffer: transformers' arithmetic sees it so
    if (recursive) f.state.out.openBuffer();
    try {
      const [sig, exec] = run(f, iterable, 0);
      if (exec >= 0) f.state.out.mark(LOOP_END, exec);
      return sig;
    } finally {
      if (recursive) f.state.out.closeBuffer();
    }
  });
}

/** Does the body mention `name` (jinja2 find_undeclared for caller / varargs / kwargs)? */
function mentions(nodes: readonly Node[], name: string): boolean {
  for (const n of descendants(nodes)) if (n.kind === "Name" && n.name === name) return true;
  return false;
}

/** A macro (or a call block's caller): returns a factory that closes over the defining frame. */
function compileMacro(name: string, params: readonly ast.Param[], bodyNodes: readonly ast.Stmt[], cx: CompileContext, loc: ast.Macro["loc"]): (def: Frame) => Callable {
  const names = params.map((p) => p.name);
  const [icx, init] = enterFrame(frameNames({ params: names }, { exprs: params.map((p) => p.default) }, { body: bodyNodes }), cx);
  const body = compileBody(bodyNodes, icx);
  const defaults = params.map((p) => (p.default ? compileExpr(p.default, icx) : null));
  const sig: MacroSignature = {
    name,
    params: names,
    hasDefault: params.map((p) => p.default !== null),
    catchVarargs: mentions(bodyNodes, "varargs"),
    catchKwargs: mentions(bodyNodes, "kwargs"),
    usesCaller: mentions(bodyNodes, "caller"),
  };
  const source = cx.source;
  const attrs = new Map<string, Value>([
    ["arguments", new Tuple(names)],
    ["catch_kwargs", sig.catchKwargs],
    ["catch_varargs", sig.catchVarargs],
    ["caller", sig.usesCaller],
  ]);
  return (def) =>
    new Callable(
      name,
      (args: CallArgs) => {
        const state = def.state;
        const bound = bindMacroArgs(sig, args);
        const scope = new Scope(def.scope);
        const inner = childFrame(def, scope);
        init?.(inner);
        // jinja2 binds every argument before it evaluates the defaults, in order: a default reads the
        // parameters after it as passed, or Undefined
        const slots = bound.slots;
        for (let i = 0; i < names.length; i++) scope.set(names[i], slots[i] ?? new Undefined(names[i]));
        if (sig.catchVarargs) scope.set("varargs", new Tuple(bound.varargs));
        if (sig.catchKwargs) scope.set("kwargs", bound.kwargs);
        if (sig.usesCaller) scope.set("caller", bound.caller ?? resolve(def, "caller"));
        for (let i = 0; i < names.length; i++) {
          const d = defaults[i];
          if (slots[i] === null) scope.set(names[i], d !== null ? d(inner) : null);
        }
        state.enter();
        try {
          return capture(def, inner, body);
        } catch (e) {
          throw e instanceof TemplateError ? e : toTemplateError(e, loc, source);
        } finally {
          state.leave();
        }
      },
      "macro",
      attrs,
    );
}
