// A worker thread of `spanja batch`: loads the model folder once, then answers chunks of rows in order.
import { parentPort, workerData } from "node:worker_threads";
import type { ChatEncodingOptions } from "../chat/chat-tokenizer.ts";
import { processRow, type RowFormat } from "./batch-rows.ts";
import { loadModel, withVars } from "./model-options.ts";

export interface WorkerSetup {
  model: string;
  where: string;
  options: ChatEncodingOptions;
  vars: [string, string][];
  format: RowFormat;
}

const setup = workerData as WorkerSetup;
const port = parentPort;
if (port === null) throw new Error("batch-worker runs as a worker thread");
try {
  const tok = await loadModel("batch", setup.model);
  const options = withVars(setup.options, setup.vars);
  port.on("message", (chunk: { id: number; rows: [number, string][] }) => {
    port.postMessage({ id: chunk.id, results: chunk.rows.map(([row, line]) => processRow(tok, line, row, setup.where, options, setup.format)) });
  });
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ setupError: (e as Error).message });
}
