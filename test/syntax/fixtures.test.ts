// Fixture files (one template each, `{"$options": …}` then `---` then the template) with vitest file snapshots
// beside them: token dumps for lexer-inputs/, AST dumps with locations or full error messages for parser-inputs/.
// Update with `vitest -u`, read the diff, commit.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TemplateSyntaxError } from "../../src/errors.ts";
import { Source } from "../../src/source.ts";
import { parse } from "../../src/syntax/parser.ts";
import { dumpAst, dumpTokens, readFixtures } from "./dump.ts";

const here = dirname(fileURLToPath(import.meta.url));

describe("lexer-inputs", () => {
  for (const fx of readFixtures(join(here, "lexer-inputs"))) {
    it(fx.name, async () => {
      await expect(dumpTokens(fx)).toMatchFileSnapshot(join(here, "lexer-inputs", "__snapshots__", `${fx.name}.txt`));
    });
  }
});

describe("parser-inputs", () => {
  for (const fx of readFixtures(join(here, "parser-inputs"))) {
    it(fx.name, async () => {
      const source = new Source(fx.template, `${fx.name}.txt`);
      let out: string;
      try {
        const ast = parse(source, fx.options);
        if (fx.name.startsWith("err-")) throw new Error(`${fx.name} parsed but an err- fixture must fail`);
        out = dumpAst(ast, source);
      } catch (e) {
        if (!(e instanceof TemplateSyntaxError)) throw e;
        if (!fx.name.startsWith("err-")) throw e;
        out = `kind: ${e.kind}\nloc: ${JSON.stringify(e.loc)}\n\n${e.message}\n`;
      }
      await expect(out).toMatchFileSnapshot(join(here, "parser-inputs", "__snapshots__", `${fx.name}.txt`));
    });
  }
});
