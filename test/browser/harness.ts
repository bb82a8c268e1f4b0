/**
 * Browser-test harness: builds the workbench once (webpack, production mode) into
 * test-artifacts/, serves it over plain HTTP on a free port, and drives Debian's Chromium
 * through playwright-core (no browser download). `.ci/run` installs chromium with apt.
 */
import fs from "fs";
import http from "http";
import path from "path";
import { AddressInfo } from "net";
import { Browser, chromium } from "playwright-core";

const root = path.join(__dirname, "..", "..");
export const ARTIFACTS = path.join(root, "test-artifacts");
const OUT = path.join(ARTIFACTS, "workbench-dist");

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].filter((x): x is string => !!x);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`no Chromium found (tried ${candidates.join(", ")}): install it with "apt-get install -y chromium"`);
  return found;
}

export async function buildWorkbench(): Promise<string> {
  const webpack = require("webpack");
  const makeConfig = require(path.join(root, "webpack.config.js"));
  const config = await makeConfig({}, { mode: "production" });
  config.mode = "production";
  config.output = { ...config.output, path: OUT };
  config.devtool = false;
  await new Promise<void>((resolve, reject) =>
    webpack(config, (err: Error | null, stats: { hasErrors(): boolean; toString(o: unknown): string }) => {
      if (err) return reject(err);
      if (stats.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      resolve();
    }),
  );
  return OUT;
}

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json", ".png": "image/png", ".xml": "text/xml" };

export async function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const p = path.join(dir, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (!p.startsWith(dir) || !fs.existsSync(p) || fs.statSync(p).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[path.extname(p)] ?? "application/octet-stream" });
    fs.createReadStream(p).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run", "--disable-extensions"],
  });
}
