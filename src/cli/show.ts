// Terminal display of spans and masks: colours on a terminal, ⟦label⟧ markers otherwise.
import type { Span } from "../spans/output.ts";
import { rangesToCodePoints } from "../codepoints.ts";

export const COLORS: Record<string, string> = { assistant: "\x1b[42;30m", think: "\x1b[45;30m" };
export const RESET = "\x1b[0m";

/** The legend of the mask colours. */
export function legend(color: boolean): string {
  return color ? `${COLORS.assistant} assistant ${RESET} ${COLORS.think} think ${RESET} prompt` : "⟦assistant⟧ ⟦think⟧ prompt";
}

/** Text with span boundaries shown as colours (or markers); nested spans show the innermost label. */
export function highlightSpans(text: string, spans: readonly Span[], color: boolean): string {
  const events: { at: number; open: boolean; label: string }[] = [];
  for (const s of spans) events.push({ at: s.start, open: true, label: s.label }, { at: s.end, open: false, label: s.label });
  events.sort((a, b) => a.at - b.at || Number(a.open) - Number(b.open));
  let out = "";
  let pos = 0;
  const stack: string[] = [];
  for (const e of events) {
    out += text.slice(pos, e.at);
    pos = e.at;
    if (e.open) stack.push(e.label);
    else stack.splice(stack.lastIndexOf(e.label), 1);
    if (color) out += stack.length ? RESET + (COLORS[stack[stack.length - 1]] ?? "") : RESET;
    else out += e.open ? `⟦${e.label}⟧` : `⟦/${e.label}⟧`;
  }
  return out + text.slice(pos) + (color ? RESET : "");
}

/** One line per span: label, code-point range (as Python counts) and a preview of its text. */
export function spanList(text: string, spans: readonly Span[]): string[] {
  const cps = rangesToCodePoints(text, spans);
  return spans.map((s, i) => {
    const preview = JSON.stringify(text.slice(s.start, s.end));
    return `  ${s.label.padEnd(9)} [${cps[i].start}, ${cps[i].end})  ${preview.length > 70 ? preview.slice(0, 67) + '…"' : preview}`;
  });
}

/** Tokens coloured by mask: thinking (magenta), assistant (green), prompt (plain). */
export function maskedTokens(text: string, offsets: readonly (readonly [number, number])[], assistant: readonly number[], thinking: readonly number[], color: boolean): string {
  let out = "";
  let prev = "";
  let pos = 0;
  for (let i = 0; i < offsets.length; i++) {
    // byte-level pieces of one character share its range: print each character once
    const piece = text.slice(Math.max(pos, offsets[i][0]), offsets[i][1]);
    pos = Math.max(pos, offsets[i][1]);
    const cls = thinking[i] ? "think" : assistant[i] ? "assistant" : "";
    if (color) out += (cls ? COLORS[cls] : RESET) + piece + RESET;
    else {
      if (cls !== prev) out += (prev ? `⟦/${prev}⟧` : "") + (cls ? `⟦${cls}⟧` : "");
      out += piece;
    }
    prev = cls;
  }
  return color ? out : out + (prev ? `⟦/${prev}⟧` : "");
}

export function count(mask: readonly number[] | undefined): number {
  let n = 0;
  for (const x of mask ?? []) n += x;
  return n;
}
