// A RenderState for runtime unit tests: the real class with jinja2's tests and no filters but `upper`.
import { DEFAULT_LIMITS, type Limits } from "../../src/options.ts";
import { builtin } from "../../src/runtime/args.ts";
import { formatFieldReader } from "../../src/runtime/sandbox.ts";
import { RenderState } from "../../src/runtime/state.ts";
import { TESTS } from "../../src/runtime/tests.ts";
import { Output } from "../../src/spans/output.ts";

/** A fresh render state; `limits` overrides the defaults. */
export function testState(limits: Partial<Limits> = {}): RenderState {
  const all = { ...DEFAULT_LIMITS, ...limits };
  const filters = new Map([["upper", builtin<RenderState>("upper", "s", ([s]) => String(s).toUpperCase())]]);
  return new RenderState({ filters, tests: TESTS, limits: all, now: () => new Date(0), immutable: true, formatField: formatFieldReader(true) }, new Output(all.maxOutputLength));
}
