// Reads data written as JavaScript literals inside npm packages' source files (the real templates the
// conformance reads from node_modules); mirrors conformance/reference/npm_templates.py.

/**
 * JavaScript literal syntax (objects, arrays, strings and `+` concatenations of strings, numbers,
 * true/false/null, comments) in npm source files, read the same way as npm_templates.py's JsLiteralParser.
 * Enough for data in source files; not a JavaScript parser. `where` names the file in errors.
 */
export class JsLiteralReader {
  private readonly s: string;
  private readonly where: string;
  private i: number;

  constructor(text: string, pos: number, where: string) {
    this.s = text;
    this.i = pos;
    this.where = where;
  }

  private fail(what: string): Error {
    const line = this.s.slice(0, this.i).split("\n").length;
    return new Error(`${this.where}:${line}: ${what}`);
  }

  private skip(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === " " || c === "\t" || c === "\r" || c === "\n") this.i++;
      else if (s.startsWith("//", this.i)) {
        const end = s.indexOf("\n", this.i);
        this.i = end < 0 ? s.length : end + 1;
      } else if (s.startsWith("/*", this.i)) {
        const end = s.indexOf("*/", this.i + 2);
        if (end < 0) throw this.fail("unterminated comment");
        this.i = end + 2;
      } else return;
    }
  }

  value(): unknown {
    this.skip();
    const c = this.s[this.i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === "'" || c === '"' || c === "`") return this.concatenation();
    const num = /-?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)/y;
    num.lastIndex = this.i;
    const n = num.exec(this.s);
    if (n) {
      this.i = num.lastIndex;
      return Number(n[0]);
    }
    const word = /[A-Za-z_$][\w$]*/y;
    word.lastIndex = this.i;
    const w = word.exec(this.s);
    const words: Record<string, unknown> = { true: true, false: false, null: null, undefined: null };
    if (w && w[0] in words) {
      this.i = word.lastIndex;
      return words[w[0]];
    }
    throw this.fail(`unexpected ${JSON.stringify(this.s.slice(this.i, this.i + 20))}`);
  }

  private object(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.skip();
      if (this.s[this.i] === "}") {
        this.i++;
        return out;
      }
      let key: string;
      if (this.s[this.i] === "'" || this.s[this.i] === '"') key = this.string();
      else {
        const word = /[A-Za-z_$][\w$]*/y;
        word.lastIndex = this.i;
        const w = word.exec(this.s);
        if (!w) throw this.fail("expected a key");
        key = w[0];
        this.i = word.lastIndex;
      }
      this.skip();
      if (this.s[this.i] !== ":") throw this.fail("expected ':'");
      this.i++;
      out[key] = this.value();
      this.skip();
      if (this.s[this.i] === ",") this.i++;
      else if (this.s[this.i] !== "}") throw this.fail("expected ',' or '}'");
    }
  }

  private array(): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.skip();
      if (this.s[this.i] === "]") {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.skip();
      if (this.s[this.i] === ",") this.i++;
      else if (this.s[this.i] !== "]") throw this.fail("expected ',' or ']'");
    }
  }

  /** A string literal, or string literals joined by `+` (as compiled TypeScript writes long templates). */
  private concatenation(): string {
    let out = this.string();
    for (;;) {
      this.skip();
      if (this.s[this.i] !== "+") return out;
      this.i++;
      this.skip();
      const c = this.s[this.i];
      if (c !== "'" && c !== '"' && c !== "`") throw this.fail("`+` joins only string literals here");
      out += this.string();
    }
  }

  private string(): string {
    const s = this.s;
    const quote = s[this.i++];
    let out = "";
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", v: "\v", "0": "\0" };
    for (;;) {
      if (this.i >= s.length) throw this.fail("unterminated string");
      const c = s[this.i];
      if (c === quote) {
        this.i++;
        return out;
      }
      if (quote === "`" && s.startsWith("${", this.i)) throw this.fail("template literal with substitutions");
      if (c === "\n" && quote !== "`") throw this.fail("newline in string");
      if (c !== "\\") {
        out += c;
        this.i++;
        continue;
      }
      const e = s[this.i + 1];
      this.i += 2;
      if (e in simple && !(e === "0" && /\d/.test(s[this.i] ?? ""))) out += simple[e];
      else if (e === "x") {
        out += String.fromCharCode(parseInt(s.slice(this.i, this.i + 2), 16));
        this.i += 2;
      } else if (e === "u" && s[this.i] === "{") {
        const end = s.indexOf("}", this.i);
        out += String.fromCodePoint(parseInt(s.slice(this.i + 1, end), 16));
        this.i = end + 1;
      } else if (e === "u") {
        // Two \u escapes of a surrogate pair concatenate into one code point, as in JS.
        out += String.fromCharCode(parseInt(s.slice(this.i, this.i + 4), 16));
        this.i += 4;
      } else if (e === "\r") {
        if (s[this.i] === "\n") this.i++;
      } else if (e === "\n" || e === "\u2028" || e === "\u2029") {
        // line continuation
      } else if (/\d/.test(e)) throw this.fail("octal escape");
      else out += e;
    }
  }
}
