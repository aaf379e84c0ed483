// Reads tokenizer files from disk for spanja/node's ChatTokenizer.fromFiles and fromPretrained (src/node.ts,
// model-folder.ts). Node only: the package root never imports it, so the rest of spanja runs in browsers.
import { readFile } from "node:fs/promises";
import { readTokenizerFile } from "../align/tokenizer-file.ts";
import { TemplateError } from "../errors.ts";

/** A file's bytes; a failure names the path. `missing` is returned for a file that does not exist, if given. */
export async function readBytes<M = never>(path: string, missing?: M): Promise<Uint8Array | M> {
  try {
    return await readFile(path);
  } catch (e) {
    if (missing !== undefined && (e as NodeJS.ErrnoException | null)?.code === "ENOENT") return missing;
    throw new TemplateError("invalid-input", `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** Parses JSON text; bad JSON becomes an invalid-input TemplateError naming the path. */
export function parseJsonText(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new TemplateError("invalid-input", `${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

/** Python's open(encoding="utf-8").read(): invalid UTF-8 is an error naming the path; a BOM is kept (json.load refuses it). */
export function decodeUtf8(bytes: Uint8Array, path: string): string {
  try {
    return UTF8.decode(bytes);
  } catch (e) {
    throw new TemplateError("invalid-input", `${path} is not valid UTF-8`, { cause: e });
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Reads and parses a JSON file; a missing file, invalid UTF-8 or bad JSON becomes an invalid-input TemplateError naming the path. */
export async function readJsonFile(path: string): Promise<unknown> {
  return parseJsonText(decodeUtf8(await readBytes(path), path), path);
}

/**
 * tokenizer.json's bytes parsed by readTokenizerFile: the vocabulary and merges become compact tables instead
 * of 150,000-entry JS objects (about a third of JSON.parse's time); bad JSON names the path.
 */
export function parseTokenizerBytes(bytes: Uint8Array, path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = readTokenizerFile(bytes);
  } catch (e) {
    if (e instanceof TypeError) throw new TemplateError("invalid-input", `${path} is not valid UTF-8`, { cause: e });
    if (!(e instanceof SyntaxError)) throw e;
    throw new TemplateError("invalid-input", `${path} is not valid JSON: ${e.message}`, { cause: e });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new TemplateError("invalid-input", `${path} must hold a JSON object`);
  return value as Record<string, unknown>;
}
