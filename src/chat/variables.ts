// The variables a chat template sees, in transformers' order, and the option names that are not variables.
// Knows plain objects only.

/** apply_chat_template options that transformers (and spanja) consume; every other key is a template variable. */
export const OPTION_NAMES: ReadonlySet<string> = new Set([
  "add_generation_prompt",
  "continue_final_message",
  "tools",
  "documents",
  "chat_template",
  "tokenize",
  "return_dict",
  "return_assistant_tokens_mask",
  "padding",
  "truncation",
  "max_length",
  "padding_side",
  "return_thinking_mask",
  "exclude_think_from_mask",
  "mask_policy",
  "require_generation_tag",
  "span_source",
  "exclude_empty_think",
  "think_markers",
  "template_variables",
]);

/** The variables spanja sets from the conversation and the options; template_variables cannot override them. */
export const SET_BY_SPANJA: ReadonlySet<string> = new Set(["messages", "tools", "documents", "add_generation_prompt"]);

/**
 * The caller's keys that are template variables (enable_thinking, reasoning_effort, …), in their order, then
 * the entries of template_variables, which win.
 */
export function extraVariables(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (!OPTION_NAMES.has(k) && v !== undefined) out[k] = v;
  const named = options.template_variables;
  if (named !== null && typeof named === "object") for (const [k, v] of Object.entries(named)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * transformers' template variables: messages, tools, documents, add_generation_prompt, then the special
 * tokens, then the caller's extra keys, which override special tokens of the same name.
 */
export function templateVariables(
  messages: readonly unknown[],
  tools: unknown,
  documents: unknown,
  addGenerationPrompt: boolean,
  specialTokens: Record<string, unknown>,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    messages,
    tools: tools ?? null,
    documents: documents ?? null,
    add_generation_prompt: addGenerationPrompt,
    ...specialTokens,
    ...extra,
  };
}
