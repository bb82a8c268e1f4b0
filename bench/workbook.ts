/** Issue 3's figure: validating a 10,000-card, 30,000-log workbook (reading it is bench/files.ts). */
import fs from "fs";
import os from "os";
import path from "path";
import { emptyChangeSet } from "../src/workbook/port";
import { readWorkbook } from "../src/workbook/read";
import { setupChanges } from "../src/workbook/setup";
import { XlsxWorkbook } from "../src/workbook/xlsx";
import { sampleCards, sampleLog } from "../test/workbook/helpers";
import { bestOf, openXlsx, record, saveXlsx } from "./util";

export async function benchWorkbook(): Promise<void> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pd-bench-")), "big.xlsx");
  const wb = XlsxWorkbook.create();
  await wb.write(setupChanges(await wb.read(), "zh"));
  const c = emptyChangeSet();
  c.appends.push({ table: "Register", rows: sampleCards(10_000), dateCols: [11, 12, 13] });
  c.appends.push({ table: "CountersignLog", rows: sampleLog(30_000), dateCols: [0] });
  await wb.write(c);
  await saveXlsx(wb, file);

  const snapshot = await (await openXlsx(file)).read();
  const validateMs = bestOf(5, () => readWorkbook(snapshot));
  record("validate that workbook (rows → records + findings)", `${validateMs.toFixed(0)} ms`, "< 300 ms", validateMs < 300);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
