// The embedded default of the main job: a real multi-turn conversation with reasoning and tool calls.
import type { Value } from "../runtime/value.ts";

export const DEMO_TOOLS: Value = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
];

export const DEMO_MESSAGES: Value = [
  { role: "system", content: "You are a concise assistant." },
  { role: "user", content: "What's the weather in Paris?" },
  {
    role: "assistant",
    reasoning_content: "The user wants the weather; I should call the tool.",
    content: "",
    tool_calls: [{ type: "function", function: { name: "get_weather", arguments: { city: "Paris" } } }],
  },
  { role: "tool", content: '{"temp_c": 18, "sky": "cloudy"}' },
  { role: "assistant", reasoning_content: "18°C and cloudy. Answer briefly.", content: "It is 18 °C and cloudy in Paris. ☁️" },
  { role: "user", content: "Merci ! Et à Tokyo ?" },
  {
    role: "assistant",
    reasoning_content: "Tokyo was not looked up yet; say so instead of guessing.",
    content: "I would need to check the weather in Tokyo (東京) too.",
  },
];
