/**
 * A setting changed from the pane ("只允许本人操作", issue 18) on the strict in-memory Excel: the
 * Settings row's Value and a record of who, when and which account in its Note (what the Note
 * held is kept), read back by the reader; a workbook without the row gets one; no Settings
 * table is a clear error in both languages.
 */
import { toSerial } from "../../src/core/calendar";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { demoChanges } from "../../src/workbook/demo";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import { emptyChangeSet, findTable } from "../../src/workbook/port";
import { readWorkbook } from "../../src/workbook/read";
import { yesNoSettingChange } from "../../src/workbook/setting-change";

const NOW = toSerial(2026, 11, 2, 10, 0);

async function demo(lang: "zh" | "en" = "zh"): Promise<{ excel: FakeExcel; wb: OfficeWorkbook }> {
  const excel = new FakeExcel();
  const wb = new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));
  await wb.read();
  await wb.write(demoChanges(lang));
  await wb.read();
  return { excel, wb };
}

test("turned on and off again: the Value as text, each change recorded before what the Note held; the reader follows", async () => {
  const { wb } = await demo();
  let snap = await wb.read();
  const t = findTable(snap, "Settings");
  const row = t ? t.rows.findIndex((r) => r[0] === "只允许本人操作") : -1;
  expect(row).toBeGreaterThanOrEqual(0);
  const note = emptyChangeSet();
  note.cells.push({ table: "Settings", row, col: 2, value: "中心会议决定", text: true });
  await wb.write(note);

  await wb.write(yesNoSettingChange(await wb.read(), "onlySelf", true, { actor: "林静", account: "lin.jing@example.com", now: NOW }));
  snap = await wb.read();
  expect(readWorkbook(snap).model.settings.onlySelf).toBe(true);
  expect(findTable(snap, "Settings")?.rows[row]).toEqual([
    "只允许本人操作",
    "是",
    "2026-11-02 10:00 林静 设为“是”（登录账号 lin.jing@example.com）；中心会议决定",
  ]);

  await wb.write(yesNoSettingChange(snap, "onlySelf", false, { actor: "王磊", now: NOW + 1 / 24 }));
  snap = await wb.read();
  expect(readWorkbook(snap).model.settings.onlySelf).toBe(false);
  expect(findTable(snap, "Settings")?.rows[row]?.[2]).toBe(
    "2026-11-02 11:00 王磊 设为“否”（无登录账号）；2026-11-02 10:00 林静 设为“是”（登录账号 lin.jing@example.com）；中心会议决定",
  );
});

test("a Settings table without the row gets one, in its header language; no Settings table is refused in both languages", async () => {
  const { wb } = await demo("en");
  let snap = await wb.read();
  const t = findTable(snap, "Settings");
  const row = t ? t.rows.findIndex((r) => r[0] === "Only the signed-in person may act") : -1;
  expect(row).toBeGreaterThanOrEqual(0);
  const del = emptyChangeSet();
  del.deleteRows.push({ table: "Settings", rows: [row] });
  await wb.write(del);
  snap = await wb.read();
  const rows = findTable(snap, "Settings")?.rows.length ?? 0;
  await wb.write(yesNoSettingChange(snap, "onlySelf", true, { actor: "Lin", account: "lin@example.com", now: NOW }));
  snap = await wb.read();
  expect(readWorkbook(snap).model.settings.onlySelf).toBe(true);
  expect(findTable(snap, "Settings")?.rows.at(-1)).toEqual([
    "Only the signed-in person may act",
    "Yes",
    "2026-11-02 10:00 set to Yes by Lin (signed in as lin@example.com)",
  ]);
  expect(findTable(snap, "Settings")?.rows.length).toBe(rows + 1);

  expect(() => yesNoSettingChange({ tables: new Map(), sheetNames: [] }, "onlySelf", true, { actor: "Lin", now: NOW })).toThrow(
    "找不到设置表：请先设置此工作簿 / no Settings table: set up this workbook first",
  );
});
