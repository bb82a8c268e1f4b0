/**
 * `planning-desk archive FILE --year 2025` (issue 18), on real files through the CLI as a real
 * process: a two-year workbook (the demo's October 2026, and the same shifted 52 weeks back into
 * 2025) loses its closed and archived 2025 cards to FILE-archive-2025.xlsx. Nothing is lost
 * (archive + remainder = the original, every row of every table), the hash chain continues
 * across the cut, `check` is clean on both, the month end of October 2026 is the same, and a
 * second run moves nothing and says so; an existing archive file is never overwritten.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { spawn } from "child_process";
import { CARD_STEP_DATES, LogEntry } from "../../src/core/model";
import { chainAppend } from "../../src/core/workflow/log";
import { demoData } from "../../src/workbook/demo";
import { rowFor } from "../../src/workbook/cells";
import { logHeadChanges, newLogSalt } from "../../src/workbook/log-head";
import { CellValue, ChangeSet, RawTable, emptyChangeSet } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { toSerial } from "../../src/core/calendar";
import { logStartOf } from "../../src/core/workflow/log";
import { verifyWorkbookLog } from "../../src/workbook/actions";
import { archiveChanges } from "../../src/workbook/archive";
import { CALENDAR, COUNTERSIGN_LOG, INCIDENTS, REGISTER, REVISIONS, STAFF, TableDef } from "../../src/workbook/schema";
import { setupChanges } from "../../src/workbook/setup";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { openXlsx } from "../helpers/xlsx-file";

const ROOT = path.join(__dirname, "..", "..");
const ENTRY = path.join(__dirname, "cli-entry.ts");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pd-archive-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
jest.setTimeout(120000);

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--import", "tsx", ENTRY, ...args], {
      cwd: ROOT,
      env: { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "", LC_MESSAGES: "" },
    });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("exit", (code) => resolve({ code, out, err }));
  });
}

/** The demo's October 2026, and the same 52 weeks earlier (card numbers 2025…), in one workbook with one chain. */
function twoYears(only2025Archived = false): ChangeSet {
  const a = demoData("zh");
  const b = demoData("zh");
  const back = (d: number | undefined) => (d === undefined ? undefined : d - 364);
  const no = (s: string | undefined) => s?.replace(/^2026/, "2025");
  // Optionally only the cards of 2025 that are closed and archived (so no open 2025 card holds the log's cut back).
  const keep = new Set(
    a.cards.filter((c) => !only2025Archived || (c.closed !== undefined && c.archived !== undefined)).map((c) => c.cardNo),
  );
  a.cards = a.cards.filter((c) => keep.has(c.cardNo));
  a.revisions = a.revisions.filter((r) => keep.has(r.cardNo));
  a.incidents = a.incidents.filter((i) => i.cardNo === undefined || keep.has(i.cardNo));
  a.log = a.log.filter((e) => e.cardNo === undefined || keep.has(e.cardNo));
  const cards25 = a.cards.map((c) => {
    const out = { ...c, cardNo: no(c.cardNo) ?? c.cardNo };
    for (const k of CARD_STEP_DATES) out[k] = back(c[k]);
    return out;
  });
  const revisions25 = a.revisions.map((r) => ({
    ...r,
    cardNo: no(r.cardNo) ?? "",
    requested: back(r.requested),
    relayed: back(r.relayed),
  }));
  const incidents25 = a.incidents.map((i) => ({ ...i, cardNo: no(i.cardNo), date: back(i.date) }));
  const bare = (e: LogEntry): LogEntry => ({
    time: e.time,
    cardNo: e.cardNo,
    action: e.action,
    actor: e.actor,
    role: e.role,
    note: e.note,
  });
  const log = chainAppend(
    [],
    [...a.log.map((e) => ({ ...bare(e), time: back(e.time), cardNo: no(e.cardNo), note: e.note })), ...b.log.map(bare)],
  );
  const changes = setupChanges({ tables: new Map(), sheetNames: [] }, "zh");
  const fill = (def: TableDef, records: object[]) => {
    const t = changes.newTables.find((nt) => nt.name === def.name);
    if (!t) throw new Error(def.name);
    t.rows = records.map((r) => rowFor(def, r, "zh"));
  };
  fill(STAFF, b.staff);
  fill(REGISTER, [...cards25, ...b.cards]);
  fill(REVISIONS, [...revisions25, ...b.revisions]);
  fill(INCIDENTS, [...incidents25, ...b.incidents]);
  fill(CALENDAR, b.calendar);
  fill(COUNTERSIGN_LOG, log);
  return { ...emptyChangeSet(), newTables: changes.newTables, ...logHeadChanges(log, newLogSalt()) };
}

async function writeTwoYears(name: string, only2025Archived = false): Promise<string> {
  const wb = XlsxWorkbook.create();
  await wb.read();
  await wb.write(twoYears(only2025Archived));
  const f = path.join(dir, name);
  fs.writeFileSync(f, await wb.toBytes());
  return f;
}

async function tables(f: string): Promise<Map<string, RawTable>> {
  return (await (await openXlsx(f)).read()).tables;
}
const key = (r: CellValue[]) => JSON.stringify(r);
const nonBlank = (rows: CellValue[][]) => rows.filter((r) => r.some((v) => v !== null && v !== ""));

test("archive + remainder = the original; the chain continues across the cut; check is clean on both; October 2026 is the same; a second run moves nothing", async () => {
  const f = await writeTwoYears("register.xlsx");
  const original = path.join(dir, "original.xlsx");
  fs.copyFileSync(f, original);
  const before = await tables(original);
  const model = readWorkbook(await (await openXlsx(original)).read()).model;
  expect(
    model.cards.filter((c) => c.cardNo.startsWith("2025") && c.closed !== undefined && c.archived !== undefined).length,
  ).toBeGreaterThan(0);

  const r = await cli(["archive", f, "--year", "2025", "--lang", "en"]);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  const archive = path.join(dir, "register-archive-2025.xlsx");
  expect(r.out).toContain(`2025 archived to ${archive}:`);
  expect(r.out).toMatch(
    /: \d+ cards, \d+ revisions, \d+ incidents, \d+ log rows; the \d+ log rows of 2025 of cards that stay are kept at the top of the shared log too; \d+ cards of 2025 stay in the shared workbook/,
  );
  expect(fs.existsSync(archive)).toBe(true);

  const kept = await tables(f);
  const moved = await tables(archive);
  // Every table is in the archive with the same sheet and headers.
  for (const [name, t] of before) {
    expect(moved.get(name)).toMatchObject({ sheet: t.sheet, headers: t.headers });
    expect(kept.get(name)?.headers).toEqual(t.headers);
  }
  // The cards: moved ones are all 2025, closed and archived; together, exactly the original rows.
  for (const name of ["Register", "Revisions", "Incidents"]) {
    const all = [...nonBlank(moved.get(name)!.rows), ...nonBlank(kept.get(name)!.rows)].map(key).sort();
    expect(all).toEqual(nonBlank(before.get(name)!.rows).map(key).sort());
  }
  const reg = moved.get("Register")!;
  expect(reg.rows.length).toBeGreaterThan(0);
  for (const row of reg.rows) expect(String(row[0])).toMatch(/^2025/);
  // The log, hash by hash: the archive holds the original's prefix (to the end of 2025) verbatim;
  // the shared log keeps that prefix's rows of cards still in its Register, then the rest, in order.
  const logHeaders = before.get("CountersignLog")!.headers;
  const hashCol = logHeaders.indexOf("校验");
  const cardCol = logHeaders.indexOf("卡号");
  const hashes = (rows: CellValue[][]) => nonBlank(rows).map((row) => row[hashCol]);
  const orig = nonBlank(before.get("CountersignLog")!.rows);
  const prefix = nonBlank(moved.get("CountersignLog")!.rows);
  expect(prefix.length).toBeGreaterThan(0);
  expect(hashes(prefix)).toEqual(hashes(orig.slice(0, prefix.length)));
  const staying = new Set(nonBlank(kept.get("Register")!.rows).map((row) => String(row[0])));
  const carried = orig.slice(0, prefix.length).filter((row) => staying.has(String(row[cardCol])));
  expect(carried.length).toBeGreaterThan(0);
  expect(hashes(kept.get("CountersignLog")!.rows)).toEqual(hashes([...carried, ...orig.slice(prefix.length)]));
  // Every row of a moved card dated in 2025 left the shared log.
  const movedCards = new Set(nonBlank(moved.get("Register")!.rows).map((row) => String(row[0])));
  expect(nonBlank(kept.get("CountersignLog")!.rows).filter((row) => movedCards.has(String(row[cardCol])))).toEqual([]);
  // Copied whole so the archive stands alone.
  for (const name of ["Staff", "Calendar", "Rules", "Deadlines", "Standards", "Settings"])
    expect(moved.get(name)!.rows).toEqual(before.get(name)!.rows);
  expect(kept.get("Staff")!.rows).toEqual(before.get("Staff")!.rows);

  // check: clean on both (the log verifies on each side of the cut).
  for (const file of [f, archive]) {
    const c = await cli(["check", file, "--json"]);
    const json = JSON.parse(c.out) as { errors: number; findings: { code: string; en: string }[] };
    expect(json.findings.filter((x) => x.code === "log-break")).toEqual([]);
    expect(json.errors).toBe(0);
    expect(c.code).toBe(0);
  }

  // Month end of October 2026: the same Penalties and KPI as before archiving.
  const same = async (file: string) => (await cli(["report", file, "--month", "2026-10", "--lang", "en"])).out.split(file).join("FILE");
  const after = await same(f);
  expect(after).toContain("Penalties 2026-10");
  expect(after).toEqual(await same(original));

  // A second run moves nothing and says so; the files stay as they are.
  const bytes = fs.readFileSync(f);
  const archived = fs.readFileSync(archive);
  const again = await cli(["archive", f, "--year", "2025", "--lang", "en"]);
  expect(again.code).toBe(0);
  expect(again.out).toMatch(/nothing to archive for 2025 .*nothing was written/);
  expect(fs.readFileSync(f).equals(bytes)).toBe(true);
  expect(fs.readFileSync(archive).equals(archived)).toBe(true);
});

test("an existing archive file is never overwritten, and a year not finished is refused: nothing is written", async () => {
  const f = await writeTwoYears("busy.xlsx");
  const archive = path.join(dir, "busy-archive-2025.xlsx");
  fs.writeFileSync(archive, "someone's file");
  const bytes = fs.readFileSync(f);
  const r = await cli(["archive", f, "--year", "2025", "--lang", "en"]);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/busy-archive-2025\.xlsx already exists; it was not overwritten/);
  expect(r.err.trim().split("\n")).toHaveLength(1);
  expect(fs.readFileSync(archive, "utf8")).toBe("someone's file");
  expect(fs.readFileSync(f).equals(bytes)).toBe(true);

  const now = await cli(["archive", f, "--year", "2099", "--lang", "en"]);
  expect(now.code).toBe(1);
  expect(now.err).toMatch(/is not finished yet .*: it cannot be archived/);
  expect(fs.readFileSync(f).equals(bytes)).toBe(true);
  expect(fs.readdirSync(dir).filter((n) => n.startsWith(`busy-archive-2099`))).toEqual([]);
});

test("a second year archived from a log already cut: the new archive starts where the first ended, both verify", async () => {
  const f = await writeTwoYears("twice.xlsx");
  expect((await cli(["archive", f, "--year", "2025"])).code).toBe(0);
  const first = logStartOf((await (await openXlsx(f)).read()).logRecords);
  expect(first?.rows).toBeGreaterThan(0);
  // In January 2027, 2026 is finished: archived in process from the file left by the first run.
  const wb = await openXlsx(f);
  const snap = await wb.read();
  const c = archiveChanges(snap, 2026, toSerial(2027, 1, 11, 10, 0));
  expect(c.plan.cards.size).toBeGreaterThan(0);
  expect(c.plan.logRows).toBeGreaterThan(0);
  await wb.write(c.shared);
  const archive = XlsxWorkbook.create();
  await archive.read();
  await archive.write(c.archive);
  const verify = async (w: XlsxWorkbook) => {
    const s = await (await XlsxWorkbook.fromBytes(await w.toBytes())).read();
    return { breaks: verifyWorkbookLog(s, readWorkbook(s).model), start: logStartOf(s.logRecords) };
  };
  const a = await verify(archive);
  const b = await verify(wb);
  expect(a.breaks).toEqual([]);
  expect(b.breaks).toEqual([]);
  expect(a.start).toEqual(first);
  expect(first?.carried?.rows).toBeGreaterThan(0); // the first cut carried rows of open 2025 cards: the second archive takes them with it, verbatim
  expect(b.start?.rows).toBe((first?.rows ?? 0) + c.plan.logRows - (first?.carried?.rows ?? 0)); // the chain moved past: the prefix less the rows carried before
});
