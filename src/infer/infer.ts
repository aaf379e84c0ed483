// Inferred spans: assistant and think spans of a template without tags, from its message loops and the
// prompt renders of each assistant turn. The definition is in README.md, "Inferred spans"; the Python
// reference (conformance/reference/infer.py) implements it independently.
import { splitsPair } from "../codepoints.ts";
import { InferenceError, LimitError, TemplateError, type InferenceFailure } from "../errors.ts";
import { pyStrip } from "../runtime/pychars.ts";
import type { Loc, Source } from "../source.ts";
import type { Span, Warning } from "../spans/output.ts";
import type { Iteration, MessageRegions } from "../spans/regions.ts";
import { thinkSpans, type ThinkMarkers } from "./think.ts";

/** One render with message regions. */
export interface TrackedRender {
  text: string;
  regions: MessageRegions;
  /** Message regions lost because captured loop output was used as a value (filtered, compared …). */
  regionsLost: number;
  /** The `for` statement of each message loop execution. */
  loops: readonly Loc[];
  /** Top-level output length when add_generation_prompt was first read; null if never read. */
  generationPromptReadAt: number | null;
  warnings: Warning[];
}

/**
 * Renders the template on a context with message tracking on, recording the iterations of message `only`
 * (null: of every message). Throws what the render throws.
 */
export type TrackedRenderer = (context: Record<string, unknown>, only: number | null) => TrackedRender;

export interface InferResult {
  text: string;
  spans: Span[];
  warnings: Warning[];
}

/** The iterations of one render grouped by message, each group in execution order. */
class Regions {
  private readonly byMessage = new Map<number, Iteration[]>();
  readonly render: TrackedRender;

  constructor(render: TrackedRender) {
    this.render = render;
    for (const it of render.regions.iterations) {
      if (it.end <= it.start) continue;
      const list = this.byMessage.get(it.message);
      if (list === undefined) this.byMessage.set(it.message, [it]);
      else list.push(it);
    }
  }

  get empty(): boolean {
    return this.byMessage.size === 0;
  }

  /** The region of message k, or why it has none. */
  of(k: number): Iteration | string {
    const its = this.byMessage.get(k);
    if (its === undefined) {
      const lost = this.render.regionsLost > 0 ? " (some message loop output was changed by a filter or operator before it was printed)" : "";
      return `message ${k} renders no output in any message loop${lost}`;
    }
    if (its.length > 1) return `message ${k} is rendered by ${its.length} message loop iterations, so it has no single region`;
    return its[0];
  }

  /** Where P's message loop ends: the largest loop-end position, or null when no message loop ran. */
  loopEnd(): number | null {
    let at: number | null = null;
    for (const e of this.render.regions.loopEnds) if (at === null || e.at > at) at = e.at;
    return at;
  }

  locOf(it: Iteration): Loc | undefined {
    return this.render.loops[it.exec];
  }
}

/** First index where a and b differ, never inside a surrogate pair. */
function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return backOffPair(a, i);
}

/** Steps back from between a high and a low surrogate, so offsets stay on code points. */
function backOffPair(s: string, i: number): number {
  return splitsPair(s, i) ? i - 1 : i;
}

/**
 * The last line of content that is not blank, stripped, after the content's last closing think marker
 * (templates reformat inline reasoning, so only the answer after it is looked for); null when there is none.
 */
function lastContentLine(content: string, markers: readonly ThinkMarkers[]): string | null {
  let cut = 0;
  for (const m of markers) {
    const at = content.lastIndexOf(m.close);
    if (at >= 0) cut = Math.max(cut, at + m.close.length);
  }
  const lines = content.slice(cut).split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = pyStrip(lines[i], null);
    if (line !== "") return line;
  }
  return null;
}

function field(message: unknown, name: string): unknown {
  if (message instanceof Map) return message.get(name);
  return message !== null && typeof message === "object" ? (message as Record<string, unknown>)[name] : undefined;
}

/**
 * Renders `context` and infers its spans. `render` renders with message tracking; `source` locates errors
 * at the message loop.
 */
export function inferSpans(render: TrackedRenderer, context: Record<string, unknown>, source: Source, markers: readonly ThinkMarkers[]): InferResult {
  const messages = context.messages;
  const fail = (reason: InferenceFailure, detail: string, k?: number, loc?: Loc, cause?: unknown): InferenceError =>
    new InferenceError(reason, detail, { ...(loc ? { loc, source } : {}), ...(k !== undefined ? { messageIndex: k } : {}), ...(cause !== undefined ? { cause } : {}) });
  if (!Array.isArray(messages)) throw fail("no-message-loop", "the context has no messages list");

  const full = render(context, null);
  const regions = new Regions(full);
  if (regions.empty) {
    if (full.regionsLost > 0) throw fail("no-region", "the message loop's output was changed by a filter or an operator before it was printed");
    throw fail("no-message-loop", "no for loop over messages (or a slice of it) renders output");
  }
  const text = full.text;
  const spans: Span[] = [];
  const warnings = full.warnings;

  for (let k = 0; k < messages.length; k++) {
    const message: unknown = messages[k];
    if (field(message, "role") !== "assistant") continue;
    const region = regions.of(k);
    if (typeof region === "string") throw fail("no-region", `assistant ${region}`, k);
    const loc = regions.locOf(region);
    const content = field(message, "content");
    if (typeof content === "string") {
      const line = lastContentLine(content, markers);
      if (line !== null && !text.slice(region.start, region.end).includes(line)) {
        throw fail("content-elsewhere", `the content of assistant message ${k} is not rendered inside its message loop iteration (its last line ${JSON.stringify(line.length > 60 ? line.slice(0, 57) + "..." : line)} is missing there)`, k, loc);
      }
    }
    const tail = promptTail(render, context, messages, k, fail, loc);
    const regionText = text.slice(region.start, region.end);
    const found = regionText.indexOf(tail);
    let start: number;
    if (found >= 0) start = region.start + found + tail.length;
    else {
      let n = 0;
      const m = Math.min(regionText.length, tail.length);
      while (n < m && regionText.charCodeAt(n) === tail.charCodeAt(n)) n++;
      start = region.start + backOffPair(regionText, n);
      warnings.push({
        code: "prompt-tail-missing",
        message: `assistant message ${k}: its turn does not contain what its prompt ends with (${JSON.stringify(tail.length > 60 ? tail.slice(0, 57) + "..." : tail)}), so its span starts after their common prefix`,
      });
    }
    if (start >= region.end) continue;
    spans.push({ label: "assistant", start, end: region.end });
    spans.push(...thinkSpans(text, start, region.end, tail, markers));
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  return { text, spans, warnings };
}

/** G_k: what the prompt for message k ends with (README, "Prompt tail"). */
function promptTail(
  render: TrackedRenderer,
  context: Record<string, unknown>,
  messages: readonly unknown[],
  k: number,
  fail: (reason: InferenceFailure, detail: string, k?: number, loc?: Loc, cause?: unknown) => InferenceError,
  loc: Loc | undefined,
): string {
  const prefix = messages.slice(0, k);
  const renderPrompt = (agp: boolean): TrackedRender => {
    try {
      return render({ ...context, messages: prefix, add_generation_prompt: agp }, k - 1);
    } catch (e) {
      // a limit reached is the caller's limit, not the template failing
      if (!(e instanceof TemplateError) || e instanceof LimitError) throw e;
      throw fail("prompt-render-failed", `the prompt for assistant message ${k} (messages[:${k}], add_generation_prompt=${agp ? "True" : "False"}) raises: ${e.detail}`, k, loc, e);
    }
  };
  const p = renderPrompt(true);
  const pr = new Regions(p);
  let from: number;
  if (k === 0) {
    const end = pr.loopEnd();
    if (end === null) throw fail("no-message-loop", "the prompt for assistant message 0 (no messages) runs no message loop", k, loc);
    from = end;
  } else {
    const before = pr.of(k - 1);
    if (typeof before === "string") throw fail("no-region", `in the prompt for assistant message ${k}, ${before}`, k, loc);
    from = before.end;
  }
  // Q can differ from P only after the point where P first read add_generation_prompt
  const read = p.generationPromptReadAt;
  if (read !== null && read < from) from = Math.min(from, firstDifference(p.text, renderPrompt(false).text));
  return p.text.slice(from);
}
