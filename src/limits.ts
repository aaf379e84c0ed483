// The resource limits for untrusted templates and their defaults. A leaf: the runtime enforces them and the
// options carry them, so both import this module and neither imports the other.

/** Resource limits for untrusted templates; each reached limit raises a LimitError naming it. */
export interface Limits {
  /** Maximum length of the rendered output, in UTF-16 units (captured output included). */
  maxOutputLength: number;
  /** Maximum total loop iterations in one render (all loops together; with inferred spans, all the renders of one call). */
  maxIterations: number;
  /** Maximum depth of macro calls and recursive loops. */
  maxRecursionDepth: number;
  /** Maximum length of a `range()` (jinja2's sandbox MAX_RANGE is 100000). */
  maxRange: number;
  /**
   * Maximum length of a string a template builds (repetition, concatenation, padding, join, replace,
   * format widths and precisions, indent, wordwrap, tojson indentation), checked before it is built;
   * lists built by `*`, `+` and `sum` are held to it too (in items).
   */
  maxStringLength: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxOutputLength: 16 * 1024 * 1024,
  maxIterations: 1_000_000,
  maxRecursionDepth: 200,
  maxRange: 100_000,
  maxStringLength: 16 * 1024 * 1024,
};
