/**
 * `planning-desk check` verifies the Countersign Log against its hash chain and its anchor (a
 * custom XML part the add-in updates with every append): a clean demo passes; rows deleted at the
 * end, a row edited by hand, or the whole log emptied are errors naming sheet rows, exit 1.
 */
import fs from "fs";
import os from "os";
import path from "path";
import { run } from "../../src/cli/main";
import { demoChanges } from "../../src/workbook/demo";
import { emptyChangeSet, findTable } from "../../src/workbook/port";
import { XlsxWorkbook } from "../../src/workbook/xlsx";
import { COUNTERSIGN_LOG } from "../../src/workbook/schema";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pd-checklog-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function demoFile(name: string): Promise<string> {
  const wb = XlsxWorkbook.create();
  await wb.write(demoChanges("zh"));
  const f = path.join(dir, name);
  fs.writeFileSync(f, await wb.toBytes());
  return f;
}

async function check(f: string): Promise<{ code: number; json: { findings: { code: string; cell?: string; zh: string }[] } }> {
  const out: string[] = [];
  const code = await run(["check", f, "--json"], (s) => out.push(s), () => undefined);
  return { code, json: JSON.parse(out.join("\n")) };
}

test("the demo's log is whole and anchored: no break", async () => {
  const f = await demoFile("clean.xlsx");
  const r = await check(f);
  expect(r.json.findings.filter((x) => x.code === "log-break")).toEqual([]);
});

test("rows deleted at the end of the log (as a person would, clearing them) are found", async () => {
  const f = await demoFile("tail.xlsx");
  const wb = await XlsxWorkbook.open(f);
  const log = findTable(await wb.read(), "CountersignLog")!;
  const c = emptyChangeSet();
  c.deleteRows.push({ table: "CountersignLog", rows: [log.rows.length - 1, log.rows.length - 2] });
  await wb.write(c);
  fs.writeFileSync(f, await wb.toBytes());
  const r = await check(f);
  expect(r.code).toBe(1);
  expect(r.json.findings.filter((x) => x.code === "log-break").length).toBeGreaterThan(0);
});

test("a row edited by hand is found at its sheet row", async () => {
  const f = await demoFile("edit.xlsx");
  const wb = await XlsxWorkbook.open(f);
  const log = findTable(await wb.read(), "CountersignLog")!;
  const note = COUNTERSIGN_LOG.columns.findIndex((c) => c.key === "note");
  const c = emptyChangeSet();
  c.cells.push({ table: "CountersignLog", row: 5, col: note, value: "改过了" });
  await wb.write(c);
  fs.writeFileSync(f, await wb.toBytes());
  const r = await check(f);
  expect(r.code).toBe(1);
  const breaks = r.json.findings.filter((x) => x.code === "log-break");
  expect(breaks.map((b) => b.cell)).toContain(`${log.sheet}!A${log.top + 1 + 5 + 1}`);
});

test("the whole log emptied is found", async () => {
  const f = await demoFile("empty.xlsx");
  const wb = await XlsxWorkbook.open(f);
  const log = findTable(await wb.read(), "CountersignLog")!;
  const c = emptyChangeSet();
  c.deleteRows.push({ table: "CountersignLog", rows: log.rows.map((_, i) => i) });
  await wb.write(c);
  fs.writeFileSync(f, await wb.toBytes());
  const r = await check(f);
  expect(r.code).toBe(1);
  expect(r.json.findings.some((x) => x.code === "log-break")).toBe(true);
});
