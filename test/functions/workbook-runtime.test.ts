/**
 * Formulas that wait for the workbook: in Excel the shared runtime starts when a PLAN formula
 * first calculates, before the pane (or anything) has read the workbook. The functions must
 * wait for the workbook's Calendar, Settings and time zone, and recalculate when those
 * tables change — here on the strict in-memory Excel, with no pane at all.
 */
import { FakeContext, FakeExcel } from "../../src/workbench/fake-excel/api";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import { emptyChangeSet, findTable } from "../../src/workbook/port";
import { setupChanges } from "../../src/workbook/setup";
import { WorkbookFunctions, watchRemoteChanges } from "../../src/taskpane/runtime";
import { configureFunctions, LOADER_WAIT_MS, resetFunctionsConfig } from "../../src/functions/config";
import { FunctionError } from "../../src/functions/args";
import { due, isworkday } from "../../src/functions/functions";
import { BusinessCalendar, formatSerial, toSerial } from "../../src/core/calendar";
import { sampleCards, sampleLog } from "../workbook/helpers";

/* eslint-disable @typescript-eslint/no-explicit-any */
const DUE = due as unknown as (s: number, d: number) => any;
const ISWORKDAY = isworkday as unknown as (d: number) => any;

/** The fake (it records recalculations in `state.calculations`), with reads that can be made to fail. */
function excelWithCalculate(): { excel: FakeExcel; run: ExcelRun; calculations: string[]; failNext: { reads: number } } {
  const excel = new FakeExcel();
  const failNext = { reads: 0 };
  const run = (async (batch: (context: FakeContext) => Promise<unknown>) =>
    excel.run(async (context) => {
      if (failNext.reads > 0) {
        failNext.reads--;
        throw Object.assign(new Error("The workbook is busy."), { code: "GeneralException" });
      }
      return batch(context);
    })) as unknown as ExcelRun;
  return { excel, run, calculations: excel.state.calculations, failNext };
}

/** This workbook's sheets recalculated, never the application (Application.calculate recalculates every open workbook). */
const onlyThisWorkbook = (calculations: string[]): boolean => calculations.length > 0 && calculations.every((c) => c.startsWith("Range:"));

/** A workbook set up in Chinese, with the center's own day off on 2026-10-08 and shorter hours. */
async function centerWorkbook(run: ExcelRun, excel: FakeExcel): Promise<OfficeWorkbook> {
  const port = new OfficeWorkbook(run, (n, v) => excel.isSetSupported(n, v));
  await port.write(setupChanges(await port.read(), "zh"));
  const snap = await port.read();
  const changes = emptyChangeSet();
  changes.appends.push({ table: "Calendar", rows: [[toSerial(2026, 10, 8), "休", "公司活动"]], dateCols: [0] });
  const settingsRow = findTable(snap, "Settings")!.rows.findIndex((r) => r[0] === "工作时间");
  changes.cells.push({ table: "Settings", row: settingsRow, col: 1, value: "08:30-12:00, 13:00-17:30" });
  await port.write(changes);
  return port;
}

const ticks = async (until: () => boolean, max = 200): Promise<void> => {
  for (let i = 0; i < max && !until(); i++) await new Promise((r) => setImmediate(r));
  if (!until()) throw new Error("timed out waiting");
};

const isThenable = (v: unknown): boolean => !!v && typeof (v as { then?: unknown }).then === "function";
const start = toSerial(2026, 9, 30, 16);

afterEach(() => {
  delete (globalThis as any).CustomFunctions;
  configureFunctions({ calendar: new BusinessCalendar(), lang: "en", timeZone: "Asia/Shanghai" });
});

test("a formula that calculates before the pane opens waits for the workbook's Calendar and hours; a change to Calendar recalculates it", async () => {
  const { excel, run, calculations } = excelWithCalculate();
  const port = await centerWorkbook(run, excel);

  // The runtime's page loads because a PLAN formula calculates; the pane is never opened.
  const runtime = new WorkbookFunctions({ run, isSetSupported: (n, v) => excel.isSetSupported(n, v), displayLang: () => "zh" });
  await runtime.start();
  const before = excel.syncs;
  const first = DUE(start, 1);
  const second = ISWORKDAY(toSerial(2026, 10, 8));
  expect(isThenable(first)).toBe(true); // a promise: nothing is computed before the workbook is read
  // 09-30 16:00 + 1 day of 480 minutes: 90 that day (to 17:30), 10-01..07 holiday, 10-08 the center's own day off, then 10-09.
  expect(formatSerial(await first)).toBe("2026-10-09 16:00");
  expect(await second).toBe(false);
  expect(runtime.stats.loads).toBe(1); // one read for every formula
  expect(excel.syncs - before).toBeLessThanOrEqual(2); // the read, and registering the change handler
  expect(formatSerial(await DUE(start, 1))).toBe("2026-10-09 16:00"); // cached: no new read
  expect(runtime.stats.loads).toBe(1);

  // The Calendar table changes afterwards (the day off moves to 10-09): the functions read it
  // again and the workbook is recalculated in full, so every PLAN formula is called again.
  const snap = await port.read();
  const move = emptyChangeSet();
  move.cells.push({
    table: "Calendar",
    row: findTable(snap, "Calendar")!.rows.findIndex((r) => r[2] === "公司活动"),
    col: 0,
    value: toSerial(2026, 10, 9),
    date: true,
  });
  await port.write(move);
  await ticks(() => runtime.stats.recalculations === 1);
  expect(onlyThisWorkbook(calculations)).toBe(true);
  expect(runtime.stats.loads).toBe(2);
  expect(formatSerial(await DUE(start, 1))).toBe("2026-10-08 16:00"); // 90 + 390 minutes on 10-08, now a working day
  expect(await ISWORKDAY(toSerial(2026, 10, 8))).toBe(true);
});

test("a co-author's edit of Settings reaches the functions; edits elsewhere do not reload anything", async () => {
  const { excel, run, calculations } = excelWithCalculate();
  const port = await centerWorkbook(run, excel);
  const runtime = new WorkbookFunctions({ run, isSetSupported: (n, v) => excel.isSetSupported(n, v), displayLang: () => "zh" });
  await runtime.start();
  // Half a day (240 of 480 minutes): 90 on 09-30, then 08:30 + 150 on 10-09.
  expect(formatSerial(await DUE(start, 0.5))).toBe("2026-10-09 11:00");

  // An edit of the Register is not the calendar's business.
  const reg = findTable(await port.read(), "Register")!;
  await excel.runAsCoauthor(async (context) => {
    context.workbook.worksheets.getItem(reg.sheet).getRangeByIndexes(reg.top + 5, reg.left + 1, 1, 1).values = [["note"]];
    await context.sync();
  });
  await ticks(() => true, 20);
  expect(calculations).toEqual([]);
  expect(runtime.stats.loads).toBe(1);

  // A co-author sets the working hours back to 09:00-12:00, 13:30-18:00 (450 minutes).
  const settings = findTable(await port.read(), "Settings")!;
  const row = settings.rows.findIndex((r) => r[0] === "工作时间");
  await excel.runAsCoauthor(async (context) => {
    context.workbook.worksheets.getItem(settings.sheet).getRangeByIndexes(settings.top + 1 + row, settings.left + 1, 1, 1).values = [
      ["09:00-12:00, 13:30-18:00"],
    ];
    await context.sync();
  });
  await ticks(() => runtime.stats.recalculations === 1);
  // Half a day is now 225 minutes: 120 on 09-30 (to 18:00), 10-08 off, then 09:00 + 105 on 10-09.
  expect(formatSerial(await DUE(start, 0.5))).toBe("2026-10-09 10:45");
});

test("a broken Calendar table gives every PLAN cell #N/A saying which cell to fix, never a default-calendar value; fixing it recalculates", async () => {
  const { excel, run } = excelWithCalculate();
  const port = await centerWorkbook(run, excel);
  const runtime = new WorkbookFunctions({ run, isSetSupported: (n, v) => excel.isSetSupported(n, v), displayLang: () => "en" });
  await runtime.start();
  expect(formatSerial(await DUE(start, 1))).toBe("2026-10-09 16:00");

  const cal = findTable(await port.read(), "Calendar")!;
  const row = cal.rows.findIndex((r) => r[2] === "公司活动");
  const write = async (value: string | number) =>
    run(async (context) => {
      context.workbook.worksheets.getItem(cal.sheet).getRangeByIndexes(cal.top + 1 + row, cal.left, 1, 1).values = [[value]];
      await context.sync();
    });
  await write("2026-13-40");
  await ticks(() => runtime.stats.recalculations === 1);
  const broken = await DUE(start, 1);
  expect(broken).toBeInstanceOf(FunctionError);
  expect(broken.code).toBe("#N/A");
  expect(broken.message).toMatch(/Calendar or Settings table has errors/);
  expect(broken.message).toContain(`${cal.sheet}!A${cal.top + 2 + row}`);
  // A range in gives the error in every cell of the range out.
  const column = await (due as any)([[start], [start]], [[1]]);
  expect(column.map((r: any[]) => r[0].code)).toEqual(["#N/A", "#N/A"]);

  await write(toSerial(2026, 10, 8));
  await ticks(() => runtime.stats.recalculations === 2);
  expect(formatSerial(await DUE(start, 1))).toBe("2026-10-09 16:00");
});

test("when the workbook cannot be read, the functions say so (#N/A with the reason) instead of computing with the official calendar", async () => {
  const { excel, run, failNext } = excelWithCalculate();
  await centerWorkbook(run, excel);
  const runtime = new WorkbookFunctions({ run, isSetSupported: (n, v) => excel.isSetSupported(n, v), displayLang: () => "en" });
  await runtime.start(); // the change handler is registered at start, before any formula calculates
  failNext.reads = 1;
  const v = await DUE(start, 1);
  expect(v).toBeInstanceOf(FunctionError);
  expect(v.code).toBe("#N/A");
  expect(v.message).toMatch(/could not be read: The workbook is busy/);
  // The next change (or an explicit refresh) reads again.
  await runtime.refresh();
  expect(formatSerial(await DUE(start, 1))).toBe("2026-10-09 16:00");
});

test("in Excel, a formula calculated before the runtime page installed its loader waits for it (never the defaults)", async () => {
  const { excel, run } = excelWithCalculate();
  await centerWorkbook(run, excel);
  (globalThis as any).CustomFunctions = {}; // Excel's custom-functions runtime is there
  resetFunctionsConfig(); // nothing installed yet: as when functions.js has loaded and taskpane.js not yet
  const early = DUE(start, 1);
  expect(isThenable(early)).toBe(true);
  let settled = false;
  void early.then(() => (settled = true));
  await ticks(() => true, 10);
  expect(settled).toBe(false);
  void new WorkbookFunctions({ run, isSetSupported: (n, v) => excel.isSetSupported(n, v), displayLang: () => "en" }).start();
  expect(formatSerial(await early)).toBe("2026-10-09 16:00");
  expect(LOADER_WAIT_MS).toBeGreaterThanOrEqual(10_000);
});

describe("the pane's refresh on co-authors' changes checks the requirement set of the API it uses", () => {
  test("WorksheetCollection.onChanged is ExcelApi 1.9: at 1.8 the pane refreshes on focus", async () => {
    const excel = new FakeExcel();
    excel.apiVersion = "1.8";
    const focus: (() => void)[] = [];
    const how = await watchRemoteChanges(
      excel.run.bind(excel) as unknown as ExcelRun,
      (n, v) => excel.isSetSupported(n, v),
      () => undefined,
      (cb) => focus.push(cb),
    );
    expect(how).toBe("focus");
    expect(focus).toHaveLength(1);
  });

  test("at 1.9 a co-author's write calls back, the pane's own does not", async () => {
    const excel = new FakeExcel();
    excel.apiVersion = "1.9";
    let calls = 0;
    const run = excel.run.bind(excel) as unknown as ExcelRun;
    const how = await watchRemoteChanges(
      run,
      (n, v) => excel.isSetSupported(n, v),
      () => calls++,
      () => undefined,
    );
    expect(how).toBe("event");
    await excel.run(async (context) => {
      context.workbook.worksheets.add("S");
      await context.sync();
    });
    await excel.run(async (context) => {
      context.workbook.worksheets.getItem("S").getRange("A1").values = [["mine"]];
      await context.sync();
    });
    await excel.runAsCoauthor(async (context) => {
      context.workbook.worksheets.getItem("S").getRange("A2").values = [["theirs"]];
      await context.sync();
    });
    await ticks(() => calls > 0);
    expect(calls).toBe(1);
  });
});

describe("the functions read what they need, and recalculate only when it changed", () => {
  test("the first PLAN result reads Calendar and Settings only: a small response however big the Register and the log are", async () => {
    const { excel, run } = excelWithCalculate();
    const port = await centerWorkbook(run, excel);
    const big = emptyChangeSet();
    big.appends.push({ table: "Register", rows: sampleCards(3000), dateCols: [11, 12, 13] });
    big.appends.push({ table: "CountersignLog", rows: sampleLog(10_000), dateCols: [0] });
    await port.write(big);
    const runtime = new WorkbookFunctions({ run, isSetSupported: (n, v) => excel.isSetSupported(n, v), displayLang: () => "zh" });
    await runtime.start();
    excel.counter.largest = { request: 0, response: 0 };
    const before = excel.syncs;
    expect(formatSerial(await DUE(start, 1))).toBe("2026-10-09 16:00");
    expect(excel.syncs - before).toBe(1); // the read; the handler was registered at start, not inside the calculation
    expect(excel.counter.largest.response).toBeLessThan(20_000);
  });

  test("edits elsewhere while a table is missing reload the small read but recalculate nothing (no storm); Application.calculate is never used", async () => {
    const { excel, run, calculations } = excelWithCalculate();
    const port = await centerWorkbook(run, excel);
    const runtime = new WorkbookFunctions({ run, isSetSupported: (n, v) => excel.isSetSupported(n, v), displayLang: () => "zh" });
    await runtime.start();
    // Settings is deleted (its sheet): every sheet is watched now.
    const settings = findTable(await port.read(), "Settings")!;
    await excel.runAsCoauthor(async (context) => {
      context.workbook.worksheets.getItem(settings.sheet).delete();
      await context.sync();
    });
    await runtime.refresh();
    expect(runtime.stats.recalculations).toBe(1); // the functions' inputs changed: once
    const reg = findTable(await port.read(), "Register")!;
    for (let i = 0; i < 5; i++)
      await excel.runAsCoauthor(async (context) => {
        context.workbook.worksheets.getItem(reg.sheet).getRangeByIndexes(reg.top + 1 + i, reg.left + 1, 1, 1).values = [[`note ${i}`]];
        await context.sync();
      });
    await ticks(() => runtime.stats.loads >= 3, 400);
    await runtime.refresh();
    expect(runtime.stats.recalculations).toBe(1);
    expect(onlyThisWorkbook(calculations)).toBe(true);
  });
});
