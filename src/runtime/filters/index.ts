// The filter table: every jinja2 built-in filter (filters.py FILTERS) under its jinja2 name, with
// transformers' tojson in place of jinja2's. The compiler looks names up here once per filter node.
import type { Filter } from "./common.ts";
import { FUNCTIONAL_FILTERS } from "./functional.ts";
import { HTML_FILTERS } from "./html.ts";
import { TOJSON } from "./json.ts";
import { NUMBER_FILTERS } from "./numbers.ts";
import { PPRINT } from "./pprint.ts";
import { SEQUENCE_FILTERS } from "./sequences.ts";
import { STRING_FILTERS } from "./strings.ts";
import { WORDWRAP } from "./textwrap.ts";

/** Every built-in filter, keyed by jinja2 name. */
export const FILTERS: ReadonlyMap<string, Filter> = new Map<string, Filter>([
  ...FUNCTIONAL_FILTERS,
  ...HTML_FILTERS,
  ...NUMBER_FILTERS,
  ...SEQUENCE_FILTERS,
  ...STRING_FILTERS,
  ["pprint", PPRINT],
  ["tojson", TOJSON],
  ["wordwrap", WORDWRAP],
]);
