// Added-token splitting as the Rust tokenizers' AddedVocabulary does it: two leftmost-longest tries (tokens
// matched on the raw text, and `normalized` ones matched on normalized text), with single_word, lstrip and
// rstrip. Works on UTF-16 units of well-formed strings (a well-formed pattern can only match whole
// characters, so this equals matching code points); knows nothing of models, normalizers or templates.
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

/** A piece of a split: `id` is the added token's id, or -1 for text between added tokens. [start, end) in UTF-16 units. */
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

/** The code point that ends just before unit `i` of a well-formed string. */
function codePointBefore(text: string, i: number): number {
  const c = text.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) {
    const h = text.charCodeAt(i - 2);
    if (h >= 0xd800 && h <= 0xdbff) return 0x10000 + ((h - 0xd800) << 10) + (c - 0xdc00);
  }
  return c;
}

/** One trie of added tokens with their matching flags. */
export class AddedMatcher {
  private root: Node = { next: new Map(), token: -1 };
  private tokens: { id: number; singleWord: boolean; lstrip: boolean; rstrip: boolean }[] = [];
  /** The units patterns begin with: other positions are skipped without a trie lookup. */
  private readonly first = new Uint8Array(0x10000);

  /** Adds a pattern (already normalized when the trie is the normalized one); the first of equal patterns wins. */
  add(pattern: string, token: AddedTokenSpec): void {
    if (pattern.length === 0) return;
    this.first[pattern.charCodeAt(0)] = 1;
    let node = this.root;
    for (let k = 0; k < pattern.length; k++) {
      const c = pattern.charCodeAt(k);
      let n = node.next.get(c);
      if (!n) node.next.set(c, (n = { next: new Map(), token: -1 }));
      node = n;
    }
    if (node.token >= 0) return;
    node.token = this.tokens.length;
    this.tokens.push({ id: token.id, singleWord: token.single_word === true, lstrip: token.lstrip === true, rstrip: token.rstrip === true });
  }

  /**
   * Rust `AddedVocabulary::find_matches` over units [from, to) of a well-formed `text`: splits covering the
   * range, in order. A match rejected by single_word still consumes its text (the iterator moved past it).
   */
  split(text: string, from = 0, to = text.length): AddedSplit[] {
    const out: AddedSplit[] = [];
    if (this.tokens.length === 0) {
      if (to > from) out.push({ id: -1, start: from, end: to });
      return out;
    }
    const first = this.first;
    let startOffset = from;
    let i = from;
    while (i < to) {
      if (first[text.charCodeAt(i)] === 0) {
        i++;
        continue;
      }
      // leftmost-longest: the longest pattern starting at the first position where any matches
      let node: Node | undefined = this.root;
      let best = -1;
      let bestEnd = -1;
      for (let j = i; j < to; j++) {
        node = node.next.get(text.charCodeAt(j));
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
        const startSpace = start === from || !isWord(codePointBefore(text, start));
        const stopSpace = stop === to || !isWord(text.codePointAt(stop)!);
        if (!startSpace || !stopSpace) continue;
      }
      if (t.lstrip) {
        let s = start;
        while (s > from && isSpace(text.charCodeAt(s - 1))) s--; // White_Space is all in the BMP
        start = Math.max(s, startOffset);
      }
      if (t.rstrip) while (stop < to && isSpace(text.charCodeAt(stop))) stop++;
      if (startOffset < start) out.push({ id: -1, start: startOffset, end: start });
      out.push({ id: t.id, start, end: stop });
      startOffset = stop;
    }
    if (startOffset !== to) out.push({ id: -1, start: startOffset, end: to });
    return out;
  }
}
