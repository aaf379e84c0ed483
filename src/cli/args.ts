// The command line's conventions, shared by every command: flags declared once per command (parsed by
// node:util.parseArgs, help generated from the same declaration), an unknown or value-less flag named with
// the nearest known one, errors that name the file they are about, and colour by NO_COLOR / FORCE_COLOR.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { nearestName } from "../nearest.ts";

/** A failure the command reports as one line and an exit code: 2 for usage, 1 for setup (files, model). */
export class CliError extends Error {
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2 = 1) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

export interface Flag {
  type: "string" | "boolean";
  /** The value's placeholder in help, for string flags (FILE, N …). */
  value?: string;
  multiple?: boolean;
  help: string;
}

export interface Command {
  name: string;
  /** One line: what the command does. */
  about: string;
  positionals: { name: string; help: string; optional?: boolean }[];
  flags: Record<string, Flag>;
  /** Lines printed after the flags: examples, notes. */
  notes?: string[];
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

const HELP_FLAG: Flag = { type: "boolean", help: "this help" };

/** The command's usage line and flag table. */
export function commandHelp(cmd: Command): string {
  const args = cmd.positionals.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(" ");
  const rows: [string, string][] = cmd.positionals.map((p) => [p.name, p.help]);
  for (const [name, f] of Object.entries({ ...cmd.flags, help: HELP_FLAG })) {
    rows.push([`--${name}${f.type === "string" ? ` ${f.value ?? "VALUE"}` : ""}`, f.help + (f.multiple ? " (repeatable)" : "")]);
  }
  const width = Math.min(30, Math.max(...rows.map(([l]) => l.length)) + 2);
  const table = rows.map(([l, h]) => (l.length + 2 > width ? `  ${l}\n  ${" ".repeat(width)}${h}` : `  ${l.padEnd(width)}${h}`));
  return [`usage: spanja ${cmd.name}${args ? " " + args : ""} [options]`, "", cmd.about, "", ...table, ...(cmd.notes ? ["", ...cmd.notes] : [])].join("\n");
}

/**
 * Parses a command's arguments. Unknown flags, flags without their value and stray positionals are usage
 * errors that say what was meant; `--help` is reported, not parsed further.
 */
export function parseCommand(cmd: Command, argv: readonly string[]): { values: FlagValues; positionals: string[]; help: boolean } {
  const flags: Record<string, Flag> = { ...cmd.flags, help: HELP_FLAG };
  const names = Object.keys(flags);
  const usage = (message: string) => new CliError(`spanja ${cmd.name}: ${message} (spanja ${cmd.name} --help lists the options)`, 2);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") break;
    if (arg === "-h") return { values: {}, positionals: [], help: true };
    if (!arg.startsWith("--")) {
      if (arg.startsWith("-") && arg !== "-") throw usage(`unknown option ${arg}`);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const flag = flags[name];
    if (flag === undefined) {
      const near = nearestName(name, names, Math.max(2, Math.floor(name.length / 4)));
      throw usage(`unknown option --${name}${near ? `; did you mean --${near}?` : ""}`);
    }
    if (name === "help") return { values: {}, positionals: [], help: true };
    if (flag.type === "boolean" && eq !== -1) throw usage(`--${name} takes no value`);
    if (flag.type === "string" && eq === -1) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2)) throw usage(`--${name} needs a value (${flag.value ?? "VALUE"})`);
      i++;
    }
  }
  const options = Object.fromEntries(Object.entries(flags).map(([n, f]) => [n, { type: f.type, multiple: f.multiple === true }]));
  const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  const required = cmd.positionals.filter((p) => !p.optional).length;
  if (positionals.length < required) throw usage(`missing ${cmd.positionals[positionals.length].name}`);
  if (positionals.length > cmd.positionals.length) throw usage(`unexpected argument ${positionals[cmd.positionals.length]}`);
  return { values: values as FlagValues, positionals, help: false };
}

/** A string flag's value, or undefined. */
export function stringFlag(values: FlagValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

/** A flag that must be one of a few words. */
export function choiceFlag<T extends string>(command: string, values: FlagValues, name: string, choices: readonly T[]): T | undefined {
  const v = stringFlag(values, name);
  if (v === undefined || (choices as readonly string[]).includes(v)) return v as T | undefined;
  throw new CliError(`spanja ${command}: --${name} must be ${choices.join(" or ")}, got ${v}`, 2);
}

/** A flag that must be a positive integer. */
export function countFlag(command: string, values: FlagValues, name: string): number | undefined {
  const v = stringFlag(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n <= 0) throw new CliError(`spanja ${command}: --${name} must be a positive integer, got ${v}`, 2);
  return n;
}

/** The name a path is reported under: stdin for "-". */
export function displayName(path: string): string {
  return path === "-" ? "<stdin>" : path;
}

/** A file's text (stdin for "-"); a failure names the file: "ctx.json: no such file". */
export function readText(path: string): string {
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (e) {
    throw new CliError(`${displayName(path)}: ${fileProblem(e)}`);
  }
}

/** A file system error in a few words, without Node's "ENOENT: …, open 'path'" repetition. */
export function fileProblem(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EISDIR") return "is a directory, not a file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOTDIR") return "a part of the path is not a directory";
  return e instanceof Error ? e.message : String(e);
}

/**
 * Whether to colour a stream: `--no-color` wins; then FORCE_COLOR (set and not "0"/"false": colour; "0" or
 * "false": none), then NO_COLOR (set and not empty: none), then whether the stream is a terminal (not TERM=dumb).
 */
export function useColor(stream: { isTTY?: boolean }, noColorFlag: boolean, env: Record<string, string | undefined> = process.env): boolean {
  if (noColorFlag) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true && env.TERM !== "dumb";
}
