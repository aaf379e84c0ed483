// `spanja view`: one conversation through a model folder → a self-contained HTML page of its tokens and masks.
import { renameSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { CliError, displayName, fileProblem, parseCommand, stringFlag, type Command } from "./args.ts";
import { CONVERSATION, encodeConversation } from "./mask.ts";
import { MODEL_FLAGS } from "./model-options.ts";
import { viewData, viewHtml } from "./view-html.ts";

export const VIEW: Command = {
  name: "view",
  about: "Write one conversation's tokens, masks, spans and warnings as a self-contained HTML page.",
  positionals: [CONVERSATION],
  flags: {
    ...MODEL_FLAGS,
    html: { type: "string", value: "FILE", help: "the page to write (opens with no network)" },
  },
};

export async function runView(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(VIEW, argv);
  const out = stringFlag(values, "html");
  if (out === undefined) throw new CliError("spanja view: --html FILE is required (the page to write)", 2);
  const file = positionals[0];
  const { tok, messages, enc, options } = await encodeConversation("view", values, file);
  const excluded = tok.applyChatTemplate(messages, { ...options, exclude_think_from_mask: true });
  const model = stringFlag(values, "model") as string;
  const template = stringFlag(values, "chat-template");
  const shown: Record<string, unknown> = { ...options };
  if (template !== undefined) shown.chat_template = `(the file ${template})`;
  const data = viewData(tok, enc, excluded, { title: `${basename(model)} · ${displayName(file)}`, model, template: template ?? "the model's", options: shown });
  const temp = `${out}.partial-${process.pid}`;
  try {
    writeFileSync(temp, viewHtml(data));
    renameSync(temp, out);
  } catch (e) {
    throw new CliError(`${out}: ${fileProblem(e)}`);
  }
  console.log(`${out}: ${enc.input_ids.length} tokens, ${data.spans.length} spans, ${enc.warnings.length} warnings`);
}
