// Template: normalize, parse and compile once; render many times, with or without labeled spans.
import { compileTemplate, type CompiledTemplate } from "./compile/compiler.ts";
import { TemplateError } from "./errors.ts";
import { resolveOptions, type HostFunction, type ResolvedOptions, type TemplateOptions } from "./options.ts";
import { builtin, type Builtin } from "./runtime/args.ts";
import { FILTERS } from "./runtime/filters/index.ts";
import { GLOBALS } from "./runtime/globals.ts";
import { RenderState, type IterationBudget, type RenderEnv } from "./runtime/state.ts";
import { TESTS } from "./runtime/tests.ts";
import { Callable, isPlainDict, type PlainDict, type Value } from "./runtime/value.ts";
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

function hostBuiltin(name: string, fn: HostFunction): Builtin<RenderState> {
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
      globals.set(k, typeof v === "function" ? new Callable(k, (a) => (v as HostFunction)(...a.args)) : v);
    }
    this.globals = globals;
    this.compiled = compileTemplate(tree, this.source, o, { filters, tests });
    this.env = { filters, tests, limits: o.limits, now: o.now, immutable: o.immutable };
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
    checkContext(context);
    const hf = withSpans && this.options.spanMode === "hf";
    const out = new Output(this.options.limits.maxOutputLength, hf);
    const state = new RenderState(this.env, out);
    this.compiled(state, context as PlainDict, this.globals);
    const { text, spans } = out.finish();
    if (!withSpans) return { text, spans: [], warnings: out.warnings };
    return { text, spans: hf ? rangesToUtf16(text, out.hfSpans) : spans.filter(isCallerSpan), warnings: out.warnings };
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
