/**
 * The .xlsx adapter: the workbook port over the bytes of a file, for the command line, the
 * tests and the workbench (one engine for all three; it does no I/O of its own: the command
 * line reads and writes files only through cli/safe-file, the tests and the bench through
 * test/helpers/xlsx-file.ts).
 *
 * It works on the package's parts (src/workbook/file/): a part it does not change is written
 * back as the very bytes it was read from, so pivot tables, charts, drawings, external
 * links, controls, macros, custom properties and whatever else another program put there
 * stay as they were. A worksheet it writes changes only in the cells of the change set (and
 * its dimension, table parts and the data bar it owns); new sheets and tables come with their
 * own parts, relationships and content types; shared strings are appended, never renumbered;
 * workbook.xml only ever gains a `<sheet>` and the log's hidden name (`_PlanningDesk_LogHead`,
 * file/names.ts): every other defined name, LAMBDA included, stays.
 *
 * Libraries: fflate for deflate (small, fast, no dependencies, works in the browser); the zip
 * container and the XML splicing are written by hand, see file/zip.ts and file/xml.ts for why.
 * ExcelJS, used before, re-created the whole file and lost what it did not model.
 */
import { ChangeSet, RawTable, Snapshot, WorkbookPort } from "./port";
import { LOG_HEAD_NAME, LogRecords } from "../core/workflow/log";
import { setTextName, textName } from "./file/names";
import { attr, elements } from "./file/xml";
import { PackageError } from "./file/limits";
import { PartRegistry, TableEntry } from "./file/registry";
import { emptyRegistry, openRegistry } from "./file/open";
import { appendColumns, calculatedColumn, newTable } from "./file/table-edits";
import { calculateOnLoad, setCustomXml } from "./file/workbook-edits";
import { refused, strictRefusal, unreadable } from "./file/workbook-error";
import { planWrite } from "./write-plan";

// What the rest of the project imports from here.
export { WorkbookFileError, WORKBOOK_EXTENSIONS, checkExtension, strictRefusal } from "./file/workbook-error";
export { rootNamespace } from "./file/registry";

export class XlsxWorkbook implements WorkbookPort {
  private constructor(private readonly reg: PartRegistry) {}

  get fileName(): string {
    return this.reg.fileName;
  }

  /** Whether the file is Strict Open XML (ISO/IEC 29500 Strict): read, never written. */
  get strictOpenXml(): boolean {
    return this.reg.strict;
  }

  /** Whether the workbook's structure is protected (no sheet can be added). */
  get structureProtected(): boolean {
    return this.reg.structureProtected;
  }

  /** A new, empty workbook: the parts every workbook has, and no sheet yet (a change set adds them). */
  static create(): XlsxWorkbook {
    return new XlsxWorkbook(emptyRegistry());
  }

  /** A workbook from a file's bytes. Throws WorkbookFileError, in both languages, when it is not one. */
  static async fromBytes(data: Uint8Array, name = "workbook.xlsx"): Promise<XlsxWorkbook> {
    return new XlsxWorkbook(openRegistry(data, name));
  }

  /** The workbench's "load .xlsx". */
  static async fromBuffer(data: ArrayBuffer, name = "workbook.xlsx"): Promise<XlsxWorkbook> {
    return new XlsxWorkbook(openRegistry(new Uint8Array(data), name));
  }

  /** The workbook's bytes as an .xlsx (or .xlsm) file. */
  async toBytes(): Promise<Uint8Array> {
    return this.reg.toBytes();
  }

  async toBuffer(): Promise<ArrayBuffer> {
    const b = this.reg.toBytes();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  // ---- reading

  /** A table as the port reads it: headers, data body, and the formulas saved without a value. */
  private rawTable(t: TableEntry): RawTable {
    const sheet = this.reg.sheetOf(t.sheet);
    const bodyTop = t.top + t.headerRows;
    const bodyBottom = t.bottom - t.totalsRows;
    const grid = sheet.read(t.top, t.left, Math.max(bodyBottom, t.top), t.right);
    const headerRow = t.headerRows ? grid.rows[0] : [];
    const headers = t.columns.map((c, i) => {
      const h = headerRow[i];
      return h === null || h === undefined || h === "" ? c : String(h);
    });
    const raw: RawTable = {
      name: t.name,
      sheet: t.sheet.name,
      headers,
      rows: grid.rows.slice(t.headerRows, bodyBottom - t.top + 1),
      top: bodyTop - 1,
      left: t.left,
    };
    const uncached = grid.uncached.filter((u) => u.row >= t.headerRows).map((u) => ({ ...u, row: u.row - t.headerRows }));
    if (uncached.length) raw.uncached = uncached;
    // Cells (or rows) the sheet holds but that could not be read: findings, their rows left out.
    const unreadable = sheet
      .problems(bodyTop, bodyBottom, t.left, t.right)
      .map((p) => ({ row: p.row - bodyTop, col: p.col < 0 ? 0 : p.col - t.left, zh: p.zh, en: p.en }));
    if (unreadable.length) raw.unreadable = unreadable;
    return raw;
  }

  async read(): Promise<Snapshot> {
    try {
      return this.readAll();
    } catch (e) {
      if (e instanceof PackageError) throw unreadable(this.fileName, e);
      throw e;
    }
  }

  private readAll(): Snapshot {
    if (this.reg.dirty) this.reg.flush();
    const tables = new Map<string, RawTable>();
    for (const t of this.reg.tablesList) tables.set(t.name, this.rawTable(t));
    const customXml = new Map<string, string>();
    for (const [ns, part] of this.reg.custom) customXml.set(ns, this.reg.pkg.text(part) ?? "");
    const wb = this.reg.pkg.cachedText(this.reg.workbookPart) ?? "";
    const names = [...elements(wb, "definedName")]
      .filter((t) => attr(t.text, "localSheetId") === undefined)
      .map((t) => attr(t.text, "name") ?? "");
    const logRecords: LogRecords = {
      anchors: this.reg.anchorParts.anchors.map((part) => ({ where: part, xml: this.reg.pkg.text(part) ?? "" })),
      lookalikes: this.reg.anchorParts.lookalikes,
      head: textName(wb, LOG_HEAD_NAME),
    };
    return { tables, sheetNames: this.reg.sheets.map((s) => s.name), customXml, names, logRecords };
  }

  /**
   * Executes the write plan (write-plan.ts) on the parts. The plan is made from the tables the
   * change set names as they are now, and from the tables' calculated columns (their
   * `calculatedColumnFormula`) as the formula columns. Guards need no check here: the command
   * line holds the file under its lock (cli/safe-file) from its read to its write. Where the
   * plan's appended rows go below the table, those cells must be free, else the write is
   * refused; the table's own trailing blank rows are blank by the plan's rule.
   */
  async write(changes: ChangeSet): Promise<void> {
    try {
      this.writeAll(changes);
    } catch (e) {
      if (e instanceof PackageError) throw unreadable(this.fileName, e, 1);
      throw e;
    }
  }

  private writeAll(changes: ChangeSet): void {
    if (
      this.reg.strict &&
      (changes.cells.length || changes.appends.length || changes.newTables.length || changes.addColumns.length || changes.deleteRows.length)
    )
      throw strictRefusal(this.fileName);
    if (this.reg.dirty) this.reg.flush();
    const named = new Set(
      [
        ...changes.addColumns,
        ...changes.cells,
        ...changes.deleteRows,
        ...changes.appends,
        ...(changes.calculatedColumns ?? []),
        ...(changes.guards ?? []),
      ].map((c) => c.table.toLowerCase()),
    );
    const entries = new Map<RawTable, TableEntry>();
    const tables = new Map<string, RawTable>();
    for (const t of this.reg.tablesList) {
      if (!named.has(t.name.toLowerCase())) continue;
      const raw = this.rawTable(t);
      tables.set(t.name, raw);
      entries.set(raw, t);
    }
    const entryOf = (raw: RawTable): TableEntry => entries.get(raw) ?? this.reg.table(raw.name);
    for (const name of named) if (![...tables.keys()].some((k) => k.toLowerCase() === name)) this.reg.table(name); // refused: no such table
    const plan = planWrite({ tables, sheetNames: this.reg.sheets.map((s) => s.name) }, changes, (raw) => {
      const t = entryOf(raw);
      return new Set(t.calculated.flatMap((f, i) => (f === undefined ? [] : [i])));
    });
    this.reg.dirty = true;
    const rowsBefore = new Map(this.reg.tablesList.map((t) => [t, t.top + t.headerRows]));

    for (const add of plan.addColumns) appendColumns(this.reg, entryOf(add.table), add.headers);

    for (const cell of plan.cells) {
      const t = entryOf(cell.table);
      const sheet = this.reg.writable(t.sheet);
      const r = (rowsBefore.get(t) ?? t.top + t.headerRows) + cell.row;
      this.reg.put(sheet, r, t.left + cell.col, cell.value, cell.format ?? "General");
    }

    for (const del of plan.deletes) {
      const t = entryOf(del.table);
      const sheet = this.reg.writable(t.sheet);
      const bodyTop = t.top + t.headerRows;
      const bodyBottom = t.bottom - t.totalsRows;
      const gone = new Set(del.rows);
      const kept: number[] = [];
      for (let r = bodyTop; r <= bodyBottom; r++) if (!gone.has(r - bodyTop)) kept.push(r);
      if (t.totalsRows && kept.length !== bodyBottom - bodyTop + 1)
        throw refused(
          `表格 ${t.name} 有汇总行：请先在 Excel 中关闭“汇总行”再运行`,
          `table ${t.name} has a total row: turn Total Row off in Excel, then run again`,
        );
      try {
        kept.forEach((from, i) => {
          if (from !== bodyTop + i) for (let c = t.left; c <= t.right; c++) sheet.move(from, bodyTop + i, c);
        });
      } catch (e) {
        throw refused(
          `表格 ${t.name} 中有共享公式，无法移动其行：${(e as Error).message}`,
          `table ${t.name} holds a shared formula, its rows cannot be moved: ${(e as Error).message}`,
        );
      }
      for (let r = bodyTop + kept.length; r <= bodyBottom; r++) for (let c = t.left; c <= t.right; c++) sheet.clear(r, c);
      t.bottom = Math.max(bodyTop, bodyTop + kept.length - 1);
      this.reg.setTableRef(t);
    }

    for (const app of plan.appends) {
      const t = entryOf(app.table);
      const sheet = this.reg.writable(t.sheet);
      if (t.totalsRows)
        throw refused(
          `表格 ${t.name} 有汇总行，无法在其下方追加：请先在 Excel 中关闭“汇总行”`,
          `table ${t.name} has a total row, rows cannot be added below it: turn Total Row off in Excel first`,
        );
      const bodyTop = t.top + t.headerRows;
      const first = bodyTop + app.at;
      for (const b of app.mustBeBlank)
        for (let r = bodyTop + b.row; r < bodyTop + b.row + b.rows; r++)
          for (let c = t.left + b.col; c < t.left + b.col + b.cols; c++)
            if (r > t.bottom && !sheet.isEmpty(r, c))
              throw refused(
                `表格 ${t.name} 下方的 ${this.reg.describeCell(t, r, c)} 已有内容，无法追加行：请先移开`,
                `${this.reg.describeCell(t, r, c)} below table ${t.name} is in use, rows cannot be added: move it first`,
              );
      const inherit = app.at > 0 ? first - 1 : undefined;
      const left = new Set(app.leftToCalculated);
      app.rows.forEach((row, i) => {
        for (let c = 0; c < app.width; c++) {
          // A calculated column fills itself into new rows, as in Excel (its value: when Excel calculates).
          const f = t.calculated[c];
          if (left.has(c)) {
            if (f !== undefined)
              sheet.setFormula(first + i, t.left + c, f, null, this.reg.styleFor(sheet, first + i, t.left + c, "General", inherit));
          } else this.reg.put(sheet, first + i, t.left + c, row[c] ?? null, app.formats[c], inherit, true);
        }
      });
      if (t.calculated.some((f) => f !== undefined)) calculateOnLoad(this.reg);
      t.bottom = Math.max(t.bottom, bodyTop + app.bodyAfter - 1);
      this.reg.setTableRef(t);
    }

    for (const { nt } of plan.newTables) newTable(this.reg, nt);
    for (const cp of plan.calculated) {
      const idx = calculatedColumn(this.reg, cp.cc);
      if (idx !== cp.col)
        throw new Error(
          `计算列“${cp.cc.header}”落在第 ${idx + 1} 列，而不是计划的第 ${cp.col + 1} 列 / calculated column ${cp.cc.header} landed in column ${idx + 1}, not the planned ${cp.col + 1}`,
        );
    }
    for (const c of changes.customXml ?? []) setCustomXml(this.reg, c.namespace, c.xml);
    for (const n of changes.names ?? [])
      this.reg.pkg.setText(this.reg.workbookPart, setTextName(this.reg.pkg.text(this.reg.workbookPart) ?? "", n.name, n.text));
  }
}
