// Message regions: what each iteration of a message loop rendered, and where each message loop ended.
// They are recorded as spans with internal labels, so they travel with captured output (macros, call,
// set and filter blocks) exactly as labeled spans do, and are split off when the render finishes.
import type { Span } from "./output.ts";

const INTERNAL = 0;
const ITERATION = "\u0000i";
const LOOP_END = "\u0000e";

/** The internal label of an iteration of message loop execution `exec` whose item is message `message`. */
export function iterationLabel(exec: number, message: number): string {
  return `${ITERATION}${exec}:${message}`;
}

/** The internal label of the (empty) span where message loop execution `exec` ended. */
export function loopEndLabel(exec: number): string {
  return `${LOOP_END}${exec}`;
}

/** Internal labels never reach callers; `{% generation %}` and `{% think %}` labels are words. */
export function isInternal(label: string): boolean {
  return label.charCodeAt(0) === INTERNAL;
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
export function splitSpans(spans: readonly Span[]): { labeled: Span[]; regions: MessageRegions } {
  const labeled: Span[] = [];
  const regions: MessageRegions = { iterations: [], loopEnds: [] };
  for (const s of spans) {
    if (!isInternal(s.label)) labeled.push(s);
    else if (s.label.startsWith(ITERATION)) {
      const [exec, message] = s.label.slice(ITERATION.length).split(":").map(Number);
      regions.iterations.push({ exec, message, start: s.start, end: s.end });
    } else regions.loopEnds.push({ exec: Number(s.label.slice(LOOP_END.length)), at: s.start });
  }
  return { labeled, regions };
}
