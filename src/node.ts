// spanja's Node entry (`spanja/node`): everything the package root exports, and a ChatTokenizer that also
// loads from disk. The root imports no node:* module, so that it bundles for browsers; file loading lives here.
import { ChatTokenizer as BaseChatTokenizer, type ChatTokenizerOptions } from "./chat/chat-tokenizer.ts";
import { parseTokenizerBytes, readBytes, readJsonFile } from "./chat/files.ts";
import { readModelFolder, type ModelFolderOptions } from "./chat/model-folder.ts";

export * from "./index.ts";
export type { ModelFolderOptions } from "./chat/model-folder.ts";

/** ChatTokenizer with loaders from disk; instances are the root's ChatTokenizer too. */
export class ChatTokenizer extends BaseChatTokenizer {
  /** Reads tokenizer.json and tokenizer_config.json from disk. */
  static async fromFiles(tokenizerJsonPath: string, tokenizerConfigPath?: string, options: ChatTokenizerOptions = {}): Promise<ChatTokenizer> {
    const [bytes, cfg] = await Promise.all([readBytes(tokenizerJsonPath), tokenizerConfigPath === undefined ? {} : readJsonFile(tokenizerConfigPath)]);
    return this.fromJSON(parseTokenizerBytes(bytes, tokenizerJsonPath), cfg as object, options) as ChatTokenizer;
  }

  /**
   * Loads a Hugging Face model folder as transformers' AutoTokenizer.from_pretrained does: tokenizer.json,
   * tokenizer_config.json, special_tokens_map.json, chat_template.jinja / chat_template.json /
   * additional_chat_templates/*.jinja and generation_config.json (see chat/model-folder.ts). Files that
   * contradict each other are an error naming both, where transformers silently keeps one
   * (`onConflict: "transformers"` keeps what transformers keeps).
   */
  static async fromPretrained(dir: string, options: ChatTokenizerOptions & ModelFolderOptions = {}): Promise<ChatTokenizer> {
    const folder = await readModelFolder(dir, { onConflict: options.onConflict });
    const tok = this.fromJSON(folder.tokenizerJson, folder.tokenizerConfig, options) as ChatTokenizer;
    tok.generationConfig = folder.generationConfig;
    return tok;
  }
}
