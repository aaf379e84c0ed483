// Random chat templates (message loops at the top level, in macros, set and call blocks, over slices, with
// scans, namespaces, generation prompts inside and after the loop, think blocks) on random conversations:
// spanja's inferred spans equal conformance/reference/infer.py's, character for character, or both fail
// closed for the same reason. One python3 process answers each batch.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InferenceError, Template, TemplateError, rangesToCodePoints } from "../../src/index.ts";
import { PYTHON } from "./python.ts";

const REFERENCE = join(import.meta.dirname, "../../conformance/reference");
const RUNS = Number(process.env.SPANJA_PROPERTY_RUNS ?? 300);

const SCRIPT = String.raw`
import json, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from env import make_environment
from infer import infer_spans
env = make_environment()
out = []
for case in json.load(sys.stdin):
    r = infer_spans(env, case["src"], case["ctx"])
    out.append({"text": r.get("text"), "spans": [{"label": s["label"], "start": s["start"], "end": s["end"]} for s in r.get("spans", [])], "error": r.get("error"), "reference": r.get("reference")})
print(json.dumps(out))
`;

// ---- templates ----
const header = fc.constantFrom("<|{{ m.role }}|>", "{{ m.role }}: ", "[{{ m.role|upper }}]\n");
const end = fc.constantFrom("<|end|>\n", "\n", "</s>", "");
const think = fc.constantFrom(
  "",
  "{% if m.role == 'assistant' and m.reasoning %}<think>{{ m.reasoning }}</think>\n\n{% endif %}",
  "{% if m.role == 'assistant' and loop.last %}<think>\n\n</think>\n\n{% endif %}",
  "{% if m.role == 'assistant' and m.reasoning %}<|channel|>analysis<|message|>{{ m.reasoning }}<|end|>{% endif %}",
);
const content = fc.constantFrom("{{ m.content }}", "{{ m.content|trim }}", "{{ m.content.split('</think>')[-1] }}", "{% if m.content is string %}{{ m.content }}{% endif %}");
const inLoopPrompt = fc.constantFrom("", "{% if loop.last and add_generation_prompt %}<|assistant|>{% endif %}");
const genPrompt = fc.constantFrom("", "{% if add_generation_prompt %}<|assistant|>{% endif %}", "{% if add_generation_prompt %}<|assistant|><think>\n{% endif %}", "END{% if add_generation_prompt %} A:{% endif %}");
const prefix = fc.constantFrom(
  ["", "messages"],
  ["{{ bos_token }}", "messages"],
  ["{% if messages and messages[0].role == 'system' %}SYS {{ messages[0].content }}\n{% set loop_messages = messages[1:] %}{% else %}{% set loop_messages = messages %}{% endif %}", "loop_messages"],
  ["{% set ns = namespace(last=-1) %}{% for m in messages[::-1] %}{% if ns.last < 0 and m.role == 'user' %}{% set ns.last = messages|length - 1 - loop.index0 %}{% endif %}{% endfor %}", "messages"],
  ["{% for m in messages if m.role == 'system' %}{{ m.content }}\n{% endfor %}", "messages"],
);
const wrapper = fc.constantFrom("top", "macro", "set", "call", "filter-loop");

const template = fc.tuple(prefix, wrapper, header, think, content, end, inLoopPrompt, genPrompt).map(([[pre, iter], wrap, h, t, c, e, inLoop, gen]) => {
  const filter = wrap === "filter-loop" ? " if m.role != 'system'" : "";
  const loop = `{% for m in ${iter}${filter} %}${h}${t}${c}${e}${inLoop}{% endfor %}`;
  if (wrap === "macro") return `${pre}{% macro turns(ms) %}${loop.replace(`in ${iter}`, "in ms")}{% endmacro %}{{ turns(${iter}) }}${gen}`;
  if (wrap === "set") return `${pre}{% set out %}${loop}{% endset %}{{ out }}${gen}`;
  if (wrap === "call") return `${pre}{% macro box() %}{{ caller() }}{% endmacro %}{% call box() %}${loop}{% endcall %}${gen}`;
  return `${pre}${loop}${gen}`;
});

// ---- conversations ----
const text = fc.constantFrom("hi", "  spaced  ", "two\nlines", "😀 ok", "<think>r</think>answer", "", "x");
const message = fc.oneof(
  fc.record({ role: fc.constant("user"), content: text }),
  fc.record({ role: fc.constant("assistant"), content: text }),
  fc.record({ role: fc.constant("assistant"), content: text, reasoning: fc.constantFrom("plan", "") }),
  fc.record({ role: fc.constant("tool"), content: text }),
);
const conversation = fc.tuple(fc.boolean(), fc.array(message, { minLength: 1, maxLength: 6 })).map(([sys, ms]) => (sys ? [{ role: "system", content: "be brief" }, ...ms] : ms));
const context = fc.record({ messages: conversation, add_generation_prompt: fc.boolean(), bos_token: fc.constant("<s>") });

interface Answer {
  text: string | null;
  spans: { label: string; start: number; end: number }[];
  error: { kind?: string; type?: string; message: string } | null;
  reference: string;
}

function spanja(src: string, ctx: Record<string, unknown>): Answer {
  try {
    const r = new Template(src).renderWithSpans(ctx, { spanSource: "infer" });
    return { text: r.text, spans: rangesToCodePoints(r.text, r.spans).map((s) => ({ label: s.label, start: s.start, end: s.end })), error: null, reference: "ok" };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    return { text: null, spans: [], error: e instanceof InferenceError ? { kind: e.reason, message: e.message } : { type: e.name, message: e.message }, reference: "ok" };
  }
}

/** What must agree: the spans and text, or the fail-closed reason, or that both raised otherwise. */
function verdict(a: Answer): string {
  if (a.error === null) return JSON.stringify([a.text, a.spans]);
  return a.error.kind !== undefined ? `fails closed: ${a.error.kind}` : "render error";
}

describe.skipIf(PYTHON === null)("inferred spans on random chat templates equal the Python reference's", () => {
  it(`agree on ${RUNS} template × conversation pairs`, () => {
    const cases = fc.sample(fc.tuple(template, context), { numRuns: RUNS, seed: Number(process.env.SPANJA_PROPERTY_SEED ?? 6) });
    const batch = cases.map(([src, ctx]) => ({ src, ctx }));
    const r = spawnSync("python3", ["-c", SCRIPT, REFERENCE], { input: JSON.stringify(batch), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
    const answers = JSON.parse(r.stdout) as Answer[];
    const differences: string[] = [];
    let attributed = 0;
    cases.forEach(([src, ctx], i) => {
      const want = answers[i];
      if (want.reference !== "ok") return;
      const got = spanja(src, ctx);
      if (want.error === null) attributed++;
      if (verdict(want) !== verdict(got)) differences.push(`${src}\n  ${JSON.stringify(ctx)}\n  reference: ${verdict(want)}\n  spanja:    ${verdict(got)}`);
    });
    expect(differences.slice(0, 3)).toEqual([]);
    // the generator must mostly produce templates inference can attribute
    expect(attributed).toBeGreaterThan(RUNS / 3);
  });
});
