// Python's one-shot iterators: the generators jinja2's map / select / batch / … filters return and the
// iterators reversed() gives. Knows nothing of filters: they hand it a JS generator, which runs lazily.
import { PyObject, type Value } from "./value.ts";

/**
 * A Python iterator: lazy (an item is computed, and may raise, only when read) and consumed once (a
 * second `for` over it sees what the first left). Always truthy; no len(), no subscript, no JSON.
 */
export class PyIterator extends PyObject {
  /** Python's type name: "generator", "list_reverseiterator", "reversed", "dict_reversekeyiterator" … */
  readonly pyType: string;
  /** For a generator, the generator function's name, as printed (`<generator object sync_do_map at …>`). */
  readonly funcName: string | null;
  private source: Iterator<Value> | null;

  constructor(pyType: string, funcName: string | null, source: Iterator<Value>) {
    super();
    this.pyType = pyType;
    this.funcName = funcName;
    this.source = source;
  }

  get typeName(): string {
    return `${this.pyType} object`;
  }

  getAttr(name: string): Value | undefined {
    // a generator is never running while a template reads it
    return this.pyType === "generator" && name === "gi_running" ? false : undefined;
  }

  // jinja2's sandbox refuses a generator's gi_frame and gi_code (UNSAFE_GENERATOR_ATTRIBUTES)
  override isUnsafeAttr(name: string): boolean {
    return name.startsWith("_") || (this.pyType === "generator" && (name === "gi_frame" || name === "gi_code"));
  }

  /** Python repr; the address is a fixed placeholder (Python prints the object's id). */
  toPyStr(): string {
    const what = this.funcName === null ? `${this.pyType} object` : `${this.pyType} object ${this.funcName}`;
    return `<${what} at 0x000000000000>`;
  }

  /** next(it): the next item, or `done` once exhausted (and forever after). */
  next(): IteratorResult<Value, undefined> {
    if (this.source === null) return { done: true, value: undefined };
    const r = this.source.next();
    if (r.done === true) {
      this.source = null;
      return { done: true, value: undefined };
    }
    return { done: false, value: r.value };
  }

  /** list(it): every remaining item; the iterator is exhausted afterwards. */
  drain(): Value[] {
    const out: Value[] = [];
    for (let r = this.next(); r.done !== true; r = this.next()) out.push(r.value);
    return out;
  }

  [Symbol.iterator](): Iterator<Value> {
    return { next: () => this.next() };
  }
}

/**
 * A jinja2 filter's generator. `body` is a JS generator function: it starts only when the first item is
 * read, so its errors (an unknown filter name, a non-iterable value) wait until then, as in Python.
 */
export function generator(funcName: string, body: () => Generator<Value, void, undefined>): PyIterator {
  return new PyIterator("generator", funcName, body());
}
