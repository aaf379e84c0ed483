// A BPE model's vocabulary and merges as the model reads them: from a parsed tokenizer.json (the caller's
// objects, read in place) or from the compact tables of tokenizer-file.ts. Knows tokenizer.json's `model`
// section; nothing of encoding.
import { UnsupportedTokenizerError } from "./normalize.ts";

/** Token strings and their ids (Rust `BPE::vocab` and `vocab_r`). */
export interface Vocabulary {
  /** The id of a token, or -1. */
  id(token: string): number;
  /** Number of entries (Rust `get_vocab_size`). */
  size(): number;
  /** The token of an id, or undefined. */
  token(id: number): string | undefined;
}

/** The merges in rank order, as (left id, right id, merged id); `count` bounds how many there are. */
export interface MergeSource {
  readonly count: number;
  each(add: (a: number, b: number, merged: number) => void): void;
}

/** Whether a `model.vocab` value is already a Vocabulary (tokenizer-file.ts) rather than a JSON object. */
export function isVocabulary(v: unknown): v is Vocabulary {
  return typeof (v as Vocabulary | null)?.id === "function";
}

/** Whether a `model.merges` value is already a MergeSource (tokenizer-file.ts) rather than a JSON array. */
export function isMergeSource(m: unknown): m is MergeSource {
  return typeof (m as MergeSource | null)?.each === "function";
}

/** tokenizer.json's `model.vocab` object, read in place (copying 150,000 entries into a Map costs ~0.1 s). */
export class ObjectVocabulary implements Vocabulary {
  readonly #vocab: Record<string, unknown>;
  #size = -1;
  #names: string[] | null = null;

  constructor(vocab: Record<string, unknown>) {
    this.#vocab = vocab;
  }

  id(token: string): number {
    const id = this.#vocab[token];
    return typeof id === "number" ? id : -1; // Object.prototype holds no numbers
  }

  size(): number {
    if (this.#size < 0) {
      let n = 0;
      for (const k in this.#vocab) if (typeof this.#vocab[k] === "number") n++;
      this.#size = n;
    }
    return this.#size;
  }

  token(id: number): string | undefined {
    if (this.#names === null) {
      const names: string[] = [];
      for (const k in this.#vocab) {
        const v = this.#vocab[k];
        if (typeof v === "number") names[v] = k;
      }
      this.#names = names;
    }
    return this.#names[id];
  }
}

/**
 * tokenizer.json's `model.merges` list: `["a", "b"]` pairs, or the legacy `"a b"` strings (Rust
 * convert_merges_to_hashmap: exactly one space; `#version` lines skipped). Ids are looked up when iterated.
 */
export function jsonMerges(list: readonly unknown[], vocab: Vocabulary): MergeSource {
  const id = (token: string) => {
    const i = vocab.id(token);
    if (i < 0) throw new UnsupportedTokenizerError(`BPE merge token ${JSON.stringify(token)} is not in the vocabulary`);
    return i;
  };
  return {
    count: list.length,
    each(add) {
      for (const m of list) {
        let a: string;
        let b: string;
        if (typeof m === "string") {
          if (m.startsWith("#version")) continue;
          const parts = m.split(" ");
          if (parts.length !== 2) throw new UnsupportedTokenizerError(`BPE merge ${JSON.stringify(m)} is not two tokens`);
          [a, b] = parts;
        } else if (Array.isArray(m) && m.length === 2 && typeof m[0] === "string" && typeof m[1] === "string") [a, b] = m as [string, string];
        else throw new UnsupportedTokenizerError(`BPE merge ${JSON.stringify(m)} is not two tokens`);
        add(id(a), id(b), id(a + b));
      }
    },
  };
}
