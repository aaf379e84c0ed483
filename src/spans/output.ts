// The output sink: appends text, opens and closes labeled regions, and keeps a capture stack so that
// buffered output (macros, caller(), set and filter blocks) carries its spans until it is emitted.
// Knows strings and offsets, nothing of templates.
import { isInternal, isSpanLabel } from "./regions.ts";
import { codePointLength } from "../codepoints.ts";
import { assertSpanja } from "../errors.ts";

/** The labels callers see: `{% generation %}` marks "assistant", `{% think %}` marks "think". */
export type SpanLabel = "assistant" | "think";

/** A labeled range of the output, UTF-16 offsets. */
export interface Span {
  label: SpanLabel;
  start: number;
  end: number;
}

/** A span as the sink records it: a caller's label or an internal one (spans/regions.ts) with its `id`. */
export interface RawSpan {
  label: string;
  start: number;
  end: number;
  /** Internal spans only (spans/regions.ts): which iteration or loop end. */
  id?: number;
}

/** The span moved by `by` units (captured text printed or concatenated after other text). */
export function shiftSpan(s: RawSpan, by: number): RawSpan {
  return s.id === undefined ? { label: s.label, start: s.start + by, end: s.end + by } : { label: s.label, start: s.start + by, end: s.end + by, id: s.id };
}

/** Something the caller should know about the result, e.g. a span dropped because a filter changed its text. */
export interface Warning {
  code: WarningCode;
  message: string;
}

/**
 * The engine code (span-dropped) and the mask codes of align/masks.ts and chat/: a span dropped,
 * misplaced by transformers' arithmetic or running to the end under its loop, a token straddling a span
 * boundary, labeled characters no token covers or that truncation cut, a template without the tag a mask needs,
 * spans inferred from the message loops because the template has no tags, an inferred span whose turn does not
 * contain its prompt's tail.
 */
export type WarningCode =
  | "span-dropped"
  | "no-generation"
  | "spans-inferred"
  | "prompt-tail-missing"
  | "no-think"
  | "span-dropped-hf"
  | "span-misplaced-hf"
  | "span-to-end"
  | "straddle"
  | "uncovered"
  | "truncated";

interface Frame {
  text: string;
  spans: RawSpan[];
  /** hf mode: code points written to this frame. */
  cp: number;
}

interface OpenRegion {
  /** null for a buffer that only matters to transformers' arithmetic (a recursive loop). */
  label: string | null;
  /** Internal regions: the iteration's number. */
  id: number | undefined;
  frame: number;
  start: number;
  /** hf mode: code points of the top-level output when the region opened. */
  topCp: number;
  /** hf mode: code points of its own frame when the region opened. */
  frameCp: number;
}

/** Thrown when the output grows past the limit; the engine turns it into a LimitError. */
export class OutputLimitExceeded {
  readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }
}

/** Text that was captured from a frame, with its spans relative to the text. */
export interface Captured {
  readonly text: string;
  readonly spans: readonly RawSpan[];
}

export class Output {
  private frames: Frame[] = [{ text: "", spans: [], cp: 0 }];
  private top: Frame = this.frames[0];
  private open: OpenRegion[] = [];
  private written = 0;
  private readonly maxLength: number;
  /** hf mode: transformers' arithmetic (code points; start = top-level output so far). */
  private readonly hf: boolean;
  /** hf-mode spans in code points, in the order transformers records them (inner first). */
  readonly hfSpans: Span[] = [];
  readonly warnings: Warning[] = [];
  /** Message regions (internal spans) lost because a filter or an operator used their output as a value. */
  regionsLost = 0;

  constructor(maxLength: number, hf = false) {
    this.maxLength = maxLength;
    this.hf = hf;
  }

  /** Length of the top-level output so far (UTF-16). */
  get topLength(): number {
    return this.frames[0].text.length;
  }

  write(s: string): void {
    if (s.length === 0) return;
    this.written += s.length;
    if (this.written > this.maxLength) throw new OutputLimitExceeded(this.maxLength);
    this.top.text += s;
    if (this.hf) this.top.cp += codePointLength(s);
  }

  /** Writes captured text and re-bases its spans onto the current frame. */
  writeCaptured(c: Captured): void {
    const base = this.top.text.length;
    this.write(c.text);
    for (const s of c.spans) this.top.spans.push(shiftSpan(s, base));
  }

  /** Starts buffering output (macro call, caller(), set block, filter block). */
  pushCapture(): void {
    this.top = { text: "", spans: [], cp: 0 };
    this.frames.push(this.top);
  }

  /** Ends the innermost capture and returns its text and spans. */
  popCapture(): Captured {
    const f = this.frames.pop();
    assertSpanja(f !== undefined && this.frames.length > 0, "capture stack underflow");
    this.top = this.frames[this.frames.length - 1];
    // regions left open inside a capture (an error unwound them) are discarded
    while (this.open.length > 0 && this.open[this.open.length - 1].frame >= this.frames.length) this.open.pop();
    return f;
  }

  /** Opens a labeled region at the current position (`id` for internal regions). */
  openRegion(label: string, id?: number): void {
    this.open.push({ label, id, frame: this.frames.length - 1, start: this.top.text.length, topCp: this.frames[0].cp, frameCp: this.top.cp });
  }

  /** Marks output that jinja2 buffers without a capture here (a recursive loop); pair with closeBuffer. */
  openBuffer(): void {
    this.open.push({ label: null, id: undefined, frame: this.frames.length - 1, start: this.top.text.length, topCp: this.frames[0].cp, frameCp: this.top.cp });
  }

  closeBuffer(): void {
    const r = this.open.pop();
    assertSpanja(r !== undefined && r.label === null, "buffer stack mismatch");
  }

  /** Closes the innermost region and records its span. */
  closeRegion(): void {
    const r = this.open.pop();
    assertSpanja(r !== undefined && r.label !== null, "region stack underflow");
    const end = this.top.text.length;
    this.top.spans.push(r.id === undefined ? { label: r.label, start: r.start, end } : { label: r.label, start: r.start, end, id: r.id });
    if (this.hf && isSpanLabel(r.label)) {
      // transformers: the body is rendered first; start = length of what the top-level generator yielded,
      // which excludes anything still buffered (the outermost open region or capture).
      const firstTopRegion = this.open.find((o) => o.frame === 0);
      const start = firstTopRegion !== undefined ? firstTopRegion.topCp : r.frame === 0 ? r.topCp : this.frames[0].cp;
      this.hfSpans.push({ label: r.label, start, end: start + (this.top.cp - r.frameCp) });
    }
  }

  /** Records an empty internal span at the current position (where a message loop ended). */
  mark(label: string, id: number): void {
    const at = this.top.text.length;
    this.top.spans.push({ label, start: at, end: at, id });
  }

  /** Drops the spans of captured text whose text a filter changed, with a warning. */
  dropSpans(c: Captured, why: string): void {
    if (c.spans.length === 0) return;
    const shown = c.spans.filter((s) => !isInternal(s.label));
    this.regionsLost += c.spans.length - shown.length;
    if (shown.length === 0) return;
    const labels = [...new Set(shown.map((s) => s.label))].join(", ");
    this.warnings.push({ code: "span-dropped", message: `${shown.length} ${labels} span(s) dropped: ${why}` });
  }

  /** The finished text and its spans in document order (outer before inner at the same start). */
  finish(): { text: string; spans: RawSpan[] } {
    assertSpanja(this.frames.length === 1, "capture left open");
    const spans = this.top.spans.slice().sort((a, b) => a.start - b.start || b.end - a.end);
    return { text: this.top.text, spans };
  }
}
