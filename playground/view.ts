// The output panels of the playground, filled from an Outcome. Chat text only ever reaches the page as text
// nodes (never through innerHTML), so nothing a template prints can become markup.
import { rangesToCodePoints, type Span } from "../src/index.ts";
import { countOnes, type Outcome, type TokenView } from "./compute.ts";

/** Characters shown with a marker besides themselves: newline, tab, CR, controls and invisible ones. */
const SPECIAL = /[\n\t\r\0-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\ufeff]/g;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * Appends text with an empty marker element before each special character; the marker's symbol is CSS
 * generated content, so the container's textContent stays the exact text.
 */
function appendMarked(parent: HTMLElement, s: string): void {
  let last = 0;
  for (const m of s.matchAll(SPECIAL)) {
    const c = m[0];
    if (m.index > last) parent.append(s.slice(last, m.index));
    const marker = el("i", c === "\n" ? "n" : c === "\t" ? "tb" : c === "\r" ? "cr" : "c");
    if (marker.className === "c") marker.dataset.c = `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    parent.append(marker, c);
    last = m.index + 1;
  }
  if (last < s.length) parent.append(s.slice(last));
}

/** The class of a piece of text covered by these labels: `sa` assistant, `sk` think, `sx` any other. */
function labelClass(labels: ReadonlySet<string>): string {
  const cls = ["seg"];
  if (labels.has("assistant")) cls.push("sa");
  if (labels.has("think")) cls.push("sk");
  if ([...labels].some((l) => l !== "assistant" && l !== "think")) cls.push("sx");
  return cls.join(" ");
}

/** The rendered text, each stretch covered by spans wrapped in an element classed by its labels. */
export function showText(target: HTMLElement, text: string, spans: readonly Span[]): void {
  const cuts = new Set<number>([0, text.length]);
  for (const s of spans) {
    cuts.add(Math.min(Math.max(s.start, 0), text.length));
    cuts.add(Math.min(Math.max(s.end, 0), text.length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const parts: (Node | string)[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const labels = new Set(spans.filter((s) => s.start <= a && s.end >= b).map((s) => s.label));
    if (labels.size === 0) {
      parts.push(text.slice(a, b));
      continue;
    }
    const seg = el("span", labelClass(labels), text.slice(a, b));
    seg.dataset.labels = [...labels].join(" ");
    parts.push(seg);
  }
  target.replaceChildren(...parts);
}

/** The tokens as boxes classed by mask: `a` in assistant_masks, `k` in thinking_masks. */
export function showTokens(target: HTMLElement, text: string, tokens: readonly TokenView[], assistant: readonly number[], thinking: readonly number[]): void {
  const boxes: Node[] = [];
  let pos = 0;
  tokens.forEach((t, i) => {
    if (t.start > pos) {
      const gap = el("span", "gap");
      gap.title = "not covered by any token";
      appendMarked(gap, text.slice(pos, t.start));
      boxes.push(gap);
    }
    // byte-level pieces of one character share its range: print each character once
    const shown = text.slice(Math.max(pos, t.start), t.end);
    pos = Math.max(pos, t.end);
    const a = assistant[i] === 1;
    const k = thinking[i] === 1;
    const box = el("span", `t${a ? " a" : ""}${k ? " k" : ""}${shown === "" ? " e" : ""}`);
    box.title = `token ${i} · id ${t.id}\ntext ${JSON.stringify(text.slice(t.start, t.end))}\nUTF-16 [${t.start}, ${t.end})\nassistant ${assistant[i] ?? "–"} · think ${thinking[i] ?? "–"}`;
    appendMarked(box, shown);
    boxes.push(box);
  });
  if (pos < text.length) {
    const gap = el("span", "gap");
    appendMarked(gap, text.slice(pos));
    boxes.push(gap);
  }
  target.replaceChildren(...boxes);
}

/** Up to 80 code points of the text, else its head and tail, as a JSON string (escapes visible). */
function preview(s: string): string {
  const cps = [...s];
  return cps.length <= 80 ? JSON.stringify(s) : `${JSON.stringify(cps.slice(0, 56).join("")).slice(0, -1)} … ${JSON.stringify(cps.slice(-20).join("")).slice(1)}`;
}

/** One row per span: label, code-point offsets (Python's, transformers' unit) and the text it covers. */
export function showSpans(target: HTMLTableSectionElement, text: string, spans: readonly Span[]): void {
  const cps = rangesToCodePoints(text, spans);
  target.replaceChildren(
    ...spans.map((s, i) => {
      const row = el("tr");
      const label = el("td");
      label.append(el("span", `sw ${s.label === "assistant" ? "sa" : s.label === "think" ? "sk" : "sx"}`, s.label));
      row.append(label, el("td", "num", `[${cps[i].start}, ${cps[i].end})`), el("td", "pv", preview(text.slice(s.start, s.end))));
      return row;
    }),
  );
}

/** The warnings, one line each with its code. */
export function showWarnings(target: HTMLElement, warnings: Outcome["warnings"]): void {
  target.replaceChildren(
    ...warnings.map((w) => {
      const line = el("div", "warn");
      line.append(el("code", "", w.code), ` ${w.message}`);
      return line;
    }),
  );
}

/** The counts bar: tokens, assistant tokens, thinking tokens. */
export function counts(o: Outcome): { tokens: number; assistant: number; thinking: number } {
  return { tokens: o.tokens.length, assistant: countOnes(o.assistant), thinking: countOnes(o.thinking) };
}
