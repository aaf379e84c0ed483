// The flags that batch, mask and view share: a model folder, a template override, template variables and
// the mask options, named as applyChatTemplate names them.
import type { ChatEncodingOptions } from "../chat/chat-tokenizer.ts";
import { ChatTokenizer } from "../node.ts";
import { TemplateError } from "../errors.ts";
import { parseJSON } from "../runtime/parse-json.ts";
import { choiceFlag, CliError, countFlag, readText, stringFlag, type Flag, type FlagValues } from "./args.ts";

export const MODEL_FLAGS: Record<string, Flag> = {
  model: { type: "string", value: "DIR", help: "a Hugging Face model folder (tokenizer.json, tokenizer_config.json, chat_template.jinja …)" },
  "chat-template": { type: "string", value: "FILE", help: "use this template file instead of the model's" },
  var: { type: "string", value: "NAME=JSON", multiple: true, help: "a template variable, e.g. --var enable_thinking=false" },
  "add-generation-prompt": { type: "boolean", help: "end with the assistant header (add_generation_prompt)" },
  "span-source": { type: "string", value: "tags|infer", help: "where spans come from (default: tags if the template has them, else infer)" },
  "mask-policy": { type: "string", value: "hf|exact", help: "transformers' mask arithmetic (hf, default) or exact" },
  "exclude-think": { type: "boolean", help: "thinking tokens leave assistant_masks (exclude_think_from_mask)" },
  "exclude-empty-think": { type: "boolean", help: "empty think blocks leave assistant_masks (exclude_empty_think)" },
  "max-length": { type: "string", value: "N", help: "truncate to N tokens" },
};

/** The model flags of one invocation: the plain options, and each `--var` as NAME and its JSON text. */
export interface ModelSettings {
  model: string;
  options: ChatEncodingOptions;
  /** Parsed again where they are used (a worker thread), so that a float stays a float. */
  vars: [string, string][];
}

export function modelSettings(command: string, values: FlagValues): ModelSettings {
  const model = stringFlag(values, "model");
  if (model === undefined) throw new CliError(`spanja ${command}: --model is required (a model folder)`, 2);
  const options: ChatEncodingOptions = { return_assistant_tokens_mask: true, return_thinking_mask: true };
  const vars: [string, string][] = [];
  for (const v of (values.var as string[] | undefined) ?? []) {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new CliError(`spanja ${command}: --var takes NAME=JSON, got ${v}`, 2);
    try {
      parseJSON(v.slice(eq + 1), `--var ${v.slice(0, eq)}`);
    } catch (e) {
      throw new CliError(`spanja ${command}: ${(e as Error).message} (a string needs quotes: --var 'name="text"')`, 2);
    }
    vars.push([v.slice(0, eq), v.slice(eq + 1)]);
  }
  const template = stringFlag(values, "chat-template");
  if (template !== undefined) options.chat_template = readText(template);
  const spanSource = choiceFlag(command, values, "span-source", ["tags", "infer"] as const);
  if (spanSource !== undefined) options.span_source = spanSource;
  const policy = choiceFlag(command, values, "mask-policy", ["hf", "exact"] as const);
  if (policy !== undefined) options.mask_policy = policy;
  if (values["exclude-think"]) options.exclude_think_from_mask = true;
  if (values["exclude-empty-think"]) options.exclude_empty_think = true;
  if (values["add-generation-prompt"]) options.add_generation_prompt = true;
  const maxLength = countFlag(command, values, "max-length");
  if (maxLength !== undefined) {
    options.max_length = maxLength;
    options.truncation = true;
  }
  return { model, options, vars };
}

/** The options with every `--var` parsed (here, not passed between threads as values). */
export function withVars(plain: ChatEncodingOptions, vars: readonly [string, string][]): ChatEncodingOptions {
  const options: ChatEncodingOptions = { ...plain };
  for (const [name, json] of vars) options[name] = parseJSON(json, `--var ${name}`);
  return options;
}

/** Loads the model folder; a problem with it is a setup error naming the folder. */
export async function loadModel(command: string, dir: string): Promise<ChatTokenizer> {
  try {
    return await ChatTokenizer.fromPretrained(dir);
  } catch (e) {
    const detail = e instanceof TemplateError ? e.detail : (e as Error).message;
    throw new CliError(`spanja ${command}: ${detail.includes(dir) ? detail : `${dir}: ${detail}`}`);
  }
}
