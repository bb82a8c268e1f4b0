/** The Office.js adapter over the in-memory Excel, and a demo workbook in it, for the workflow tests. */
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { demoChanges } from "../../src/workbook/demo";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";

/** This client's adapter on `excel`, or a co-author's (its writes arrive as remote changes). */
export const office = (excel: FakeExcel, remote = false) =>
  new OfficeWorkbook((remote ? excel.runAsCoauthor : excel.run).bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));

/** An in-memory Excel holding the Chinese demo workbook (tests fork it). */
export async function demoExcel(): Promise<FakeExcel> {
  const excel = new FakeExcel();
  const p = office(excel);
  await p.read();
  await p.write(demoChanges("zh"));
  return excel;
}
