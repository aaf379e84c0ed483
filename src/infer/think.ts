// Think spans inside an inferred assistant span: blocks between reasoning markers, by text.
// Knows strings only; the definition is in README.md, "Inferred spans".
import { isPySpace } from "../runtime/pychars.ts";
import type { Span } from "../spans/output.ts";

/** A reasoning format: the block runs from `open` through `close` (and the whitespace after it, if set). */
export interface ThinkMarkers {
  open: string;
  close: string;
  trailingWhitespace?: boolean;
}

/** `<think>…</think>` (Qwen3, DeepSeek-R1 and most reasoning models) and gpt-oss's analysis channel. */
export const DEFAULT_THINK_MARKERS: readonly ThinkMarkers[] = [
  { open: "<think>", close: "</think>", trailingWhitespace: true },
  { open: "<|channel|>analysis<|message|>", close: "<|end|>", trailingWhitespace: false },
];

/**
 * Other reasoning formats, each a pair of special tokens: on by default only when the tokenizer's vocabulary
 * has both (ByteDance Seed-OSS, Cohere Command A Reasoning, Mistral Magistral, Kimi-VL Thinking).
 */
export const VOCABULARY_THINK_MARKERS: readonly ThinkMarkers[] = [
  { open: "<seed:think>", close: "</seed:think>", trailingWhitespace: true },
  { open: "<|START_THINKING|>", close: "<|END_THINKING|>", trailingWhitespace: true },
  { open: "[THINK]", close: "[/THINK]", trailingWhitespace: true },
  { open: "◁think▷", close: "◁/think▷", trailingWhitespace: true },
];

/** Checks caller-given markers: non-empty strings. */
export function validMarkers(markers: unknown): markers is readonly ThinkMarkers[] {
  return (
    Array.isArray(markers) &&
    markers.every((m) => m !== null && typeof m === "object" && typeof m.open === "string" && m.open !== "" && typeof m.close === "string" && m.close !== "")
  );
}

/** The pair whose block is open at the end of `prompt`: its last opening marker has no closing marker after it. */
export function openAtEnd(prompt: string, pairs: readonly ThinkMarkers[]): ThinkMarkers | null {
  let best: ThinkMarkers | null = null;
  let bestAt = -1;
  for (const p of pairs) {
    const o = prompt.lastIndexOf(p.open);
    if (o < 0 || prompt.indexOf(p.close, o + p.open.length) >= 0) continue;
    if (o > bestAt) {
      best = p;
      bestAt = o;
    }
  }
  return best;
}

/** End of a block in `s` whose content starts at `from`: after the first closing marker (and its whitespace), or s's end. */
function blockEnd(s: string, pair: ThinkMarkers, from: number): number {
  const c = s.indexOf(pair.close, from);
  if (c < 0) return s.length;
  let e = c + pair.close.length;
  if (pair.trailingWhitespace) while (e < s.length && isPySpace(s.charCodeAt(e))) e++;
  return e;
}

/**
 * The think spans of the assistant span [start, end) of `text`, whose prompt ended with `prompt`: a block
 * the prompt left open first, then every block that opens inside the span.
 */
export function thinkSpans(text: string, start: number, end: number, prompt: string, pairs: readonly ThinkMarkers[]): Span[] {
  // search the span's own text, so that long conversations stay linear
  const s = text.slice(start, end);
  const out: Span[] = [];
  let pos = 0;
  const open = openAtEnd(prompt, pairs);
  if (open !== null) {
    pos = blockEnd(s, open, 0);
    if (pos > 0) out.push({ label: "think", start, end: start + pos });
  }
  for (;;) {
    let best: ThinkMarkers | null = null;
    let at = -1;
    for (const p of pairs) {
      const o = s.indexOf(p.open, pos);
      if (o >= 0 && (at < 0 || o < at)) {
        best = p;
        at = o;
      }
    }
    if (best === null) break;
    pos = blockEnd(s, best, at + best.open.length);
    out.push({ label: "think", start: start + at, end: start + pos });
  }
  return out;
}

/** A think block with no reasoning in it (`<think>\n\n</think>\n\n`): only markers and whitespace. */
export function isEmptyThink(blockText: string, pairs: readonly ThinkMarkers[] = DEFAULT_THINK_MARKERS): boolean {
  let rest = blockText;
  for (const p of pairs) rest = rest.split(p.open).join("").split(p.close).join("");
  for (let i = 0; i < rest.length; i++) if (!isPySpace(rest.charCodeAt(i))) return false;
  return true;
}
