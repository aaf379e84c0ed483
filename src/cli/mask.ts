// `spanja mask`: one conversation file through a model folder → its tokens coloured by mask, or the arrays.
import type { ChatEncodingOptions, ChatTokenizer } from "../chat/chat-tokenizer.ts";
import type { ChatEncoding } from "../chat/encoding.ts";
import { displayName, parseCommand, readText, useColor, type Command, type FlagValues } from "./args.ts";
import { conversationInput, fieldOptions } from "./batch-rows.ts";
import { loadModel, MODEL_FLAGS, modelSettings, withVars } from "./model-options.ts";
import { count, legend, maskedTokens } from "./show.ts";

export const CONVERSATION = { name: "CONVERSATION", help: 'a JSON file: {"messages": [...], "tools"?: [...], ...variables} or a messages array; - reads stdin' };

export const MASK: Command = {
  name: "mask",
  about: "Show the tokens of one conversation coloured by assistant, think and prompt, with the warnings.",
  positionals: [CONVERSATION],
  flags: {
    ...MODEL_FLAGS,
    json: { type: "boolean", help: 'print {"input_ids", "attention_mask", "assistant_masks", "thinking_masks", "text", "warnings"} instead' },
    "no-color": { type: "boolean", help: "mark masks with ⟦label⟧ instead of colours" },
  },
};

/** Reads the conversation file and applies the model's template with the command's options. */
export async function encodeConversation(
  command: string,
  values: FlagValues,
  file: string,
): Promise<{ tok: ChatTokenizer; messages: object[]; enc: ChatEncoding; options: ChatEncodingOptions }> {
  const settings = modelSettings(command, values);
  const { messages, variables } = conversationInput(readText(file), displayName(file));
  const tok = await loadModel(command, settings.model);
  const options = { ...withVars(settings.options, settings.vars), ...fieldOptions(variables) };
  return { tok, messages, enc: tok.applyChatTemplate(messages, options), options };
}

export async function runMask(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(MASK, argv);
  const { enc } = await encodeConversation("mask", values, positionals[0]);
  if (values.json) {
    const { input_ids, attention_mask, assistant_masks, thinking_masks, text, warnings } = enc;
    console.log(JSON.stringify({ input_ids, attention_mask, assistant_masks, thinking_masks, text, warnings }));
    return;
  }
  const color = useColor(process.stdout, values["no-color"] === true);
  console.log(`${displayName(positionals[0])}: ${enc.input_ids.length} tokens, ${count(enc.assistant_masks)} assistant, ${count(enc.thinking_masks)} of them thinking`);
  console.log(`${legend(color)}\n`);
  console.log(maskedTokens(enc.text, enc.offsets, enc.assistant_masks ?? [], enc.thinking_masks ?? [], color));
  for (const w of enc.warnings) console.log(`  ${w.code}: ${w.message}`);
}
