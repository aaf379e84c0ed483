// The committed grammar documents equal what grammar/generate.ts produces from the parser now.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generate } from "../../grammar/generate.ts";

const grammarDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "grammar");

describe("grammar/ is up to date (run: node --experimental-strip-types grammar/generate.ts)", () => {
  const files = generate();
  it("generates the documents and the vendored diagram scripts", () => {
    expect([...files.keys()].sort()).toEqual([
      "GRAMMAR.md", "diagrams.html", "diagrams/LICENSE.txt", "diagrams/diagrams.css", "diagrams/src/diagrams_behavior.js",
      "diagrams/src/diagrams_builder.js", "diagrams/src/main.js", "diagrams/vendor/railroad-diagrams.js", "rules.txt",
    ]);
  });
  for (const [path, content] of files) {
    it(`grammar/${path}`, () => {
      const file = join(grammarDir, path);
      expect(existsSync(file), `grammar/${path} is missing`).toBe(true);
      // Compare as strings first so a drift shows as a readable diff, not a boolean.
      expect(readFileSync(file, "utf8")).toBe(content);
    });
  }
  it("diagrams.html loads nothing from the network", () => {
    expect(files.get("diagrams.html")).not.toMatch(/https?:\/\//);
  });
});
