// The `loop` object of a for loop (jinja2 LoopContext): index, length, previtem, cycle, changed …
// and, for recursive loops, calling it renders the body on a child sequence.
import { runtimeError } from "../errors.ts";
import { pyEquals } from "./ops.ts";
import { Callable, PyObject, Undefined, type CallArgs, type Value } from "./value.ts";

/**
 * The items of a for loop, read only as far as the loop needs them. Over a generator this is Python's
 * LoopContext: `last` / `nextitem` peek one item ahead, `length` / `revindex` list the rest, and what the
 * loop never read (after a `break`) stays in the generator.
 */
export class LoopItems {
  private readonly buf: Value[];
  private source: Iterator<Value> | null;

  /** `items` read in place (not copied), or `source` pulled on demand. */
  constructor(items: readonly Value[], source: Iterator<Value> | null = null) {
    // pushed to only when there is a source, which starts from a fresh array
    this.buf = items as Value[];
    this.source = source;
  }

  /** Whether there is an item at index i, reading up to it. */
  has(i: number): boolean {
    while (i >= this.buf.length && this.source !== null) {
      const r = this.source.next();
      if (r.done === true) this.source = null;
      else this.buf.push(r.value);
    }
    return i < this.buf.length;
  }

  /** The item at i (read by `has`). */
  at(i: number): Value {
    return this.buf[i];
  }

  /** How many items there are, reading all of them. */
  get length(): number {
    while (this.source !== null) this.has(this.buf.length);
    return this.buf.length;
  }
}

export class LoopObject extends PyObject {
  private readonly items: LoopItems;
  index0 = 0;
  readonly depth0: number;
  private lastChanged: Value[] | undefined;
  /** For recursive loops: renders the loop body over a new iterable at depth + 1. */
  private readonly recurse: ((iter: Value) => Value) | null;

  constructor(items: LoopItems | readonly Value[], depth0: number, recurse: ((iter: Value) => Value) | null) {
    super();
    this.items = items instanceof LoopItems ? items : new LoopItems(items);
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
    const items = this.items;
    const i = this.index0;
    switch (name) {
      case "index":
        return i + 1;
      case "index0":
        return i;
      case "revindex":
        return items.length - i;
      case "revindex0":
        return items.length - i - 1;
      case "first":
        return i === 0;
      case "last":
        return !items.has(i + 1);
      case "length":
        return items.length;
      case "depth":
        return this.depth0 + 1;
      case "depth0":
        return this.depth0;
      case "previtem":
        return i > 0 ? items.at(i - 1) : new Undefined(undefined, undefined, false, "there is no previous item");
      case "nextitem":
        return items.has(i + 1) ? items.at(i + 1) : new Undefined(undefined, undefined, false, "there is no next item");
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
