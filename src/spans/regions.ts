// Message regions: what each iteration of a message loop rendered, and where each message loop ended.
// They are recorded as spans with internal labels, so they travel with captured output (macros, call,
// set and filter blocks) exactly as labeled spans do, and are split off when the render finishes. An
// internal span's `id` numbers the iteration (or the loop execution, for a loop end) in the render's table.
import type { RawSpan, Span, SpanLabel } from "./output.ts";

/** Label of an iteration's span; its id indexes IterationTable. */
export const ITERATION = "\u0000iteration";
/** Label of the empty span where a message loop execution ended; its id is the execution's number. */
export const LOOP_END = "\u0000loop-end";

/** Internal labels never reach callers; `{% generation %}` and `{% think %}` labels are words. */
export function isInternal(label: string): boolean {
  return label.charCodeAt(0) === 0;
}

/** A label callers see (the region tags' labels). */
export function isSpanLabel(label: string): label is SpanLabel {
  return label === "assistant" || label === "think";
}

/** A span callers see. */
export function isCallerSpan(s: RawSpan): s is Span {
  return isSpanLabel(s.label);
}

/** Which execution and message each iteration id stands for. */
export class IterationTable {
  readonly exec: number[] = [];
  readonly message: number[] = [];

  add(exec: number, message: number): number {
    this.exec.push(exec);
    return this.message.push(message) - 1;
  }
}

/** An iteration's output range in the final text (UTF-16). */
export interface Iteration {
  exec: number;
  message: number;
  start: number;
  end: number;
}

/** The message-loop facts of one render, positions in UTF-16 units of the final text. */
export interface MessageRegions {
  iterations: Iteration[];
  /** Where message loop executions ended, with the execution's number. */
  loopEnds: { exec: number; at: number }[];
}

/** Splits finished spans into the caller's labeled spans and the message regions. */
export function splitSpans(spans: readonly RawSpan[], table: IterationTable): { labeled: Span[]; regions: MessageRegions } {
  const labeled: Span[] = [];
  const regions: MessageRegions = { iterations: [], loopEnds: [] };
  for (const s of spans) {
    if (s.label === ITERATION) {
      const id = s.id as number;
      regions.iterations.push({ exec: table.exec[id], message: table.message[id], start: s.start, end: s.end });
    } else if (s.label === LOOP_END) regions.loopEnds.push({ exec: s.id as number, at: s.start });
    else if (isCallerSpan(s)) labeled.push(s);
  }
  return { labeled, regions };
}
