// Inferred spans on small templates, one behaviour of the definition (README, "Inferred spans") each: where
// message loops run, what a region is, the prompt tail, think blocks, and every way inference fails closed.
import { describe, expect, it } from "vitest";
import { InferenceError, LimitError, Template, TemplateError, type Span } from "../../src/index.ts";

/** The inferred spans as [label, text] pairs, in document order. */
function inferred(source: string, context: Record<string, unknown>): [string, string][] {
  const r = new Template(source).renderWithSpans(context, { spanSource: "infer" });
  return r.spans.map((s: Span) => [s.label, r.text.slice(s.start, s.end)]);
}

function failure(source: string, context: Record<string, unknown>): InferenceError {
  try {
    new Template(source).renderWithSpans(context, { spanSource: "infer" });
  } catch (e) {
    expect(e).toBeInstanceOf(InferenceError);
    return e as InferenceError;
  }
  throw new Error("expected an InferenceError");
}

const CHATML =
  "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";
const TWO_TURNS = [
  { role: "user", content: "hi" },
  { role: "assistant", content: "hello" },
  { role: "user", content: "how?" },
  { role: "assistant", content: "fine" },
];

describe("regions and prompt tails", () => {
  it("a top-level loop: the span starts after the generation prompt and keeps the end of turn", () => {
    expect(inferred(CHATML, { messages: TWO_TURNS })).toEqual([
      ["assistant", "hello<|im_end|>\n"],
      ["assistant", "fine<|im_end|>\n"],
    ]);
  });

  it("the same spans when the loop runs inside a macro, a call block or a printed set block", () => {
    // (text the wrapper adds after the loop would be part of the prompt tail, so these wrappers add none)
    const body = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}";
    const gen = "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";
    const sources = [
      `{% macro turns(ms) %}${body.replace("messages", "ms")}{% endmacro %}HEAD {{ turns(messages) }}${gen}`,
      `{% macro wrap() %}[{{ caller() }}{% endmacro %}{% call wrap() %}${body}{% endcall %}${gen}`,
      `{% set out %}${body}{% endset %}>>{{ out }}${gen}`,
    ];
    for (const s of sources) expect(inferred(s, { messages: TWO_TURNS })).toEqual([["assistant", "hello<|im_end|>\n"], ["assistant", "fine<|im_end|>\n"]]);
  });

  it("loops over a slice held in a variable, with the system message rendered before the loop", () => {
    const src =
      "{% if messages[0].role == 'system' %}{% set sys = messages[0].content %}{% set loop_messages = messages[1:] %}{% else %}{% set sys = '' %}{% set loop_messages = messages %}{% endif %}" +
      "SYS:{{ sys }}\n{% for m in loop_messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}assistant: {% endif %}";
    expect(inferred(src, { messages: [{ role: "system", content: "be brief" }, ...TWO_TURNS] })).toEqual([
      ["assistant", "hello\n"],
      ["assistant", "fine\n"],
    ]);
  });

  it("ignores scanning loops and loops over filtered sequences", () => {
    const src =
      "{% set ns = namespace(last=-1) %}{% for m in messages[::-1] %}{% if ns.last < 0 and m.role == 'user' %}{% set ns.last = messages|length - 1 - loop.index0 %}{% endif %}{% endfor %}" +
      "{% for m in messages|selectattr('role', 'equalto', 'user') %}{% endfor %}" +
      "{% for m in messages %}{{ m.role }}{% if loop.index0 > ns.last %}*{% endif %}: {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}assistant*: {% endif %}";
    // every prompt ends with "assistant*: ", but message 1's turn is rendered without the star (it is not after
    // the last query): its span starts after the common prefix "assistant"
    expect(inferred(src, { messages: TWO_TURNS })).toEqual([
      ["assistant", ": hello\n"],
      ["assistant", "fine\n"],
    ]);
  });

  it("counts both loops when history and the last turns are rendered separately", () => {
    const src =
      "{% set hist = messages[:-2] %}{% set suffix = messages[-2:] %}{% for m in hist %}H {{ m.role }}: {{ m.content }}\n{% endfor %}" +
      "{% for m in suffix %}S {{ m.role }}: {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}S assistant: {% endif %}";
    // messages[:2] makes message 1 part of the suffix in its own prompt, so its span runs from the common prefix
    expect(inferred(src, { messages: TWO_TURNS })).toEqual([
      ["assistant", "H assistant: hello\n"],
      ["assistant", "fine\n"],
    ]);
  });

  it("a filter's result is not a message view, even when the filter returns the list itself", () => {
    const src = "{% for m in messages|default([]) %}{{ m.content }}\n{% endfor %}";
    expect(failure(src, { messages: TWO_TURNS }).reason).toBe("no-message-loop");
  });

  it("keeps the item's message index through a loop filter", () => {
    const src = "{% for m in messages if m.role != 'system' %}{{ m.role }}> {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}assistant> {% endif %}";
    expect(inferred(src, { messages: [{ role: "system", content: "s" }, ...TWO_TURNS] })).toEqual([
      ["assistant", "hello\n"],
      ["assistant", "fine\n"],
    ]);
  });

  it("takes a generation prompt written inside the loop under loop.last", () => {
    const src = "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% if loop.last and add_generation_prompt %}[assistant] {% endif %}{% endfor %}";
    expect(inferred(src, { messages: TWO_TURNS })).toEqual([
      ["assistant", "hello\n"],
      ["assistant", "fine\n"],
    ]);
  });

  it("an assistant-first turn: the tail starts where the empty prompt's loop ends", () => {
    const src = "{% for m in messages %}{% if loop.first %}<s>{% endif %}<{{ m.role }}>{{ m.content }}</end>{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}";
    expect(inferred(src, { messages: [{ role: "assistant", content: "welcome" }, { role: "user", content: "q" }] })).toEqual([["assistant", "welcome</end>"]]);
  });

  it("gives UTF-16 offsets around astral characters", () => {
    const r = new Template(CHATML).renderWithSpans({ messages: [{ role: "user", content: "😀" }, { role: "assistant", content: "🙂 ok" }] }, { spanSource: "infer" });
    expect(r.spans).toEqual([{ label: "assistant", start: r.text.indexOf("🙂"), end: r.text.length }]);
  });
});

describe("think spans", () => {
  const QWEN_LIKE =
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{% if m.role == 'assistant' and m.reasoning %}<think>\n{{ m.reasoning }}\n</think>\n\n{% elif m.role == 'assistant' and loop.last %}<think>\n\n</think>\n\n{% endif %}{{ m.content }}<|im_end|>\n{% endfor %}" +
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% if enable_thinking is false %}<think>\n\n</think>\n\n{% endif %}{% endif %}";

  it("marks reasoning and the empty block the turn renders", () => {
    expect(inferred(QWEN_LIKE, { messages: [TWO_TURNS[0], { role: "assistant", content: "hello", reasoning: "greet" }, TWO_TURNS[2], TWO_TURNS[3]] })).toEqual([
      ["assistant", "<think>\ngreet\n</think>\n\nhello<|im_end|>\n"],
      ["think", "<think>\ngreet\n</think>\n\n"],
      ["assistant", "<think>\n\n</think>\n\nfine<|im_end|>\n"],
      ["think", "<think>\n\n</think>\n\n"],
    ]);
  });

  it("leaves an empty block the prompt supplies out of the span", () => {
    expect(inferred(QWEN_LIKE, { messages: TWO_TURNS, enable_thinking: false }).slice(-1)).toEqual([["assistant", "fine<|im_end|>\n"]]);
  });

  it("a prompt that ends inside an open block: the think span starts at the span", () => {
    const src = "{% for m in messages %}<{{ m.role }}>{% if m.role == 'assistant' %}<think>\n{% endif %}{{ m.content }}</s>{% endfor %}{% if add_generation_prompt %}<assistant><think>\n{% endif %}";
    expect(inferred(src, { messages: [{ role: "user", content: "q" }, { role: "assistant", content: "plan\n</think>\n\nanswer" }] })).toEqual([
      ["assistant", "plan\n</think>\n\nanswer</s>"],
      ["think", "plan\n</think>\n\n"],
    ]);
  });

  it("gpt-oss's analysis channel, and an unterminated block running to the span's end", () => {
    const src =
      "{% for m in messages %}<|start|>{{ m.role }}{% if m.role == 'assistant' %}<|channel|>analysis<|message|>{{ m.thinking }}<|end|><|start|>assistant<|channel|>final<|message|>{% else %}<|message|>{% endif %}{{ m.content }}<|end|>{% endfor %}{% if add_generation_prompt %}<|start|>assistant{% endif %}";
    expect(inferred(src, { messages: [{ role: "user", content: "q" }, { role: "assistant", content: "a", thinking: "t" }] })).toEqual([
      ["assistant", "<|channel|>analysis<|message|>t<|end|><|start|>assistant<|channel|>final<|message|>a<|end|>"],
      ["think", "<|channel|>analysis<|message|>t<|end|>"],
    ]);
    expect(inferred(CHATML, { messages: [{ role: "user", content: "q" }, { role: "assistant", content: "<think>\ncut off" }] })).toEqual([
      ["assistant", "<think>\ncut off<|im_end|>\n"],
      ["think", "<think>\ncut off<|im_end|>\n"],
    ]);
  });

  it("custom marker pairs replace the defaults", () => {
    const r = new Template(CHATML).renderWithSpans(
      { messages: [{ role: "user", content: "q" }, { role: "assistant", content: "[R]x[/R] y <think>z</think>" }] },
      { spanSource: "infer", thinkMarkers: [{ open: "[R]", close: "[/R]", trailingWhitespace: true }] },
    );
    expect(r.spans.filter((s) => s.label === "think").map((s) => r.text.slice(s.start, s.end))).toEqual(["[R]x[/R] "]);
  });
});

describe("fails closed", () => {
  it("no-message-loop: a template that indexes messages by number", () => {
    const e = failure("{% for i in range(messages|length) %}{{ messages[i].role }}: {{ messages[i].content }}\n{% endfor %}", { messages: TWO_TURNS });
    expect(e.reason).toBe("no-message-loop");
    expect(e.message).toContain("tag the template");
  });

  it("no-region: two loops render the same message, or an assistant message renders nothing", () => {
    const twice = failure("{% for m in messages %}{{ m.content }}\n{% endfor %}---\n{% for m in messages %}{{ m.role }}\n{% endfor %}", { messages: TWO_TURNS });
    expect([twice.reason, twice.messageIndex]).toEqual(["no-region", 1]);
    const dropped = failure("{% for m in messages %}{% if m.content %}{{ m.role }}: {{ m.content }}\n{% endif %}{% endfor %}", {
      messages: [TWO_TURNS[0], { role: "assistant", content: "" }],
    });
    expect(dropped.reason).toBe("no-region");
  });

  it("no-region: loop output that a filter changed before it was printed", () => {
    const e = failure("{% set out %}{% for m in messages %} {{ m.role }}: {{ m.content }}\n{% endfor %}{% endset %}{{ out | trim }}", { messages: TWO_TURNS });
    expect(e.reason).toBe("no-region");
    expect(e.message).toContain("changed by a filter");
  });

  it("prompt-render-failed: the prompt render raises, with the cause and the loop's location", () => {
    const src = "{% if messages[-1].role != 'user' and add_generation_prompt %}{{ raise_exception('last must be user') }}{% endif %}{% for m in messages %}{{ m.content }}\n{% endfor %}";
    const e = failure(src, { messages: [{ role: "assistant", content: "a" }, { role: "user", content: "u" }] });
    expect(e.reason).toBe("prompt-render-failed");
    expect(e.message).toMatch(/messages\[:0\].*list object has no element -1|raises/);
    expect(e.loc?.line).toBe(1);
    expect(e.cause).toBeInstanceOf(TemplateError);
  });

  it("content-elsewhere: the template renders the content outside the loop", () => {
    const src = "{% for m in messages %}<{{ m.role }}>{% endfor %}{% for m in messages %}{% endfor %}|{{ messages[-1].content }}";
    const e = failure(src, { messages: TWO_TURNS });
    expect(e.reason).toBe("content-elsewhere");
    expect(e.message).toContain('"hello"');
  });

  it("rejects a context without a messages list and a bad spanSource", () => {
    expect(failure(CHATML, { messages: "x" }).reason).toBe("no-message-loop");
    expect(() => new Template(CHATML).renderWithSpans({ messages: [] }, { spanSource: "guess" as "infer" })).toThrow(/spanSource must be/);
    expect(() => new Template(CHATML).renderWithSpans({ messages: [] }, null as unknown as {})).toThrow(/options must be an object/);
  });
});

describe("limits", () => {
  it("the renders of one inference share maxIterations, and reaching it is a LimitError, not a failed prompt", () => {
    const long = Array.from({ length: 200 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `m${i}` }));
    const t = new Template(CHATML, { limits: { maxIterations: 3000 } });
    expect(() => t.render({ messages: long })).not.toThrow();
    // 100 prompt renders of up to 199 messages each: about 10,000 iterations
    expect(() => t.renderWithSpans({ messages: long }, { spanSource: "infer" })).toThrow(LimitError);
    expect(() => t.renderWithSpans({ messages: long }, { spanSource: "infer" })).toThrow(/maxIterations/);
    expect(new Template(CHATML).renderWithSpans({ messages: long }, { spanSource: "infer" }).spans.length).toBe(100);
  });
});

describe("tracking changes nothing else", () => {
  it("the inferred render's text equals the plain render, and tags stay the default source", () => {
    const src = "{% for m in messages %}{% generation %}{{ m.content }}{% endgeneration %}|{% endfor %}";
    const t = new Template(src);
    const ctx = { messages: TWO_TURNS };
    expect(t.renderWithSpans(ctx, { spanSource: "infer" }).text).toBe(t.render(ctx));
    expect(t.renderWithSpans(ctx).spans.length).toBe(4);
  });

  it("never writes the caller's messages", () => {
    const messages = structuredClone(TWO_TURNS);
    new Template(CHATML).renderWithSpans({ messages }, { spanSource: "infer" });
    expect(messages).toEqual(TWO_TURNS);
  });
});
