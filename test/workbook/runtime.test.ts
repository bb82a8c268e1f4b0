/** The shared runtime hands the functions the workbook's own calendar and working hours. */
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import { emptyChangeSet } from "../../src/workbook/port";
import { setupChanges } from "../../src/workbook/setup";
import { configureFromWorkbook } from "../../src/taskpane/runtime";
import { configureFunctions } from "../../src/functions/config";
import { due } from "../../src/functions/functions";
import { BusinessCalendar, formatSerial, toSerial } from "../../src/core/calendar";

afterAll(() => configureFunctions({ calendar: new BusinessCalendar(), lang: "en" }));

test("a day off in the Calendar table and Settings' working hours change PLAN.DUE", async () => {
  const excel = new FakeExcel();
  const port = new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));
  await port.write(setupChanges(await port.read(), "zh"));
  const snap = await port.read();
  const changes = emptyChangeSet();
  changes.appends.push({ table: "Calendar", rows: [[toSerial(2026, 10, 8), "休", "公司活动"]], dateCols: [0] });
  const settingsRow = snap.tables.get("Settings")!.rows.findIndex((r) => r[0] === "工作时间");
  changes.cells.push({ table: "Settings", row: settingsRow, col: 1, value: "08:30-12:00, 13:00-17:30" });
  await port.write(changes);
  const model = await configureFromWorkbook(port, "zh");
  expect(model.settings.periods).toEqual([
    [510, 720],
    [780, 1050],
  ]);
  const DUE = due as unknown as (s: number, d: number) => number;
  // 09-30 16:00 + 1 day: 1.5 h that day (to 17:30), 10-01..07 holiday, 10-08 the center's own day off, then 10-09.
  expect(formatSerial(DUE(toSerial(2026, 9, 30, 16), 1))).toBe("2026-10-09 16:00"); // 90 + 210 + 180 of 480 minutes
});
