/**
 * Issue 12's figure: `planning-desk remind` on the 5,000-card month, end to end — a fresh node
 * process of the built command line (bin/planning-desk.js → lib/), reading the file, building the
 * digest, and sending one message per person to DingTalk and WeCom stand-ins on 127.0.0.1. The
 * moment is mid-month, when thousands of deadlines are open. Also `calendar` on the same file.
 */
import { spawn, spawnSync } from "child_process";
import fs from "fs";
import http from "http";
import { AddressInfo } from "net";
import os from "os";
import path from "path";
import { performance } from "perf_hooks";
import { monthWorkbook } from "./files";
import { record } from "./util";

const ROOT = path.join(__dirname, "..");
const BIN = path.join(ROOT, "bin", "planning-desk.js");

/**
 * The bench's remind of `file`: mid-month, when thousands of deadlines are open; with `base` (a
 * robotStandIn's address), sent to DingTalk and WeCom there.
 */
export function remindArgs(file: string, base?: string): string[] {
  const args = ["remind", file, "--at", "2026-10-15 10:00"];
  if (base)
    args.push("--dingtalk", `${base}/robot/send?access_token=x`, "--secret", "SECbench", "--wecom", `${base}/cgi-bin/webhook/send?key=x`);
  return args;
}

/** A stand-in for the DingTalk and WeCom robots on 127.0.0.1: every message answered "ok" (and counted by `onMessage`). */
export async function robotStandIn(onMessage: () => void = () => undefined): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      onMessage();
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Runs the built command line; wall time from spawn to exit. */
function timed(args: string[]): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("exit", (code) => resolve({ ms: performance.now() - t0, code, stdout, stderr }));
  });
}

export async function benchRemind(): Promise<void> {
  const built = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`tsc: ${built.stdout}${built.stderr}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pd-remind-"));
  let messages = 0;
  const { server, base } = await robotStandIn(() => messages++);
  try {
    const file = path.join(dir, "month.xlsx");
    await monthWorkbook(file, 5000, 20000, 1000, { mobiles: true });
    const best = async (args: string[]) => {
      let r = await timed(args);
      for (let i = 0; i < 2; i++) {
        const again = await timed(args);
        if (again.ms < r.ms) r = again;
      }
      return r;
    };
    const digest = await best(remindArgs(file));
    const items = /共 (\d+) 人，(\d+) 项/.exec(digest.stdout);
    record(
      `planning-desk remind, 5,000 cards, digest only (${items ? `${items[1]} people, ${items[2]} items` : "?"})`,
      `${(digest.ms / 1000).toFixed(2)} s`,
      "< 2 s",
      digest.code === 0 && digest.ms < 2000,
    );
    messages = 0;
    const sent = await best(remindArgs(file, base));
    record(
      `  the same, sent to DingTalk + WeCom stand-ins (${messages / 3} messages a run)`,
      `${(sent.ms / 1000).toFixed(2)} s`,
      "< 2 s",
      sent.code === 0 && sent.ms < 2000,
    );
    if (sent.code !== 0) console.error(sent.stderr);
    const ics = await best(["calendar", file, "-o", path.join(dir, "month.ics")]);
    record("planning-desk calendar, 5,000 cards (.ics of every open deadline)", `${(ics.ms / 1000).toFixed(2)} s`);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) benchRemind().catch((e) => (console.error(e), process.exit(1)));
