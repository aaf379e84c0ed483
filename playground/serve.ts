// `npm run playground`: builds the page and serves playground/dist on localhost with node:http, so that the
// page can fetch its tokenizer from its own origin. serveDir is also what the browser test serves with.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";
import { DIST, buildPlayground } from "./build.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

/** A static file server for `dir` on `host:port` (0: any free port). GET and HEAD only; nothing outside dir. */
export async function serveDir(dir: string, port = 0, host = "127.0.0.1"): Promise<{ url: string; close: () => Promise<void> }> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const send = (status: number, text: string) => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
      res.end(text);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "GET or HEAD only");
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      return send(400, "bad path");
    }
    const file = resolve(root, `.${path.endsWith("/") ? `${path}index.html` : path}`);
    if (file !== root && !file.startsWith(root + sep)) return send(403, "outside the served folder");
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) return send(404, "not found");
      size = st.size;
    } catch {
      return send(404, "not found");
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": size,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    if (req.method === "HEAD") return res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--port");
  const port = at >= 0 ? Number(args[at + 1]) : Number(process.env.PORT ?? 8017);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error("usage: npm run playground [-- --port N]");
    process.exit(2);
  }
  const built = await buildPlayground();
  const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;
  const app = built.files.find((f) => f.path === "app.js");
  console.log(`playground built in ${Math.round(built.ms)} ms (app.js ${kb(app?.bytes ?? 0)}, ${kb(app?.gzip ?? 0)} gzipped)`);
  let served;
  try {
    served = await serveDir(DIST, port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE" || at >= 0) throw e;
    served = await serveDir(DIST, 0);
  }
  console.log(`spanja playground: ${served.url}  (serving ${join("playground", "dist")} on localhost only; Ctrl-C stops)`);
}
