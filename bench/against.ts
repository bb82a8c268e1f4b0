/**
 * `npm run bench:against -- <commit> [<commit> …] [--runs N] [--pane]`: the command line's figures of
 * this checkout beside those of earlier commits, measured now, on this machine, in alternation.
 *
 * Why: a figure recorded weeks ago on a shared virtual machine is not a baseline. The same code on
 * the same file measures up to three times slower on a bad day of the machine, so "nothing may get
 * slower than 10 %" can only be judged by running the old code and the new one side by side. Each
 * commit is exported with `git archive` into a temporary folder (no worktree is registered), given
 * this checkout's node_modules, and built with its own tsconfig.build.json; every figure then runs
 * in fresh child processes, one commit after the other, `--runs` times (3 unless told), on the files
 * of this checkout's bench (what users have today). Printed: the median wall time, the median CPU time
 * of the child (steadier than wall time on a busy machine), the peak memory, and the ratio of this
 * checkout to each commit. A commit without a figure's command says so instead of a number.
 *
 * `--pane` also runs each commit's own first-render bench (bench/pane.ts: its workbench in Chromium,
 * 5,040 cards) in alternation and prints the lines it records.
 */
import { spawn, spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { monthWorkbook, registerAndLog } from "./files";
import { remindArgs, robotStandIn } from "./remind";
import { ownMemoryChild } from "./util";

const ROOT = path.join(__dirname, "..");

interface Version {
  label: string;
  dir: string;
}

interface Run {
  ms: number;
  cpuMs: number;
  rssMB: number;
  code: number | null;
  missing?: boolean;
}

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** The commit's tree in a temporary folder, with this checkout's node_modules, its lib/ built. */
function exportCommit(commit: string, into: string): Version {
  const sha = sh("git", ["rev-parse", "--short", commit], ROOT).trim();
  const dir = path.join(into, sha);
  fs.mkdirSync(dir);
  const tar = spawnSync("git", ["archive", "--format=tar", sha], { cwd: ROOT, maxBuffer: 1 << 30 });
  if (tar.status !== 0) throw new Error(`git archive ${sha}: ${tar.stderr}`);
  const x = spawnSync("tar", ["-x", "-C", dir], { input: tar.stdout });
  if (x.status !== 0) throw new Error(`tar: ${x.stderr}`);
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  build(dir);
  return { label: sha, dir };
}

function build(dir: string): void {
  sh(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], dir);
}

/**
 * One figure in a fresh node: `body` runs inside an async function with `lib` (the version's lib/
 * folder) and `args`; the child prints its wall time, CPU time and peak memory.
 */
const CHILD = `
const { performance } = require("perf_hooks");
const [lib, kind, ...args] = process.argv.slice(1);
const fs = require("fs");
(async () => {
  const t0 = performance.now();
  let code = 0;
  if (kind === "read") {
    const m = require(lib + "/workbook/xlsx");
    if (typeof m.XlsxWorkbook.fromBytes !== "function") { console.log(JSON.stringify({ missing: true })); return; }
    const wb = await m.XlsxWorkbook.fromBytes(fs.readFileSync(args[0]));
    await wb.read();
  } else {
    const src = fs.readFileSync(lib + "/cli/main.js", "utf8");
    if (!src.includes(JSON.stringify(args[0]))) { console.log(JSON.stringify({ missing: true })); return; }
    code = await require(lib + "/cli/main").run(args, () => {}, () => {});
  }
  const ms = performance.now() - t0;
  const u = process.cpuUsage();
  console.log(JSON.stringify({ ms, cpuMs: (u.user + u.system) / 1000, rssMB: process.resourceUsage().maxRSS / 1024, code }));
})().catch((e) => { console.error(e); process.exit(1); });`;

function child(v: Version, kind: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = ownMemoryChild(["--max-old-space-size=8192", "-e", CHILD, path.join(v.dir, "lib"), kind, ...args]);
    const p = spawn(cmd, argv, { cwd: v.dir });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("exit", () => {
      try {
        resolve(JSON.parse(out.trim().split("\n").pop() ?? ""));
      } catch {
        reject(new Error(`${v.label} ${kind}: ${err || out}`));
      }
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Figure {
  name: string;
  kind: "read" | "cli";
  /** The arguments; a file argument is copied first for commands that write (`fresh`). */
  args: (run: number, v: Version) => string[];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runsAt = argv.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 3;
  const pane = argv.includes("--pane");
  const commits = argv.filter((a, i) => !a.startsWith("--") && !(runsAt >= 0 && i === runsAt + 1));
  if (!commits.length || !Number.isInteger(runs) || runs < 1) {
    console.error("usage: npm run bench:against -- <commit> [<commit> …] [--runs N] [--pane]");
    process.exit(2);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pd-against-"));
  const { server, base } = await robotStandIn();
  try {
    build(ROOT);
    const versions: Version[] = [...commits.map((c) => exportCommit(c, tmp)), { label: "this checkout", dir: ROOT }];
    const files = path.join(tmp, "files");
    fs.mkdirSync(files);
    const f = (name: string) => path.join(files, name);
    console.log("writing the bench's workbooks …");
    await registerAndLog(f("10k.xlsx"), 10_000, 30_000);
    await monthWorkbook(f("month.xlsx"), 5000, 20000, 1000, { mobiles: true });
    await monthWorkbook(f("50k.xlsx"), 50_000, 20_000, 1000, { log: 200_000 });
    // Commands that write get their own copy of the file on every run.
    const fresh = (name: string, run: number, v: Version) => {
      const copy = f(`${v.label.replace(/\W/g, "_")}-${run}-${name}`);
      fs.copyFileSync(f(name), copy);
      return copy;
    };
    const figures: Figure[] = [
      { name: "read 10,000 cards + 30,000 log rows (file engine)", kind: "read", args: () => [f("10k.xlsx")] },
      { name: "check, 50,000 cards + 200,000 log rows", kind: "cli", args: () => ["check", f("50k.xlsx"), "--json"] },
      { name: "report, 5,000-card month", kind: "cli", args: (r, v) => ["report", fresh("month.xlsx", r, v), "--month", "2026-10"] },
      {
        name: "report, 50,000 cards + 200,000 log rows",
        kind: "cli",
        args: (r, v) => ["report", fresh("50k.xlsx", r, v), "--month", "2026-10"],
      },
      { name: "remind, 5,000-card month, digest", kind: "cli", args: () => remindArgs(f("month.xlsx")) },
      { name: "remind, sent to DingTalk + WeCom stand-ins", kind: "cli", args: () => remindArgs(f("month.xlsx"), base) },
    ];
    const now = versions[versions.length - 1];
    for (const fig of figures) {
      const got = new Map<Version, Run[]>(versions.map((v) => [v, []]));
      for (let r = 0; r < runs; r++) for (const v of versions) got.get(v)!.push(await child(v, fig.kind, fig.args(r, v)));
      console.log(`\n${fig.name}`);
      const mine = got.get(now)!;
      for (const v of versions) {
        const rs = got.get(v)!;
        if (rs.some((x) => x.missing)) {
          console.log(`  ${v.label.padEnd(14)} (no such command in this version)`);
          continue;
        }
        const wall = median(rs.map((x) => x.ms));
        const cpu = median(rs.map((x) => x.cpuMs));
        const rss = Math.max(...rs.map((x) => x.rssMB));
        const codes = [...new Set(rs.map((x) => x.code))].join("/");
        const ratio =
          v === now
            ? ""
            : `   this checkout / ${v.label}: wall ×${(median(mine.map((x) => x.ms)) / wall).toFixed(2)}, CPU ×${(median(mine.map((x) => x.cpuMs)) / cpu).toFixed(2)}`;
        console.log(
          `  ${v.label.padEnd(14)} wall ${(wall / 1000).toFixed(2)} s  CPU ${(cpu / 1000).toFixed(2)} s  peak ${Math.round(rss)} MB  exit ${codes}${ratio}`,
        );
      }
    }
    if (pane) {
      // Since 0b35833 the workbench times the first render one second after writing its big Register
      // ("settled"; since the twelfth session a worker writes it); commits before it time it at once.
      // Compare their lines with "started at once".
      console.log("\nfirst render and an action in the workbench (each version's own bench/pane.ts):");
      console.log("  (commits before 0b35833 time the first render at once: compare them with the 'started at once' lines)");
      for (let r = 0; r < runs; r++)
        for (const v of versions) {
          const runner = path.join(tmp, "pane-runner.ts");
          fs.writeFileSync(runner, `import { benchPane } from ${JSON.stringify(path.join(v.dir, "bench", "pane"))};\nvoid benchPane();\n`);
          const out = sh(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), runner], v.dir);
          for (const line of out.split("\n"))
            if (/first render|an action/.test(line)) console.log(`  ${v.label.padEnd(14)} ${line.trim()}`);
        }
    }
  } finally {
    server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
