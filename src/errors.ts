// The TemplateError family, error kinds and the source excerpt every located error prints.
// Imports only source.ts; everyone may import it.
import type { Loc, Source } from "./source.ts";

/**
 * What went wrong, for code that branches on it. The runtime kinds name the exception Python raises in
 * the same place (see `pythonException`): "type" TypeError, "arguments" a TypeError of argument binding,
 * "filter-argument" jinja2's FilterArgumentError, "assertion" an AssertionError of jinja2's, "value"
 * ValueError, "zero-division", "overflow", "index", "key", "attribute", "runtime" Python's RuntimeError,
 * "template-runtime" jinja2's own TemplateRuntimeError. "internal" is a spanja bug caught at the boundary.
 */
export type ErrorKind =
  | "syntax"
  | "unsupported"
  | "unknown-filter"
  | "unknown-test"
  | "undefined"
  | "type"
  | "arguments"
  | "filter-argument"
  | "assertion"
  | "value"
  | "zero-division"
  | "overflow"
  | "index"
  | "key"
  | "attribute"
  | "runtime"
  | "template-runtime"
  | "security"
  | "limit"
  | "raised"
  | "internal"
  | "invalid-input"
  | "inference";

/**
 * The Python exception class each kind stands for, where jinja2 or Python raises one; the kinds without an
 * entry are spanja's own (limits, inference, bad input, unsupported constructs, bugs).
 */
export const PYTHON_EXCEPTION: Readonly<Partial<Record<ErrorKind, string>>> = {
  syntax: "TemplateSyntaxError",
  "unknown-filter": "TemplateAssertionError",
  "unknown-test": "TemplateAssertionError",
  undefined: "UndefinedError",
  type: "TypeError",
  arguments: "TypeError",
  "filter-argument": "FilterArgumentError",
  assertion: "AssertionError",
  value: "ValueError",
  "zero-division": "ZeroDivisionError",
  overflow: "OverflowError",
  index: "IndexError",
  key: "KeyError",
  attribute: "AttributeError",
  runtime: "RuntimeError",
  "template-runtime": "TemplateRuntimeError",
  security: "SecurityError",
  raised: "TemplateError",
};


/** A frame of macro calls, for the `in macro 'x', called at L:C` lines. */
export interface MacroFrame {
  macro: string;
  callLoc: Loc;
}

export interface TemplateErrorOptions {
  loc?: Loc;
  source?: Source;
  cause?: unknown;
  frames?: MacroFrame[];
}

/** Base of every error spanja throws. `detail` is jinja2's wording where jinja2 has one. */
export class TemplateError extends Error {
  readonly kind: ErrorKind;
  readonly detail: string;
  loc: Loc | undefined;
  templateName: string | undefined;
  frames: MacroFrame[];
  private source: Source | undefined;

  constructor(kind: ErrorKind, detail: string, options: TemplateErrorOptions = {}, name = "TemplateError") {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    this.kind = kind;
    this.detail = detail;
    this.loc = options.loc;
    this.source = options.source;
    this.templateName = options.source?.name;
    this.frames = options.frames ?? [];
    this.refreshMessage();
  }

  /**
   * The Python exception class jinja2 (in transformers' environment) raises for the same error, e.g.
   * "ZeroDivisionError"; undefined for spanja's own kinds (limits, unsupported constructs, bad input). An
   * unknown filter or test is TemplateAssertionError when the template compiles, TemplateRuntimeError when
   * found at render time (`map('nosuch')`); the range limit jinja2's sandbox also has is its OverflowError.
   */
  get pythonException(): string | undefined {
    if ((this.kind === "unknown-filter" || this.kind === "unknown-test") && this instanceof TemplateRuntimeError) return "TemplateRuntimeError";
    if (this.kind === "limit") return this.detail.startsWith("Range too big") ? "OverflowError" : undefined;
    return PYTHON_EXCEPTION[this.kind];
  }

  /** Attaches a position unless one is already known (the innermost position wins). */
  locate(loc: Loc, source: Source): this {
    if (this.loc === undefined) {
      this.loc = loc;
      this.source = source;
      this.templateName = source.name;
      this.refreshMessage();
    }
    return this;
  }

  /** Records a macro call frame, innermost first; at most five are kept. */
  addFrame(frame: MacroFrame): this {
    if (this.frames.length < 5) {
      this.frames.push(frame);
      this.refreshMessage();
    }
    return this;
  }

  private refreshMessage(): void {
    this.message = formatMessage(this.name, this.detail, this.loc, this.source, this.frames);
  }
}

/** A template that does not parse (or uses a tag chat templates cannot use). */
export class TemplateSyntaxError extends TemplateError {
  constructor(detail: string, options: TemplateErrorOptions = {}, kind: ErrorKind = "syntax", name = "TemplateSyntaxError") {
    super(kind, detail, options, name);
  }
}

/** jinja2's TemplateAssertionError: an unknown filter or test found while compiling. */
export class TemplateAssertionError extends TemplateSyntaxError {
  constructor(detail: string, options: TemplateErrorOptions = {}, kind: ErrorKind = "syntax") {
    super(detail, options, kind, "TemplateAssertionError");
  }
}

const RUNTIME_NAMES: Partial<Record<ErrorKind, string>> = {
  undefined: "UndefinedError",
  security: "SecurityError",
  limit: "LimitError",
  raised: "TemplateError",
};


/** An error while rendering; the class name follows the kind, as jinja2's exception classes do. */
export class TemplateRuntimeError extends TemplateError {
  constructor(kind: ErrorKind, detail: string, options: TemplateErrorOptions = {}) {
    super(kind, detail, options, RUNTIME_NAMES[kind] ?? "TemplateRuntimeError");
  }
}

/** Use of an undefined value where jinja2 raises UndefinedError. */
export class UndefinedError extends TemplateRuntimeError {
  constructor(detail: string, options: TemplateErrorOptions = {}) {
    super("undefined", detail, options);
  }
}

/** The sandbox refused an access. */
export class SecurityError extends TemplateRuntimeError {
  constructor(detail: string, options: TemplateErrorOptions = {}) {
    super("security", detail, options);
  }
}

/** A configured limit (output size, iterations, recursion depth, range size) was reached. */
export class LimitError extends TemplateRuntimeError {
  constructor(detail: string, options: TemplateErrorOptions = {}) {
    super("limit", detail, options);
  }
}

/** Why spans could not be inferred from a template's message loop (see README, "Inferred spans"). */
export type InferenceFailure = "no-message-loop" | "no-region" | "prompt-render-failed" | "content-elsewhere";

/**
 * spanja cannot say which characters an assistant message generated on this template and refuses to guess:
 * the template must be tagged with `{% generation %}` (see templates/). `loc` points at the message loop.
 */
export class InferenceError extends TemplateError {
  readonly reason: InferenceFailure;
  /** The message the failure is about, when there is one. */
  readonly messageIndex: number | undefined;

  constructor(reason: InferenceFailure, detail: string, options: TemplateErrorOptions & { messageIndex?: number } = {}) {
    super("inference", `${detail}. spans cannot be inferred (${reason}); tag the template with {% generation %} and {% think %} instead (see templates/)`, options, "InferenceError");
    this.reason = reason;
    this.messageIndex = options.messageIndex;
  }
}

/**
 * THE way to build a runtime error from its kind: `undefined`, `security` and `limit` give instances of
 * UndefinedError, SecurityError and LimitError (so `instanceof` works whatever built them), any other kind
 * a TemplateRuntimeError named after it. Thrown without a position; compile/ attaches the node's loc.
 */
export function runtimeError(kind: ErrorKind, detail: string, options: TemplateErrorOptions = {}): TemplateRuntimeError {
  switch (kind) {
    case "undefined":
      return new UndefinedError(detail, options);
    case "security":
      return new SecurityError(detail, options);
    case "limit":
      return new LimitError(detail, options);
    default:
      return new TemplateRuntimeError(kind, detail, options);
  }
}

/**
 * The one way to report a broken invariant of spanja itself: a bug, never the template's fault. A plain Error,
 * so a render turns it into an "internal error" TemplateRuntimeError (compile/locate.ts) like any host failure.
 */
export function spanjaBug(what: string): never {
  throw new Error(`spanja bug: ${what}`);
}

/** Reports a broken invariant (spanjaBug) unless the condition holds. */
export function assertSpanja(condition: unknown, what: string): asserts condition {
  if (!condition) spanjaBug(what);
}

const WINDOW = 100;

/** `Name: detail`, then ` --> name:line:column` and an excerpt with carets, then macro frames. */
export function formatMessage(name: string, detail: string, loc: Loc | undefined, source: Source | undefined, frames: MacroFrame[] = []): string {
  let out = `${name}: ${detail}`;
  if (loc === undefined || source === undefined) return out;
  out += `\n  --> ${source.name}:${loc.line}:${loc.column}\n${excerpt(source, loc)}`;
  for (const f of frames) out += `\n  in macro '${f.macro}', called at ${f.callLoc.line}:${f.callLoc.column}`;
  return out;
}

/** Two lines before, the line with carets under the loc (first line only), one line after. */
export function excerpt(source: Source, loc: Loc): string {
  const first = Math.max(1, loc.line - 2);
  const last = Math.min(source.lineCount, loc.line + 1);
  const width = String(last).length;
  const gutter = " ".repeat(width);
  const raw = source.lineText(loc.line);
  const before = [...raw].slice(0, loc.column - 1).join("");
  const spanEnd = Math.min(raw.length, before.length + Math.max(0, loc.endOffset - loc.offset));
  // Everything below counts code points of the tab-expanded line; columns on screen are display widths.
  const line = [...expandTabs(raw)];
  const caretStart = [...expandTabs(before)].length;
  const caretEnd = [...expandTabs(raw.slice(0, spanEnd))].length;
  // Long one-line templates: show a window around the caret.
  const clipStart = line.length > WINDOW * 2 ? Math.max(0, caretStart - WINDOW) : 0;
  const clip = (s: string) => {
    const cps = [...s];
    if (cps.length <= WINDOW * 2) return s;
    const part = cps.slice(clipStart, clipStart + WINDOW * 2).join("");
    return (clipStart > 0 ? "…" : "") + part + (clipStart + WINDOW * 2 < cps.length ? "…" : "");
  };
  const lines = [`${gutter} |`];
  for (let n = first; n <= last; n++) {
    const text = clip(expandTabs(source.lineText(n)));
    lines.push(`${String(n).padStart(width)} | ${text}`.trimEnd());
    if (n === loc.line) {
      const col = displayWidth(line.slice(clipStart, caretStart)) + (clipStart > 0 ? 1 : 0);
      const carets = Math.max(1, displayWidth(line.slice(caretStart, Math.min(caretEnd, clipStart + WINDOW * 2))));
      lines.push(`${gutter} | ${" ".repeat(col)}${"^".repeat(carets)}`);
    }
  }
  return lines.join("\n");
}

// Terminal columns (wcwidth's rule, from the Unicode properties JS has): combining marks and joiners take none;
// East Asian wide and fullwidth characters and emoji presented as emoji take two.
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufe00-\ufe0f]$/u;
const DOUBLE_WIDTH =
  /^(?:\p{Emoji_Presentation}|[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{2fffd}\u{30000}-\u{3fffd}])$/u;

function charWidth(c: string): number {
  if (c.charCodeAt(0) < 0x300) return 1;
  return ZERO_WIDTH.test(c) ? 0 : DOUBLE_WIDTH.test(c) ? 2 : 1;
}

function displayWidth(cps: readonly string[]): number {
  let w = 0;
  for (const c of cps) w += charWidth(c);
  return w;
}

/** Tabs to spaces up to the next multiple of 8 display columns. */
function expandTabs(s: string): string {
  if (s.indexOf("\t") === -1) return s;
  let out = "";
  let column = 0;
  for (const ch of s) {
    const w = ch === "\t" ? 8 - (column % 8) : charWidth(ch);
    out += ch === "\t" ? " ".repeat(w) : ch;
    column += w;
  }
  return out;
}
