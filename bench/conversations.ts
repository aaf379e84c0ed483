// Deterministic chat conversations for the render benchmark: user and assistant turns, some with
// reasoning_content (and some with the reasoning inline as <think>…</think> in content), tool calls with
// object arguments, tool responses (runs of several), and some non-ASCII text (accents, CJK, emoji).
// A fixed-seed PRNG makes every run render exactly the same input, in JS and in Python.
//
// Only JSON-portable values are generated: no integral floats (JS cannot tell 1.0 from 1), no NaN,
// no integers beyond 2^53, so Python reads the same context from JSON.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** mulberry32: tiny, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = ["Paris", "Tokyo (東京)", "São Paulo", "Zürich", "Kraków", "Reykjavík", "Mumbai", "Cairo"];
const WORDS = (
  "the a model token cache render template loop value answer question weather forecast distance " +
  "budget schedule meeting summary detail context result number city route plan check compare"
).split(" ");
const UNICODE_BITS = ["café", "naïve", "東京", "🙂", "→", "½", "Ωmega", "“quoted”", "ñandú", "✓"];

export const TOOLS: Json = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather for a city",
      parameters: {
        type: "object",
        properties: { city: { type: "string" }, unit: { type: "string", enum: ["celsius", "fahrenheit"] } },
        required: ["city"],
      },
    },
  },
  {
    type: "function",
    function: {
      name: "search_web",
      description: "Search the web and return the top results",
      parameters: {
        type: "object",
        properties: { query: { type: "string" }, max_results: { type: "integer" }, safe: { type: "boolean" } },
        required: ["query"],
      },
    },
  },
  {
    type: "function",
    function: {
      name: "compute_route",
      description: "Route between two places",
      parameters: {
        type: "object",
        properties: {
          from: { type: "string" },
          to: { type: "string" },
          waypoints: { type: "array", items: { type: "string" } },
          options: { type: "object", properties: { avoid_tolls: { type: "boolean" }, speed_factor: { type: "number" } } },
        },
        required: ["from", "to"],
      },
    },
  },
];

function sentence(r: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    out.push(r() < 0.08 ? UNICODE_BITS[Math.floor(r() * UNICODE_BITS.length)]! : WORDS[Math.floor(r() * WORDS.length)]!);
  }
  const s = out.join(" ");
  return s.charAt(0).toUpperCase() + s.slice(1) + ".";
}

function paragraph(r: () => number, sentences: number): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(sentence(r, 6 + Math.floor(r() * 10)));
  return out.join(" ");
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function toolCall(r: () => number): Json {
  const k = Math.floor(r() * 3);
  if (k === 0) {
    return { type: "function", function: { name: "get_weather", arguments: { city: pick(r, CITIES), unit: r() < 0.5 ? "celsius" : "fahrenheit" } } };
  }
  if (k === 1) {
    return {
      type: "function",
      function: { name: "search_web", arguments: { query: sentence(r, 4), max_results: 1 + Math.floor(r() * 9), safe: r() < 0.7 } },
    };
  }
  return {
    type: "function",
    function: {
      name: "compute_route",
      arguments: {
        from: pick(r, CITIES),
        to: pick(r, CITIES),
        waypoints: [pick(r, CITIES), pick(r, CITIES)],
        options: { avoid_tolls: r() < 0.5, speed_factor: 0.25 + Math.floor(r() * 8) / 4 + 0.125, note: null },
      },
    },
  };
}

function toolResult(r: () => number): string {
  return JSON.stringify({ ok: true, temp_c: Math.floor(r() * 35) - 5, sky: pick(r, ["cloudy", "sunny ☀️", "rain", "snow ❄"]), note: sentence(r, 5) });
}

/**
 * A conversation of exactly `n` messages: a system message, then exchanges. An exchange is a user
 * message followed by either a plain assistant answer or an assistant tool-call turn, 1–3 tool responses
 * and a final answer. About a third of assistant turns carry reasoning_content, some carry inline
 * <think>…</think> in content instead. The last five messages are a user query answered with reasoning,
 * two tool calls, two tool responses and a reasoned final answer.
 */
export function makeConversation(n: number, seed = 1234): Json[] {
  if (n < 3) throw new Error("a conversation needs at least 3 messages");
  const r = rng(seed ^ n);
  const msgs: Json[] = [{ role: "system", content: "You are a helpful, concise assistant. Réponds en anglais. 🙂" }];
  const assistant = (): Json => {
    const x = r();
    const content = paragraph(r, 1 + Math.floor(r() * 4));
    if (x < 0.35) return { role: "assistant", reasoning_content: paragraph(r, 2), content };
    if (x < 0.5) return { role: "assistant", content: "<think>\n" + paragraph(r, 1) + "\n</think>\n\n" + content };
    return { role: "assistant", content };
  };
  // The tail (last 5 messages) is fixed in shape so that Qwen3's reasoning path is exercised: it renders
  // reasoning only for assistant turns after the last real user query.
  const bodyEnd = n >= 8 ? n - 5 : n;
  while (msgs.length < bodyEnd) {
    const left = bodyEnd - msgs.length;
    if (left === 1) {
      msgs.push(assistant());
      break;
    }
    msgs.push({ role: "user", content: paragraph(r, 1 + Math.floor(r() * 3)) });
    if (left - 1 >= 4 && r() < 0.4) {
      const calls = 1 + Math.floor(r() * Math.min(3, left - 3));
      const tc: Json[] = [];
      for (let i = 0; i < calls; i++) tc.push(toolCall(r));
      const head: { [k: string]: Json } = { role: "assistant", content: r() < 0.5 ? "" : sentence(r, 6), tool_calls: tc };
      if (r() < 0.5) head.reasoning_content = paragraph(r, 1);
      msgs.push(head);
      for (let i = 0; i < calls; i++) msgs.push({ role: "tool", content: toolResult(r) });
      msgs.push(assistant());
    } else {
      msgs.push(assistant());
    }
  }
  if (bodyEnd < n) {
    msgs.push({ role: "user", content: "Compare the weather in Zürich and 東京, then plan the route. " + sentence(r, 8) });
    msgs.push({
      role: "assistant",
      reasoning_content: "I need both forecasts first → two tool calls. " + paragraph(r, 2),
      content: "",
      tool_calls: [toolCall(r), toolCall(r)],
    });
    msgs.push({ role: "tool", content: toolResult(r) });
    msgs.push({ role: "tool", content: toolResult(r) });
    msgs.push({ role: "assistant", reasoning_content: paragraph(r, 2), content: "\n\n" + paragraph(r, 3) + " ✓" });
  }
  return msgs;
}

/** The render context transformers would pass: messages, tools, add_generation_prompt, special tokens. */
export function makeContext(n: number): { [k: string]: Json } {
  return {
    messages: makeConversation(n),
    tools: TOOLS,
    add_generation_prompt: true,
    enable_thinking: true,
    bos_token: null,
    eos_token: "<|im_end|>",
    pad_token: "<|endoftext|>",
  };
}
