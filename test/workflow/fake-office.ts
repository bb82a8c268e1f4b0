/**
 * The workflow tests' one set-up: the Office.js adapter over the in-memory Excel, a demo
 * workbook in it, the tests' "now" and a request as the secretary types it.
 */
import { toSerial } from "../../src/core/calendar";
import { FakeExcel } from "../../src/workbench/fake-excel/api";
import { verifyWorkbookLog } from "../../src/workbook/actions";
import { demoChanges } from "../../src/workbook/demo";
import { ExcelRun, OfficeWorkbook } from "../../src/workbook/office";
import { ReadResult, readWorkbook } from "../../src/workbook/read";
import { bigRegister } from "../../src/workbench/big";

/** This client's adapter on `excel`, or a co-author's (its writes arrive as remote changes). */
export const office = (excel: FakeExcel, remote = false) =>
  new OfficeWorkbook((remote ? excel.runAsCoauthor : excel.run).bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));

/** An in-memory Excel holding the Chinese demo workbook (tests fork it). */
export async function demoExcel(excel = new FakeExcel()): Promise<FakeExcel> {
  const p = office(excel);
  await p.read();
  await p.write(demoChanges("zh"));
  return excel;
}

/** The property tests' two workbooks, read: the demo, and the demo with a register of 60 more cards. */
export async function seedWorkbooks(): Promise<ReadResult[]> {
  const small = readWorkbook(await office(await demoExcel()).read());
  const big = office(await demoExcel());
  await big.read();
  await big.write(bigRegister(60));
  return [small, readWorkbook(await big.read())];
}

/** Monday 2 November 2026, 10:00 (wall clock): the tests' "now". */
export const T0 = toSerial(2026, 11, 2, 10, 0);

/** A new request as the secretary types it (AE 张伟, received at 09:30 on T0's day). */
export const REQUEST = {
  project: "新品发布",
  client: "青禾乳业",
  key: false,
  intake: "AE" as const,
  initiator: "张伟",
  ae: "张伟",
  received: toSerial(2026, 11, 2, 9, 30),
};

/** The Countersign Log's breaks, as `check` and the pane's 问题 list find them on a fresh read. */
export async function logBreaks(excel: FakeExcel): Promise<ReturnType<typeof verifyWorkbookLog>> {
  const snap = await office(excel).read();
  return verifyWorkbookLog(snap, readWorkbook(snap).model);
}

const panes = new WeakMap<FakeExcel, OfficeWorkbook>();
const coauthorPanes = new WeakMap<FakeExcel, OfficeWorkbook>();
/** The one adapter a client's pane keeps for its lifetime on `excel` (a co-author's with `remote`). */
export function pane(excel: FakeExcel, remote = false): OfficeWorkbook {
  const cache = remote ? coauthorPanes : panes;
  const kept = cache.get(excel);
  if (kept) return kept;
  const made = office(excel, remote);
  cache.set(excel, made);
  return made;
}
