#!/usr/bin/env node
// Runs a command with Node >= 22 first on PATH. spanja needs Node 22 (chevrotain 13, vitest 5); where the
// machine's node is older, the npm registry's `node` package provides one in .node/ (installed once).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, delimiter } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
if (args.length === 0) {
  console.error("usage: node scripts/node22.mjs <command> [args...]");
  process.exit(2);
}
const major = Number(process.versions.node.split(".")[0]);
const env = { ...process.env };
if (major < 22) {
  const prefix = join(root, ".node");
  const bin = join(prefix, "node_modules", ".bin");
  if (!existsSync(join(bin, "node"))) {
    console.error(`spanja: node ${process.versions.node} is older than 22; installing node@24 into .node/ from the npm registry`);
    const r = spawnSync("npm", ["install", "--no-save", "--no-package-lock", "--prefix", prefix, "node@24"], { stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  env.PATH = bin + delimiter + join(root, "node_modules", ".bin") + delimiter + env.PATH;
} else {
  env.PATH = join(root, "node_modules", ".bin") + delimiter + env.PATH;
}
const r = spawnSync(args[0], args.slice(1), { stdio: "inherit", env, cwd: process.cwd() });
if (r.error) {
  console.error(`spanja: could not run ${args[0]}: ${r.error.message}`);
  process.exit(1);
}
process.exit(r.status ?? 1);
