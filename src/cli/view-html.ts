// The page behind `spanja view --html`: one conversation's tokens boxed and coloured by mask, its spans,
// warnings and settings, as one self-contained HTML file (inline CSS and JS, nothing fetched).
//
// The token boxes are rendered here, as static escaped HTML, so the page reads the same with JavaScript off
// and no chat text ever passes through the browser's HTML parser from script. The one inline script only
// flips the assistant class for the exclude_think_from_mask toggle and updates the counts; its data (three
// 0/1 strings) sits in a JSON block escaped for <script>. A Content-Security-Policy allows that script and
// the style by hash and nothing else: no network, no other script, even if escaping were ever wrong.
import { createHash } from "node:crypto";
import type { ChatTokenizer } from "../chat/chat-tokenizer.ts";
import type { ChatEncoding } from "../chat/encoding.ts";
import { Float } from "../runtime/value.ts";
import { codePointTable, rangesToCodePoints } from "../codepoints.ts";

export interface ViewToken {
  id: number;
  /** The token string of the vocabulary ("Ġthe"); an added token's matched text. */
  piece: string;
  /** [start, end) in UTF-16 units of the text, as ChatEncoding.offsets gives them. */
  start: number;
  end: number;
}

export interface ViewData {
  /** e.g. "Qwen3 · conversation.json". */
  title: string;
  /** The rendered chat text. */
  text: string;
  tokens: ViewToken[];
  assistant_masks: number[];
  /** Thinking tokens are also in assistant_masks (unless it was computed with exclude_think_from_mask). */
  thinking_masks: number[];
  /** assistant_masks with exclude_think_from_mask: true. */
  assistant_masks_exclude_think: number[];
  /** UTF-16 offsets into text; labels "assistant", "think", others possible. */
  spans: { label: string; start: number; end: number }[];
  warnings: { code: string; message: string }[];
  meta: { model: string; template: string; spanSource: string; tokens: number; options: Record<string, unknown> };
}

/** What the command knows beyond the two encodings. */
export interface ViewMeta {
  title: string;
  model: string;
  /** Which template rendered: a file, or the model's. */
  template: string;
  options: Record<string, unknown>;
}

/**
 * ViewData from two applyChatTemplate results on one conversation: `enc` with the command's options and
 * `excludeThink` with exclude_think_from_mask: true. Token pieces come from encoding the text again (the
 * ChatTokenizer has no id-to-token table); the two encodings must hold the same tokens.
 */
export function viewData(tok: ChatTokenizer, enc: ChatEncoding, excludeThink: ChatEncoding, meta: ViewMeta): ViewData {
  const n = enc.input_ids.length;
  if (excludeThink.text !== enc.text || excludeThink.input_ids.length !== n || excludeThink.input_ids.some((id, i) => id !== enc.input_ids[i])) {
    throw new Error("viewData: the two encodings are not of the same text and tokens");
  }
  const aligned = tok.tokenizer.encode(enc.text);
  const same = aligned.ids.length === n && aligned.ids.every((id, i) => id === enc.input_ids[i]);
  // truncated or padded: look pieces up by id (padding: the pad token)
  const byId = new Map<number, string>();
  if (!same) aligned.ids.forEach((id, i) => byId.has(id) || byId.set(id, aligned.tokens[i]));
  const pad = typeof tok.config.padToken === "string" ? tok.config.padToken : "";
  const tokens = enc.input_ids.map((id, i): ViewToken => {
    const [start, end] = enc.offsets[i];
    const piece = same ? aligned.tokens[i] : enc.attention_mask[i] === 0 ? pad : (byId.get(id) ?? enc.text.slice(start, end));
    return { id, piece, start, end };
  });
  const zeros = () => new Array<number>(n).fill(0);
  // the second encoding repeats the first's warnings; keep each code and message once
  const warnings = new Map<string, { code: string; message: string }>();
  for (const w of [...enc.warnings, ...excludeThink.warnings]) warnings.set(`${w.code}\u0000${w.message}`, { code: w.code, message: w.message });
  return {
    title: meta.title,
    text: enc.text,
    tokens,
    assistant_masks: enc.assistant_masks ?? zeros(),
    thinking_masks: enc.thinking_masks ?? zeros(),
    assistant_masks_exclude_think: excludeThink.assistant_masks ?? zeros(),
    spans: enc.spans.map((s) => ({ label: s.label, start: s.start, end: s.end })),
    warnings: [...warnings.values()],
    meta: { model: meta.model, template: meta.template, spanSource: enc.spanSource ?? "none (no masks asked for)", tokens: n, options: meta.options },
  };
}

// ---------------------------------------------------------------------------------------------- the page

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\r": "&#13;", "\u2028": "&#x2028;", "\u2029": "&#x2029;" };

/** Text for an HTML text node or a quoted attribute. A raw CR would become LF in the parser: `&#13;` keeps it. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'\r\u2028\u2029]/g, (c) => HTML_ESCAPES[c]);
}

/** JSON that is safe inside <script type="application/json">: no `<`, `>`, `&`, U+2028, U+2029. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Characters shown with a marker (their code) besides themselves: controls, separators, invisible ones. */
const INVISIBLE = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\ufeff]/;
const SPECIAL = new RegExp(`[\\n\\t\\r]|${INVISIBLE.source}`, "g");

function codeOf(c: string): string {
  return `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * A token's text for a box: escaped, with empty marker elements (their symbol is CSS generated content, so
 * the box's textContent stays the exact text): ↵ before a newline, ␍ before a CR, → before a tab, the code of an invisible
 * character. NUL cannot appear in an HTML page: it is shown as U+FFFD with its marker.
 */
function boxText(s: string): string {
  let out = "";
  let last = 0;
  for (const m of s.matchAll(SPECIAL)) {
    const c = m[0];
    out += escapeHtml(s.slice(last, m.index));
    last = m.index + 1;
    if (c === "\n") out += '<i class="n"></i>\n';
    else if (c === "\t") out += '<i class="tb"></i>\t';
    else if (c === "\r") out += '<i class="cr"></i>&#13;';
    else out += `<i class="c" data-c="${codeOf(c)}"></i>${c === "\0" ? "&#xFFFD;" : escapeHtml(c)}`;
  }
  return out + escapeHtml(s.slice(last));
}


function sum(mask: readonly number[]): number {
  let n = 0;
  for (const x of mask) n += x === 1 ? 1 : 0;
  return n;
}

/** The tokens as boxes; text no token covers (truncation, an absorbed character) as unboxed gaps. */
function tokenBoxes(d: ViewData, anchors: ReadonlySet<number>): string {
  const cp = codePointTable(d.text);
  const at = (u: number) => cp[Math.min(Math.max(u, 0), d.text.length)];
  const parts: string[] = [];
  let pos = 0;
  const gap = (to: number) => {
    if (to > pos) parts.push(`<span class="gap" title="not covered by any token">${boxText(d.text.slice(pos, to))}</span>`);
  };
  d.tokens.forEach((t, i) => {
    gap(t.start);
    // byte-level pieces of one character share its range: print each character once
    const shown = d.text.slice(Math.max(pos, t.start), t.end);
    pos = Math.max(pos, t.end);
    const a = d.assistant_masks[i] === 1;
    const k = d.thinking_masks[i] === 1;
    const cls = `t${a ? " a" : ""}${k ? " k" : ""}${shown === "" ? " e" : ""}`;
    const slice = d.text.slice(t.start, t.end);
    const [s, e] = [at(t.start), at(t.end)];
    const title = [
      `token ${i} · id ${t.id}`,
      `piece ${JSON.stringify(t.piece)}`,
      ...(slice !== t.piece ? [`text ${JSON.stringify(slice)}`] : []),
      `offsets [${s}, ${e})${s !== t.start || e !== t.end ? ` · UTF-16 [${t.start}, ${t.end})` : ""}`,
      `assistant ${d.assistant_masks[i] ?? 0} · think ${d.thinking_masks[i] ?? 0} · assistant (exclude_think) ${d.assistant_masks_exclude_think[i] ?? 0}`,
    ].join("\n");
    parts.push(`<span class="${cls}"${anchors.has(i) ? ` id="t${i}"` : ""} title="${escapeHtml(title).replace(/\n/g, "&#10;")}">${boxText(shown)}</span>`);
  });
  gap(d.text.length);
  return parts.join("");
}

/** Up to 80 code points of the text, else its head and tail, as a JSON string (escapes visible). */
function preview(s: string): string {
  const cps = [...s];
  return cps.length <= 80 ? JSON.stringify(s) : `${JSON.stringify(cps.slice(0, 56).join("")).slice(0, -1)} … ${JSON.stringify(cps.slice(-20).join("")).slice(1)}`;
}

/** The tokens [first, last] a UTF-16 range overlaps, or null. */
function tokensOf(d: ViewData, start: number, end: number): [number, number] | null {
  let first = -1;
  let last = -1;
  d.tokens.forEach((t, i) => {
    if (t.start < end && t.end > start) {
      if (first < 0) first = i;
      last = i;
    }
  });
  return first < 0 ? null : [first, last];
}

function swatch(label: string): string {
  const cls = label === "assistant" ? "sw a" : label === "think" ? "sw a k" : "sw";
  return `<span class="${cls}">${escapeHtml(label)}</span>`;
}

function spanRows(d: ViewData, covered: (readonly [number, number] | null)[]): string {
  if (d.spans.length === 0) return '<p class="dim">no spans</p>';
  const text = d.text;
  const clipped = d.spans.map((s) => ({ label: s.label, start: Math.min(Math.max(s.start, 0), text.length), end: Math.min(Math.max(s.end, 0), text.length) }));
  const cps = rangesToCodePoints(text, clipped);
  const rows = d.spans.map((s, i) => {
    const toks = covered[i];
    const where = toks ? `<a href="#t${toks[0]}">${toks[0]}–${toks[1]}</a>` : "none";
    return `<tr><td>${swatch(s.label)}</td><td class="num">[${cps[i].start}, ${cps[i].end})</td><td class="num">${where}</td><td><code>${boxText(preview(text.slice(clipped[i].start, clipped[i].end)))}</code></td></tr>`;
  });
  return `<table><thead><tr><th>label</th><th>characters (code points)</th><th>tokens</th><th>text</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** Options as JSON for reading: a Python float as its number, long strings (a template source) shortened. */
function optionsJson(options: Record<string, unknown>): string {
  try {
    return JSON.stringify(
      options,
      (_k, v: unknown) => (v instanceof Float ? v.value : typeof v === "string" && v.length > 300 ? `${v.slice(0, 120)}… (${v.length} characters)` : typeof v === "bigint" ? v.toString() : v),
      2,
    );
  } catch (e) {
    return `(cannot show: ${(e as Error).message})`;
  }
}

const STYLE = `
:root{color-scheme:light dark;--line:#8886;--a:#bdecc4;--k:#f3c2ee;--kb:#b02d9c;--w:#fff1c2;--wb:#d39e00}
@media (prefers-color-scheme:dark){:root{--a:#1e5530;--k:#62215a;--kb:#ee7fdc;--w:#4a3c06;--wb:#c99a1a}}
body{font:14px/1.5 system-ui,sans-serif;margin:1.2em auto;max-width:90em;padding:0 1em}
h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.05em;margin:1.4em 0 .4em}
code,pre,#tokens{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.warn{background:var(--w);border-left:4px solid var(--wb);padding:.35em .8em;margin:.3em 0}
.dim{opacity:.65}
#bar{display:flex;flex-wrap:wrap;gap:.4em 1.6em;align-items:center;margin:.6em 0}
#tokens{font-size:13px;line-height:1.9;white-space:pre-wrap;overflow-wrap:anywhere;tab-size:4;border:1px solid var(--line);border-radius:4px;padding:.6em}
.t{box-shadow:inset 0 0 0 1px var(--line);border-radius:2px}
.a{background:var(--a)}.k.a{background:var(--k)}.k:not(.a){outline:1px dashed var(--kb);outline-offset:-1px}
.t:hover{outline:2px solid Highlight;outline-offset:0}
.e::before{content:"\\22ef";opacity:.45}
.n::before{content:"\\21b5";opacity:.5}.cr::before{content:"\\240d";opacity:.5}.tb::before{content:"\\2192";opacity:.45}
.c::before{content:attr(data-c);font-size:.7em;border:1px solid currentColor;border-radius:2px;padding:0 1px;opacity:.7}
i{font-style:normal}
.gap{text-decoration:underline wavy var(--wb)}
.sw{display:inline-block;box-shadow:inset 0 0 0 1px var(--line);border-radius:2px;padding:0 .35em;font-family:ui-monospace,Menlo,Consolas,monospace}
table{border-collapse:collapse}td,th{padding:.15em .7em .15em 0;text-align:left;vertical-align:top}.num{white-space:nowrap}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dd{margin:0}pre{margin:0;white-space:pre-wrap}
`;

// Reads the masks, flips `a` on every box and rewrites the counts; shows the toggle only when it can work.
const SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("view-data").textContent);
  var boxes = document.querySelectorAll("#tokens .t");
  var toggle = document.getElementById("exclude");
  function count(s) { var n = 0; for (var i = 0; i < s.length; i++) if (s.charAt(i) === "1") n++; return n; }
  function show() {
    var mask = toggle.checked ? data.exclude : data.assistant;
    for (var i = 0; i < boxes.length; i++) boxes[i].classList.toggle("a", mask.charAt(i) === "1");
    document.getElementById("n-assistant").textContent = String(count(mask));
    document.getElementById("n-think").textContent = String(count(data.thinking));
    document.getElementById("n-total").textContent = String(boxes.length);
    document.getElementById("mode").textContent = toggle.checked ? "assistant_masks with exclude_think_from_mask" : "assistant_masks";
  }
  toggle.addEventListener("change", show);
  document.getElementById("toggle").hidden = false;
  show();
})();
`;

const sha256 = (s: string) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`;
const CSP = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; img-src 'none'; base-uri 'none'; form-action 'none'`;

/** One self-contained HTML page (inline CSS and JS, no network: no external URLs, fonts, scripts or images). */
export function viewHtml(data: ViewData): string {
  const n = data.tokens.length;
  const bits = (m: readonly number[]) => Array.from({ length: n }, (_, i) => (m[i] === 1 ? "1" : "0")).join("");
  const covered = data.spans.map((s) => tokensOf(data, s.start, s.end));
  const anchors = new Set(covered.flatMap((c) => (c ? [c[0]] : [])));
  const warnings = data.warnings.length
    ? data.warnings.map((w) => `<div class="warn"><code>${escapeHtml(w.code)}</code> ${escapeHtml(w.message)}</div>`).join("\n")
    : '<p class="dim">no warnings</p>';
  const m = data.meta;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="spanja view">
<title>${escapeHtml(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(data.title)}</h1>
<section id="warnings" aria-label="warnings">
${warnings}
</section>
<div id="bar">
<span><b id="n-assistant">${sum(data.assistant_masks)}</b> assistant tokens, <b id="n-think">${sum(data.thinking_masks)}</b> thinking tokens, <b id="n-total">${n}</b> in total</span>
<span class="dim">colours show <span id="mode">assistant_masks</span></span>
<label id="toggle" hidden><input type="checkbox" id="exclude" autocomplete="off"> exclude_think_from_mask</label>
</div>
<div id="legend">${swatch("assistant")} assistant token · <span class="sw a k">think</span> thinking token in the assistant mask · <span class="sw k">think</span> thinking token outside it · <span class="sw">prompt</span> neither · <span class="sw"><i class="n"></i></span> newline · <span class="sw"><i class="tb"></i></span> tab · <span class="sw"><i class="cr"></i></span> carriage return · <span class="sw"><i class="c" data-c="U+200B"></i></span> an invisible character · <span class="sw e"></span> a byte token of the character before · <span class="sw gap">text</span> no token. Hover a token for its id, piece, offsets and masks.</div>
<h2>Tokens</h2>
<div id="tokens">${tokenBoxes(data, anchors)}</div>
<h2>Spans</h2>
${spanRows(data, covered)}
<h2>Settings</h2>
<dl>
<dt>model</dt><dd>${escapeHtml(m.model)}</dd>
<dt>template</dt><dd>${escapeHtml(m.template)}</dd>
<dt>span source</dt><dd>${escapeHtml(m.spanSource)}</dd>
<dt>tokens</dt><dd>${m.tokens}</dd>
<dt>options</dt><dd><pre>${escapeHtml(optionsJson(m.options))}</pre></dd>
</dl>
<script type="application/json" id="view-data">${scriptJson({ assistant: bits(data.assistant_masks), exclude: bits(data.assistant_masks_exclude_think), thinking: bits(data.thinking_masks) })}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
