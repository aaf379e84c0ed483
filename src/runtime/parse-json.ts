// JSON as Python's json.loads reads it, for data a user writes (context files, datasets): a number written
// with a fraction or an exponent stays a float (`1.0` → float(1), which renders `1.0`), NaN / Infinity /
// -Infinity are accepted, control characters inside strings are refused, and the last of duplicate keys
// wins at the first key's place. JSON.parse would turn `1.0` into the int 1.
import { TemplateError } from "../errors.ts";
import { float, type Value } from "./value.ts";

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const MAX_DEPTH = 1000;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;

/**
 * Parses JSON text into template values. `where` (a file name) starts the error message, which gives the
 * line and column as Python's json module does.
 */
export function parseJSON(text: string, where = "JSON"): Value {
  let i = 0;
  let depth = 0;

  const fail = (what: string, at = i): never => {
    let line = 1;
    let col = 1;
    for (let k = 0; k < at && k < text.length; k++) {
      if (text.charCodeAt(k) === 10) {
        line++;
        col = 1;
      } else col++;
    }
    throw new TemplateError("invalid-input", `${where}: ${what}: line ${line} column ${col} (char ${at})`);
  };
  const skip = (): void => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const literal = (word: string, v: Value): Value => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return v;
    }
    return fail("Expecting value");
  };

  const string = (): string => {
    i++; // opening quote
    let out = "";
    let from = i;
    for (;;) {
      if (i >= text.length) return fail("Unterminated string starting at", from - 1);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(from, i++);
        return out;
      }
      if (c < 0x20) return fail("Invalid control character at");
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(from, i);
      const e = text[i + 1];
      if (e === "u") {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return fail("Invalid \\uXXXX escape", i + 1);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else if (e !== undefined && e in ESCAPES) {
        out += ESCAPES[e];
        i += 2;
      } else return fail("Invalid \\escape", i);
      from = i;
    }
  };

  const number = (): Value => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) {
      if (text.startsWith("-Infinity", i)) return literal("-Infinity", -Infinity);
      return fail("Expecting value");
    }
    i += m[0].length;
    const n = Number(m[0]);
    // Python: a fraction or an exponent makes a float, whatever its value
    return m[1] !== undefined || m[2] !== undefined ? float(n) : n;
  };

  const value = (): Value => {
    skip();
    if (i >= text.length) return fail("Expecting value");
    const c = text[i];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    if (c === "t") return literal("true", true);
    if (c === "f") return literal("false", false);
    if (c === "n") return literal("null", null);
    if (c === "N") return literal("NaN", NaN);
    if (c === "I") return literal("Infinity", Infinity);
    return number();
  };

  const enter = (): void => {
    if (++depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
  };

  const array = (): Value[] => {
    enter();
    i++;
    const out: Value[] = [];
    skip();
    if (text[i] === "]") {
      i++;
      depth--;
      return out;
    }
    for (;;) {
      out.push(value());
      skip();
      if (text[i] === ",") i++;
      else if (text[i] === "]") {
        i++;
        depth--;
        return out;
      } else return fail("Expecting ',' delimiter");
    }
  };

  const object = (): Record<string, Value> => {
    enter();
    i++;
    const out: Record<string, Value> = {};
    skip();
    if (text[i] === "}") {
      i++;
      depth--;
      return out;
    }
    for (;;) {
      skip();
      if (text[i] !== '"') return fail("Expecting property name enclosed in double quotes");
      const key = string();
      skip();
      if (text[i] !== ":") return fail("Expecting ':' delimiter");
      i++;
      const v = value();
      // an own property even for "__proto__", never the prototype
      Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
      skip();
      if (text[i] === ",") i++;
      else if (text[i] === "}") {
        i++;
        depth--;
        return out;
      } else return fail("Expecting ',' delimiter");
    }
  };

  const v = value();
  skip();
  if (i < text.length) fail("Extra data");
  return v;
}
