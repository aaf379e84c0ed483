// A template's source text and the arithmetic from offsets to lines and columns.
// Knows nothing of syntax or values; every other module may import it.
import { LineIndex } from "./codepoints.ts";

/** A place in the template source: 1-based line and column, UTF-16 offsets into the normalized source. */
export interface Loc {
  line: number;
  column: number;
  offset: number;
  endOffset: number;
}

/** Template text (after newline normalization) with its name and the offsets where lines start. */
export class Source {
  readonly text: string;
  readonly name: string;
  private readonly lines: LineIndex;
  private readonly lineStarts: readonly number[];

  constructor(text: string, name = "chat_template") {
    this.text = text;
    this.name = name;
    this.lines = new LineIndex(text);
    this.lineStarts = this.lines.lineStarts;
  }

  /** 1-based line number of a UTF-16 offset. */
  lineOf(offset: number): number {
    return this.lines.lineOf(offset);
  }

  /** The Loc of the range [offset, endOffset). Columns count code points, as editors show them. */
  locOf(offset: number, endOffset = offset + 1): Loc {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lines.lineOf(clamped);
    return { line, column: this.lines.columnOf(clamped, line), offset: clamped, endOffset: Math.max(clamped, endOffset) };
  }

  /** Text of a 1-based line without its newline. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

/**
 * transformers' jinja2 environment normalizes `\r\n` and `\r` to `\n` and, since keep_trailing_newline is
 * off, drops one trailing newline of the source.
 */
export function normalizeNewlines(text: string, keepTrailingNewline = false): string {
  let out = text.indexOf("\r") === -1 ? text : text.replace(/\r\n?/g, "\n");
  if (!keepTrailingNewline && out.endsWith("\n")) out = out.slice(0, -1);
  return out;
}
