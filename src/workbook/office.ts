/**
 * The Office.js adapter: one `context.sync()` to read every table, one to write a change
 * set, whatever the number of rows; one more only to put things back after a conflict.
 *
 * Reading asks for the contract's tables by name in one batch, with the custom XML part that
 * anchors the Countersign Log (core/workflow/log.ts). The first read of an adapter lists the
 * anchor parts' ids (their XML, when there are some, in one more batch); once it has seen
 * exactly one, later reads fetch it in the same batch (`getOnlyItem().getXml()`), so a pane's
 * reads after its first are one round trip. When a table is missing (a workbook not set up, or
 * a table deleted) or the anchor is no longer there exactly once, the batch fails; the adapter
 * then lists the workbook's tables and anchor parts once and reads again. The same batch loads
 * the log's hidden record (the name `_PlanningDesk_LogHead`, `getItemOrNullObject`, ExcelApi 1.4)
 * and every custom XML part's namespace (one that looks like the anchor's is reported; only the
 * namespace is compared here, the file engine also looks at the part's text).
 *
 * Size (issue 18; Excel on the web refuses requests and responses over 5 MB): the first read
 * takes each table's first rows, the rest in slices of about 3 MB. The adapter keeps what it
 * read: later reads ask for every table whole in the first batch when they fit (sized by the last
 * read), and for the Countersign Log only its rows from the last one the adapter had on
 * (office-read-slices.ts): that row must still hold what it held, under the same header, and the
 * log must not be shorter, else the log is read whole again (a co-author deleted, inserted,
 * sorted or edited rows). So an action on a big workbook is one read and one write. An edit
 * inside the rows read before is only seen by a read with `{ full: true }`. A write too big for
 * one request is sent again in slices (office-write-slices.ts).
 *
 * Writing: every write hits the row it means, or nothing stays written. Where each write lands,
 * which cells are left to calculated columns and which rows must still hold what was read is the
 * write plan's (write-plan.ts, shared with the .xlsx adapter); this adapter executes it.
 * - Rows are addressed from the table's header cell as the batch runs
 *   (`table.getHeaderRowRange().getCell(0, 0).getOffsetRange(…)`, ExcelApi 1.1), never by
 *   sheet name and position, so rows inserted or deleted above the table and a renamed sheet
 *   do not move the target.
 * - In the same batch, before anything is written, it loads the table's header row, every row
 *   it writes to or relies on (the card's Register row, the revision a relay stamps, the last
 *   log row an append chains from) and the cells an append fills. After the sync they are
 *   compared with the snapshot the decision was made on: a header renamed or moved, a row
 *   sorted, swapped, inserted or deleted, a co-author's append: a conflict.
 * - On a conflict a second batch puts back exactly what was there, cell by cell: numbers and
 *   dates as values, text as text (written into a cell formatted "@", then the cell's own
 *   format restored), formulas through `formulas` only where the cell held a real formula
 *   (its formula differs from its value). Nothing the add-in reads back ever becomes a formula.
 * - Appends to the log replace the anchor part in the same batch; the part the read saw is
 *   deleted by id first, which fails the whole batch, before any cell is written, when another
 *   client appended (and so replaced it) since our read: two secretaries issuing at once never
 *   both write. Then the hidden name is replaced (deleted by name if the read saw it, added with
 *   `visible = false`), still before any cell; a roll-back puts it back. Should the name have been
 *   deleted by hand between our read and our write, the batch fails there, after the anchor part
 *   was deleted: the action is refused, and the next one writes both records again.
 * Appends are range writes below the table, which Excel grows over them (Microsoft's
 * co-authoring guidance: no `TableRowCollection.add`,
 * https://learn.microsoft.com/office/dev/add-ins/excel/co-authoring-in-excel-add-ins);
 * `table.resize` confirms the new size where ExcelApi 1.13 is supported. Text is written so
 * that it never runs as a formula: a leading =, +, -, @ or ' is kept as typed with Excel's
 * text prefix.
 *
 * Calculated columns (`ChangeSet.calculatedColumns`, the Register's deadline columns) are
 * written in the same batch: an existing column (found by its header) gets its formula in every
 * data row, a new one is added at the table's end with it (see writeCalculated for Microsoft's
 * pages); Excel then fills them into every new row by itself, so appends leave the cells of
 * formula columns to Excel (the columns whose last data row holds a formula at the read, unless
 * the appended rows bring a value there), and the rows a write relies on are compared without
 * them (Excel recalculates them: PLAN.OVERDUE is volatile). Their highlights are custom
 * conditional formats; a read with `{ conditionalFormats: [table] }` lists the table's, so the
 * write deletes the add-in's own previous ones by id (highlightColumn) and nothing else. The
 * whole header row is compared: a column inserted, renamed or added meanwhile is a conflict, and
 * the roll-back deletes the columns and highlights added and puts the formulas back (the
 * add-in's previous highlights, deleted, are reported as `unrestored`).
 *
 * Limits: a batch runs on this client's copy of the workbook; co-authoring merges it with
 * others' changes afterwards, so two clients acting within the same merge window are only as
 * safe as that merge. Between our write and our roll-back (one round trip) a co-author's
 * structural edit could still move the rows we put back; the roll-back then reports the cells
 * it could not confirm (`unrestored`).
 */
/*
 * Rooms: office-session.ts (what is kept between a read and a write), office-read.ts (reading),
 * office-write.ts (the write's batch), office-write-slices.ts (writes over the payload limit in slices), office-conflicts.ts (conflicts and the roll-back),
 * office-highlights.ts (calculated columns and their highlights), office-cells.ts (cell helpers).
 */
import { ChangeSet, Snapshot, WorkbookPort } from "./port";
import { INCREMENTAL_FROM, read } from "./office-read";
import { ExcelRun, OfficeSession, ReadOptions } from "./office-session";
import { WriteResult } from "./office-cells";
import { writeSliced } from "./office-write-slices";

export { DATE_FORMAT } from "./port";
export { asCellValue, restorePlan, sameInEveryRow } from "./office-cells";
export type { WriteResult } from "./office-cells";
export { highlightColumn } from "./office-highlights";
export { FIRST_ROWS, SLICE_BYTES } from "./office-read";
export { XML_NAMESPACES } from "./office-session";
export type { ExcelRun, ReadOptions } from "./office-session";

export class OfficeWorkbook implements WorkbookPort {
  private readonly s: OfficeSession;

  constructor(
    private readonly run: ExcelRun,
    isSetSupported: (name: string, version: string) => boolean = (n, v) => Office.context.requirements.isSetSupported(n, v),
    options: { incrementalFrom?: number } = {},
  ) {
    this.s = new OfficeSession(run, isSetSupported, options.incrementalFrom ?? INCREMENTAL_FROM);
  }

  /**
   * Reads every table of the contract (one round trip), the workbook's names, and the columns
   * holding formulas (their last data row, loaded with the tables): appends leave those cells to
   * Excel, which fills calculated columns into new rows by itself. With
   * `opts.conditionalFormats`, those tables' custom conditional formats too, in the same batch.
   */
  read(opts: ReadOptions = {}): Promise<Snapshot> {
    return read(this.s, opts);
  }

  write(changes: ChangeSet): Promise<WriteResult> {
    return writeSliced(this.s, changes);
  }

  /** Adds workbook-level names (the short formula names); existing names are left alone. One read, one write. */
  async addNames(defs: { name: string; formula: string; comment: string }[]): Promise<{ added: string[]; kept: string[] }> {
    const present = await this.run(async (context) => {
      const names = context.workbook.names.load("items/name");
      await context.sync();
      return new Set(names.items.map((n) => n.name.toLowerCase()));
    });
    const added = defs.filter((d) => !present.has(d.name.toLowerCase()));
    if (added.length)
      await this.run(async (context) => {
        for (const d of added) context.workbook.names.add(d.name, d.formula, d.comment);
        await context.sync();
      });
    return { added: added.map((d) => d.name), kept: defs.filter((d) => present.has(d.name.toLowerCase())).map((d) => d.name) };
  }
}
