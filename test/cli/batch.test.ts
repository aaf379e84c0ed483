// spanja batch on Qwen3's real model folder: every row equals ChatTokenizer.applyChatTemplate on it, floats
// stay floats, bad rows go to --errors without stopping the batch (exit code 3) or stop it with
// --on-error fail (no partial output file), shards together equal the whole run, and the stdin/stdout
// filter gives the same lines as files.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { BatchSetupError, runBatch } from "../../src/cli/batch.ts";
import { ChatTokenizer, parseJSON } from "../../src/index.ts";
import { tokenizerFiles } from "../chat/helpers.ts";

const MODEL = dirname(tokenizerFiles("qwen3").json);
const MAIN = join(import.meta.dirname, "../../src/cli/main.ts");
const dir = mkdtempSync(join(tmpdir(), "spanja-batch-"));
const quiet = new Writable({ write: (_c, _e, done) => done() });

const ROWS = [
  { messages: [{ role: "user", content: "Hello assistant" }, { role: "assistant", content: "Hello user" }, { role: "user", content: "How are you?" }, { role: "assistant", content: "I'm good" }] },
  [{ role: "user", content: "Weather?" }, { role: "assistant", content: "", tool_calls: [{ type: "function", function: { name: "get_weather", arguments: { temperature: "FLOAT" } } }] }],
  { messages: [{ role: "user", content: "Think?" }, { role: "assistant", content: "Yes.", reasoning_content: "Short." }], enable_thinking: false },
  { messages: "not a list" },
  { messages: [{ role: "user", content: "Ünïcode 😀" }, { role: "assistant", content: "東京" }], tools: [{ type: "function", function: { name: "f", parameters: {} } }] },
];
// a float written as 1.0, which JSON.stringify cannot write
const LINES = [...ROWS.map((r) => JSON.stringify(r).replace('"FLOAT"', "1.0")), "{broken", ""];
const INPUT = join(dir, "in.jsonl");
writeFileSync(INPUT, LINES.join("\n"));

function lines(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

let tok: ChatTokenizer;
beforeAll(async () => {
  tok = await ChatTokenizer.fromPretrained(MODEL);
});

describe("spanja batch", () => {
  it("writes one line per good row, equal to applyChatTemplate on that row; bad rows go to --errors; exit code 3", async () => {
    const out = join(dir, "out.jsonl");
    const errors = join(dir, "errors.jsonl");
    const { summary, exitCode } = await runBatch(["--model", MODEL, "--input", INPUT, "--output", out, "--errors", errors, "--with-text", "--quiet", "--workers", "1"], quiet);
    expect(exitCode).toBe(3);
    expect([summary.rows, summary.written, summary.failed]).toEqual([6, 4, 2]);
    const got = lines(out);
    expect(got.map((r) => r.row)).toEqual([0, 1, 2, 4]);
    for (const r of got) {
      const row = parseJSON(LINES[r.row as number]);
      const { messages, ...extra } = Array.isArray(row) ? { messages: row } : (row as Record<string, unknown>);
      const want = tok.applyChatTemplate(messages as object[], { ...extra, return_assistant_tokens_mask: true, return_thinking_mask: true });
      expect([r.input_ids, r.attention_mask, r.assistant_masks, r.thinking_masks, r.text]).toEqual([want.input_ids, want.attention_mask, want.assistant_masks, want.thinking_masks, want.text]);
    }
    expect(got[1].text).toContain('{"temperature": 1.0}');
    expect(lines(errors).map((e) => [e.row, e.kind])).toEqual([
      [3, "invalid-input"],
      [5, "invalid-input"],
    ]);
    expect(String(lines(errors)[1].message)).toContain("in.jsonl row 5: Expecting property name");
  });

  it("--on-error fail stops at the first bad row and leaves no output file", async () => {
    const out = join(dir, "fail.jsonl");
    await expect(runBatch(["--model", MODEL, "--input", INPUT, "--output", out, "--on-error", "fail", "--quiet", "--workers", "2"], quiet)).rejects.toThrow(BatchSetupError);
    expect(existsSync(out)).toBe(false);
  });

  it("shards together give the whole run, and options reach every row", async () => {
    const whole = join(dir, "whole.jsonl");
    await runBatch(["--model", MODEL, "--input", INPUT, "--output", whole, "--exclude-think", "--var", "enable_thinking=true", "--quiet", "--workers", "1"], quiet);
    const parts: Record<string, unknown>[] = [];
    for (let i = 0; i < 3; i++) {
      const part = join(dir, `shard-${i}.jsonl`);
      await runBatch(["--model", MODEL, "--input", INPUT, "--output", part, "--exclude-think", "--var", "enable_thinking=true", "--shard", `${i}/3`, "--quiet", "--workers", "1"], quiet);
      const got = lines(part);
      expect(got.every((r) => (r.row as number) % 3 === i)).toBe(true);
      parts.push(...got);
    }
    parts.sort((a, b) => (a.row as number) - (b.row as number));
    expect(parts).toEqual(lines(whole));
    // --exclude-think: the empty think block of row 0's last turn is out of the mask
    const row0 = lines(whole)[0];
    expect((row0.assistant_masks as number[]).reduce((a, b) => a + b, 0)).toBe(4 + 5);
  });

  it("is a line-for-line filter on stdin and stdout", () => {
    const out = join(dir, "filter-ref.jsonl");
    const r = spawnSync(process.execPath, [MAIN, "batch", "--model", MODEL, "--input", "-", "--output", "-", "--quiet", "--workers", "2"], { input: readFileSync(INPUT), encoding: "utf8" });
    expect(r.status).toBe(3);
    const viaFiles = spawnSync(process.execPath, [MAIN, "batch", "--model", MODEL, "--input", INPUT, "--output", out, "--quiet", "--workers", "1"], { encoding: "utf8" });
    expect(viaFiles.status).toBe(3);
    expect(r.stdout).toBe(readFileSync(out, "utf8"));
  });

  it("a pool of worker threads writes the same bytes, in order, as one thread (many chunks, bad rows among them)", async () => {
    const big = join(dir, "big.jsonl");
    const rows = Array.from({ length: 150 }, (_, i) => LINES[i % LINES.length].replace("I'm good", `I'm good ${i}`));
    writeFileSync(big, rows.join("\n"));
    const one = join(dir, "one.jsonl");
    const three = join(dir, "three.jsonl");
    const errOne = join(dir, "err-one.jsonl");
    const errThree = join(dir, "err-three.jsonl");
    const a = await runBatch(["--model", MODEL, "--input", big, "--output", one, "--errors", errOne, "--quiet", "--workers", "1"], quiet);
    const b = await runBatch(["--model", MODEL, "--input", big, "--output", three, "--errors", errThree, "--quiet", "--workers", "3"], quiet);
    expect(readFileSync(three, "utf8")).toBe(readFileSync(one, "utf8"));
    expect(readFileSync(errThree, "utf8")).toBe(readFileSync(errOne, "utf8"));
    expect(b.summary).toEqual(a.summary);
    expect(a.summary.written).toBeGreaterThan(80);
  });

  it("setup errors: a missing flag, an unknown flag, a bad model folder", async () => {
    await expect(runBatch(["--input", INPUT, "--output", "-"], quiet)).rejects.toThrow(/--model is required/);
    await expect(runBatch(["--model", MODEL, "--input", INPUT, "--output", "-", "--colour"], quiet)).rejects.toThrow(/Unknown option '--colour'/);
    await expect(runBatch(["--model", join(dir, "nowhere"), "--input", INPUT, "--output", "-", "--workers", "1"], quiet)).rejects.toThrow(/does not exist/);
    await expect(runBatch(["--model", join(dir, "nowhere"), "--input", INPUT, "--output", "-", "--workers", "2"], quiet)).rejects.toThrow(/does not exist/);
  });
});
