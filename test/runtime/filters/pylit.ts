// Test helper: parses the Python call arguments of the case tables (`'a\nb', 2, first=True`) into
// template values, so one text drives both python3 (expect.py) and spanja. Python literals only, plus
// U('x') for jinja2's Undefined and M({...}) for a template-built dict (a Map; plain {...} with str
// keys is a caller's plain object).
import { Float, Tuple, Undefined, type Value } from "../../../src/runtime/value.ts";

/** Positional and keyword arguments of one call. */
export interface PyArgs {
  args: Value[];
  kwargs: Map<string, Value>;
}

class Parser {
  private i = 0;
  private readonly s: string;
  constructor(s: string) {
    this.s = s;
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  private peek(): string {
    this.ws();
    return this.s[this.i] ?? "";
  }

  private expect(c: string): void {
    if (this.peek() !== c) throw new Error(`pylit: expected ${c} at ${this.i} in ${this.s}`);
    this.i++;
  }

  call(): PyArgs {
    const out: PyArgs = { args: [], kwargs: new Map() };
    while (this.peek() !== "") {
      const kw = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(this.s.slice(this.i));
      if (kw) {
        this.i += kw[0].length;
        out.kwargs.set(kw[1], this.value());
      } else out.args.push(this.value());
      if (this.peek() === ",") this.i++;
    }
    return out;
  }

  private items(close: string): { items: Value[]; trailingComma: boolean } {
    const items: Value[] = [];
    let trailingComma = false;
    while (this.peek() !== close) {
      items.push(this.value());
      trailingComma = false;
      if (this.peek() === ",") {
        this.i++;
        trailingComma = true;
      }
    }
    this.i++;
    return { items, trailingComma };
  }

  value(): Value {
    const c = this.peek();
    if (c === "'" || c === '"') return this.str();
    if (c === "[") {
      this.i++;
      return this.items("]").items;
    }
    if (c === "(") {
      this.i++;
      const { items, trailingComma } = this.items(")");
      return items.length === 1 && !trailingComma ? items[0] : new Tuple(items);
    }
    if (c === "{") return this.dict(false);
    if (c === "-" || /[0-9.]/.test(c)) return this.num();
    const name = /^[A-Za-z_]\w*/.exec(this.s.slice(this.i));
    if (!name) throw new Error(`pylit: unexpected ${c} at ${this.i} in ${this.s}`);
    this.i += name[0].length;
    switch (name[0]) {
      case "True":
        return true;
      case "False":
        return false;
      case "None":
        return null;
      case "inf":
        return Infinity;
      case "nan":
        return NaN;
      case "U": {
        this.expect("(");
        const n = this.peek() === ")" ? undefined : (this.str() as string);
        this.expect(")");
        return new Undefined(n);
      }
      case "M": {
        this.expect("(");
        const d = this.dict(true);
        this.expect(")");
        return d;
      }
    }
    throw new Error(`pylit: unknown name ${name[0]}`);
  }

  private dict(asMap: boolean): Value {
    this.expect("{");
    const entries: [Value, Value][] = [];
    while (this.peek() !== "}") {
      const k = this.value();
      this.expect(":");
      entries.push([k, this.value()]);
      if (this.peek() === ",") this.i++;
    }
    this.i++;
    if (asMap || entries.some(([k]) => typeof k !== "string")) {
      return new Map(entries.map(([k, v]) => [k instanceof Float ? k.value : k, v]));
    }
    const o: Record<string, Value> = {};
    for (const [k, v] of entries) o[k as string] = v;
    return o;
  }

  private num(): Value {
    const m = /^-?(?:\d[\d_]*)?(?:\.\d*)?(?:e[-+]?\d+)?/i.exec(this.s.slice(this.i)) as RegExpExecArray;
    this.i += m[0].length;
    const text = m[0].replace(/_/g, "");
    const n = Number(text);
    return /[.e]/i.test(text) ? (Number.isInteger(n) ? new Float(n) : n) : n;
  }

  private str(): Value {
    this.ws();
    const q = this.s[this.i++];
    let out = "";
    while (this.s[this.i] !== q) {
      const c = this.s[this.i++];
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', v: "\v", f: "\f", "0": "\0", a: "\x07", b: "\b" };
      if (e in simple) out += simple[e];
      else if (e === "x" || e === "u" || e === "U") {
        const n = e === "x" ? 2 : e === "u" ? 4 : 8;
        out += String.fromCodePoint(parseInt(this.s.slice(this.i, this.i + n), 16));
        this.i += n;
      } else out += "\\" + e;
    }
    this.i++;
    return out;
  }
}

/** Parses `value, 2, first=True` (Python call-argument syntax). */
export function pyArgs(src: string): PyArgs {
  return new Parser(src).call();
}
