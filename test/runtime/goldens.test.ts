// The runtime goldens (test/runtime/fixtures/*.json) are exactly what their generator writes today: it runs
// tools/expect.py into a temporary folder and compares byte for byte, so a stale or hand-edited golden fails.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pythonUnavailable } from "../syntax/jinja2.ts";

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(here, "fixtures");
const skip = pythonUnavailable();

describe("runtime goldens", () => {
  it.skipIf(skip !== null)(`regenerate byte for byte with tools/expect.py${skip ? ` (skipped: ${skip})` : ""}`, () => {
    const out = mkdtempSync(join(tmpdir(), "spanja-goldens-"));
    try {
      const r = spawnSync("python3", [join(here, "tools", "expect.py"), "--out", out], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const committed = readdirSync(FIXTURES).filter((f) => f.endsWith(".json")).sort();
      expect(readdirSync(out).sort()).toEqual(committed);
      const stale = committed.filter((f) => readFileSync(join(out, f), "utf8") !== readFileSync(join(FIXTURES, f), "utf8"));
      expect(stale).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
