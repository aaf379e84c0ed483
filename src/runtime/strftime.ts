// strftime_now's formatting: Python's datetime.strftime of a naive local time on Linux (glibc, C locale),
// including CPython's buffer limit. Pure: a format and a Date in, a string out.
import { cpLength } from "./strings.ts";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** ISO 8601 week-based year and week number of a local date: the week's Thursday decides. */
function isoWeek(d: Date): [number, number] {
  const monday0 = (d.getDay() + 6) % 7;
  const thursday = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate() - monday0 + 3));
  const year = thursday.getUTCFullYear();
  return [year, 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 604_800_000)];
}

interface Spec {
  flag: string;
  width: number | null;
  /** The longest result CPython's time.strftime returns for the whole format (see `strftime`). */
  cap: number;
}

/** Thrown when a conversion is padded past what CPython's buffer would ever hold. */
class TooLong {}

function pad(s: string, width: number, char: string, cap: number): string {
  if (width > cap) throw new TooLong();
  return s.padStart(width, char);
}

/** glibc padding of a number: zeros to `digits` by default (spaces for %e %k %l), flags `_` `-` `0`. */
function num(n: number, digits: number, spec: Spec, spacePad = false): string {
  const s = String(n);
  const w = spec.width ?? digits;
  if (spec.flag === "-" && spec.width === null) return s;
  const padChar = spec.flag === "_" || spec.flag === "-" ? " " : spec.flag === "0" ? "0" : spacePad ? " " : "0";
  return pad(s, w, padChar, spec.cap);
}

/** glibc's years (%Y %C %G): unpadded unless a width is given, then zero-padded. */
function yearish(n: number, spec: Spec): string {
  return spec.width === null ? String(n) : num(n, spec.width, spec);
}

/** glibc padding of text: spaces to the width, zeros with the `0` flag; `^` upper-cases, `#` swaps. */
function text(s: string, spec: Spec, swap: "upper" | "lower" | null = null): string {
  let t = s;
  if (spec.flag.includes("^")) t = t.toUpperCase();
  else if (spec.flag.includes("#") && swap !== null) t = swap === "upper" ? t.toUpperCase() : t.toLowerCase();
  return spec.width === null ? t : pad(t, spec.width, spec.flag.includes("0") ? "0" : " ", spec.cap);
}

/** One glibc conversion in the C locale; undefined for an unknown one. */
function conversion(c: string, d: Date, spec: Spec): string | undefined {
  const hour12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  const yday = Math.round((Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - Date.UTC(d.getFullYear(), 0, 1)) / 86_400_000);
  const sub = (f: string): string => text(glibcStrftime(f, d, spec.cap), spec);
  switch (c) {
    case "a": return text(DAYS[d.getDay()].slice(0, 3), spec, "upper");
    case "A": return text(DAYS[d.getDay()], spec, "upper");
    case "b": case "h": return text(MONTHS[d.getMonth()].slice(0, 3), spec, "upper");
    case "B": return text(MONTHS[d.getMonth()], spec, "upper");
    case "c": return sub("%a %b %e %H:%M:%S %Y");
    case "C": return yearish(Math.floor(d.getFullYear() / 100), spec);
    case "d": return num(d.getDate(), 2, spec);
    case "D": case "x": return sub("%m/%d/%y");
    case "e": return num(d.getDate(), 2, spec, true);
    case "F": return sub("%Y-%m-%d");
    case "G": return yearish(isoWeek(d)[0], spec);
    case "g": return num(isoWeek(d)[0] % 100, 2, spec);
    case "H": return num(d.getHours(), 2, spec);
    case "I": return num(hour12, 2, spec);
    case "j": return num(yday + 1, 3, spec);
    case "k": return num(d.getHours(), 2, spec, true);
    case "l": return num(hour12, 2, spec, true);
    case "m": return num(d.getMonth() + 1, 2, spec);
    case "M": return num(d.getMinutes(), 2, spec);
    case "n": return text("\n", spec);
    case "p": return text(d.getHours() < 12 ? "AM" : "PM", spec, "lower");
    case "P": return text(d.getHours() < 12 ? "am" : "pm", spec);
    case "r": return sub("%I:%M:%S %p");
    case "R": return sub("%H:%M");
    case "s": return num(Math.floor(d.getTime() / 1000), 1, spec);
    case "S": return num(d.getSeconds(), 2, spec);
    case "t": return text("\t", spec);
    case "T": case "X": return sub("%H:%M:%S");
    case "u": return num(d.getDay() === 0 ? 7 : d.getDay(), 1, spec);
    case "U": return num(Math.floor((yday + 7 - d.getDay()) / 7), 2, spec);
    case "V": return num(isoWeek(d)[1], 2, spec);
    case "w": return num(d.getDay(), 1, spec);
    case "W": return num(Math.floor((yday + 7 - ((d.getDay() + 6) % 7)) / 7), 2, spec);
    case "y": return num(d.getFullYear() % 100, 2, spec);
    case "Y": return yearish(d.getFullYear(), spec);
    // a naive datetime's struct tm has tm_isdst = -1: glibc prints no zone
    case "z": case "Z": return "";
    case "%": return text("%", spec);
    default: return undefined;
  }
}

/** glibc strftime (C locale) with its flags `_ - 0 ^ #`, widths and the E/O modifiers; no conversion wider than `cap`. */
function glibcStrftime(format: string, d: Date, cap: number): string {
  let out = "";
  let i = 0;
  while (i < format.length) {
    const ch = format[i];
    if (ch !== "%") {
      out += ch;
      i++;
      continue;
    }
    const start = i++;
    let flag = "";
    while (i < format.length && "_-0^#".includes(format[i])) flag += format[i++];
    let width: number | null = null;
    while (i < format.length && format[i] >= "0" && format[i] <= "9") width = (width ?? 0) * 10 + Number(format[i++]);
    let modifier = "";
    if (i < format.length && (format[i] === "E" || format[i] === "O")) modifier = format[i++];
    const spec: Spec = { flag: flag.includes("0") ? "0" : flag.includes("_") ? "_" : flag.includes("-") ? "-" : flag, width, cap };
    spec.flag += flag.includes("^") ? "^" : flag.includes("#") ? "#" : "";
    const c = i < format.length ? format[i] : "";
    const badModifier = modifier !== "" && !(modifier === "E" ? "cCxXyY%" : "deHIklmMSuUVwWy%").includes(c);
    const conv = c === "" || badModifier ? undefined : conversion(c, d, spec);
    if (conv === undefined) {
      // glibc's bad_format: the directive is copied as written, padded to its width
      const raw = format.slice(start, c === "" ? i : i + 1);
      out += spec.width === null ? raw : pad(raw, spec.width, spec.flag.startsWith("0") ? "0" : " ", cap);
    } else out += conv;
    i = c === "" ? i : i + 1;
  }
  return out;
}

/**
 * datetime.strftime of a naive local time: Python replaces %f (microseconds; a Date has milliseconds)
 * and %z / %Z (empty for a naive datetime) itself, then hands the rest to glibc's strftime. CPython's
 * time.strftime (wcsftime on Linux) tries buffers of 1024, 2048 … wide characters and gives up with "" once a buffer of 256 times the
 * format's length was too small, so a huge width prints nothing.
 */
export function strftime(format: string, d: Date): string {
  let fmt = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== "%" || i + 1 >= format.length) {
      fmt += ch;
      continue;
    }
    const next = format[++i];
    if (next === "f") fmt += String(d.getMilliseconds() * 1000).padStart(6, "0");
    else if (next !== "z" && next !== "Z") fmt += "%" + next;
  }
  let buffer = 1024;
  while (buffer < 256 * cpLength(fmt)) buffer *= 2;
  try {
    const out = glibcStrftime(fmt, d, buffer);
    return cpLength(out) < buffer ? out : "";
  } catch (e) {
    if (e instanceof TooLong) return "";
    throw e;
  }
}
