// The command line as a user meets it: help on every command, --version, an unknown or value-less flag named
// with the nearest one, errors that name their file, NO_COLOR / FORCE_COLOR, and mask / view / render on
// Qwen3's real model folder giving what the library gives.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { commandHelp, parseCommand, useColor, type Command } from "../../src/cli/args.ts";
import { BATCH } from "../../src/cli/batch.ts";
import { MASK } from "../../src/cli/mask.ts";
import { RENDER } from "../../src/cli/render.ts";
import { VIEW } from "../../src/cli/view.ts";
import { editDistance, nearestName } from "../../src/nearest.ts";
import { ChatTokenizer, parseJSON } from "../../src/node.ts";
import { tokenizerFiles } from "../chat/helpers.ts";

const MODEL = dirname(tokenizerFiles("qwen3").json);
const MAIN = join(import.meta.dirname, "../../src/cli/main.ts");
const dir = mkdtempSync(join(tmpdir(), "spanja-cli-"));
const COMMANDS: Command[] = [RENDER, BATCH, MASK, VIEW];

/** Runs the CLI as a user would; colour settings come only from `env`. */
function spanja(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env };
  const r = spawnSync(process.execPath, [MAIN, ...args], { input: options.input, encoding: "utf8", env: env as NodeJS.ProcessEnv });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const CONVERSATION = {
  messages: [
    { role: "user", content: "Add 1.5 and 2" },
    { role: "assistant", content: "", reasoning_content: "Use the tool.", tool_calls: [{ type: "function", function: { name: "add", arguments: { a: "FLOAT", b: 2 } } }] },
    { role: "tool", content: "3.5" },
    { role: "assistant", content: "It is 3.5 😀", reasoning_content: "Done." },
  ],
};
const conversationFile = join(dir, "conversation.json");
writeFileSync(conversationFile, JSON.stringify(CONVERSATION).replace('"FLOAT"', "1.0"));

let tok: ChatTokenizer;
beforeAll(async () => {
  tok = await ChatTokenizer.fromPretrained(MODEL);
});

describe("flags", () => {
  it("every command's help lists each of its flags; parseCommand accepts each of them", () => {
    for (const cmd of COMMANDS) {
      const help = commandHelp(cmd);
      expect(help.startsWith(`usage: spanja ${cmd.name}`)).toBe(true);
      for (const name of Object.keys(cmd.flags)) expect(help).toContain(`--${name}`);
      expect(parseCommand(cmd, ["--help"]).help).toBe(true);
    }
  });

  it("an unknown flag names the nearest known one; a flag without its value says what it needs; stray arguments are refused", () => {
    expect(() => parseCommand(BATCH, ["--modle", "x"])).toThrow("spanja batch: unknown option --modle; did you mean --model?");
    expect(() => parseCommand(BATCH, ["--exclude-thinks"])).toThrow(/did you mean --exclude-think\?/);
    expect(() => parseCommand(BATCH, ["--shar", "0/2"])).toThrow(/did you mean --shard\?/);
    expect(() => parseCommand(BATCH, ["--add-generation-promt"])).toThrow(/did you mean --add-generation-prompt\?/);
    expect(() => parseCommand(BATCH, ["--zzz"])).toThrow(/unknown option --zzz \(spanja batch --help/);
    expect(() => parseCommand(BATCH, ["--model", "--input", "x"])).toThrow("spanja batch: --model needs a value (DIR)");
    expect(() => parseCommand(BATCH, ["--output"])).toThrow(/--output needs a value \(FILE\)/);
    expect(() => parseCommand(BATCH, ["--quiet=yes"])).toThrow(/--quiet takes no value/);
    expect(() => parseCommand(MASK, ["a.json", "b.json"])).toThrow(/unexpected argument b.json/);
    expect(() => parseCommand(MASK, [])).toThrow(/missing CONVERSATION/);
    expect(parseCommand(BATCH, ["--input", "-", "--output=-"]).values).toMatchObject({ input: "-", output: "-" });
  });

  it("nearestName: within the distance, ties to the earlier candidate, unique prefixes", () => {
    expect(editDistance("promt", "prompt")).toBe(1);
    expect(editDistance("mdoel", "model")).toBe(1); // a swap is one edit
    expect(nearestName("workers", ["workers", "worker"])).toBe("workers");
    expect(nearestName("qiuet", ["quiet", "quit"])).toBe("quiet");
    expect(nearestName("exclude", ["exclude-think", "exclude-empty-think"])).toBe(null); // two extensions: ambiguous
    expect(nearestName("shar", ["shard", "chat-template"])).toBe("shard");
    expect(nearestName("xyz", ["model"])).toBe(null);
  });

  it("colour: --no-color, then FORCE_COLOR, then NO_COLOR, then a terminal", () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(useColor(tty, false, {})).toBe(true);
    expect(useColor(pipe, false, {})).toBe(false);
    expect(useColor(tty, false, { TERM: "dumb" })).toBe(false);
    expect(useColor(tty, false, { NO_COLOR: "1" })).toBe(false);
    expect(useColor(tty, false, { NO_COLOR: "" })).toBe(true);
    expect(useColor(pipe, false, { FORCE_COLOR: "1" })).toBe(true);
    expect(useColor(pipe, false, { FORCE_COLOR: "" })).toBe(true);
    expect(useColor(tty, false, { FORCE_COLOR: "0" })).toBe(false);
    expect(useColor(pipe, false, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(true);
    expect(useColor(pipe, true, { FORCE_COLOR: "1" })).toBe(false);
  });
});

describe("spanja as a process", () => {
  it("--version, --help, help per command, and exit code 2 with a suggestion for a mistyped command or flag", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")) as { version: string };
    expect(spanja(["--version"]).out.trim()).toBe(pkg.version);
    const help = spanja(["--help"]);
    expect(help.code).toBe(0);
    for (const cmd of COMMANDS) expect(help.out).toContain(`  ${cmd.name} `);
    expect(spanja(["view", "--help"]).out).toBe(commandHelp(VIEW) + "\n");
    const typo = spanja(["bacth"]);
    expect([typo.code, typo.err.trim()]).toEqual([2, "spanja: unknown command 'bacth'; did you mean 'batch'? (spanja --help lists the commands)"]);
    const flag = spanja(["mask", conversationFile, "--modle", MODEL]);
    expect([flag.code, flag.err]).toEqual([2, "spanja mask: unknown option --modle; did you mean --model? (spanja mask --help lists the options)\n"]);
  });

  it("every error names its file: a missing file, bad JSON with line and column, a model folder that does not exist", () => {
    const template = join(dir, "t.jinja");
    writeFileSync(template, "{{ x }}");
    const missing = spanja(["render", template, "--context", join(dir, "nope.json")]);
    expect([missing.code, missing.err.trim()]).toEqual([1, `${join(dir, "nope.json")}: no such file or directory`]);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{\n  "x": 1,\n');
    const bad = spanja(["render", template, "--context", broken]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(`${broken}: Expecting property name enclosed in double quotes: line 3 column 1`);
    const folder = spanja(["mask", "--model", join(dir, "no-model"), conversationFile]);
    expect([folder.code, folder.err.trim()]).toEqual([1, `spanja mask: model folder ${join(dir, "no-model")} does not exist`]);
    const conv = spanja(["mask", "--model", MODEL, broken]);
    expect(conv.err).toContain(`spanja: ${broken}: Expecting property name`);
    // a template error prints the template's name, line and caret
    writeFileSync(template, "line one\n{{ x + }}");
    const syntax = spanja(["render", template]);
    expect(syntax.code).toBe(1);
    expect(syntax.err).toContain(template);
    expect(syntax.err).toContain(`${template}:2:8`);
    expect(syntax.err).toContain("^");
  });

  it("render reads the context from stdin and keeps 1.0 a float; colours follow NO_COLOR and FORCE_COLOR", () => {
    const template = join(dir, "gen.jinja");
    writeFileSync(template, "{{ v }} {% generation %}{{ w }}{% endgeneration %}");
    const r = spanja(["render", template, "--context", "-"], { input: '{"v": 1.0, "w": "x"}' });
    expect(r.code).toBe(0);
    expect(r.out.startsWith("1.0 ⟦assistant⟧x⟦/assistant⟧\n")).toBe(true); // piped: markers, no colour
    expect(spanja(["render", template, "--context", "-"], { input: '{"v": 1.0, "w": "x"}', env: { FORCE_COLOR: "1" } }).out).toContain("\x1b[42;30mx");
    expect(spanja(["render", template, "--context", "-"], { input: '{"v": 1.0, "w": "x"}', env: { FORCE_COLOR: "1", NO_COLOR: "1" } }).out).toContain("\x1b[");
    expect(spanja(["render", template, "--context", "-"], { input: '{"v": 1.0, "w": "x"}', env: { FORCE_COLOR: "0" } }).out).not.toContain("\x1b[");
    expect(spanja(["render", template, "--no-color", "--context", "-"], { input: '{"v": 1.0, "w": "x"}', env: { FORCE_COLOR: "1" } }).out.startsWith("1.0 ⟦assistant⟧x⟦/assistant⟧")).toBe(true);
    const json = JSON.parse(spanja(["render", template, "--json", "--context", "-"], { input: '{"v": 1.0, "w": "x"}' }).out) as { text: string; spans: unknown[] };
    expect(json).toMatchObject({ text: "1.0 x", spans: [{ label: "assistant", start: 4, end: 5 }] });
  });

  it("mask --json gives what applyChatTemplate gives; mask prints the tokens with markers when not a terminal", () => {
    const r = spanja(["mask", "--model", MODEL, conversationFile, "--json", "--exclude-think"]);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.out) as Record<string, unknown>;
    const messages = (parseJSON(readFileSync(conversationFile, "utf8")) as { messages: object[] }).messages;
    const want = tok.applyChatTemplate(messages, { return_assistant_tokens_mask: true, return_thinking_mask: true, exclude_think_from_mask: true });
    expect(got).toEqual({ ...want, text: want.text });
    expect(got.text).toContain('"a": 1.0');
    const plain = spanja(["mask", "--model", MODEL, conversationFile]);
    expect(plain.out).toContain("⟦assistant⟧It is 3.5 😀<|im_end|>");
    expect(plain.out).toContain("⟦think⟧<think>\nDone.\n</think>\n\n⟦/think⟧");
    expect(plain.out).toContain("spans-inferred:");
  });

  it("view writes a page whose masks are the library's", () => {
    const page = join(dir, "page.html");
    const r = spanja(["view", "--model", MODEL, conversationFile, "--html", page]);
    expect(r.code).toBe(0);
    const html = readFileSync(page, "utf8");
    const data = JSON.parse(/<script type="application\/json" id="view-data">([^<]*)<\/script>/.exec(html)?.[1] ?? "null") as { assistant: string; thinking: string; exclude: string };
    const lib = tok.applyChatTemplate((parseJSON(readFileSync(conversationFile, "utf8")) as { messages: object[] }).messages, { return_assistant_tokens_mask: true, return_thinking_mask: true });
    expect(data.assistant).toBe((lib.assistant_masks ?? []).join(""));
    expect(data.thinking).toBe((lib.thinking_masks ?? []).join(""));
    const excluded = tok.applyChatTemplate((parseJSON(readFileSync(conversationFile, "utf8")) as { messages: object[] }).messages, { return_assistant_tokens_mask: true, exclude_think_from_mask: true });
    expect(data.exclude).toBe((excluded.assistant_masks ?? []).join(""));
    expect(data.exclude).not.toBe(data.assistant);
    expect(spanja(["view", "--model", MODEL, conversationFile]).err).toContain("--html FILE is required");
  });
});
