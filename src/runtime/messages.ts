// Message views for inferred spans: the caller's `messages` list and every list sliced from a view,
// each with the message index of every item. Identity, not equality: a filtered or rebuilt list is not
// a view. Only exists during a render that infers spans.
import type { Loc } from "../source.ts";
import { IterationTable } from "../spans/regions.ts";
import { sliceValue } from "./sequences.ts";
import type { Value } from "./value.ts";

export class MessageTracker {
  private readonly views = new WeakMap<object, readonly number[]>();
  /** The `for` statement of each message loop execution, by execution number. */
  readonly loops: Loc[] = [];
  /** Execution and message of every iteration span's id. */
  readonly iterations = new IterationTable();
  /** Top-level output length when add_generation_prompt was first read, or null before. */
  generationPromptReadAt: number | null = null;

  constructor(messages: readonly Value[]) {
    this.views.set(messages, messages.map((_, i) => i));
  }

  /** The message index of each item when v is a message view. */
  indicesOf(v: Value): readonly number[] | undefined {
    return v !== null && typeof v === "object" ? this.views.get(v) : undefined;
  }

  /** `result` is `source[start:stop:step]`: when source is a view, so is result. */
  noteSlice(source: Value, result: Value, start: Value, stop: Value, step: Value): void {
    const indices = this.indicesOf(source);
    if (indices === undefined || result === null || typeof result !== "object") return;
    this.views.set(result, sliceValue(indices as Value[], start, stop, step) as number[]);
  }

  /** Starts a message loop execution and returns its number. */
  startLoop(loc: Loc): number {
    this.loops.push(loc);
    return this.loops.length - 1;
  }
}
