/** Export to and load from .xlsx in the browser, through the same file engine as the command line. */
import { LOG_ANCHOR_NS, LOG_HEAD_NAME } from "../core/workflow/log";
import { emptyChangeSet, ChangeSet, Snapshot } from "../workbook/port";
import { TABLES, mapColumns } from "../workbook/schema";
import { formatsFor } from "../workbook/cells";
import { XlsxWorkbook } from "../workbook/xlsx";
import type { WorkbookState } from "./fake-excel/state";

/**
 * A table's dates, and its text columns kept as text: as the add-in writes them (cells.ts
 * `formatsFor`). Without the text format Excel reads a log Hash such as "9693847316521e09" as a
 * number, and the chain breaks.
 */
function formats(name: string, headers: string[]): { dateCols: number[]; textCols: number[] } {
  const def = TABLES.find((t) => t.name.toLowerCase() === name.toLowerCase());
  return def ? formatsFor(def, mapColumns(def, headers)) : { dateCols: [], textCols: [] };
}

/** A change set that recreates every table of `snapshot`, each on its sheet, dates formatted, with the log's anchor and hidden record (core/workflow/log.ts). */
function recreate(snapshot: Snapshot): ChangeSet {
  const changes = emptyChangeSet();
  for (const t of snapshot.tables.values())
    changes.newTables.push({ name: t.name, sheet: t.sheet, headers: t.headers, rows: t.rows, ...formats(t.name, t.headers) });
  const anchor = snapshot.customXml?.get(LOG_ANCHOR_NS);
  if (anchor !== undefined) changes.customXml = [{ namespace: LOG_ANCHOR_NS, xml: anchor }];
  const head = snapshot.logRecords?.head;
  if (head !== undefined) changes.names = [{ name: LOG_HEAD_NAME, text: head }];
  return changes;
}

/** Every table of the snapshot, each on its sheet, as an .xlsx file. */
export async function exportXlsx(snapshot: Snapshot): Promise<Blob> {
  const x = XlsxWorkbook.create();
  await x.read();
  await x.write(recreate(snapshot));
  return new Blob([await x.toBuffer()], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
}

/** The tables of an .xlsx file as a change set that recreates them in the in-memory workbook. */
export async function importXlsx(data: ArrayBuffer, name: string): Promise<ChangeSet> {
  const x = await XlsxWorkbook.fromBuffer(data, name);
  return recreate(await x.read());
}

/**
 * After a file was loaded into the in-memory Excel: every table column whose rows all hold one
 * formula becomes a calculated column (the fake's `refreshCalculated`), so rows added later
 * get it, as Excel fills a loaded file's calculated columns.
 */
export function refreshCalculated(state: WorkbookState): void {
  for (const t of state.tables)
    state.refreshCalculated(
      t.sheet,
      Array.from({ length: t.right - t.left + 1 }, (_, i) => t.left + i),
    );
}
