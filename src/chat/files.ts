// Reads tokenizer files from disk for spanja/node's ChatTokenizer.fromFiles (src/node.ts). Node only: the
// package root never imports it, so the rest of spanja runs in browsers.
import { readFile } from "node:fs/promises";
import { TemplateError } from "../errors.ts";

/** Reads and parses a JSON file; a missing file or bad JSON becomes an invalid-input TemplateError naming the path. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new TemplateError("invalid-input", `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new TemplateError("invalid-input", `${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}
