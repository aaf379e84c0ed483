#!/usr/bin/env node
// spanja's command line: which command runs, its help, and how a failure is reported (one line, an exit code).
import { readFileSync } from "node:fs";
import { TemplateError } from "../errors.ts";
import { CliError, commandHelp, parseCommand, useColor, type Command } from "./args.ts";
import { BATCH, runBatch } from "./batch.ts";
import { DEMO, runDemo } from "./demo.ts";
import { MASK, runMask } from "./mask.ts";
import { RENDER, runRender } from "./render.ts";
import { runView, VIEW } from "./view.ts";
import { nearestName } from "../nearest.ts";

const COMMANDS: Record<string, { command: Command; run: (argv: string[]) => Promise<number | void> | number | void }> = {
  render: { command: RENDER, run: runRender },
  batch: { command: BATCH, run: async (argv) => (await runBatch(argv)).exitCode },
  mask: { command: MASK, run: runMask },
  view: { command: VIEW, run: runView },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 4;
  return [
    "spanja: render chat templates exactly as transformers does, with labeled spans and token masks",
    "",
    "usage: spanja [--no-color]            " + DEMO.about,
    "       spanja COMMAND [options]       (spanja COMMAND --help for its options)",
    "",
    ...Object.values(COMMANDS).map(({ command }) => `  ${command.name.padEnd(width)}${command.about}`),
    "",
    "  --version   print the version      --help   this help",
    "Colours follow NO_COLOR and FORCE_COLOR.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === "--help" || first === "-h" || first === "help") console.log(help());
    else if (first === "--version" || first === "-v") console.log(version());
    else if (first === undefined || first.startsWith("-")) {
      const { values, help: wantsHelp } = parseCommand(DEMO, argv);
      if (wantsHelp) console.log(help());
      else await runDemo(useColor(process.stdout, values["no-color"] === true));
    } else {
      const entry = COMMANDS[first];
      if (entry === undefined) {
        const near = nearestName(first, Object.keys(COMMANDS));
        throw new CliError(`spanja: unknown command '${first}'${near ? `; did you mean '${near}'?` : ""} (spanja --help lists the commands)`, 2);
      }
      if (rest.includes("--help") || rest.includes("-h")) console.log(commandHelp(entry.command));
      else return (await entry.run(rest)) ?? 0;
    }
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      console.error(e.message);
      return e.exitCode;
    }
    // a template error with a place prints its excerpt and caret; without one (bad input), its plain words
    if (e instanceof TemplateError) console.error(e.loc === undefined ? `spanja: ${e.detail}` : e.message);
    else console.error(`spanja: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
