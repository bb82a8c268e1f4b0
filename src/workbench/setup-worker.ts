/**
 * The workbench's big Register (`cards=`), written in a worker. In Excel the workbook lives in
 * another process: a pane opens on a page whose memory holds only what the pane made. Written
 * in the page itself, the 5,040 rows left the page's collector tens of megabytes to sweep during
 * the pane's first render, a cost no pane in Excel pays. So a worker writes them, through the same
 * add-in write path (the Office.js adapter over its own in-memory Excel), posts the workbook's
 * contents (WorkbookImage, a structured clone) and is closed; the page takes them as they are.
 */
import { FakeExcel } from "./fake-excel/api";
import type { WorkbookImage } from "./fake-excel/state";
import { ExcelRun, OfficeWorkbook } from "../workbook/office";
import { demoChanges } from "../workbook/demo";
import { bigRegister } from "./big";

/** What the page asks: the demo's rows in its language, then `cards` more cards. */
export interface SetupRequest {
  lang: "zh" | "en";
  cards: number;
}
export type SetupReply = { image: WorkbookImage } | { error: string };

/** The dedicated worker's own scope (this file is its entry; the DOM typings describe a window). */
interface WorkerScope {
  onmessage: ((e: MessageEvent<SetupRequest>) => void) | null;
  postMessage(message: SetupReply): void;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (e) => {
  void (async () => {
    try {
      const excel = new FakeExcel();
      const office = new OfficeWorkbook(excel.run.bind(excel) as unknown as ExcelRun, (n, v) => excel.isSetSupported(n, v));
      await office.read();
      await office.write(demoChanges(e.data.lang));
      await office.read();
      await office.write(bigRegister(e.data.cards));
      scope.postMessage({ image: excel.state.image() });
    } catch (err) {
      scope.postMessage({ error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
  })();
};
