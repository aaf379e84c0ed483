// Added-token splitting as the Rust tokenizers' AddedVocabulary does it: two leftmost-longest tries (tokens
// matched on the raw text, and `normalized` ones matched on normalized text), with single_word, lstrip and
// rstrip. Works on code points; knows nothing of models, normalizers or templates.
import { charClass } from "./regex.ts";

/** An entry of tokenizer.json `added_tokens`. */
export interface AddedTokenSpec {
  id: number;
  content: string;
  single_word?: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
  normalized?: boolean;
  special?: boolean;
}

/** A piece of a split: `id` is the added token's id, or -1 for text between added tokens. [start, end) in code points. */
export interface AddedSplit {
  id: number;
  start: number;
  end: number;
}

interface Node {
  next: Map<number, Node>;
  /** index into `tokens` of the pattern ending here, or -1 */
  token: number;
}

/** Rust regex `\w` (Unicode): Alphabetic, marks, decimal digits, connector punctuation, join controls. */
const isWordChar = charClass("\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}");
/** Rust regex `\s` (Unicode White_Space), not JS `\s` (which adds U+FEFF and lacks U+0085). */
const SPACE = /^\p{White_Space}$/u;

const ASCII_WORD = /^\w$/;
const isWord = (cp: number) => (cp < 0x80 ? ASCII_WORD.test(String.fromCharCode(cp)) : isWordChar(cp));
const isSpace = (cp: number) => SPACE.test(String.fromCodePoint(cp));

/** One trie of added tokens with their matching flags. */
export class AddedMatcher {
  private root: Node = { next: new Map(), token: -1 };
  private tokens: { id: number; singleWord: boolean; lstrip: boolean; rstrip: boolean }[] = [];

  /** Adds a pattern (already normalized when the trie is the normalized one); the first of equal patterns wins. */
  add(pattern: readonly number[], token: AddedTokenSpec): void {
    if (pattern.length === 0) return;
    let node = this.root;
    for (const c of pattern) {
      let n = node.next.get(c);
      if (!n) node.next.set(c, (n = { next: new Map(), token: -1 }));
      node = n;
    }
    if (node.token >= 0) return;
    node.token = this.tokens.length;
    this.tokens.push({ id: token.id, singleWord: token.single_word === true, lstrip: token.lstrip === true, rstrip: token.rstrip === true });
  }

  /**
   * Rust `AddedVocabulary::find_matches` over code points [from, to) of `cps`: splits covering the range,
   * in order. A match rejected by single_word still consumes its text (the iterator moved past it).
   */
  split(cps: readonly number[], from = 0, to = cps.length): AddedSplit[] {
    const out: AddedSplit[] = [];
    if (this.tokens.length === 0) {
      if (to > from) out.push({ id: -1, start: from, end: to });
      return out;
    }
    let startOffset = from;
    let i = from;
    while (i < to) {
      // leftmost-longest: the longest pattern starting at the first position where any matches
      let node: Node | undefined = this.root;
      let best = -1;
      let bestEnd = -1;
      for (let j = i; j < to; j++) {
        node = node.next.get(cps[j]);
        if (!node) break;
        if (node.token >= 0) {
          best = node.token;
          bestEnd = j + 1;
        }
      }
      if (best < 0) {
        i++;
        continue;
      }
      const t = this.tokens[best];
      let start = i;
      let stop = bestEnd;
      i = bestEnd;
      if (t.singleWord) {
        const startSpace = start === from || !isWord(cps[start - 1]);
        const stopSpace = stop === to || !isWord(cps[stop]);
        if (!startSpace || !stopSpace) continue;
      }
      if (t.lstrip) {
        let s = start;
        while (s > from && isSpace(cps[s - 1])) s--;
        start = Math.max(s, startOffset);
      }
      if (t.rstrip) while (stop < to && isSpace(cps[stop])) stop++;
      if (startOffset < start) out.push({ id: -1, start: startOffset, end: start });
      out.push({ id: t.id, start, end: stop });
      startOffset = stop;
    }
    if (startOffset !== to) out.push({ id: -1, start: startOffset, end: to });
    return out;
  }
}
