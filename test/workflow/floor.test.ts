/**
 * The add-in at the oldest Excel its manifest allows (<Set Name="ExcelApi" MinVersion=…>): the
 * in-memory Excel claims only that version and throws ApiNotFound for anything newer. Actions,
 * their roll-back, the log's anchor and month end (data bar, chart) all work there.
 */
import fs from "fs";
import path from "path";
import { toSerial } from "../../src/core/calendar";
import { LOG_ANCHOR_NS } from "../../src/core/workflow/log";
import { stageOf } from "../../src/core/workflow/stages";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { performAction, verifyWorkbookLog } from "../../src/workbook/actions";
import { DEMO_MONTH, demoChanges } from "../../src/workbook/demo";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import { readWorkbook } from "../../src/workbook/read";
import { writeMonthEnd } from "../../src/workbook/report";
import { kpiSheetName } from "../../src/workbook/schema";

const FLOOR = /<Set\s+Name="ExcelApi"\s+MinVersion="([\d.]+)"/.exec(
  fs.readFileSync(path.join(__dirname, "../../manifest.xml"), "utf8"),
)![1];
const T0 = toSerial(2026, 11, 2, 10, 0);

test(`at the manifest's floor (ExcelApi ${FLOOR}): actions in two round trips, a conflict rolled back in three, the log anchored, month end with its chart`, async () => {
  const excel = new FakeExcel();
  excel.apiVersion = FLOOR;
  expect(excel.isSetSupported("ExcelApi", "1.13")).toBe(false);
  const port = new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));
  await port.read();
  await port.write(demoChanges("zh"));
  await port.read();
  const request = {
    project: "新品发布",
    client: "青禾乳业",
    key: false,
    intake: "AE" as const,
    initiator: "张伟",
    ae: "张伟",
    received: toSerial(2026, 11, 2, 9, 30),
  };
  let before = excel.syncs;
  const issued = await performAction(port, { action: "issue", actor: "林静", input: { request } }, T0);
  expect(issued.ok).toBe(true);
  expect(excel.syncs - before).toBeLessThanOrEqual(2);

  const m = readWorkbook(await port.read()).model;
  const card = m.cards.find((c) => stageOf(c, m.revisions) === "sent" && m.cardRows.get(c.cardNo)! > 2)!;
  const reg = excel.state.table("Register")!;
  let n = 0;
  excel.onSync = () => void (++n === 2 && excel.state.insertRows(reg.sheet, reg.top + 2, 1));
  before = excel.syncs;
  const refused = await performAction(port, { action: "close", cardNo: card.cardNo, actor: card.lead! }, T0 + 0.01);
  excel.onSync = undefined;
  expect(refused.ok).toBe(false);
  expect(excel.syncs - before).toBe(3);

  const snap = await port.read();
  expect(snap.customXml?.get(LOG_ANCHOR_NS)).toContain("<rows>");
  expect(verifyWorkbookLog(snap, readWorkbook(snap).model)).toEqual([]);

  await writeMonthEnd(port, DEMO_MONTH, T0);
  const sheet = excel.state.sheet(kpiSheetName(DEMO_MONTH))!;
  expect(sheet.dataBars).toHaveLength(1);
  expect(sheet.charts).toHaveLength(1);
  expect(sheet.charts[0].series).toHaveLength(1);
});
