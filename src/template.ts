// Template: normalize, parse and compile once; render many times, with or without labeled spans.
import { compileTemplate, type CompiledTemplate } from "./compile/compiler.ts";
import { TemplateError } from "./errors.ts";
import { resolveOptions, type HostFunction, type ResolvedOptions, type TemplateOptions } from "./options.ts";
import { builtin, type Builtin } from "./runtime/args.ts";
import { FILTERS } from "./runtime/filters/index.ts";
import { GLOBALS } from "./runtime/globals.ts";
import { RenderState, type RenderEnv } from "./runtime/state.ts";
import { TESTS } from "./runtime/tests.ts";
import { Callable, isPlainDict, type PlainDict, type Value } from "./runtime/value.ts";
import { Source, normalizeNewlines } from "./source.ts";
import { Output, type Span, type Warning } from "./spans/output.ts";
import { rangesToUtf16 } from "./spans/units.ts";
import { parse } from "./syntax/parser.ts";

/** The result of renderWithSpans: text, labeled spans (UTF-16 offsets into text) and warnings. */
export interface RenderResult {
  text: string;
  spans: Span[];
  warnings: Warning[];
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

  /** Renders and returns the labeled spans ({% generation %} → "assistant", {% think %} → "think"). */
  renderWithSpans(context: object = {}): RenderResult {
    return this.run(context, true);
  }

  private run(context: object, withSpans: boolean): RenderResult {
    if (!isPlainDict(context)) {
      throw new TemplateError("invalid-input", "the render context must be a plain object of template variables");
    }
    const hf = withSpans && this.options.spanMode === "hf";
    const out = new Output(this.options.limits.maxOutputLength, hf);
    const state = new RenderState(this.env, out);
    this.compiled(state, context as PlainDict, this.globals);
    const { text, spans } = out.finish();
    if (!withSpans) return { text, spans: [], warnings: out.warnings };
    return { text, spans: hf ? rangesToUtf16(text, out.hfSpans) : spans, warnings: out.warnings };
  }
}
