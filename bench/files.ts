/**
 * Issue 9's figures: the file engine beside ExcelJS (what the command line used before) on
 * the same files. Whole commands run in child processes of the built command line (lib/), so
 * the peak memory is the command's own (`process.resourceUsage().maxRSS`).
 */
import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { performance } from "perf_hooks";
import { rowFor } from "../src/workbook/cells";
import { emptyChangeSet } from "../src/workbook/port";
import { COUNTERSIGN_LOG, INCIDENTS, REGISTER, REVISIONS, STAFF } from "../src/workbook/schema";
import { setupChanges } from "../src/workbook/setup";
import { XlsxWorkbook } from "../src/workbook/xlsx";
import { sampleCards } from "../test/workbook/helpers";
import { serialDay } from "../src/core/calendar";
import type { LogEntry } from "../src/core/model";
import { chainAppend } from "../src/core/workflow/log";
import type { CellValue } from "../src/workbook/port";
import { bigMonth } from "./month";
import { ownMemoryChild, record, saveXlsx } from "./util";

const ROOT = path.join(__dirname, "..");

/** Runs `code` in a fresh node (compiled sources from lib/) and returns what it printed as JSON. */
function child(code: string): { ms: number; rssMB: number; code?: number } {
  const [cmd, args] = ownMemoryChild(["--max-old-space-size=8192", "-e", code]);
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  const last = r.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`bench child failed: ${r.stderr || r.stdout}`);
  }
}

const MEASURE = (body: string) => `
const { performance } = require("perf_hooks");
(async () => {
  const t0 = performance.now();
  let code = 0;
  ${body}
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024, code }));
})().catch((e) => { console.error(e); process.exit(1); });`;

const cliRun = (args: string[]) =>
  MEASURE(`code = await require("./lib/cli/main").run(${JSON.stringify(args)}, () => {}, (s) => console.error(s));`);
const ourRead = (file: string) =>
  MEASURE(
    `const { XlsxWorkbook } = require("./lib/workbook/xlsx"); const wb = await XlsxWorkbook.fromBytes(require("fs").readFileSync(${JSON.stringify(file)})); await wb.read();`,
  );
const exceljsRead = (file: string) =>
  MEASURE(`const ExcelJS = require("exceljs"); const wb = new ExcelJS.Workbook(); await wb.xlsx.readFile(${JSON.stringify(file)});`);
const exceljsRoundTrip = (file: string) =>
  MEASURE(
    `const ExcelJS = require("exceljs"); const wb = new ExcelJS.Workbook(); await wb.xlsx.readFile(${JSON.stringify(file)}); wb.addWorksheet("KPI x").getCell("A1").value = 1; await wb.xlsx.writeFile(${JSON.stringify(file + ".exceljs.xlsx")});`,
  );

/**
 * A Countersign Log of `n` rows whose hash chain holds, as the add-in writes it: `check` verifies
 * it, so a log of made-up hashes would measure 200,000 reported breaks instead of a normal check.
 */
export function chainedLog(n: number): CellValue[][] {
  const start = serialDay(2026, 9, 1) + 0.4;
  const entries: LogEntry[] = Array.from({ length: n }, (_, i) => ({
    time: start + i / 2000,
    cardNo: `202609-${String((i % 1000) + 1).padStart(5, "0")}`,
    action: "会签",
    actor: "王磊",
    role: "经理",
    note: `${(i % 3) + 1}/3`,
  }));
  return chainAppend([], entries).map((e) => rowFor(COUNTERSIGN_LOG, e, "zh") as CellValue[]);
}

export async function registerAndLog(file: string, cards: number, log: number): Promise<void> {
  const wb = XlsxWorkbook.create();
  const setup = setupChanges(await wb.read(), "zh");
  await wb.write(setup);
  const c = emptyChangeSet();
  c.appends.push({ table: "Register", rows: sampleCards(cards), dateCols: [11, 12, 13] });
  c.appends.push({ table: "CountersignLog", rows: chainedLog(log), dateCols: [0] });
  await wb.write(c);
  await saveXlsx(wb, file);
}

/**
 * The month workbook of the bench: Staff, Register, Revisions and Incidents of bigMonth; with
 * `log`, a chained Countersign Log of that many rows; with `mobiles`, a mobile number per person
 * (what `remind` sends to).
 */
export async function monthWorkbook(
  file: string,
  cards: number,
  revisions: number,
  incidents: number,
  { log = 0, mobiles = false }: { log?: number; mobiles?: boolean } = {},
): Promise<void> {
  const m = bigMonth(cards, revisions, incidents);
  const wb = XlsxWorkbook.create();
  const setup = setupChanges(await wb.read(), "zh");
  const fill = (name: string, rows: unknown[][]) => (setup.newTables.find((t) => t.name === name)!.rows = rows as never);
  fill(
    "Staff",
    m.staff.map((s, i) => rowFor(STAFF, mobiles ? { ...s, mobile: `1380000${String(i).padStart(4, "0")}` } : s, "zh")),
  );
  fill(
    "Register",
    m.cards.map((c) => rowFor(REGISTER, c, "zh")),
  );
  fill(
    "Revisions",
    m.revisions.map((v) => rowFor(REVISIONS, v, "zh")),
  );
  fill(
    "Incidents",
    m.incidents.map((v) => rowFor(INCIDENTS, v, "zh")),
  );
  if (log) fill("CountersignLog", chainedLog(log));
  await wb.write(setup);
  await saveXlsx(wb, file);
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (x: number) => `${Math.round(x)} MB`;

export async function benchFiles(): Promise<void> {
  // The children run the compiled command line: build it from the sources first.
  const built = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`tsc: ${built.stdout}${built.stderr}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pd-files-"));
  try {
    const mid = path.join(dir, "10k.xlsx");
    let t0 = performance.now();
    await registerAndLog(mid, 10_000, 30_000);
    record("(write the 10,000 + 30,000 workbook with the engine)", s(performance.now() - t0));
    const ours = child(ourRead(mid));
    const theirs = child(exceljsRead(mid));
    record("read 10,000 cards + 30,000 log rows: file engine", s(ours.ms), "< 0.5 s", ours.ms < 500);
    record("  the same with ExcelJS", s(theirs.ms));

    const month = path.join(dir, "month.xlsx");
    await monthWorkbook(month, 5000, 20000, 1000);
    const copy = path.join(dir, "month-exceljs.xlsx");
    fs.copyFileSync(month, copy);
    const rep = child(cliRun(["report", month, "--month", "2026-10"]));
    record("planning-desk report, 5,000-card month (whole command)", s(rep.ms), "< 1.5 s", rep.code === 0 && rep.ms < 1500);
    const exRep = child(exceljsRoundTrip(copy));
    record("  ExcelJS read + write of the same file alone", s(exRep.ms));

    const big = path.join(dir, "50k.xlsx");
    t0 = performance.now();
    await monthWorkbook(big, 50_000, 20_000, 1000, { log: 200_000 });
    record("(write the 50,000 + 200,000 workbook with the engine)", s(performance.now() - t0));
    const chk = child(cliRun(["check", big, "--json"]));
    record("planning-desk check, 50,000 cards + 200,000 log rows", s(chk.ms), "< 4 s", chk.ms < 4000);
    record("  its peak memory (maxRSS)", mb(chk.rssMB), "< 700 MB", chk.rssMB < 700);
    const bigRep = child(cliRun(["report", big, "--month", "2026-10"]));
    record("planning-desk report on that workbook", s(bigRep.ms), "< 8 s", bigRep.code === 0 && bigRep.ms < 8000);
    record("  its peak memory (maxRSS)", mb(bigRep.rssMB), "< 1 GB", bigRep.rssMB < 1024);
    const exBig = child(exceljsRead(big));
    record("  ExcelJS reading that workbook alone", `${s(exBig.ms)}, ${mb(exBig.rssMB)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) benchFiles().catch((e) => (console.error(e), process.exit(1)));
