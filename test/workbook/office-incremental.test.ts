/**
 * The incremental read (issue 18) on the strict in-memory Excel with Excel on the web's 5 MB
 * payload limit on: an action reads the Countersign Log only from the last row the session had
 * on (that row compared), so it costs one read and one write however long the log is; a
 * co-author's deleted or edited log row between two actions is noticed, never chained over.
 */
import { toSerial } from "../../src/core/calendar";
import { bigLog, bigRegister } from "../../src/workbench/big";
import { FakeExcel, WEB_PAYLOAD_LIMIT } from "../../src/workbench/fake-excel/api";
import { payloadBytes } from "../../src/workbench/fake-excel/context";
import type { FakeTable } from "../../src/workbench/fake-excel/tables";
import { performAction, verifyWorkbookLog } from "../../src/workbook/actions";
import { demoChanges } from "../../src/workbook/demo";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import { CellValue, emptyChangeSet, findTable } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { COUNTERSIGN_LOG } from "../../src/workbook/schema";
import { Controller } from "../../src/taskpane/controller";
import { REQUEST } from "../workflow/fake-office";

const NOW = toSerial(2026, 11, 2, 10, 0);

const port = (excel: FakeExcel, incrementalFrom?: number) =>
  new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v), { incrementalFrom });

const issue = {
  action: "issue" as const,
  actor: "林静",
  input: {
    request: { ...REQUEST, project: "增量读取" },
  },
};

test("an action with a log over 5 MB: one read and one write, and the log as a full read shows it", async () => {
  const excel = new FakeExcel();
  excel.payloadLimit = undefined; // the bulk set-up is a desktop affair
  const setup = port(excel);
  await setup.read();
  await setup.write(demoChanges("zh"));
  await setup.read();
  await setup.write(bigRegister(1_000));
  const more = emptyChangeSet();
  const log = bigLog(55_000, 1_000);
  more.appends.push({ table: "CountersignLog", rows: log, dateCols: [0] });
  await setup.read();
  await setup.write(more);
  expect(payloadBytes(log)).toBeGreaterThan(WEB_PAYLOAD_LIMIT);
  excel.payloadLimit = WEB_PAYLOAD_LIMIT;

  const pane = port(excel);
  await pane.read(); // the pane's first read: in slices
  excel.counter.largest = { request: 0, response: 0 };
  const before = excel.syncs;
  const done = await performAction(pane, issue, NOW);
  expect(done.ok).toBe(true);
  expect(excel.syncs - before).toBeLessThanOrEqual(2);
  expect(Math.max(excel.counter.largest.request, excel.counter.largest.response)).toBeLessThan(4 * 1024 * 1024);

  // What the session reads next is what a new session reads whole.
  const next = await pane.read();
  const whole = await port(excel).read();
  expect(findTable(next, "CountersignLog")!.rows).toEqual(findTable(whole, "CountersignLog")!.rows);
  expect(findTable(next, "Register")!.rows).toEqual(findTable(whole, "Register")!.rows);
  expect(readWorkbook(whole).model.log.at(-1)!.cardNo).toBe(done.ok ? done.written.cardNo : "");
}, 300_000);

describe("a co-author's change to the log between two actions", () => {
  /** The demo workbook (a real hash chain), a session reading its log incrementally, one action done. */
  async function twoSessions() {
    const excel = new FakeExcel();
    const setup = port(excel);
    await setup.read();
    await setup.write(demoChanges("zh"));
    const pane = port(excel, 10);
    const first = await pane.read();
    const rows = findTable(first, "CountersignLog")!.rows.length;
    expect(rows).toBeGreaterThan(10);
    expect((await performAction(pane, issue, NOW)).ok).toBe(true);
    return { excel, pane, rows };
  }
  const coauthor = (excel: FakeExcel, batch: (log: FakeTable) => void) =>
    excel.runAsCoauthor(async (context) => {
      batch(context.workbook.tables.getItem("CountersignLog"));
      await context.sync();
    });

  test("the session reads only the log's new rows: its second read brings back far less than the log", async () => {
    const { excel, pane } = await twoSessions();
    excel.counter.largest = { request: 0, response: 0 };
    await port(excel).read();
    const whole = excel.counter.largest.response;
    excel.counter.largest = { request: 0, response: 0 };
    await pane.read();
    expect(excel.counter.largest.response).toBeLessThan(whole);
    expect(findTable(await pane.read(), "CountersignLog")!.rows).toEqual(findTable(await port(excel).read(), "CountersignLog")!.rows);
  });

  test("a row deleted: noticed (read whole again); the next action chains from the real last row", async () => {
    const { excel, pane, rows } = await twoSessions();
    await coauthor(excel, (log) => log.rows.getItemAt(3).delete());
    const done = await performAction(pane, { ...issue, input: { request: { ...issue.input.request, project: "第二张" } } }, NOW);
    expect(done.ok).toBe(true);
    const whole = await port(excel).read();
    expect(findTable(whole, "CountersignLog")!.rows).toHaveLength(rows + 1); // one ours, one deleted, one ours
    expect(findTable(await pane.read(), "CountersignLog")!.rows).toEqual(findTable(whole, "CountersignLog")!.rows);
    // The only break is the co-author's deletion (row 4 of the log and the anchor's count), never at our rows.
    const breaks = verifyWorkbookLog(whole, readWorkbook(whole).model);
    const lastRow = findTable(whole, "CountersignLog")!.top + 1 + rows + 1;
    expect(breaks.length).toBeGreaterThan(0);
    expect(breaks.map((b) => b.sheetRow)).not.toContain(lastRow);
    expect(breaks.map((b) => b.sheetRow)).not.toContain(lastRow - 1);
  });

  test("the last row the session had edited: noticed; an edit above it is seen by a full read (Verify log)", async () => {
    const { excel, pane, rows } = await twoSessions();
    await pane.read(); // the session has the log up to our issue now
    const tail = findTable(await port(excel).read(), "CountersignLog")!;
    const note = COUNTERSIGN_LOG.columns.findIndex((c) => c.key === "note");
    await coauthor(excel, (log) => {
      log.getDataBodyRange().getCell(rows, note).values = [["改过"]]; // the session's last row (our issue)
      log.getDataBodyRange().getCell(2, note).values = [["也改过"]];
    });
    const after = await pane.read();
    expect(findTable(after, "CountersignLog")!.rows[rows][note]).toBe("改过");
    expect(findTable(after, "CountersignLog")!.rows[2][note]).toBe("也改过"); // read whole again: the row compared differed
    expect(tail.rows[2][note]).not.toBe("也改过");
    await coauthor(excel, (log) => {
      log.getDataBodyRange().getCell(1, note).values = [["第三处"]];
    });
    expect(findTable(await pane.read({ full: true }), "CountersignLog")!.rows[1][note]).toBe("第三处");
  });

  test("the pane's Verify log reads the whole log: an edit above the session's rows is a break there, not before", async () => {
    const { excel, pane } = await twoSessions();
    const c = new Controller({ port: pane, clock: () => Date.UTC(2026, 10, 2, 2, 0) }); // 10:00 in Shanghai
    await c.refresh();
    expect(c.logBreaks).toEqual([]);
    const note = COUNTERSIGN_LOG.columns.findIndex((x) => x.key === "note");
    await coauthor(excel, (log) => {
      log.getDataBodyRange().getCell(2, note).values = [["悄悄改过"]];
    });
    await c.refresh(); // an ordinary refresh: the log's rows after the session's, the rest as the session had them
    expect(c.logBreaks).toEqual([]);
    await c.refresh(true); // Verify log
    expect(c.logBreaks.length).toBeGreaterThan(0);
  });
});

test("a write over 5 MB (a big new sheet and a big append) goes in slices under the limit; every row lands once", async () => {
  const excel = new FakeExcel();
  const setup = port(excel);
  await setup.read();
  await setup.write(demoChanges("zh"));
  const wb = port(excel);
  const before = findTable(await wb.read(), "CountersignLog")!.rows.length;
  const long = (i: number, what: string) => `${what} ${i} ${"说明文字".repeat(60)}`;
  const sheetRows: CellValue[][] = Array.from({ length: 6_000 }, (_, i) => [`人${i}`, long(i, "甲"), long(i, "乙"), i]);
  const log = bigLog(6_000, 40).map((r, i) => r.map((v, c) => (COUNTERSIGN_LOG.columns[c]?.key === "note" ? long(i, "注") : v)));
  const changes = emptyChangeSet();
  changes.newTables.push({ name: "Big_Sheet", sheet: "大表", headers: ["姓名", "甲", "乙", "序号"], rows: sheetRows, numberCols: [3] });
  changes.appends.push({ table: "CountersignLog", rows: log, dateCols: [0] });
  expect(payloadBytes(sheetRows) + payloadBytes(log)).toBeGreaterThan(WEB_PAYLOAD_LIMIT);
  excel.counter.largest = { request: 0, response: 0 };
  const syncs = excel.syncs;
  const result = await wb.write(changes);
  expect(result.conflicts).toEqual([]);
  expect(excel.syncs - syncs).toBeGreaterThan(1);
  expect(excel.counter.largest.request).toBeLessThan(4 * 1024 * 1024);

  const after = await port(excel).read();
  const rows = findTable(after, "CountersignLog")!.rows;
  expect(rows).toHaveLength(before + log.length);
  expect(rows.slice(before).map((r) => r[1])).toEqual(log.map((r) => r[1]));
  const sheet = excel.state.sheet("大表")!;
  expect([0, 1, 5_999, 6_000].map((i) => sheet.get(1 + i, 0)?.value ?? null)).toEqual(["人0", "人1", "人5999", null]);
  expect(sheet.get(1 + 4_321, 2)?.value).toBe(long(4_321, "乙"));
  // The new table grew over every slice: its header and 6,000 rows.
  const table = excel.state.tables.find((t) => t.name === "Big_Sheet");
  expect(table && [table.top, table.bottom]).toEqual([0, 6_000]);
}, 300_000);
