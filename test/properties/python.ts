// python3 as an oracle for property tests: one process answers a whole batch of cases given as tagged
// JSON (floats as their exact bits). PYTHON is null, with the reason logged, when python3 is missing.
import { spawnSync } from "node:child_process";

const probe = spawnSync("python3", ["-c", "import sys; print(sys.version.split()[0])"], { encoding: "utf8" });

/** The python3 version, or null when there is none (the property files then skip). */
export const PYTHON: string | null = probe.status === 0 ? probe.stdout.trim() : null;
if (PYTHON === null) console.log(`python3 property tests skipped: python3 is not available (${probe.error?.message ?? probe.stderr})`);

/** Decodes the batch into Python values as \`cases\`; the body prints its answers as JSON. */
const PRELUDE = String.raw`
import json, math, operator, struct, sys
def dec(j):
    if isinstance(j, list): return [dec(x) for x in j]
    if isinstance(j, dict):
        if "fb" in j: return struct.unpack(">d", bytes.fromhex(j["fb"]))[0]
        if "t" in j: return tuple(dec(x) for x in j["t"])
        if "d" in j: return {dec(k): dec(v) for k, v in j["d"]}
        if "o" in j: return {k: dec(v) for k, v in j["o"].items()}
    return j
def attempt(f):
    try: return {"ok": f()}
    except Exception as e: return {"error": type(e).__name__, "message": str(e)}
cases = [dec(c) for c in json.load(sys.stdin)]
`;

/** Runs python3 over a batch; returns its answers in order. */
export function python(body: string, batch: unknown[]): unknown[] {
  const r = spawnSync("python3", ["-c", PRELUDE + body], { input: JSON.stringify(batch), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown[];
}

/** The exact bits of a double as hex, for {"fb": …}. */
export function bits(n: number): string {
  const d = new DataView(new ArrayBuffer(8));
  d.setFloat64(0, n);
  return [...new Uint8Array(d.buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
