// `spanja render`: one template file and a JSON context → the text with its spans.
import { parseJSON } from "../runtime/parse-json.ts";
import { rangesToCodePoints } from "../codepoints.ts";
import { Template } from "../template.ts";
import { CliError, displayName, parseCommand, readText, stringFlag, useColor, type Command } from "./args.ts";
import { highlightSpans, spanList } from "./show.ts";

export const RENDER: Command = {
  name: "render",
  about: "Render a template file with a JSON context; print the text with its assistant and think spans.",
  positionals: [{ name: "TEMPLATE", help: "a template file; - reads stdin" }],
  flags: {
    context: { type: "string", value: "FILE", help: "template variables as JSON (messages, add_generation_prompt, …); - reads stdin" },
    infer: { type: "boolean", help: "infer assistant and think spans from the message loop (templates without tags)" },
    hf: { type: "boolean", help: "transformers' span arithmetic instead of exact spans" },
    json: { type: "boolean", help: "print {text, spans, warnings} as JSON (spans in code points, as Python counts)" },
    "no-color": { type: "boolean", help: "mark spans with ⟦label⟧…⟦/label⟧ instead of colours" },
  },
};

export function runRender(argv: string[]): void {
  const { values, positionals } = parseCommand(RENDER, argv);
  const file = positionals[0];
  const context = stringFlag(values, "context");
  if (file === "-" && context === "-") throw new CliError("spanja render: the template and --context cannot both read stdin", 2);
  const source = readText(file);
  // the context keeps its numbers as Python's json does: 1.0 stays a float
  const vars = context === undefined ? {} : parseJSON(readText(context), displayName(context));
  if (vars === null || typeof vars !== "object" || Array.isArray(vars)) throw new CliError(`${displayName(context as string)}: the context must be a JSON object of template variables`);
  const t = new Template(source, { name: displayName(file), spanMode: values.hf ? "hf" : "exact" });
  const r = t.renderWithSpans(vars, { spanSource: values.infer ? "infer" : "tags" });
  if (values.json) {
    console.log(JSON.stringify({ text: r.text, spans: rangesToCodePoints(r.text, r.spans), warnings: r.warnings }, null, 2));
    return;
  }
  console.log(highlightSpans(r.text, r.spans, useColor(process.stdout, values["no-color"] === true)));
  console.log("");
  for (const line of spanList(r.text, r.spans)) console.log(line);
  for (const w of r.warnings) console.log(`  warning: ${w.message}`);
}
