// Message views for inferred spans: the caller's `messages` list and every list sliced from a view,
// each with the message index of every item. Identity, not equality: a filtered or rebuilt list is not
// a view. Only exists during a render that infers spans.
import type { Loc } from "../source.ts";
import { IterationTable } from "../spans/regions.ts";
import { sliceIndices } from "./strings.ts";
import type { Value } from "./value.ts";

/** The message indices of a view's items: start, start + step, … (slices keep that shape). */
export interface View {
  readonly start: number;
  readonly step: number;
}

export class MessageTracker {
  private readonly views = new WeakMap<object, View>();
  /** The `for` statement of each message loop execution, by execution number. */
  readonly loops: Loc[] = [];
  /** Execution and message of every iteration span's id. */
  readonly iterations = new IterationTable();
  /** Top-level output length when add_generation_prompt was first read, or null before. */
  generationPromptReadAt: number | null = null;
  /** Record the iterations of this message only (a prompt render needs one); null: every message. */
  readonly only: number | null;
  /** tojson results of values the render cannot change (the immutable sandbox), shared by the renders of one inference. */
  readonly jsonCache: WeakMap<object, string> | null;

  constructor(messages: readonly Value[], only: number | null = null, jsonCache: WeakMap<object, string> | null = null) {
    this.views.set(messages, { start: 0, step: 1 });
    this.only = only;
    this.jsonCache = jsonCache;
  }

  /** The view when v is one. */
  viewOf(v: Value): View | undefined {
    return v !== null && typeof v === "object" ? this.views.get(v) : undefined;
  }

  /** `result` is `source[start:stop:step]` of a list (the bounds were valid): when source is a view, so is result. */
  noteSlice(source: Value, result: Value, start: Value, stop: Value, step: Value): void {
    const view = this.viewOf(source);
    if (view === undefined || !Array.isArray(result)) return;
    const [first, , stride] = sliceIndices((source as readonly Value[]).length, bound(start), bound(stop), bound(step));
    this.views.set(result, { start: view.start + first * view.step, step: stride * view.step });
  }

  /** Starts a message loop execution and returns its number. */
  startLoop(loc: Loc): number {
    this.loops.push(loc);
    return this.loops.length - 1;
  }
}

/** A slice bound as sliceValue accepted it: None, an int or a bool. */
function bound(v: Value): number | null {
  return v === null || v === undefined ? null : typeof v === "boolean" ? Number(v) : (v as number);
}
