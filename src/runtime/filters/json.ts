// The tojson filter as transformers replaces it: json.dumps(x, ensure_ascii=False, indent=None,
// separators=None, sort_keys=False), accepting exactly those keywords (not jinja2's HTML-safe one).
import { builtin } from "../args.ts";
import { toJson } from "../tojson.ts";
import type { Filter } from "./common.ts";

/**
 * transformers' tojson. The function name in argument errors is the project reference's `tojson`
 * (transformers itself nests it: `_cached_compile_jinja_template.<locals>.tojson()`).
 */
export const TOJSON: Filter = builtin("tojson", "x, ensure_ascii=False, indent=None, separators=None, sort_keys=False", (a) =>
  toJson(a[0], a[2], { ensureAscii: a[1], separators: a[3], sortKeys: a[4] }),
);
