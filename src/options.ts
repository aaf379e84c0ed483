// Option types for Template, with transformers' environment as the defaults, and the default limits.
import { DEFAULT_LIMITS, type Limits } from "./limits.ts";
import type { Value } from "./runtime/value.ts";

export { DEFAULT_LIMITS, type Limits };

/** How spans are computed: exactly, or with transformers' arithmetic (quirks included). */
export type SpanMode = "exact" | "hf";

/** A host function a caller registers as a template global or filter. */
export type HostFunction = (...args: Value[]) => Value;

export interface TemplateOptions {
  /** Template name shown in error messages. Default "chat_template". */
  name?: string;
  /** jinja2 trim_blocks. Default true (transformers). */
  trimBlocks?: boolean;
  /** jinja2 lstrip_blocks. Default true (transformers). */
  lstripBlocks?: boolean;
  /** jinja2 keep_trailing_newline. Default false: one trailing newline of the source is dropped. */
  keepTrailingNewline?: boolean;
  /** `{% break %}` and `{% continue %}` (jinja2.ext.loopcontrols). Default true. */
  loopControls?: boolean;
  /** `{% generation %}` and `{% think %}` tags. Default true; when false they are unknown tags. */
  regionTags?: boolean;
  /** ImmutableSandboxedEnvironment: mutating methods are refused. Default true. */
  immutable?: boolean;
  /** Span arithmetic for renderWithSpans. Default "exact". */
  spanMode?: SpanMode;
  /** Clock for strftime_now: a fixed Date or a function. Default: the real local time. */
  now?: Date | (() => Date);
  /** Limits; unspecified fields take DEFAULT_LIMITS. */
  limits?: Partial<Limits>;
  /** Extra globals (host functions become callable; the template sees nothing else of them). */
  globals?: Record<string, Value | HostFunction>;
  /** Extra filters: the operand is the first argument. */
  filters?: Record<string, HostFunction>;
  /** Extra tests: the operand is the first argument. */
  tests?: Record<string, HostFunction>;
}

/** TemplateOptions with every default filled in. */
export interface ResolvedOptions {
  name: string;
  trimBlocks: boolean;
  lstripBlocks: boolean;
  keepTrailingNewline: boolean;
  loopControls: boolean;
  regionTags: boolean;
  immutable: boolean;
  spanMode: SpanMode;
  now: () => Date;
  limits: Limits;
}

export function resolveOptions(o: TemplateOptions = {}): ResolvedOptions {
  const now = o.now;
  return {
    name: o.name ?? "chat_template",
    trimBlocks: o.trimBlocks ?? true,
    lstripBlocks: o.lstripBlocks ?? true,
    keepTrailingNewline: o.keepTrailingNewline ?? false,
    loopControls: o.loopControls ?? true,
    regionTags: o.regionTags ?? true,
    immutable: o.immutable ?? true,
    spanMode: o.spanMode ?? "exact",
    now: now === undefined ? () => new Date() : typeof now === "function" ? now : () => now,
    limits: { ...DEFAULT_LIMITS, ...o.limits },
  };
}
