// Expression nodes → closures, once per template. Each closure that can fail attaches its node's loc
// to the error (the innermost wins), as minijinja's vm does.
import type * as ast from "../syntax/ast.ts";
import { TemplateAssertionError, TemplateError, runtimeError } from "../errors.ts";
import { binaryOp, compareValues, contains, pyEquals, unaryOp } from "../runtime/ops.ts";
import { fixedAttrGetter, callAttr, getItem } from "../runtime/sandbox.ts";
import { iterate, sliceValue, storedKey } from "../runtime/sequences.ts";
import { shiftSpan } from "../spans/output.ts";
import { callBuiltin, type Builtin } from "../runtime/args.ts";
import type { RenderState } from "../runtime/state.ts";
import {
  Callable,
  Float,
  Markup,
  SpannedString,
  Tuple,
  UNDEFINED,
  Undefined,
  dictEntries,
  isDict,
  truthy,
  undefinedError,
  type CallArgs,
  type Value,
} from "../runtime/value.ts";
import { resolve, resolveFree, type Frame } from "./scope.ts";
import { at, toTemplateError, type CompileContext } from "./locate.ts";

/** A compiled expression. */
export type Eval = (f: Frame) => Value;

export function compileExpr(node: ast.Expr, cx: CompileContext): Eval {
  switch (node.kind) {
    case "Name": {
      const name = node.name;
      const get: Eval = !cx.boundNames.has(name) ? (f) => resolveFree(f, name) : (f) => resolve(f, name);
      if (name !== "add_generation_prompt") return get;
      // inferred spans: until this read, the prompt renders with and without the generation prompt agree
      return (f) => {
        const m = f.state.messages;
        if (m !== null && m.generationPromptReadAt === null) m.generationPromptReadAt = f.state.out.topLength;
        return get(f);
      };
    }
    case "Const": {
      const v: Value = node.isFloat && typeof node.value === "number" && Number.isInteger(node.value) ? new Float(node.value) : node.value;
      return () => v;
    }
    case "List": {
      const items = node.items.map((e) => compileExpr(e, cx));
      return (f) => items.map((e) => plain(f, e(f)));
    }
    case "Tuple": {
      const items = node.items.map((e) => compileExpr(e, cx));
      return (f) => new Tuple(items.map((e) => plain(f, e(f))));
    }
    case "Dict": {
      const keys = node.keys.map((e) => compileExpr(e, cx));
      const values = node.values.map((e) => compileExpr(e, cx));
      return (f) => {
        const m = new Map<Value, Value>();
        for (let i = 0; i < keys.length; i++) m.set(storedKey(m, plain(f, keys[i](f))), plain(f, values[i](f)));
        return m;
      };
    }
    case "GetAttr": {
      const obj = compileExpr(node.object, cx);
      const get = fixedAttrGetter(node.attr, cx.options.immutable);
      const { loc } = node;
      const { source } = cx;
      // try/catch inline rather than through `at`: this is the hottest node of real templates
      return (f) => {
        try {
          return get(plain(f, obj(f)));
        } catch (e) {
          throw toTemplateError(e, loc, source);
        }
      };
    }
    case "GetItem": {
      const obj = compileExpr(node.object, cx);
      const immutable = cx.options.immutable;
      if (node.index.kind === "Slice") {
        const s = node.index;
        const start = s.start ? compileExpr(s.start, cx) : null;
        const stop = s.stop ? compileExpr(s.stop, cx) : null;
        const step = s.step ? compileExpr(s.step, cx) : null;
        return at(cx, node.loc, (f) => {
          const o = plain(f, obj(f));
          if (o instanceof Undefined) throw undefinedError(o);
          const a = start ? start(f) : null;
          const b = stop ? stop(f) : null;
          const c = step ? step(f) : null;
          const r = sliceValue(o, a, b, c);
          // inferred spans: a slice of the messages is a message view too
          if (f.state.messages !== null) f.state.messages.noteSlice(o, r, a, b, c);
          return r;
        });
      }
      const index = compileExpr(node.index, cx);
      return at(cx, node.loc, (f) => getItem(plain(f, obj(f)), plain(f, index(f)), immutable));
    }
    case "Slice":
      throw runtimeError("syntax", "slice outside a subscript");
    case "Call": {
      const args = compileArgs(node, cx);
      const loc = node.loc;
      if (node.callee.kind === "GetAttr") {
        // `obj.method(...)`: no bound method is built for str/list/dict methods
        const obj = compileExpr(node.callee.object, cx);
        const name = node.callee.attr;
        const immutable = cx.options.immutable;
        const { source } = cx;
        return (f) => {
          const o = plain(f, obj(f));
          try {
            return callAttr(o, name, args(f), f.state, immutable);
          } catch (e) {
            throw toTemplateError(e, loc, source);
          }
        };
      }
      const callee = compileExpr(node.callee, cx);
      return at(cx, loc, (f) => {
        const c = callee(f);
        try {
          return f.state.call(c, args(f));
        } catch (e) {
          // an error inside a macro body already has its place; add where the macro was called from
          if (e instanceof TemplateError && e.loc !== undefined && c instanceof Callable && c.callableKind === "macro") {
            e.addFrame({ macro: c.name, callLoc: loc });
          }
          throw e;
        }
      });
    }
    case "Filter": {
      if (node.node === null) throw runtimeError("syntax", "filter without operand");
      return compileFilter(node, compileExpr(node.node, cx), cx);
    }
    case "Test": {
      // tests see the value itself: `x is defined` must not fail on Undefined
      const apply = compileApplied(node, compileExpr(node.node, cx), cx);
      return (f) => truthy(apply(f));
    }
    case "UnaryOp": {
      const operand = compileExpr(node.operand, cx);
      if (node.op === "not") return (f) => !truthy(operand(f));
      const op = node.op;
      return at(cx, node.loc, (f) => unaryOp(op, plain(f, operand(f))));
    }
    case "BinOp": {
      const left = compileExpr(node.left, cx);
      const right = compileExpr(node.right, cx);
      switch (node.op) {
        case "and":
          return (f) => {
            const l = left(f);
            return truthy(l) ? right(f) : l;
          };
        case "or":
          return (f) => {
            const l = left(f);
            return truthy(l) ? l : right(f);
          };
        case "+":
        case "~": {
          const op = node.op;
          const { loc } = node;
          const { source } = cx;
          return (f) => {
            try {
              const l = left(f);
              const r = right(f);
              if (op === "+" && typeof l === "string" && typeof r === "string") {
                f.state.checkStringLength(l.length + r.length);
                return l + r;
              }
              // Markup's `+` escapes the other side (markup.ts); it never carries spans
              if (op === "+" && (l instanceof Markup || r instanceof Markup)) return binaryOp(op, plain(f, l), plain(f, r), f.state);
              // concatenated output keeps its spans: `'<|im_start|>' + render_turn()`
              if ((l instanceof SpannedString || r instanceof SpannedString) && (op === "~" || (isStr(l) && isStr(r)))) {
                return concatSpanned(f, l, r);
              }
              return binaryOp(op, l, r, f.state);
            } catch (e) {
              throw toTemplateError(e, loc, source);
            }
          };
        }
        default: {
          const op = node.op;
          const { loc } = node;
          const { source } = cx;
          return (f) => {
            try {
              return binaryOp(op, plain(f, left(f)), plain(f, right(f)), f.state);
            } catch (e) {
              throw toTemplateError(e, loc, source);
            }
          };
        }
      }
    }
    case "Compare": {
      const first = compileExpr(node.left, cx);
      const { loc } = node;
      const { source } = cx;
      if (node.ops.length === 1 && (node.ops[0].op === "==" || node.ops[0].op === "!=")) {
        const negate = node.ops[0].op === "!=";
        const right = compileExpr(node.ops[0].right, cx);
        return (f) => {
          try {
            return pyEquals(plain(f, first(f)), plain(f, right(f))) !== negate;
          } catch (e) {
            throw toTemplateError(e, loc, source);
          }
        };
      }
      if (node.ops.length === 1) {
        const { op } = node.ops[0];
        const right = compileExpr(node.ops[0].right, cx);
        return (f) => {
          try {
            return compareOne(op, plain(f, first(f)), plain(f, right(f)));
          } catch (e) {
            throw toTemplateError(e, loc, source);
          }
        };
      }
      const ops = node.ops.map((o) => ({ op: o.op, right: compileExpr(o.right, cx) }));
      return (f) => {
        try {
          let l = plain(f, first(f));
          for (const { op, right } of ops) {
            const r = plain(f, right(f));
            if (!compareOne(op, l, r)) return false;
            l = r;
          }
          return true;
        } catch (e) {
          throw toTemplateError(e, loc, source);
        }
      };
    }
    case "CondExpr": {
      const soft = { ...cx, soft: true };
      const test = compileExpr(node.test, soft);
      const body = compileExpr(node.body, soft);
      const orelse = node.orelse ? compileExpr(node.orelse, soft) : null;
      return (f) => (truthy(test(f)) ? body(f) : orelse ? orelse(f) : UNDEFINED);
    }
  }
}

function compareOne(op: ast.CompareOpName, l: Value, r: Value): boolean {
  switch (op) {
    case "==":
      return pyEquals(l, r);
    case "!=":
      return !pyEquals(l, r);
    case "in":
      return contains(r, l);
    case "notin":
      return !contains(r, l);
    default:
      return compareValues(op, l, r);
  }
}

function isStr(v: Value): boolean {
  return typeof v === "string" || v instanceof SpannedString;
}

function concatSpanned(f: Frame, l: Value, r: Value): Value {
  const lt = l instanceof SpannedString ? l : null;
  const rt = r instanceof SpannedString ? r : null;
  const ls = lt ? lt.text : (binaryOp("~", l, "", f.state) as string);
  const rs = rt ? rt.text : (binaryOp("~", "", r, f.state) as string);
  f.state.checkStringLength(ls.length + rs.length);
  const spans = [...(lt ? lt.spans : []), ...(rt ? rt.spans.map((s) => shiftSpan(s, ls.length)) : [])];
  return new SpannedString(ls + rs, spans);
}

/**
 * The value as plain data: a SpannedString consumed by anything but output or concatenation loses its
 * spans, and says so in a warning rather than letting a mask go silently wrong.
 */
export function plain(f: Frame, v: Value): Value {
  if (v instanceof SpannedString && !(v instanceof Markup)) {
    if (v.spans.length > 0) f.state.out.dropSpans(v, "labeled output was used as a value (filter, method, operator or container)");
    return v.text;
  }
  return v;
}

/** Shared by calls without keyword arguments; never written (a call block copies before adding caller). */
const NO_KWARGS: Map<string, Value> = new Map();

type ArgsNode = ast.Args & { loc: ast.Call["loc"] };

/** Compiles positional, keyword, *args and **kwargs into one closure producing CallArgs. */
export function compileArgs(node: ArgsNode, cx: CompileContext): (f: Frame) => CallArgs {
  const args = node.args.map((e) => compileExpr(e, cx));
  const kwargs = node.kwargs.map((k) => ({ name: k.name, value: compileExpr(k.value, cx) }));
  const star = node.starArgs ? compileExpr(node.starArgs, cx) : null;
  const starKw = node.starKwargs ? compileExpr(node.starKwargs, cx) : null;
  if (!star && !starKw && kwargs.length === 0) {
    if (args.length === 0) return () => ({ args: [], kwargs: NO_KWARGS });
    if (args.length === 1) {
      const a0 = args[0];
      return (f) => ({ args: [a0(f)], kwargs: NO_KWARGS });
    }
    return (f) => ({ args: args.map((a) => a(f)), kwargs: NO_KWARGS });
  }
  return (f) => {
    const a = args.map((e) => e(f));
    if (star) for (const v of iterate(plain(f, star(f)))) a.push(v);
    const kw = new Map<string, Value>();
    for (const k of kwargs) kw.set(k.name, k.value(f));
    if (starKw) {
      const d = plain(f, starKw(f));
      if (!isDict(d)) throw runtimeError("type", "argument after ** must be a mapping");
      for (const [k, v] of dictEntries(d)) {
        if (typeof k !== "string") throw runtimeError("type", "keywords must be strings");
        kw.set(k, v);
      }
    }
    return { args: a, kwargs: kw };
  };
}

/** A filter applied to an operand closure; `operand` may also be captured block output. */
export function compileFilter(node: ast.Filter, operand: Eval, cx: CompileContext): Eval {
  return compileApplied(node, operand, cx);
}

/** A filter or test called with the operand first, resolved once at compile time. */
function compileApplied(node: ast.Filter | ast.Test, operand: Eval, cx: CompileContext): Eval {
  checkKnown(node, cx);
  const isFilter = node.kind === "Filter";
  const builtin = (isFilter ? cx.filters : cx.tests).get(node.name);
  const missing = `No ${isFilter ? "filter" : "test"} named '${node.name}' found.`;
  const extra = hasArgs(node) ? compileArgs(node, cx) : null;
  const direct = builtin !== undefined && extra === null ? operandOnly(builtin) : null;
  const { loc } = node;
  const { source } = cx;
  return (f) => {
    try {
      if (builtin === undefined) throw runtimeError(isFilter ? "unknown-filter" : "unknown-test", missing);
      const v = plain(f, operand(f));
      const r = direct !== null ? direct(v, f.state) : callBuiltin(builtin, withOperand(v, extra, f), f.state);
      // inferred spans: a filter's result is never a message view, even when it is the operand itself
      if (r === v && isFilter && f.state.messages !== null && f.state.messages.viewOf(r) !== undefined) return (r as Value[]).slice();
      return r;
    } catch (e) {
      throw toTemplateError(e, loc, source);
    }
  };
}

/**
 * A filter or test used without arguments whose other parameters all have defaults: the argument slots
 * are known at compile time, so the call skips binding.
 */
function operandOnly(b: Builtin<RenderState>): ((v: Value, state: RenderState) => Value) | null {
  const { params, varargs, varkw } = b.sig;
  if (varargs || varkw || params.length === 0 || !params.slice(1).every((p) => p.hasDefault)) return null;
  const defaults = params.slice(1).map((p) => p.default as Value);
  if (defaults.length === 0) return (v, state) => b.impl([v], state);
  return (v, state) => b.impl([v, ...defaults], state);
}

function hasArgs(node: ast.Args): boolean {
  return node.args.length > 0 || node.kwargs.length > 0 || node.starArgs !== null || node.starKwargs !== null;
}

/** The operand followed by the call's own arguments (filters and tests). */
function withOperand(v: Value, extra: ((f: Frame) => CallArgs) | null, f: Frame): CallArgs {
  if (extra === null) return { args: [v], kwargs: NO_KWARGS };
  const a = extra(f);
  return { args: [v, ...a.args], kwargs: a.kwargs };
}

/** jinja2 fails at compile time on an unknown filter or test, except in a soft frame (if / conditional). */
function checkKnown(node: ast.Filter | ast.Test, cx: CompileContext): void {
  if (cx.soft) return;
  const isFilter = node.kind === "Filter";
  if ((isFilter ? cx.filters : cx.tests).has(node.name)) return;
  throw new TemplateAssertionError(`No ${isFilter ? "filter" : "test"} named '${node.name}'.`, { loc: node.loc, source: cx.source }, isFilter ? "unknown-filter" : "unknown-test");
}

/**
 * The expression of `{{ … }}`. jinja2 evaluates an output expression made only of constants at compile
 * time, and a slice then goes through environment.getitem, which turns a TypeError into Undefined:
 * `{{ 17[1:] }}` prints nothing, while the same slice inside an if or a filter raises at run time.
 */
export function compileOutputExpr(node: ast.Expr, cx: CompileContext): Eval {
  const e = compileExpr(node, cx);
  if (node.kind !== "GetItem" || node.index.kind !== "Slice" || !isConstant(node.object)) return e;
  const sl = node.index;
  if (![sl.start, sl.stop, sl.step].every((p) => p === null || isConstant(p))) return e;
  // the optimizer folds the object first: an error there leaves the expression to run (and raise) at render
  // time; only the subscript's TypeError, through environment.getitem, becomes Undefined
  const object = compileExpr(node.object, cx);
  return (f) => {
    object(f);
    try {
      return e(f);
    } catch (err) {
      if (err instanceof TemplateError && err.kind === "type") return new Undefined();
      throw err;
    }
  };
}

/** Whether jinja2's optimizer can evaluate the expression at compile time (literals and operators on them). */
function isConstant(e: ast.Expr): boolean {
  switch (e.kind) {
    case "Const":
      return true;
    case "List":
    case "Tuple":
      return e.items.every(isConstant);
    case "Dict":
      return e.keys.every(isConstant) && e.values.every(isConstant);
    case "UnaryOp":
      return isConstant(e.operand);
    case "BinOp":
      return isConstant(e.left) && isConstant(e.right);
    case "Compare":
      return isConstant(e.left) && e.ops.every((o) => isConstant(o.right));
    case "CondExpr":
      return isConstant(e.test) && isConstant(e.body) && (e.orelse === null || isConstant(e.orelse));
    case "Test":
      // a test folds when its operand and arguments do (jinja2's _FilterTestCommon.as_const)
      return isConstant(e.node) && e.args.every(isConstant) && e.kwargs.every((k) => isConstant(k.value)) && e.starArgs === null && e.starKwargs === null;
    default:
      return false;
  }
}
