/**
 * Browser-test harness: builds the workbench once (webpack, production mode) into
 * test-artifacts/, serves it over plain HTTP on a free port, and drives a real Chromium
 * through playwright-core (no browser download at test time).
 *
 * Which Chromium: Debian's (`/usr/bin/chromium`, which `.ci/run` installs with apt) where it
 * is installed, else the headless Chromium that ships inside the `@sparticuz/chromium`
 * devDependency (Linux x64, MIT; a brotli-compressed binary in the package, inflated into the
 * temp directory on first use, with the NSS/NSPR/expat libraries it needs from the same
 * package). `PLANNING_DESK_CHROMIUM=system|npm|/path/to/chrome` forces one; `CHROMIUM_PATH`
 * names a binary as before. When no Chromium can be found or started, `launch()` throws with
 * what to install: the browser tests fail, they never pass without running.
 */
import fs from "fs";
import http from "http";
import path from "path";
import { AddressInfo } from "net";
import { Browser, chromium } from "playwright-core";

const root = path.join(__dirname, "..", "..");
export const ARTIFACTS = path.join(root, "test-artifacts");
const OUT = path.join(ARTIFACTS, "workbench-dist");

const SYSTEM_CHROMIUMS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
const NPM_CHROMIUM = "@sparticuz/chromium";
const INSTALL_HINT =
  `install Debian's Chromium ("apt-get install -y chromium"), or run "npm install" on Linux x64 so that the ${NPM_CHROMIUM} devDependency ships one, ` +
  `or set PLANNING_DESK_CHROMIUM to a Chromium binary`;

/** The Chromium the browser tests drive: its binary, the environment it needs, and where it came from. */
export interface ChromiumChoice {
  executablePath: string;
  env?: Record<string, string>;
  source: "system" | "npm" | "path";
}

function systemChromium(): ChromiumChoice | undefined {
  const found = SYSTEM_CHROMIUMS.find((p) => fs.existsSync(p));
  return found ? { executablePath: found, source: "system" } : undefined;
}

/**
 * The Chromium inside the @sparticuz/chromium package: the package's own `executablePath()`
 * inflates its brotli-compressed binary into the temp directory (once; later runs reuse
 * it), and the NSS/NSPR/expat libraries it ships (`al2023.tar.br`) are inflated beside it for
 * systems that lack them. Nothing is downloaded.
 */
export async function npmChromium(): Promise<ChromiumChoice> {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`${NPM_CHROMIUM} ships a Chromium for Linux x64 only (this is ${process.platform} ${process.arch}): ${INSTALL_HINT}`);
  }
  try {
    const main = require.resolve(NPM_CHROMIUM, { paths: [root] }); // build/cjs/index.cjs
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved at run time (a CommonJS file inside the package)
    const Chromium = require(main) as { executablePath(input?: string): Promise<string> };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved at run time, beside the file above
    const { inflate } = require(path.join(path.dirname(main), "lambdafs.cjs")) as { inflate(file: string): Promise<string> };
    const bin = path.join(path.dirname(main), "..", "..", "bin");
    const executablePath = await Chromium.executablePath(bin);
    const libs = path.join(await inflate(path.join(bin, "al2023.tar.br")), "lib");
    const fonts = await inflate(path.join(bin, "fonts.tar.br"));
    const env: Record<string, string> = { LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":") };
    // Without fontconfig's system configuration, the package's own (Open Sans) lets pages render text.
    if (!fs.existsSync("/etc/fonts/fonts.conf")) env.FONTCONFIG_PATH = fonts;
    return { executablePath, env, source: "npm" };
  } catch (e) {
    throw new Error(`the Chromium of ${NPM_CHROMIUM} could not be prepared (${(e as Error).message.split("\n")[0]}): ${INSTALL_HINT}`, {
      cause: e,
    });
  }
}

/** Debian's Chromium where installed, else the npm one; PLANNING_DESK_CHROMIUM or CHROMIUM_PATH decide when set. */
export async function chooseChromium(): Promise<ChromiumChoice> {
  const want = process.env.PLANNING_DESK_CHROMIUM || process.env.CHROMIUM_PATH;
  if (want === "npm") return npmChromium();
  if (want === "system") {
    const sys = systemChromium();
    if (!sys) throw new Error(`PLANNING_DESK_CHROMIUM=system, but there is no ${SYSTEM_CHROMIUMS.join(", ")}: ${INSTALL_HINT}`);
    return sys;
  }
  if (want) {
    if (!fs.existsSync(want)) throw new Error(`no Chromium at ${want} (PLANNING_DESK_CHROMIUM / CHROMIUM_PATH): ${INSTALL_HINT}`);
    return { executablePath: want, source: "path" };
  }
  return systemChromium() ?? npmChromium();
}

/** A hash of everything the build reads from the repository (sources, configuration, locked dependencies). */
function buildInputsHash(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- kept local to the hash of the build's inputs
  const crypto = require("crypto") as typeof import("crypto");
  const h = crypto.createHash("sha256");
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        h.update(path.relative(root, p));
        h.update(fs.readFileSync(p));
      }
    }
  };
  walk(path.join(root, "src"));
  for (const f of ["webpack.config.js", "tsconfig.json", "package-lock.json", "manifest.xml"])
    if (fs.existsSync(path.join(root, f))) h.update(fs.readFileSync(path.join(root, f)));
  return h.digest("hex");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds the workbench once for the sources as they are: test files run in parallel workers
 * and the bench builds too, so the build is guarded by a lock file and skipped when the
 * output was built from the same inputs (a hash of src/ and the build's configuration).
 */
export async function buildWorkbench(): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const lock = path.join(ARTIFACTS, "workbench-dist.lock");
  const stamp = path.join(OUT, ".inputs-sha256");
  for (const t0 = Date.now(); ;) {
    try {
      fs.closeSync(fs.openSync(lock, "wx"));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      // A lock older than ten minutes was left by a killed run.
      const st = fs.statSync(lock, { throwIfNoEntry: false });
      if ((st && Date.now() - st.mtimeMs > 600_000) || Date.now() - t0 > 600_000) fs.rmSync(lock, { force: true });
      await sleep(250);
    }
  }
  try {
    const want = buildInputsHash();
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === want) return OUT;
    await webpackBuild();
    fs.writeFileSync(stamp, want);
    return OUT;
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

async function webpackBuild(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a build is needed
  const webpack = require("webpack");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the project's CommonJS webpack config
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
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".json": "application/json",
  ".png": "image/png",
  ".xml": "text/xml",
};

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
  const choice = await chooseChromium();
  // Which Chromium ran, for whoever reads the artifacts.
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(
    path.join(ARTIFACTS, "chromium.json"),
    JSON.stringify({ source: choice.source, executablePath: choice.executablePath }, null, 2) + "\n",
  );
  try {
    return await chromium.launch({
      executablePath: choice.executablePath,
      env: choice.env ? { ...process.env, ...choice.env } : undefined,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-extensions",
      ],
    });
  } catch (e) {
    throw new Error(
      `Chromium (${choice.source}: ${choice.executablePath}) did not start: ${(e as Error).message.split("\n")[0]}. ${INSTALL_HINT}`,
      { cause: e },
    );
  }
}

/**
 * One test file's workbench: built and served, and a Chromium launched, before its tests; both
 * closed after. `env.browser` and `env.url` are there once the file's beforeAll has run.
 */
export function useWorkbench(timeoutMs = 600_000): { browser: Browser; url: string } {
  const env = {} as { browser: Browser; url: string };
  let server: { url: string; close: () => Promise<void> } | undefined;
  beforeAll(async () => {
    fs.mkdirSync(path.join(ARTIFACTS, "screenshots"), { recursive: true });
    server = await serve(await buildWorkbench());
    env.url = server.url;
    env.browser = await launch();
  }, timeoutMs);
  afterAll(async () => {
    await env.browser?.close();
    await server?.close();
  });
  return env;
}
