// The pprint filter: Python's pprint.pformat (width 80, indent 1, sorted dicts) for the values a
// template holds: dicts, lists and tuples wrap one item per line, long strings split into chunks.
import { TemplateError } from "../../errors.ts";
import { builtin } from "../args.ts";
import { pyRepr } from "../pystr.ts";
import { isPyList, typeNameOf } from "../sequences.ts";
import { cpLength } from "../strings.ts";
import { Markup, SpannedString, Tuple, dictEntries, isDict, type Value } from "../value.ts";
import { lessThan, type Filter } from "./common.ts";
import { splitLines } from "./strings.ts";

const WIDTH = 80;

/** pprint's _safe_key ordering: `<` when the types allow it, else by type name (stable otherwise). */
function safeLess(a: Value, b: Value): boolean {
  try {
    return lessThan(a, b);
  } catch (e) {
    if (!(e instanceof TemplateError) || e.kind !== "type") throw e;
    return `<class '${typeNameOf(a)}'>` < `<class '${typeNameOf(b)}'>`;
  }
}

function sortedEntries(d: Value): [Value, Value][] {
  const entries = dictEntries(d as Map<Value, Value>);
  return entries
    .map((e, i) => ({ e, i }))
    .sort((x, y) => (safeLess(x.e[0], y.e[0]) ? -1 : safeLess(y.e[0], x.e[0]) ? 1 : x.i - y.i))
    .map((x) => x.e);
}

function isList(v: Value): v is Value[] {
  return isPyList(v);
}

/** PrettyPrinter._safe_repr: repr with dict keys sorted at every depth. */
function safeRepr(v: Value): string {
  if (isDict(v)) return `{${sortedEntries(v).map(([k, x]) => `${safeRepr(k)}: ${safeRepr(x)}`).join(", ")}}`;
  if (isList(v)) return `[${v.map(safeRepr).join(", ")}]`;
  if (v instanceof Tuple) return v.items.length === 1 ? `(${safeRepr(v.items[0])},)` : `(${v.items.map(safeRepr).join(", ")})`;
  return pyRepr(v);
}

/** Python's re.findall(r'\S*\s*', line) minus its final empty match. */
function wordParts(line: string): string[] {
  const parts = line.match(/[^\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/gu) ?? [];
  return parts.filter((p) => p !== "");
}

class Printer {
  out = "";

  format(v: Value, indent: number, allowance: number, level: number): void {
    const rep = safeRepr(v);
    if (cpLength(rep) > WIDTH - indent - allowance) {
      if (isDict(v)) return this.dict(v, indent, allowance, level + 1);
      if (isList(v)) return this.items("[", "]", v, indent, allowance, level + 1);
      if (v instanceof Tuple) {
        const end = v.items.length === 1 ? ",)" : ")";
        return this.items("(", end, v.items, indent, allowance, level + 1);
      }
      // a Markup has its own __repr__, which pprint does not split
      if (typeof v === "string" || (v instanceof SpannedString && !(v instanceof Markup))) return this.str(typeof v === "string" ? v : v.text, indent, allowance, level + 1);
    }
    this.out += rep;
  }

  private dict(d: Value, indent: number, allowance: number, level: number): void {
    this.out += "{";
    const entries = sortedEntries(d);
    const ind = indent + 1;
    entries.forEach(([k, v], i) => {
      const last = i === entries.length - 1;
      const rep = safeRepr(k);
      this.out += rep + ": ";
      this.format(v, ind + cpLength(rep) + 2, last ? allowance + 1 : 1, level);
      if (!last) this.out += ",\n" + " ".repeat(ind);
    });
    this.out += "}";
  }

  private items(open: string, close: string, items: readonly Value[], indent: number, allowance: number, level: number): void {
    this.out += open;
    const ind = indent + 1;
    items.forEach((v, i) => {
      const last = i === items.length - 1;
      if (i > 0) this.out += ",\n" + " ".repeat(ind);
      this.format(v, ind, last ? allowance + close.length : 1, level);
    });
    this.out += close;
  }

  private str(s: string, indent: number, allowance: number, level: number): void {
    if (s === "") {
      this.out += pyRepr(s);
      return;
    }
    const chunks: string[] = [];
    const lines = splitLines(s, true);
    let ind = indent;
    let allow = allowance;
    if (level === 1) {
      ind += 1;
      allow += 1;
    }
    const maxWidth = WIDTH - ind;
    let maxWidth1 = maxWidth;
    let rep = "";
    lines.forEach((line, i) => {
      rep = pyRepr(line);
      if (i === lines.length - 1) maxWidth1 -= allow;
      if (cpLength(rep) <= maxWidth1) {
        chunks.push(rep);
        return;
      }
      const parts = wordParts(line);
      let maxWidth2 = maxWidth;
      let current = "";
      parts.forEach((part, j) => {
        const candidate = current + part;
        if (j === parts.length - 1 && i === lines.length - 1) maxWidth2 -= allow;
        if (cpLength(pyRepr(candidate)) > maxWidth2) {
          if (current) chunks.push(pyRepr(current));
          current = part;
        } else current = candidate;
      });
      if (current) chunks.push(pyRepr(current));
    });
    if (chunks.length === 1) {
      this.out += rep;
      return;
    }
    if (level === 1) this.out += "(";
    this.out += chunks.join("\n" + " ".repeat(ind));
    if (level === 1) this.out += ")";
  }
}

/** Python pprint.pformat(value). */
export function pformat(v: Value): string {
  const p = new Printer();
  p.format(v, 0, 0, 0);
  return p.out;
}

/** The pprint filter. */
export const PPRINT: Filter = builtin("do_pprint", "value", (a) => pformat(a[0]));
