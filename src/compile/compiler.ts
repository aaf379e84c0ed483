// Entry point of compilation: a parsed template becomes one closure that renders it into a RenderState.
import type * as ast from "../syntax/ast.ts";
import { descendants } from "../syntax/children.ts";
import type { ResolvedOptions } from "../options.ts";
import type { Source } from "../source.ts";
import type { Builtin } from "../runtime/args.ts";
import type { RenderState } from "../runtime/state.ts";
import { TEMPLATE_REFERENCE } from "../runtime/template-reference.ts";
import type { PlainDict, Value } from "../runtime/value.ts";
import { toTemplateError } from "./locate.ts";
import { Scope } from "./scope.ts";
import { readsSelfFirst } from "./self.ts";
import { compileFrameBody } from "./statements.ts";

/** A compiled template: renders into the state's output. */
export type CompiledTemplate = (state: RenderState, context: PlainDict, globals: ReadonlyMap<string, Value>) => void;

export function compileTemplate(
  tree: ast.Template,
  source: Source,
  options: ResolvedOptions,
  tables: { filters: ReadonlyMap<string, Builtin<RenderState>>; tests: ReadonlyMap<string, Builtin<RenderState>> },
): CompiledTemplate {
  const boundNames = bindings(tree);
  // jinja2 binds `self` in the root frame, unless the template binds the name before it reads it
  const selfRef = readsSelfFirst(tree.body);
  if (selfRef) boundNames.add("self");
  const body = compileFrameBody(tree.body, { source, options, filters: tables.filters, tests: tables.tests, soft: false, boundNames, known: new Set() });
  return (state, context, globals) => {
    try {
      const scope = new Scope(null);
      if (selfRef) scope.set("self", TEMPLATE_REFERENCE);
      body({ state, context, globals, scope });
    } catch (e) {
      throw toTemplateError(e, undefined, source);
    }
  };
}

/** Names bound anywhere in the template, plus those the runtime binds (loop, caller, varargs, kwargs). */
function bindings(tree: ast.Template): Set<string> {
  const names = new Set(["loop", "caller", "varargs", "kwargs"]);
  for (const n of descendants(tree.body)) {
    if (n.kind === "NameTarget" || n.kind === "Macro") names.add(n.name);
    if (n.kind === "Macro" || n.kind === "CallBlock") for (const p of n.params) names.add(p.name);
  }
  return names;
}
