// Parquet for `spanja batch`, checked against an independent implementation (parquet-wasm: the Rust parquet
// crate; apache-arrow builds its tables): a chat dataset it writes reads back as the values pyarrow's
// to_pylist() gives, written by hand here in spanja's representation (float(1) for Python's 1.0); what we write
// reads back exactly, with the schema pyarrow would write, through parquet-wasm and hyparquet; outputs are
// atomic; bad files fail with an error naming them; row groups are read one at a time.
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import { asyncBufferFromFile, parquetMetadata, parquetReadObjects, type FileMetaData } from "hyparquet";
import { Compression, readParquet, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from "parquet-wasm";
import { afterAll, describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { dirname } from "node:path";
import { runBatch } from "../../src/cli/batch.ts";
import { openParquetOutput, parquetRows, type OutputRecord } from "../../src/cli/parquet.ts";
import { ChatTokenizer, float, parseJSON } from "../../src/node.ts";
import { tokenizerFiles } from "../chat/helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "spanja-parquet-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { Field, Struct, List, Utf8, Float32, Float64, Int32, Int64, Bool, Binary, Map_, DateDay, TimestampMillisecond } = arrow;
const field = <T extends arrow.DataType>(name: string, type: T) => new Field(name, type, true);

/** Writes rows with parquet-wasm, in row groups of `groupRows`. */
function writeWithWasm(name: string, types: Record<string, arrow.DataType>, rows: Record<string, unknown>[], groupRows: number, compression = Compression.SNAPPY): string {
  const table = new arrow.Table(Object.fromEntries(Object.entries(types).map(([column, type]) => [column, arrow.vectorFromArray(rows.map((r) => r[column]), type)])));
  const props = new WriterPropertiesBuilder().setMaxRowGroupSize(groupRows).setCompression(compression).build();
  const path = join(dir, name);
  writeFileSync(path, writeParquet(WasmTable.fromIPCStream(arrow.tableToIPC(table, "stream")), props));
  return path;
}

/** A file's metadata, from its footer. */
function footer(path: string): FileMetaData {
  const bytes = readFileSync(path); // a small file's Buffer may sit in a shared pool: slice out its bytes
  return parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}
const groupRows = (path: string) => footer(path).row_groups.map((g) => Number(g.num_rows));

async function collect(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const text of parquetRows(path)) out.push(text);
  return out;
}

/** The message struct of a Hugging Face chat dataset, tool calls with typed arguments. */
const args = new Struct([field("x", new Float64()), field("n", new Int64())]);
const call = new Struct([field("type", new Utf8()), field("function", new Struct([field("name", new Utf8()), field("arguments", args)]))]);
const message = new Struct([field("role", new Utf8()), field("content", new Utf8()), field("tool_calls", new List(field("element", call)))]);
const CHAT_TYPES = { id: new Utf8(), messages: new List(field("element", message)), enable_thinking: new Bool(), temperature: new Float64(), seed: new Int64() };
const addCall = (x: number, n: bigint | null) => ({ type: "function", function: { name: "add", arguments: { x, n } } });
const CHAT_ROWS = [
  {
    id: "c0",
    // messages without tool calls have a null there, as in a dataset whose rows differ
    messages: [{ role: "user", content: "What is 2+2?", tool_calls: null }, { role: "assistant", content: "", tool_calls: [addCall(1.0, 2n)] }, { role: "tool", content: "4", tool_calls: null }],
    enable_thinking: true,
    temperature: 1.0,
    seed: 2n ** 53n + 1n,
  },
  { id: "c1", messages: [{ role: "user", content: "Ünïcode 😀 \"quoted\"\n", tool_calls: null }, { role: "assistant", content: "東京", tool_calls: [] }], enable_thinking: false, temperature: 0.7, seed: -1n },
  { id: "c2", messages: [], enable_thinking: null, temperature: null, seed: null },
  { id: null, messages: null, enable_thinking: null, temperature: -0, seed: 0n },
  { id: "c4", messages: [{ role: "assistant", content: null, tool_calls: [addCall(2.5, null)] }], enable_thinking: true, temperature: 1e21, seed: 7n },
];

/** What Python gives for CHAT_ROWS (datasets / pyarrow to_pylist), in spanja's values: float(1) is 1.0. */
const CHAT_EXPECTED = [
  {
    id: "c0",
    messages: [
      { role: "user", content: "What is 2+2?", tool_calls: null },
      { role: "assistant", content: "", tool_calls: [{ type: "function", function: { name: "add", arguments: { x: float(1), n: 2 } } }] },
      { role: "tool", content: "4", tool_calls: null },
    ],
    enable_thinking: true,
    temperature: float(1),
    seed: 2 ** 53, // parseJSON's number; the JSON text keeps every digit (checked below)
  },
  {
    id: "c1",
    messages: [
      { role: "user", content: "Ünïcode 😀 \"quoted\"\n", tool_calls: null },
      { role: "assistant", content: "東京", tool_calls: [] },
    ],
    enable_thinking: false,
    temperature: 0.7,
    seed: -1,
  },
  { id: "c2", messages: [], enable_thinking: null, temperature: null, seed: null },
  { id: null, messages: null, enable_thinking: null, temperature: float(-0), seed: 0 },
  {
    id: "c4",
    messages: [{ role: "assistant", content: null, tool_calls: [{ type: "function", function: { name: "add", arguments: { x: 2.5, n: null } } }] }],
    enable_thinking: true,
    temperature: float(1e21),
    seed: 7,
  },
];

describe("parquetRows: a file written by parquet-wasm", () => {
  it("reads a chat dataset as Python does, row group by row group, in order", async () => {
    const path = writeWithWasm("chat.parquet", CHAT_TYPES, CHAT_ROWS, 2);
    expect(groupRows(path)).toEqual([2, 2, 1]);
    const texts = await collect(path);
    expect(texts.map((t) => parseJSON(t, path))).toStrictEqual(CHAT_EXPECTED);
    // the text itself: floats as parseJSON reads floats, INT64 exact, keys in schema order
    expect(texts[0]).toContain('"arguments":{"x":1.0,"n":2}');
    expect(texts[0]).toContain('"temperature":1.0,"seed":9007199254740993}');
    expect(texts[3]).toContain('"temperature":-0.0');
    expect(Object.keys(parseJSON(texts[0]) as object)).toEqual(["id", "messages", "enable_thinking", "temperature", "seed"]);
  });

  it("reads every codec pyarrow, polars and duckdb write but LZ4", async () => {
    for (const codec of [Compression.UNCOMPRESSED, Compression.GZIP, Compression.BROTLI, Compression.ZSTD]) {
      const texts = await collect(writeWithWasm(`chat-${codec}.parquet`, CHAT_TYPES, CHAT_ROWS, 3, codec));
      expect(texts.map((t) => parseJSON(t)), Compression[codec]).toStrictEqual(CHAT_EXPECTED);
    }
  });

  it("reads maps as pairs, float32 as Python's float, temporal values as their str(), bytes as null", async () => {
    const types = {
      meta: new Map_(new Field("entries", new Struct<{ key: arrow.Utf8; value: arrow.Int32 }>([new Field("key", new Utf8(), false), field("value", new Int32())]), false)),
      ratio: new Float32(),
      nan: new Float64(),
      blob: new Binary(),
      day: new DateDay(),
      at: new TimestampMillisecond("UTC"),
      local: new TimestampMillisecond(),
    };
    const rows = [
      { meta: new Map([["b", 1], ["a", null]]), ratio: 0.1, nan: NaN, blob: new Uint8Array([1, 2]), day: new Date(Date.UTC(2024, 1, 29)), at: Date.UTC(2023, 3, 9, 0, 26, 40, 123), local: Date.UTC(1969, 11, 31, 23, 59, 59) },
      { meta: new Map(), ratio: null, nan: Infinity, blob: null, day: null, at: Date.UTC(2023, 3, 9), local: null },
    ];
    const texts = await collect(writeWithWasm("types.parquet", types, rows, 10));
    expect(texts.map((t) => parseJSON(t))).toStrictEqual([
      { meta: [["b", 1], ["a", null]], ratio: 0.10000000149011612, nan: NaN, blob: null, day: "2024-02-29", at: "2023-04-09 00:26:40.123000+00:00", local: "1969-12-31 23:59:59" },
      { meta: [], ratio: null, nan: Infinity, blob: null, day: null, at: "2023-04-09 00:00:00+00:00", local: null },
    ]);
  });
});

/** Records like the batch's, some with empty arrays, a missing thinking mask, a warning or a large row number. */
function record(i: number): OutputRecord {
  const n = i % 97 === 0 ? 0 : 2 + (i % 13) * 9;
  const ids = Array.from({ length: n }, (_, k) => (k === 1 ? 2 ** 31 - 1 : (i * 7919 + k * 104729) % 151_936));
  return {
    row: i === 7 ? 2 ** 40 : i,
    input_ids: ids,
    attention_mask: ids.map(() => 1),
    assistant_masks: ids.map((_, k) => (k > n / 2 ? 1 : 0)),
    thinking_masks: i === 5 ? undefined : ids.map((_, k) => (k % 7 === 3 ? 1 : 0)),
    text: `row ${i}: ✓ ${"x".repeat(i % 5)}`,
    warnings: i % 10 === 0 ? [{ code: "truncated", message: `row ${i} was cut` }, { code: "other", message: "" }] : undefined,
  };
}

async function writeRecords(path: string, count: number, withText: boolean): Promise<OutputRecord[]> {
  const records = Array.from({ length: count }, (_, i) => record(i));
  const out = openParquetOutput(path, { withText });
  for (const r of records) await out.write(r);
  await out.finish();
  return records;
}

const ARRAYS = ["input_ids", "attention_mask", "assistant_masks", "thinking_masks"] as const;

describe("openParquetOutput", () => {
  it("writes records that parquet-wasm and hyparquet read back exactly, as INT64 row and list<int32> arrays", async () => {
    const path = join(dir, "out.parquet");
    const records = await writeRecords(path, 2500, true);
    expect(groupRows(path)).toEqual([1000, 1000, 500]);

    const table = arrow.tableFromIPC(readParquet(readFileSync(path)).intoIPCStream());
    expect(table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`)).toEqual([
      "row: Int64",
      "input_ids: List<Int32>",
      "attention_mask: List<Int32>",
      "assistant_masks: List<Int32>",
      "thinking_masks: List<Int32>",
      "text: Utf8",
      "warnings: List<Struct<{code:Utf8, message:Utf8}>>",
    ]);
    expect(table.numRows).toBe(records.length);
    const list = (v: arrow.Vector | null) => (v === null ? null : Array.from(v.toArray() as Int32Array));
    const fromWasm = records.map((_, i) => {
      const r = table.get(i)!.toJSON() as Record<string, unknown>;
      const warnings = (r.warnings as arrow.Vector).toArray().map((w: arrow.StructRowProxy) => w.toJSON());
      return { row: Number(r.row), ...Object.fromEntries(ARRAYS.map((k) => [k, list(r[k] as arrow.Vector | null)])), text: r.text, warnings };
    });
    expect(fromWasm).toEqual(records.map((r) => ({ ...r, thinking_masks: r.thinking_masks ?? null, warnings: r.warnings ?? [] })));

    const fromHyparquet = await parquetReadObjects({ file: await asyncBufferFromFile(path) });
    expect(fromHyparquet.map((r) => ({ ...r, row: Number(r.row) }))).toEqual(records.map((r) => ({ ...r, thinking_masks: r.thinking_masks ?? null, warnings: r.warnings ?? [] })));
  });

  it("has no text column without withText, and the same columns whatever the data", async () => {
    for (const count of [0, 3]) {
      const path = join(dir, `plain-${count}.parquet`);
      await writeRecords(path, count, false);
      const table = arrow.tableFromIPC(readParquet(readFileSync(path)).intoIPCStream());
      expect(table.schema.fields.map((f) => f.name)).toEqual(["row", ...ARRAYS, "warnings"]);
      expect(table.numRows).toBe(count);
    }
  });

  it("is atomic: abort() leaves no file, finish() only the final one", async () => {
    const sub = mkdtempSync(join(dir, "atomic-"));
    const aborted = openParquetOutput(join(sub, "a.parquet"), { withText: false });
    for (let i = 0; i < 1500; i++) await aborted.write(record(i)); // one row group already on disk
    expect(readdirSync(sub)).toEqual([`a.parquet.partial-${process.pid}`]);
    aborted.abort();
    expect(readdirSync(sub)).toEqual([]);
    expect(() => aborted.write(record(0))).toThrow(/a\.parquet/);

    await writeRecords(join(sub, "b.parquet"), 10, false);
    expect(readdirSync(sub)).toEqual(["b.parquet"]);
  });

  it("reads back through parquetRows as the JSONL lines say it", async () => {
    const path = join(dir, "roundtrip.parquet");
    const records = await writeRecords(path, 30, true);
    const texts = await collect(path);
    expect(texts.map((t) => JSON.parse(t))).toEqual(records.map((r) => ({ ...r, thinking_masks: r.thinking_masks ?? null, warnings: r.warnings ?? [] })));
  });
});

describe("parquetRows: bad files", () => {
  const fails = async (path: string) => {
    const error = await collect(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain(path);
    return (error as Error).message;
  };

  it("names the file that is not Parquet, is missing, cut short, or compressed with LZ4", async () => {
    const jsonl = join(dir, "rows.jsonl");
    writeFileSync(jsonl, `${JSON.stringify({ messages: [{ role: "user", content: "hi" }] })}\n`.repeat(200));
    expect(await fails(jsonl)).toMatch(/not a readable Parquet file/);
    const tiny = join(dir, "tiny.parquet");
    writeFileSync(tiny, "PAR1");
    await fails(tiny);
    await fails(join(dir, "missing.parquet"));
    const whole = readFileSync(writeWithWasm("whole.parquet", CHAT_TYPES, CHAT_ROWS, 2));
    const cut = join(dir, "cut.parquet");
    writeFileSync(cut, whole.subarray(0, whole.length >> 1));
    await fails(cut);
    expect(await fails(writeWithWasm("lz4.parquet", CHAT_TYPES, CHAT_ROWS, 2, Compression.LZ4_RAW))).toMatch(/row group 0: .*LZ4_RAW/);
  });
});

describe("parquetRows: streaming", () => {
  it("yields the first rows before it reads the last row group", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ ...CHAT_ROWS[i % CHAT_ROWS.length], id: `r${i}` }));
    const path = writeWithWasm("stream.parquet", CHAT_TYPES, rows, 10);
    const groups = footer(path).row_groups;
    expect(groups).toHaveLength(6);
    const id = (text: string) => (parseJSON(text) as { id: string }).id;
    const reading = parquetRows(path);
    const seen = [id((await reading.next()).value as string)];
    // now spoil the last row group on disk: a reader that had loaded the file would not notice
    const last = groups[5].columns.map((c) => c.meta_data!);
    const from = Math.min(...last.map((m) => Number(m.dictionary_page_offset ?? m.data_page_offset)));
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(last.reduce((n, m) => n + Number(m.total_compressed_size), 0), 0xff), 0, undefined, from);
    closeSync(fd);
    await expect(
      (async () => {
        for await (const text of reading) seen.push(id(text));
      })(),
    ).rejects.toThrow(`cannot read ${path}, row group 5`);
    expect(seen).toEqual(rows.slice(0, 50).map((r) => r.id));
  });
});

describe("spanja batch on Parquet", () => {
  const MODEL = dirname(tokenizerFiles("qwen3").json);
  const quiet = new Writable({ write: (_c, _e, done) => done() });

  it("a dataset written by parquet-wasm gives, per row, applyChatTemplate on the values Python reads; Parquet output equals JSONL output", async () => {
    const input = writeWithWasm("dataset.parquet", CHAT_TYPES, CHAT_ROWS, 2);
    const jsonl = join(dir, "dataset-out.jsonl");
    const parquet = join(dir, "dataset-out.parquet");
    const errors = join(dir, "dataset-errors.jsonl");
    const a = await runBatch(["--model", MODEL, "--input", input, "--output", jsonl, "--errors", errors, "--with-text", "--quiet", "--workers", "1"], quiet);
    const b = await runBatch(["--model", MODEL, "--input", input, "--output", parquet, "--with-text", "--quiet", "--workers", "2"], quiet);
    expect(b.summary).toEqual(a.summary);
    const tok = await ChatTokenizer.fromPretrained(MODEL);
    const options = { return_assistant_tokens_mask: true, return_thinking_mask: true };
    // the bad rows are those the library refuses: row 2's conversation is empty, row 3 has no messages
    // (null), and Qwen3's template raises on row 4's null content (`'</think>' in None`), as in Python
    const refused = CHAT_EXPECTED.flatMap((r, i) => {
      const { messages, ...variables } = r as { messages: object[] };
      try {
        tok.applyChatTemplate(messages, { ...variables, ...options });
        return [];
      } catch (e) {
        return [[i, (e as { kind?: string }).kind ?? "internal"]];
      }
    });
    expect(refused.map(([i]) => i)).toEqual([2, 3, 4]);
    expect(a.exitCode).toBe(3);
    expect(readFileSync(errors, "utf8").split("\n").filter(Boolean).map((l) => [JSON.parse(l).row, JSON.parse(l).kind])).toEqual(refused.map(([i, kind]) => [i, i === 3 ? "invalid-input" : kind]));

    const got = readFileSync(jsonl, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(got.map((r) => r.row)).toEqual([0, 1]);
    for (const r of got) {
      const { messages, ...variables } = CHAT_EXPECTED[r.row as number] as { messages: object[] };
      const want = tok.applyChatTemplate(messages, { ...variables, ...options });
      expect(r).toEqual({ row: r.row, input_ids: want.input_ids, attention_mask: want.attention_mask, assistant_masks: want.assistant_masks, thinking_masks: want.thinking_masks, text: want.text, ...(want.warnings.length ? { warnings: JSON.parse(JSON.stringify(want.warnings)) } : {}) });
    }
    expect(got[0].text).toContain('{"x": 1.0, "n": 2}');

    const table = arrow.tableFromIPC(readParquet(readFileSync(parquet)).intoIPCStream());
    const fromParquet = Array.from({ length: table.numRows }, (_, i) => {
      const r = table.get(i)!.toJSON() as Record<string, unknown>;
      const list = (v: unknown) => Array.from((v as arrow.Vector).toArray() as Int32Array);
      return { row: Number(r.row), ...Object.fromEntries(ARRAYS.map((k) => [k, list(r[k])])), text: r.text, codes: (r.warnings as arrow.Vector).toArray().map((w: arrow.StructRowProxy) => w.toJSON().code) };
    });
    expect(fromParquet).toEqual(got.map((r) => ({ row: r.row, ...Object.fromEntries(ARRAYS.map((k) => [k, r[k]])), text: r.text, codes: ((r.warnings ?? []) as { code: string }[]).map((w) => w.code) })));
  });

  it("refuses --resume and --keep with a Parquet output, and names a missing Parquet input", async () => {
    await expect(runBatch(["--model", MODEL, "--input", "x.jsonl", "--output", "y.parquet", "--resume"], quiet)).rejects.toThrow(/--resume needs a JSONL output/);
    await expect(runBatch(["--model", MODEL, "--input", "x.jsonl", "--output", "y.parquet", "--keep", "id"], quiet)).rejects.toThrow(/--keep needs a JSONL output/);
    const missing = join(dir, "nowhere.parquet");
    await expect(runBatch(["--model", MODEL, "--input", missing, "--output", join(dir, "o.jsonl"), "--workers", "1"], quiet)).rejects.toThrow(`${missing}: no such file or directory`);
  });
});
