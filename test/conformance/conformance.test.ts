// Every conformance case (one-file fixtures and real templates × conversations) rendered by spanja and
// compared with the goldens Python wrote; one test per fixture area and per template. The ids/masks cases
// (tagged templates and transformers' quirks) go through ChatTokenizer, one test per goldens/masks file.
// Also checks that the committed goldens are what the reference pipeline generates today.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { KNOWN_WORDING, allCases, formatMismatches, loadEngine, runCases, type Case, type Engine } from "../../conformance/compare.ts";
import { maskCases, runMaskCases, type MaskCase } from "../../conformance/masks/harness.ts";
import { GOLDENS, ROOT, readJson, type FixtureGolden } from "../../conformance/sources.ts";

const cases = allCases();
const units = new Map<string, Case[]>();
for (const c of cases) {
  const list = units.get(c.unit);
  if (list) list.push(c);
  else units.set(c.unit, [c]);
}

let engine: Engine | undefined;
let engineError = "";
beforeAll(async () => {
  try {
    engine = await loadEngine();
  } catch (e) {
    engineError = (e as Error).message;
  }
});

/** Case id → the text that explains it in COMPATIBILITY.md. */
const known = new Map(
  Object.entries(readJson<Record<string, string>>(join(ROOT, "conformance", "known-divergences.json"))).filter(([k]) => !k.startsWith("$")),
);

describe("conformance with transformers' rendering (goldens from conformance/reference)", () => {
  it("has cases", () => {
    expect(units.size).toBeGreaterThan(10);
  });

  /** Each allowlisted case is explained in COMPATIBILITY.md and is a conformance case; its result goes to `check`. */
  function eachAllowed(list: ReadonlyMap<string, string>, what: string, check: (id: string, r: ReturnType<typeof runCases>[number]) => void): void {
    if (engine === undefined) throw new Error(`spanja engine unavailable: ${engineError}`);
    const doc = readFileSync(join(ROOT, "COMPATIBILITY.md"), "utf8");
    for (const [id, mention] of list) {
      expect(doc, `COMPATIBILITY.md must explain ${id}`).toContain(mention);
      const c = cases.find((x) => x.id === id);
      expect(c, `${what} ${id} is not a conformance case`).toBeDefined();
      check(id, runCases(engine, [c as Case])[0]);
    }
  }

  it("lists each known divergence in COMPATIBILITY.md, and each still diverges", () => {
    eachAllowed(known, "known divergence", (id, r) => expect(r.pass, `${id} now matches Python: remove it from known-divergences.json`).toBe(false));
  });

  it("lists each known wording difference in COMPATIBILITY.md, and each still differs in wording only", () => {
    eachAllowed(KNOWN_WORDING, "known wording difference", (id, r) => {
      expect(r.errorClass, `${id}: spanja must raise the same error family as Python`).toBe(true);
      expect(r.errorDetail, `${id} now has Python's wording: remove it from known-wording.json`).toBe(false);
    });
  });

  for (const [unit, list] of units) {
    it(`${unit} (${list.length} cases)`, () => {
      if (engine === undefined) throw new Error(`spanja engine unavailable: ${engineError}`);
      const results = runCases(engine, list);
      const failed = results.filter((r) => !r.pass && !known.has(r.case.id));
      if (failed.length > 0) {
        throw new Error(`${failed.length} of ${list.length} cases differ from Python:\n${formatMismatches(results, 8)}`);
      }
    });
  }
});

const masks = new Map<string, MaskCase[]>();
for (const c of maskCases()) {
  const list = masks.get(c.unit);
  if (list) list.push(c);
  else masks.set(c.unit, [c]);
}

describe("ids and masks identical to transformers' pipeline (jinja2, Rust tokenizers, its mask loop)", () => {
  it("has the tagged templates and the quirk cases", () => {
    expect([...masks.keys()]).toEqual(expect.arrayContaining(["masks/quirks", "masks/tagged-qwen3"]));
  });
  for (const [unit, list] of masks) {
    it(`${unit} (${list.length} cases)`, () => {
      if (engine === undefined) throw new Error(`spanja engine unavailable: ${engineError}`);
      const results = runMaskCases(engine, list);
      const failed = results.filter((r) => !r.pass);
      if (failed.length > 0) throw new Error(`${failed.length} of ${list.length} cases differ:\n${formatMismatches(results, 8)}`);
    });
  }
});

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** The jinja2 version of python3 on this machine, or why it cannot be used. */
function pythonJinja(): { version: string } | { reason: string } {
  const r = spawnSync("python3", ["-c", "import jinja2; print(jinja2.__version__)"], { encoding: "utf8" });
  if (r.error) return { reason: `python3 not runnable (${r.error.message})` };
  if (r.status !== 0) return { reason: `python3 has no jinja2 (${r.stderr.trim().split("\n").pop()})` };
  return { version: r.stdout.trim() };
}

describe("goldens", () => {
  it("are what conformance/reference/generate.py writes today", (ctx) => {
    const py = pythonJinja();
    if ("reason" in py) {
      console.warn(`skipping the golden staleness check: ${py.reason}`);
      ctx.skip(py.reason);
    }
    const anyGolden = listFiles(GOLDENS).find((f) => f.startsWith("fixtures"));
    const recorded = anyGolden ? readJson<FixtureGolden>(join(GOLDENS, anyGolden)).jinja2_version : undefined;
    if ("version" in py && recorded !== undefined && py.version !== recorded) {
      const reason = `goldens were written with jinja2 ${recorded}, this machine has ${py.version}`;
      console.warn(`skipping the golden staleness check: ${reason}`);
      ctx.skip(reason);
    }
    const out = mkdtempSync(join(tmpdir(), "spanja-goldens-"));
    try {
      const env = { ...process.env, NODE: process.execPath };
      const r = spawnSync("python3", [join(ROOT, "conformance/reference/generate.py"), "--out", out, "--quiet"], { encoding: "utf8", env });
      expect(r.status, `generate.py failed:\n${r.stderr}`).toBe(0);
      // goldens/transformers/ comes from transformers itself (conformance/transformers/generate.py, in a venv)
      const committed = listFiles(GOLDENS).filter((f) => !f.startsWith(`transformers${sep}`));
      const fresh = listFiles(out);
      const problems: string[] = [];
      for (const f of fresh) if (!committed.includes(f)) problems.push(`missing: goldens/${f}`);
      for (const f of committed) if (!fresh.includes(f)) problems.push(`no longer generated: goldens/${f}`);
      for (const f of fresh) {
        if (committed.includes(f) && !readFileSync(join(out, f)).equals(readFileSync(join(GOLDENS, f)))) problems.push(`differs: goldens/${f}`);
      }
      if (problems.length > 0) {
        throw new Error(`goldens are stale; run npm run conformance:generate and review the diff:\n  ${problems.slice(0, 20).join("\n  ")}${problems.length > 20 ? `\n  … ${problems.length - 20} more` : ""}`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
