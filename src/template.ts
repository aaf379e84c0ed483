// Template: normalize, parse and compile once; render many times, with or without labeled spans.
import { compileTemplate, type CompiledTemplate } from "./compile/compiler.ts";
import { TemplateError } from "./errors.ts";
import { resolveOptions, type HostFunction, type ResolvedOptions, type TemplateOptions } from "./options.ts";
import { builtin, callBuiltin, type Builtin } from "./runtime/args.ts";
import { FILTERS } from "./runtime/filters/index.ts";
import { GLOBALS } from "./runtime/globals.ts";
import { formatFieldReader } from "./runtime/sandbox.ts";
import { RenderState, type IterationBudget, type RenderEnv } from "./runtime/state.ts";
import { TESTS } from "./runtime/tests.ts";
import { Callable, isPlainDict, type CallContext, type PlainDict, type Value } from "./runtime/value.ts";
import { Source, normalizeNewlines } from "./source.ts";
import { inferSpans, type TrackedRender } from "./infer/infer.ts";
import { DEFAULT_THINK_MARKERS, validMarkers, type ThinkMarkers } from "./infer/think.ts";
import { MessageTracker } from "./runtime/messages.ts";
import { Output, type Span, type Warning } from "./spans/output.ts";
import { isCallerSpan, splitSpans } from "./spans/regions.ts";
import { rangesToUtf16 } from "./codepoints.ts";
import { parse } from "./syntax/parser.ts";

/** The result of renderWithSpans: text, labeled spans (UTF-16 offsets into text) and warnings. */
export interface RenderResult {
  text: string;
  spans: Span[];
  warnings: Warning[];
}

/** The key of Template's one-render-both-span-sets method; the package does not export it. */
export const RENDER_BOTH = Symbol("spanja.renderBoth");

/** What Template[RENDER_BOTH] gives. */
export interface SpanSets {
  text: string;
  /** The spans where the output has them (UTF-16). */
  spans: Span[];
  /** spanMode "hf": the spans under transformers' arithmetic, in code points (possibly past the end); else null. */
  hfSpans: Span[] | null;
  warnings: Warning[];
}

/** Where spans come from: `{% generation %}` / `{% think %}` tags, or inferred from the message loops. */
export type SpanSource = "tags" | "infer";

export interface RenderSpansOptions {
  /** "tags" (default): the template's region tags. "infer": README, "Inferred spans"; throws InferenceError. */
  spanSource?: SpanSource;
  /** Reasoning formats for inferred think spans. Default DEFAULT_THINK_MARKERS. */
  thinkMarkers?: readonly ThinkMarkers[];
}

function checkContext(context: object): void {
  if (!isPlainDict(context)) throw new TemplateError("invalid-input", "the render context must be a plain object of template variables");
}

/** A host function as a builtin: positional arguments only, so a keyword argument is an error as for any builtin. */
function hostBuiltin<C>(name: string, fn: HostFunction): Builtin<C> {
  return builtin(name, "*args", (a) => fn(...(a[0] as Value[])));
}

export class Template {
  /** The normalized source (newlines folded, one trailing newline dropped unless kept). */
  readonly source: Source;
  readonly options: ResolvedOptions;
  private readonly compiled: CompiledTemplate;
  private readonly env: RenderEnv;
  private readonly globals: ReadonlyMap<string, Value>;

  constructor(source: string, options: TemplateOptions = {}) {
    if (typeof source !== "string") {
      throw new TemplateError("invalid-input", `template source must be a string, got ${source === null ? "null" : typeof source}`);
    }
    this.options = resolveOptions(options);
    const o = this.options;
    this.source = new Source(normalizeNewlines(source, o.keepTrailingNewline), o.name);
    const tree = parse(this.source, { trimBlocks: o.trimBlocks, lstripBlocks: o.lstripBlocks, loopControls: o.loopControls, regionTags: o.regionTags });

    const filters = new Map<string, Builtin<RenderState>>(FILTERS);
    for (const [k, fn] of Object.entries(options.filters ?? {})) filters.set(k, hostBuiltin(k, fn));
    const tests = new Map<string, Builtin<RenderState>>(TESTS);
    for (const [k, fn] of Object.entries(options.tests ?? {})) tests.set(k, hostBuiltin(k, fn));
    const globals = new Map<string, Value>(GLOBALS);
    for (const [k, v] of Object.entries(options.globals ?? {})) {
      if (typeof v !== "function") globals.set(k, v);
      else {
        const b = hostBuiltin<CallContext>(k, v as HostFunction);
        globals.set(k, new Callable(k, (a, ctx) => callBuiltin(b, a, ctx)));
      }
    }
    this.globals = globals;
    this.compiled = compileTemplate(tree, this.source, o, { filters, tests });
    this.env = { filters, tests, limits: o.limits, now: o.now, immutable: o.immutable, formatField: formatFieldReader(o.immutable) };
  }

  /** Renders the template with the given variables. The context is read in place and never written. */
  render(context: object = {}): string {
    return this.run(context, false).text;
  }

  /**
   * Renders and returns the labeled spans: from `{% generation %}` ("assistant") and `{% think %}` ("think")
   * tags, or with `spanSource: "infer"` inferred from the message loops (exact offsets whatever spanMode).
   */
  renderWithSpans(context: object = {}, options: RenderSpansOptions = {}): RenderResult {
    if (options === null || typeof options !== "object") throw new TemplateError("invalid-input", "renderWithSpans options must be an object");
    const source = options.spanSource ?? "tags";
    if (source === "tags") return this.run(context, true);
    if (source !== "infer") throw new TemplateError("invalid-input", `spanSource must be "tags" or "infer", got ${JSON.stringify(source)}`);
    const markers = options.thinkMarkers ?? DEFAULT_THINK_MARKERS;
    if (!validMarkers(markers)) throw new TemplateError("invalid-input", "thinkMarkers must be a list of {open, close} with non-empty strings");
    checkContext(context);
    // one inference is one call: its renders share the tojson memo and the iteration limit
    const jsonCache = new WeakMap<object, string>();
    const budget: IterationBudget = { used: 0 };
    return inferSpans((c, only) => this.runTracked(c, only, jsonCache, budget), context as Record<string, unknown>, this.source, markers);
  }

  private run(context: object, withSpans: boolean): RenderResult {
    if (!withSpans) {
      const { text, warnings } = this.renderOnce(context, false);
      return { text, spans: [], warnings };
    }
    const r = this.renderOnce(context, this.options.spanMode === "hf");
    return { text: r.text, spans: r.hfSpans !== null ? rangesToUtf16(r.text, r.hfSpans) : r.spans, warnings: r.warnings };
  }

  /**
   * One render with both kinds of spans, for the chat layer (not exported from the package): the output's own
   * spans (UTF-16) and, with `hf`, transformers' arithmetic (code points, as the masks take them), so that the
   * span-misplaced-hf warning needs no second render.
   */
  [RENDER_BOTH](context: object): SpanSets {
    return this.renderOnce(context, this.options.spanMode === "hf");
  }

  private renderOnce(context: object, hf: boolean): SpanSets {
    checkContext(context);
    const out = new Output(this.options.limits.maxOutputLength, hf);
    const state = new RenderState(this.env, out);
    this.compiled(state, context as PlainDict, this.globals);
    const { text, spans } = out.finish();
    return { text, spans: spans.filter(isCallerSpan), hfSpans: hf ? out.hfSpans : null, warnings: out.warnings };
  }

  /** A render that records message regions (exact offsets) for span inference, of one message or all. */
  private runTracked(context: Record<string, unknown>, only: number | null, jsonCache: WeakMap<object, string>, budget: IterationBudget): TrackedRender {
    const out = new Output(this.options.limits.maxOutputLength, false);
    const tracker = new MessageTracker(context.messages as Value[], only, this.options.immutable ? jsonCache : null);
    const state = new RenderState(this.env, out, tracker, budget);
    this.compiled(state, context as PlainDict, this.globals);
    const { text, spans } = out.finish();
    const { regions } = splitSpans(spans, tracker.iterations);
    return { text, regions, regionsLost: out.regionsLost, loops: tracker.loops, generationPromptReadAt: tracker.generationPromptReadAt, warnings: out.warnings };
  }
}
