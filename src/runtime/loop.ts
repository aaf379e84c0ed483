// The `loop` object of a for loop (jinja2 LoopContext): index, length, previtem, cycle, changed …
// and, for recursive loops, calling it renders the body on a child sequence.
import { runtimeError } from "../errors.ts";
import { pyEquals } from "./ops.ts";
import { Callable, PyObject, Undefined, type CallArgs, type Value } from "./value.ts";

export class LoopObject extends PyObject {
  private readonly items: readonly Value[];
  index0 = 0;
  readonly depth0: number;
  private lastChanged: Value[] | undefined;
  /** For recursive loops: renders the loop body over a new iterable at depth + 1. */
  private readonly recurse: ((iter: Value) => Value) | null;

  constructor(items: readonly Value[], depth0: number, recurse: ((iter: Value) => Value) | null) {
    super();
    this.items = items;
    this.depth0 = depth0;
    this.recurse = recurse;
  }

  get typeName(): string {
    return "jinja2.runtime.LoopContext object";
  }

  toPyStr(): string {
    return `<LoopContext ${this.index0 + 1}/${this.items.length}>`;
  }

  getAttr(name: string): Value | undefined {
    const n = this.items.length;
    const i = this.index0;
    switch (name) {
      case "index":
        return i + 1;
      case "index0":
        return i;
      case "revindex":
        return n - i;
      case "revindex0":
        return n - i - 1;
      case "first":
        return i === 0;
      case "last":
        return i === n - 1;
      case "length":
        return n;
      case "depth":
        return this.depth0 + 1;
      case "depth0":
        return this.depth0;
      case "previtem":
        return i > 0 ? this.items[i - 1] : new Undefined(undefined, undefined, false, "there is no previous item");
      case "nextitem":
        return i + 1 < n ? this.items[i + 1] : new Undefined(undefined, undefined, false, "there is no next item");
      case "cycle":
        return new Callable("cycle", (a: CallArgs) => {
          if (a.args.length === 0) throw runtimeError("type", "no items for cycling given");
          return a.args[i % a.args.length];
        }, "method");
      case "changed":
        return new Callable("changed", (a: CallArgs) => {
          const prev = this.lastChanged;
          this.lastChanged = a.args;
          return prev === undefined || !pyEquals(prev, a.args);
        }, "method");
      default:
        return undefined;
    }
  }

  /** Calling `loop(children)` in a recursive loop. */
  override call(args: CallArgs): Value {
    if (this.recurse === null) {
      throw runtimeError("type", "Tried to call non recursive loop.  Maybe you forgot the 'recursive' modifier.");
    }
    if (args.args.length !== 1) throw runtimeError("arguments", "loop() takes exactly one argument");
    return this.recurse(args.args[0]);
  }
}
