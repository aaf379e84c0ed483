// Token masks from labeled spans for one sequence after truncation and padding: transformers' loop ("hf",
// quirks included) or plain overlap ("exact"), with a warning for every suspect place.
// Pure: code-point offsets and spans in, 0/1 arrays out. Knows nothing of templates or tokenizers.
import type { Warning } from "../spans/output.ts";

/** "hf": transformers' char_to_token loop, quirks included; "exact": a token is marked when it overlaps a span. */
export type MaskPolicy = "hf" | "exact";

/** The mask policies, for validating caller input. */
export const MASK_POLICIES: readonly MaskPolicy[] = ["hf", "exact"];

/** A labeled range of the text in code points (Python's `len`), as transformers records it. */
export interface LabeledSpan {
  label: string;
  start: number;
  end: number;
}

/** A mask warning; `start`/`end` locate the span or token in code points, `token` is a sequence position. */
export interface MaskWarning extends Warning {
  label?: string;
  start?: number;
  end?: number;
  token?: number;
}

/** Where the tokens of one encoded text sit in the returned sequence. */
export interface TokenLayout {
  /** [start, end) in code points of every token of the text, before truncation (or give `starts` and `ends`). */
  offsets?: readonly (readonly [number, number])[];
  /** The same as two columns (AlignedEncoding.columns.cpStarts / cpEnds), read in place. */
  starts?: Int32Array;
  ends?: Int32Array;
  /** Tokens that truncation kept: [from, to) indexes into `offsets`. Default: all. */
  keep?: readonly [number, number];
  /** Pad tokens before the kept tokens (left padding). */
  padLeft?: number;
  /** Pad tokens after the kept tokens (right padding). */
  padRight?: number;
}

/** A layout resolved into sequence positions, with transformers' char_to_token over it. */
export class Sequence {
  /** [start, end) in code points of every token of the text, before truncation. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Kept tokens: [from, to) indexes into starts / ends. */
  readonly from: number;
  readonly to: number;
  readonly padLeft: number;
  /** Length of the returned sequence: kept tokens plus padding on both sides. */
  readonly length: number;
  private table: Int32Array | undefined;
  private cover: { covered: Uint8Array; kept: Uint8Array } | undefined;

  constructor(layout: TokenLayout) {
    if (layout.starts !== undefined && layout.ends !== undefined) {
      this.starts = layout.starts;
      this.ends = layout.ends;
    } else {
      const offsets = layout.offsets ?? [];
      this.starts = new Int32Array(offsets.length);
      this.ends = new Int32Array(offsets.length);
      for (let k = 0; k < offsets.length; k++) {
        this.starts[k] = offsets[k][0];
        this.ends[k] = offsets[k][1];
      }
    }
    [this.from, this.to] = layout.keep ?? [0, this.starts.length];
    this.padLeft = layout.padLeft ?? 0;
    this.length = this.to - this.from + this.padLeft + (layout.padRight ?? 0);
  }

  /** One past the last character any token of the text covers. */
  get extent(): number {
    let size = 0;
    for (let k = 0; k < this.ends.length; k++) if (this.ends[k] > size) size = this.ends[k];
    return size;
  }

  /** Per character below `extent`: whether any token of the text covers it (`covered`), and a kept one (`kept`). */
  coverage(): { covered: Uint8Array; kept: Uint8Array } {
    if (this.cover === undefined) {
      const size = this.extent;
      const covered = new Uint8Array(size);
      const kept = new Uint8Array(size);
      for (let k = 0; k < this.starts.length; k++) {
        const into = k >= this.from && k < this.to ? kept : null;
        for (let p = this.starts[k]; p < this.ends[k]; p++) {
          covered[p] = 1;
          if (into !== null) into[p] = 1;
        }
      }
      this.cover = { covered, kept };
    }
    return this.cover;
  }

  /** The sequence position of token k of the text (k within the kept range). */
  position(k: number): number {
    return k - this.from + this.padLeft;
  }

  /**
   * Rust `Encoding::char_to_token` on the truncated, padded encoding: the position of the first kept token
   * whose range contains code point `pos`, or null. Pad tokens have the range (0, 0) and contain nothing.
   */
  charToToken(pos: number): number | null {
    if (this.table === undefined) {
      let size = 0;
      for (let k = this.from; k < this.to; k++) size = Math.max(size, this.ends[k]);
      const table = new Int32Array(size).fill(-1);
      for (let k = this.from; k < this.to; k++) {
        const t = this.position(k);
        for (let p = this.starts[k]; p < this.ends[k]; p++) if (table[p] < 0) table[p] = t;
      }
      this.table = table;
    }
    const t = Number.isInteger(pos) && pos >= 0 && pos < this.table.length ? this.table[pos] : -1;
    return t < 0 ? null : t;
  }
}

/** One label's mask over a sequence, with the warnings about it. */
export interface LabelMask {
  mask: number[];
  warnings: MaskWarning[];
}

/** Marks the tokens of one sequence for the spans of one label (spans in recorded order), under a policy. */
export function spanMask(layout: TokenLayout | Sequence, spans: readonly LabeledSpan[], label: string, policy: MaskPolicy): LabelMask {
  const seq = layout instanceof Sequence ? layout : new Sequence(layout);
  const own = spans.filter((s) => s.label === label);
  const cover = new Coverage(seq, own);
  const result = policy === "hf" ? hfMask(seq, own) : exactMask(seq, cover);
  result.warnings.push(...cover.warnings(result.mask, label));
  return result;
}

/** `mask AND NOT remove`, position by position (exclude_think_from_mask). */
export function excludeMask(mask: readonly number[], remove: readonly number[]): number[] {
  return mask.map((m, i) => (m === 1 && remove[i] !== 1 ? 1 : 0));
}

/**
 * transformers' apply_chat_template loop, verbatim in behaviour: for each span in recorded order,
 * start_token = char_to_token(start); None stops the loop (this span and every later one is dropped);
 * end_token = char_to_token(end - 1); None or 0 marks from start_token to the end of the sequence, padding
 * included (`range(start, end + 1 if end else len)`); otherwise start..end inclusive.
 */
function hfMask(seq: Sequence, spans: readonly LabeledSpan[]): LabelMask {
  const mask = new Array<number>(seq.length).fill(0);
  const warnings: MaskWarning[] = [];
  for (const [i, span] of spans.entries()) {
    const startToken = seq.charToToken(span.start);
    // transformers passes end - 1 = -1 to Rust for an empty span at 0 and fails (OverflowError); here it maps to no token.
    const endToken = span.end - 1 >= 0 ? seq.charToToken(span.end - 1) : null;
    if (startToken === null) {
      for (const s of spans.slice(i)) {
        const why = s === span ? `its start (character ${s.start}) maps to no token` : `an earlier span's start (character ${span.start}) maps to no token`;
        warnings.push({
          code: "span-dropped-hf",
          message: `${s.label} span [${s.start}, ${s.end}) dropped: ${why}, and transformers stops marking this sample there`,
          label: s.label,
          start: s.start,
          end: s.end,
        });
      }
      break;
    }
    if (endToken === null || endToken === 0) {
      for (let t = startToken; t < seq.length; t++) mask[t] = 1;
      const why = endToken === 0 ? "its last character is in token 0, which transformers reads as false" : `its last character (${span.end - 1}) maps to no token`;
      warnings.push({
        code: "span-to-end",
        message: `${span.label} span [${span.start}, ${span.end}) marks every token from ${startToken} to the end of the sequence${seq.length > seq.to - seq.from + seq.padLeft ? " (padding included)" : ""}: ${why}`,
        label: span.label,
        start: span.start,
        end: span.end,
      });
      continue;
    }
    for (let t = startToken; t <= endToken; t++) mask[t] = 1;
  }
  return { mask, warnings };
}

/** A token is marked when its range overlaps labeled characters (an empty range counts where it sits). */
function exactMask(seq: Sequence, cover: Coverage): LabelMask {
  const mask = new Array<number>(seq.length).fill(0);
  for (let k = seq.from; k < seq.to; k++) if (cover.labeledIn(k) > 0) mask[seq.position(k)] = 1;
  return { mask, warnings: [] };
}

/** Which characters the spans label and which tokens cover them: the facts behind the shared warnings. */
class Coverage {
  private readonly seq: Sequence;
  private readonly spans: readonly LabeledSpan[];
  /** Prefix sums of labeled characters: labeled in [a, b) = prefix[b] - prefix[a]. */
  private readonly prefix: Int32Array;
  private readonly size: number;

  constructor(seq: Sequence, spans: readonly LabeledSpan[]) {
    this.seq = seq;
    this.spans = spans;
    let size = seq.extent;
    for (const s of spans) size = Math.max(size, s.end);
    this.size = size;
    const labeled = new Uint8Array(size);
    for (const s of spans) labeled.fill(1, Math.max(0, s.start), Math.max(0, s.end));
    this.prefix = new Int32Array(size + 1);
    for (let p = 0; p < size; p++) this.prefix[p + 1] = this.prefix[p] + labeled[p];
  }

  private count(a: number, b: number): number {
    const lo = Math.min(Math.max(0, a), this.size);
    const hi = Math.min(Math.max(lo, b), this.size);
    return this.prefix[hi] - this.prefix[lo];
  }

  /** Labeled characters inside token k; an empty token counts 1 when it sits on a labeled character. */
  labeledIn(k: number): number {
    const s = this.seq.starts[k];
    const e = this.seq.ends[k];
    return s === e ? this.count(s, s + 1) : this.count(s, e);
  }

  warnings(mask: readonly number[], label: string): MaskWarning[] {
    const out: MaskWarning[] = [];
    if (this.spans.length === 0) return out;
    const seq = this.seq;
    for (let k = seq.from; k < seq.to; k++) {
      const s = seq.starts[k];
      const e = seq.ends[k];
      const n = this.labeledIn(k);
      if (e > s && n > 0 && n < e - s) {
        const t = seq.position(k);
        out.push({
          code: "straddle",
          message: `token ${t} [${s}, ${e}) holds ${n} ${label} and ${e - s - n} unlabeled character(s); it is ${mask[t] === 1 ? "marked" : "not marked"} whole`,
          label,
          start: s,
          end: e,
          token: t,
        });
      }
    }
    // Characters covered by any token of the text, and by a kept one (none past the tokens' extent).
    const { covered, kept } = seq.coverage();
    for (const span of this.spans) {
      let uncovered = 0;
      let cut = 0;
      for (let p = Math.max(0, span.start); p < Math.min(span.end, this.size); p++) {
        if (p >= covered.length || covered[p] === 0) uncovered++;
        else if (kept[p] === 0) cut++;
      }
      const where = `${span.label} span [${span.start}, ${span.end})`;
      if (uncovered > 0) {
        out.push({ code: "uncovered", message: `${uncovered} character(s) of the ${where} belong to no token (a character the normalizer merged away, or past the end of the text)`, label, start: span.start, end: span.end });
      }
      if (cut > 0) out.push({ code: "truncated", message: `${cut} character(s) of the ${where} were cut off by truncation`, label, start: span.start, end: span.end });
    }
    return out;
  }
}
