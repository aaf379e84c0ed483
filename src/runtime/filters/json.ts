// The tojson filter as transformers replaces it: json.dumps(x, ensure_ascii=False, indent=None,
// separators=None, sort_keys=False), accepting exactly those keywords (not jinja2's HTML-safe one).
import { builtin } from "../args.ts";
import { toJson } from "../tojson.ts";
import type { Filter } from "./common.ts";

/**
 * transformers' tojson. The function name in argument errors is the project reference's `tojson`
 * (transformers itself nests it: `_cached_compile_jinja_template.<locals>.tojson()`).
 */
export const TOJSON: Filter = builtin("tojson", "x, ensure_ascii=False, indent=None, separators=None, sort_keys=False", (a, state) => {
  const x = a[0];
  // span inference renders the same data many times: the default form of an object is computed once
  const cache = state.messages?.jsonCache;
  const plainCall = cache != null && x !== null && typeof x === "object" && a[1] === false && a[2] === null && a[3] === null && a[4] === false;
  if (plainCall) {
    const hit = (cache as WeakMap<object, string>).get(x);
    if (hit !== undefined) return hit;
  }
  const json = toJson(x, a[2], { ensureAscii: a[1], separators: a[3], sortKeys: a[4], check: state });
  if (plainCall) (cache as WeakMap<object, string>).set(x as object, json);
  return json;
});
