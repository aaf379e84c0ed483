// Parquet in and out for `spanja batch`, through hyparquet (reader) and hyparquet-writer (writer): pure
// JavaScript from one maintainer, no native or wasm code, 1.5 MB installed, and both stream: the reader fetches
// one row group's byte ranges at a time, the writer emits each row group as it is encoded. parquet-wasm would
// bring 15 MB of wasm and apache-arrow (12 MB) to build its tables.
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import zlib from "node:zlib";
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type Compressors, type ParquetParsers, type SchemaElement, type SchemaTree } from "hyparquet";
import { isListLike, isMapLike } from "hyparquet/src/schema.js";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { writeColumn } from "hyparquet-writer/src/column.js";

const utf8 = new TextDecoder();
const TICKS = { MILLIS: 1000n, MICROS: 1_000_000n, NANOS: 1_000_000_000n };

/** Python's str() of a datetime at `ticks` since the epoch (UTC, the offset is added by the caller). */
function stamp(ticks: bigint, perSecond: bigint): string {
  const seconds = ticks / perSecond - (ticks % perSecond < 0n ? 1n : 0n); // floor, for times before 1970
  const frac = ticks - seconds * perSecond;
  const text = new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace("T", " ");
  if (frac === 0n) return text;
  // microseconds as datetime prints them; nine digits only where nanoseconds remain (pandas.Timestamp)
  const digits = perSecond === TICKS.NANOS && frac % 1000n !== 0n ? 9 : 6;
  return `${text}.${((frac * 10n ** BigInt(digits)) / perSecond).toString().padStart(digits, "0")}`;
}

// Temporal values become the text Python's str() gives them (a template that prints one renders the same);
// binary stays bytes, which valueJSON writes as null; JSON columns stay strings, as pyarrow reads them.
const parsers: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (t) => stamp(t, TICKS.MILLIS),
  timestampFromMicroseconds: (t) => stamp(t, TICKS.MICROS),
  timestampFromNanoseconds: (t) => stamp(t, TICKS.NANOS),
  dateFromDays: (days) => new Date(days * 86_400_000).toISOString().slice(0, 10),
  jsonFromBytes: (bytes) => bytes && utf8.decode(bytes),
  geometryFromBytes: (bytes) => bytes,
  geographyFromBytes: (bytes) => bytes,
};

// hyparquet reads snappy itself; Node's zlib covers the other codecs pyarrow, polars and duckdb write (not LZ4)
const compressors: Compressors = {
  GZIP: (input) => zlib.gunzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
  ZSTD: (input) => zlib.zstdDecompressSync(input),
};

/** A Python float as JSON text parseJSON reads back as a float: `1.0`, never `1`. */
function floatJSON(n: number): string {
  if (Object.is(n, -0)) return "-0.0";
  const text = String(n); // NaN, Infinity, -Infinity as parseJSON (and Python's json) read them
  return Number.isFinite(n) && !/[.e]/.test(text) ? `${text}.0` : text;
}

function leafJSON(v: unknown, { name, type, converted_type: ct, logical_type: lt }: SchemaElement): string {
  if (v instanceof Uint8Array) return "null"; // bytes: neither JSON nor spanja's values can hold them
  if (typeof v === "string") {
    // pyarrow gives a timezone-aware datetime for these; the zone is always shown as UTC here
    const utc = lt?.type === "TIMESTAMP" ? lt.isAdjustedToUTC : ct === "TIMESTAMP_MILLIS" || ct === "TIMESTAMP_MICROS";
    return JSON.stringify(utc ? `${v}+00:00` : v);
  }
  // a time of day, which hyparquet leaves an integer and Python gives as a datetime.time
  const perSecond = lt?.type === "TIME" ? TICKS[lt.unit] : ct === "TIME_MILLIS" ? TICKS.MILLIS : ct === "TIME_MICROS" ? TICKS.MICROS : 0n;
  if (perSecond) return JSON.stringify(stamp(BigInt(v as number | bigint), perSecond).slice(11));
  // DECIMAL: Python gives a Decimal, read here as the nearest float
  if (typeof v === "number") return type === "FLOAT" || type === "DOUBLE" || lt?.type === "FLOAT16" || ct === "DECIMAL" ? floatJSON(v) : String(v);
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  throw new Error(`column ${name}: unexpected value ${String(v)}`);
}

/** A map key back from the object key hyparquet made of it. */
function mapKeyJSON(key: string, el: SchemaElement): string {
  if (el.type === "FLOAT" || el.type === "DOUBLE") return floatJSON(Number(key));
  if ((el.type === "INT32" || el.type === "INT64" || el.type === "BOOLEAN") && /^(-?\d+|true|false)$/.test(key)) return key;
  return JSON.stringify(key);
}

/** The JSON text of a value hyparquet assembled for `node`; `item` when it is one element of a repeated field. */
function valueJSON(v: unknown, node: SchemaTree, item = false): string {
  if (v === null || v === undefined) return "null";
  if (node.element.repetition_type === "REPEATED" && !item) return `[${(v as unknown[]).map((x) => valueJSON(x, node, true)).join(",")}]`;
  if (isListLike(node)) {
    // the element node, chosen as hyparquet chooses it (three-level lists, and legacy two-level ones)
    const repeated = node.children[0];
    const element = repeated.children.length === 1 ? repeated.children[0] : repeated;
    return `[${(v as unknown[]).map((x) => valueJSON(x, element, element === repeated)).join(",")}]`;
  }
  if (isMapLike(node)) {
    // pyarrow's to_pylist gives a map as (key, value) pairs, JSON as [key, value] lists
    const [key, value] = node.children[0].children;
    return `[${Object.entries(v as object).map(([k, x]) => `[${mapKeyJSON(k, key.element)},${valueJSON(x, value)}]`).join(",")}]`;
  }
  if (node.children.length > 0) {
    const o = v as Record<string, unknown>;
    return `{${node.children.map((c) => `${JSON.stringify(c.element.name)}:${valueJSON(Object.hasOwn(o, c.element.name) ? o[c.element.name] : null, c)}`).join(",")}}`;
  }
  return leafJSON(v, node.element);
}

function refuseVariants(node: SchemaTree, path: string): void {
  if (node.element.logical_type?.type === "VARIANT") throw new Error(`${path}: column ${node.path.join(".")} is a VARIANT, which spanja cannot read`);
  for (const c of node.children) refuseVariants(c, path);
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Rows of a Parquet file, one JSON text per row (an object with every column, in schema order), which
 * parseJSON reads as the values pyarrow's to_pylist() gives: floats stay floats, INT64 keeps every digit,
 * null structs and lists stay null, maps are [key, value] pairs, temporal values are their Python str(), bytes
 * are null. Reads one row group at a time, so memory follows the largest row group, not the file.
 */
export async function* parquetRows(path: string): AsyncGenerator<string> {
  let file, metadata;
  try {
    file = await asyncBufferFromFile(path);
    if (file.byteLength < 12) throw new Error("too short"); // hyparquet would fail with a DataView RangeError
    metadata = await parquetMetadataAsync(file, { parsers, geoparquet: false });
  } catch (e) {
    throw new Error(`${path} is not a readable Parquet file: ${reason(e)}`);
  }
  const root = parquetSchema(metadata);
  refuseVariants(root, path);
  const names = root.children.map((c) => c.element.name);
  const keys = names.map((name) => JSON.stringify(name));
  let start = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const end = start + Number(group.num_rows);
    let rows: unknown[][] = [];
    try {
      // utf8: false keeps unannotated BYTE_ARRAY as bytes, as pyarrow does
      if (end > start) await parquetRead({ file, metadata, columns: names, rowStart: start, rowEnd: end, utf8: false, parsers, compressors, onComplete: (r) => (rows = r) });
    } catch (e) {
      throw new Error(`cannot read ${path}, row group ${g}: ${reason(e)}`);
    }
    for (const row of rows) yield `{${root.children.map((c, i) => `${keys[i]}:${valueJSON(row[i], c)}`).join(",")}}`;
    start = end;
  }
}

/** Output records (the same fields as the JSONL lines). */
export interface OutputRecord {
  row: number;
  input_ids: number[];
  attention_mask: number[];
  assistant_masks?: number[];
  thinking_masks?: number[];
  text?: string;
  warnings?: { code: string; message: string }[];
}

// a schema element as hyparquet-writer takes it (it bundles its own hyparquet, whose types may differ)
type OutElement = ConstructorParameters<typeof ParquetWriter>[0]["schema"][number];
type PageData = Parameters<typeof writeColumn>[0]["pageData"];
type Leaf = { path: OutElement[]; take: (rows: OutputRecord[]) => PageData };

const optional = (name: string, more: Partial<OutElement> = {}): OutElement => ({ name, repetition_type: "OPTIONAL", ...more });
const string = (name: string) => optional(name, { type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } });
const listOf = (name: string, ...element: OutElement[]): OutElement[] => [
  optional(name, { num_children: 1, converted_type: "LIST", logical_type: { type: "LIST" } }),
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  ...element,
];
const ARRAYS = ["input_ids", "attention_mask", "assistant_masks", "thinking_masks"] as const;

/** Levels of an optional flat column. */
function flat(values: unknown[]): PageData {
  return { values, definitionLevels: values.map((v) => (v === null ? 0 : 1)), repetitionLevels: [], maxDefinitionLevel: 1 };
}

/**
 * Levels of a leaf under one optional list of non-null items: maxDef 3 in list<int>, 4 in list<struct>. Typed
 * levels and one concat, as pushing value by value costs more than all the rest (hyparquet-writer only indexes them).
 */
function lists(rows: (unknown[] | null)[], maxDef: number): PageData {
  let n = 0;
  for (const items of rows) n += items === null || items.length === 0 ? 1 : items.length;
  const definitionLevels = new Uint8Array(n).fill(maxDef);
  const repetitionLevels = new Uint8Array(n).fill(1);
  const parts: unknown[][] = [];
  let at = 0;
  for (const items of rows) {
    repetitionLevels[at] = 0;
    if (items !== null && items.length > 0) {
      parts.push(items);
      at += items.length;
    } else {
      parts.push([undefined]);
      definitionLevels[at++] = items === null ? 0 : 1;
    }
  }
  const values = ([] as unknown[]).concat(...parts); // at most GROUP_ROWS arguments
  return { values, definitionLevels, repetitionLevels, maxDefinitionLevel: maxDef } as unknown as PageData;
}

/**
 * The output columns, fixed up front: the schema pyarrow writes for the same data (nullable columns,
 * three-level lists named list/element), so `datasets` and pandas read it as they would the JSONL. Warnings
 * keep the JSONL's shape, a list of {code, message} structs: `datasets` gives them back as lists of dicts, with
 * no json.loads per row and the message kept. Each leaf comes with how to take it from records.
 */
function outputColumns(withText: boolean): { schema: OutElement[]; leaves: Leaf[] } {
  const root: OutElement = { name: "schema", num_children: withText ? 7 : 6 };
  const [schema, leaves]: [OutElement[], Leaf[]] = [[root], []];
  const column = (elements: OutElement[], ...takes: Leaf["take"][]) => {
    schema.push(...elements);
    const groups = elements.slice(0, -takes.length); // a column's leaves come last, after the groups above them
    takes.forEach((take, i) => leaves.push({ path: [root, ...groups, elements[groups.length + i]], take }));
  };
  column([optional("row", { type: "INT64" })], (rows) => flat(rows.map((r) => BigInt(r.row))));
  for (const name of ARRAYS) column(listOf(name, optional("element", { type: "INT32" })), (rows) => lists(rows.map((r) => r[name] ?? null), 3));
  if (withText) column([string("text")], (rows) => flat(rows.map((r) => r.text ?? null)));
  const warning = (field: "code" | "message") => (rows: OutputRecord[]) => lists(rows.map((r) => (r.warnings ?? []).map((w) => w[field])), 4);
  column(listOf("warnings", optional("element", { num_children: 2 }), string("code"), string("message")), warning("code"), warning("message"));
  return { schema, leaves };
}

/**
 * hyparquet-writer's ParquetWriter, handed one row group at a time with levels computed above: its generic
 * Dremel encoder spends about 0.4 µs on each value, more than the rest of the encoding together.
 */
class GroupWriter extends ParquetWriter {
  writeGroup(leaves: Leaf[], rows: OutputRecord[]): void {
    const start = this.writer.offset;
    const columns = leaves.map(({ path, take }) => {
      const [columnName, element] = [path.slice(1).map((e) => e.name).join("."), path[path.length - 1]];
      const column = { columnName, element, schemaPath: path, codec: this.codec, compressors: this.compressors, stats: this.statistics, pageSize: 1 << 20, columnIndex: false, offsetIndex: true };
      const result = writeColumn({ writer: this.writer, column, pageData: take(rows) });
      this.pendingIndexes.push(result);
      return result.chunk;
    });
    const uncompressed = columns.reduce((sum, c) => sum + (c.meta_data?.total_uncompressed_size ?? 0n), 0n);
    this.num_rows += BigInt(rows.length);
    this.row_groups.push({ columns, num_rows: BigInt(rows.length), total_byte_size: uncompressed, total_compressed_size: BigInt(this.writer.offset - start) });
    void this.writer.flush?.(); // fileSink flushes synchronously
  }
}

/** hyparquet-writer's buffer, emptied into the file after each row group and at the end. */
function fileSink(fd: number): ByteWriter {
  const sink = new ByteWriter(1 << 20);
  const flush = () => {
    for (let done = 0; done < sink.index; ) done += writeSync(fd, new Uint8Array(sink.buffer, done, sink.index - done));
    sink.index = 0;
  };
  return Object.assign(sink, { flush, finish: flush });
}

// a row group closes at 1000 rows or about a million tokens, whichever comes first, so memory stays flat
const GROUP_ROWS = 1000;
const GROUP_TOKENS = 1 << 20;

/**
 * A Parquet output, written to `${path}.partial-${pid}` and renamed into place by finish(); abort() removes
 * it. Columns never depend on the data: row, the four arrays, text (only withText), warnings.
 */
export function openParquetOutput(path: string, opts: { withText: boolean }): { write(rec: OutputRecord): void; finish(): Promise<void>; abort(): void } {
  const temp = `${path}.partial-${process.pid}`;
  let fd: number | null;
  try {
    fd = openSync(temp, "w");
  } catch (e) {
    throw new Error(`cannot write ${path}: ${reason(e)}`);
  }
  const { schema, leaves } = outputColumns(opts.withText);
  const writer = new GroupWriter({ writer: fileSink(fd), schema, createdBy: "spanja" });
  let pending: OutputRecord[] = [];
  let tokens = 0;
  const flushGroup = () => {
    writer.writeGroup(leaves, pending);
    [pending, tokens] = [[], 0];
  };
  const abort = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
    rmSync(temp, { force: true });
  };
  return {
    write(rec) {
      if (fd === null) throw new Error(`${path}: written after finish() or abort()`);
      pending.push(rec);
      tokens += rec.input_ids.length + (rec.text?.length ?? 0) / 4;
      if (pending.length >= GROUP_ROWS || tokens >= GROUP_TOKENS) flushGroup();
    },
    async finish() {
      if (fd === null) throw new Error(`${path}: finish() after finish() or abort()`);
      try {
        // an empty output gets one empty row group: arrow-rs cannot read struct columns of a file with none
        if (pending.length > 0 || writer.row_groups.length === 0) flushGroup();
        await writer.finish();
        closeSync(fd);
        fd = null;
        renameSync(temp, path);
      } catch (e) {
        abort();
        throw new Error(`cannot write ${path}: ${reason(e)}`);
      }
    },
    abort,
  };
}
