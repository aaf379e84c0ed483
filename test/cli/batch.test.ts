// spanja batch on Qwen3's real model folder: every row equals ChatTokenizer.applyChatTemplate on it, floats
// stay floats, bad rows go to --errors without stopping the batch (exit code 3) or stop it with
// --on-error fail (no partial output file), shards together equal the whole run, and the stdin/stdout
// filter gives the same lines as files.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/args.ts";
import { runBatch } from "../../src/cli/batch.ts";
import { ChatTokenizer, parseJSON } from "../../src/node.ts";
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
    await expect(runBatch(["--model", MODEL, "--input", INPUT, "--output", out, "--on-error", "fail", "--quiet", "--workers", "2"], quiet)).rejects.toThrow(CliError);
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

  it("--keep copies input fields (floats as Python writes them) after row, and they are not template variables", async () => {
    const input = join(dir, "keep.jsonl");
    const template = join(dir, "keep.jinja");
    writeFileSync(template, "{% for m in messages %}{{ m.content }}{% endfor %}{{ id is defined }}");
    writeFileSync(input, ['{"id": "a-1", "score": 1.0, "messages": [{"role": "user", "content": "x"}]}', '{"messages": [{"role": "user", "content": "y"}]}'].join("\n"));
    const out = join(dir, "keep-out.jsonl");
    await runBatch(["--model", MODEL, "--chat-template", template, "--input", input, "--output", out, "--keep", "id", "--keep", "score", "--with-text", "--quiet", "--workers", "1"], quiet);
    const text = readFileSync(out, "utf8").split("\n");
    expect(text[0].startsWith('{"row":0,"id":"a-1","score":1.0,"input_ids":[')).toBe(true);
    expect(text[1].startsWith('{"row":1,"id":null,"score":null,"input_ids":[')).toBe(true);
    expect(lines(out).map((r) => r.text)).toEqual(["xFalse", "yFalse"]);
    await expect(runBatch(["--model", MODEL, "--input", input, "--output", out, "--keep", "input_ids"], quiet)).rejects.toThrow(/--keep input_ids: that name is spanja's own/);
  });

  it("setup errors: a missing flag, an unknown flag, a bad model folder", async () => {
    await expect(runBatch(["--input", INPUT, "--output", "-"], quiet)).rejects.toThrow(/--model is required/);
    await expect(runBatch(["--model", MODEL, "--input", INPUT, "--output", "-", "--colour"], quiet)).rejects.toThrow(/unknown option --colour/);
    await expect(runBatch(["--model", join(dir, "nowhere"), "--input", INPUT, "--output", "-", "--workers", "1"], quiet)).rejects.toThrow(/does not exist/);
    await expect(runBatch(["--model", join(dir, "nowhere"), "--input", INPUT, "--output", "-", "--workers", "2"], quiet)).rejects.toThrow(/does not exist/);
  });

  describe("--resume", () => {
    const big = join(dir, "resume-in.jsonl");
    const whole = join(dir, "resume-whole.jsonl");
    const wholeErrors = join(dir, "resume-whole-errors.jsonl");
    beforeAll(async () => {
      writeFileSync(big, Array.from({ length: 600 }, (_, i) => LINES[i % LINES.length].replace("I'm good", `I'm good ${i}`)).join("\n"));
      await runBatch(["--model", MODEL, "--input", big, "--output", whole, "--errors", wholeErrors, "--quiet", "--workers", "1"], quiet);
    });

    it("after a cut-off last line, appends exactly the missing rows; the errors file keeps only rows up to the resume point", async () => {
      const text = readFileSync(whole, "utf8");
      const cut = text.split("\n").slice(0, 40).join("\n") + "\n" + text.split("\n")[40].slice(0, 25);
      const out = join(dir, "resumed.jsonl");
      const errors = join(dir, "resumed-errors.jsonl");
      writeFileSync(out, cut);
      const lastRow = JSON.parse(text.split("\n")[39]).row as number;
      // bad rows up to the resume point, and one beyond it that the killed run had already written
      const errLines = readFileSync(wholeErrors, "utf8").split("\n").filter((l) => l !== "");
      const upTo = errLines.filter((l) => JSON.parse(l).row <= lastRow);
      const beyond = errLines.find((l) => JSON.parse(l).row > lastRow) as string;
      writeFileSync(errors, [...upTo, beyond].map((l) => l + "\n").join(""));
      const { summary, exitCode } = await runBatch(["--model", MODEL, "--input", big, "--output", out, "--errors", errors, "--resume", "--quiet", "--workers", "2"], quiet);
      expect(exitCode).toBe(3);
      expect(readFileSync(out, "utf8")).toBe(text);
      expect(readFileSync(errors, "utf8")).toBe(readFileSync(wholeErrors, "utf8"));
      const rest = readFileSync(big, "utf8").split("\n").slice(lastRow + 1);
      expect(summary.rows).toBe(rest.filter((l) => l.trim() !== "").length);
      // a finished output resumes to itself; a missing one starts from the first row
      await runBatch(["--model", MODEL, "--input", big, "--output", out, "--resume", "--quiet", "--workers", "1"], quiet);
      expect(readFileSync(out, "utf8")).toBe(text);
      const fresh = join(dir, "resume-fresh.jsonl");
      await runBatch(["--model", MODEL, "--input", big, "--output", fresh, "--resume", "--quiet", "--workers", "1"], quiet);
      expect(readFileSync(fresh, "utf8")).toBe(text);
    });

    it("resumes a batch killed with SIGKILL to the same bytes as an uninterrupted run", async () => {
      const out = join(dir, "killed.jsonl");
      const child = spawn(process.execPath, [MAIN, "batch", "--model", MODEL, "--input", big, "--output", out, "--resume", "--quiet", "--workers", "1"]);
      // kill it once it has written some rows
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (existsSync(out) && readFileSync(out).length > 20000) child.kill("SIGKILL");
        }, 5);
        child.on("exit", () => {
          clearInterval(poll);
          resolve();
        });
      });
      expect(child.signalCode).toBe("SIGKILL");
      const before = readFileSync(out, "utf8");
      expect(before.length).toBeLessThan(readFileSync(whole, "utf8").length);
      await runBatch(["--model", MODEL, "--input", big, "--output", out, "--resume", "--quiet", "--workers", "1"], quiet);
      expect(readFileSync(out, "utf8")).toBe(readFileSync(whole, "utf8"));
    });

    it("refuses stdout and a file that is not a batch output", async () => {
      await expect(runBatch(["--model", MODEL, "--input", big, "--output", "-", "--resume"], quiet)).rejects.toThrow(/--resume needs an output file/);
      const other = join(dir, "not-batch.jsonl");
      writeFileSync(other, '{"messages": []}\n');
      await expect(runBatch(["--model", MODEL, "--input", big, "--output", other, "--resume", "--workers", "1"], quiet)).rejects.toThrow(/not-batch.jsonl: --resume: the last line is not a spanja batch row/);
      expect(readFileSync(other, "utf8")).toBe('{"messages": []}\n');
      // no temporary files are left behind by any run
      expect(readdirSync(dir).filter((f) => f.includes(".partial-"))).toEqual([]);
    });
  });
});
