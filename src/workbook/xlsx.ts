/**
 * The .xlsx adapter (ExcelJS): the same port over a file, for the command line and tests.
 * It changes only the cells of the change set and keeps everything it does not own: other
 * sheets, user columns, styles, formulas, defined names. Saving writes a temporary file
 * beside the target and renames it, so a crash never leaves half a workbook.
 */
import fs from "fs";
import path from "path";
import ExcelJS from "exceljs";
import { CellValue, ChangeSet, RawTable, Snapshot, WorkbookPort, columnLetter, findTable, formatOf, parseRangeRef } from "./port";
import { DATE_FORMAT } from "./port";

/** A file that cannot be used as a workbook: missing, unreadable, or not .xlsx. */
export class WorkbookFileError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

const MS_PER_DAY = 86400000;
const UNIX_EPOCH_SERIAL = 25569;

/** ExcelJS reads date-formatted cells as Dates whose UTC fields are the wall clock. */
const dateToSerial = (d: Date): number => Math.round((d.getTime() / MS_PER_DAY + UNIX_EPOCH_SERIAL) * 86400000) / 86400000;

function toCellValue(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof Date) return dateToSerial(v);
  if (typeof v === "object") {
    if ("result" in v) return toCellValue((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ("richText" in v) return (v as ExcelJS.CellRichTextValue).richText.map((t) => t.text).join("");
    if ("text" in v) return String((v as { text: unknown }).text);
    if ("error" in v) return String((v as ExcelJS.CellErrorValue).error);
  }
  return String(v);
}

function parseRef(ref: string): { top: number; left: number; bottom: number; right: number } {
  const bounds = parseRangeRef(ref);
  if (!bounds) throw new Error(`bad table reference ${ref}`);
  return bounds;
}

const refOf = (top: number, left: number, bottom: number, right: number) => `${columnLetter(left)}${top + 1}:${columnLetter(right)}${bottom + 1}`;

interface TableModel {
  name: string;
  tableRef?: string;
  ref?: string;
  columns: { name: string; filterButton?: boolean }[];
}

export class XlsxWorkbook implements WorkbookPort {
  private constructor(
    readonly workbook: ExcelJS.Workbook,
    private filePath?: string,
  ) {}

  /** A new, empty workbook (saved with `save(path)`). */
  static create(): XlsxWorkbook {
    const wb = new ExcelJS.Workbook();
    wb.creator = "Planning Desk";
    return new XlsxWorkbook(wb);
  }

  static async open(file: string): Promise<XlsxWorkbook> {
    if (!fs.existsSync(file)) throw new WorkbookFileError(`找不到文件：${file}`, `no such file: ${file}`);
    if (fs.statSync(file).isDirectory()) throw new WorkbookFileError(`这是一个文件夹，不是 .xlsx 文件：${file}`, `a folder, not an .xlsx file: ${file}`);
    if (path.extname(file).toLowerCase() !== ".xlsx") throw new WorkbookFileError(`只支持 .xlsx 文件：${file}`, `only .xlsx files are supported: ${file}`);
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.readFile(file);
    } catch (e) {
      throw new WorkbookFileError(`无法读取 ${file}：不是有效的 .xlsx 工作簿（${(e as Error).message}）`, `cannot read ${file}: not a valid .xlsx workbook (${(e as Error).message})`);
    }
    return new XlsxWorkbook(wb, file);
  }

  /** A workbook from the bytes of an .xlsx file (the workbench's "load .xlsx"). */
  static async fromBuffer(data: ArrayBuffer, name = "workbook.xlsx"): Promise<XlsxWorkbook> {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(data);
    } catch (e) {
      throw new WorkbookFileError(`无法读取 ${name}：不是有效的 .xlsx 工作簿（${(e as Error).message}）`, `cannot read ${name}: not a valid .xlsx workbook (${(e as Error).message})`);
    }
    return new XlsxWorkbook(wb);
  }

  /** A workbook from a file's bytes (the command line reads the file itself, see cli/safe-file). */
  static async fromBytes(data: Uint8Array, name = "workbook.xlsx"): Promise<XlsxWorkbook> {
    return XlsxWorkbook.fromBuffer(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer, name);
  }

  /** The file's new bytes. */
  async toBytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.toBuffer());
  }

  /** The bytes of the workbook as an .xlsx file (the workbench's "export to .xlsx"). */
  async toBuffer(): Promise<ArrayBuffer> {
    return (await this.workbook.xlsx.writeBuffer()) as ArrayBuffer;
  }

  private tables(): { ws: ExcelJS.Worksheet; model: TableModel }[] {
    const out: { ws: ExcelJS.Worksheet; model: TableModel }[] = [];
    for (const ws of this.workbook.worksheets) {
      for (const t of ws.getTables() as unknown as ({ table: TableModel } | [{ table: TableModel }])[]) {
        const table = Array.isArray(t) ? t[0] : t;
        out.push({ ws, model: table.table });
      }
    }
    return out;
  }

  private bounds(model: TableModel) {
    return parseRef(model.tableRef ?? model.ref ?? "A1");
  }

  async read(): Promise<Snapshot> {
    const tables = new Map<string, RawTable>();
    for (const { ws, model } of this.tables()) {
      const b = this.bounds(model);
      const grid: CellValue[][] = [];
      for (let r = b.top; r <= b.bottom; r++) {
        const row = ws.getRow(r + 1);
        const line: CellValue[] = [];
        for (let c = b.left; c <= b.right; c++) line.push(toCellValue(row.getCell(c + 1).value));
        grid.push(line);
      }
      tables.set(model.name, {
        name: model.name,
        sheet: ws.name,
        headers: grid[0].map((h, i) => (h === null ? (model.columns[i]?.name ?? "") : String(h))),
        rows: grid.slice(1),
        top: b.top,
        left: b.left,
      });
    }
    return { tables, sheetNames: this.workbook.worksheets.map((w) => w.name) };
  }

  private find(name: string): { ws: ExcelJS.Worksheet; model: TableModel } {
    const hit = this.tables().find((t) => t.model.name.toLowerCase() === name.toLowerCase());
    if (!hit) throw new Error(`no table ${name}`);
    return hit;
  }

  private setCell(ws: ExcelJS.Worksheet, row: number, col: number, value: CellValue, format = "General"): void {
    const cell = ws.getCell(row + 1, col + 1);
    cell.value = value === null ? null : value; // strings stay strings: ExcelJS never turns text into a formula
    if (format !== "General") cell.numFmt = format;
  }

  async write(changes: ChangeSet): Promise<void> {
    for (const add of changes.addColumns) {
      const { ws, model } = this.find(add.table);
      const b = this.bounds(model);
      add.headers.forEach((h, i) => {
        ws.getCell(b.top + 1, b.right + 2 + i).value = h;
        model.columns.push({ name: h, filterButton: model.columns[0]?.filterButton });
      });
      model.tableRef = refOf(b.top, b.left, b.bottom, b.right + add.headers.length);
    }
    const snap = await this.read();
    for (const cell of changes.cells) {
      const raw = findTable(snap, cell.table);
      if (!raw) throw new Error(`no table ${cell.table}`);
      this.setCell(this.find(cell.table).ws, raw.top + 1 + cell.row, raw.left + cell.col, cell.value, cell.date && typeof cell.value === "number" ? DATE_FORMAT : "General");
    }
    for (const del of changes.deleteRows) {
      const { ws, model } = this.find(del.table);
      const b = this.bounds(model);
      const rows = [...new Set(del.rows)].sort((a, c) => c - a);
      for (const r of rows) {
        // Shift the table's cells up by one row, within the table's columns only.
        for (let row = b.top + 1 + r; row < b.bottom; row++) {
          for (let c = b.left; c <= b.right; c++) {
            const below = ws.getCell(row + 2, c + 1);
            const here = ws.getCell(row + 1, c + 1);
            here.value = below.value;
            here.numFmt = below.numFmt;
          }
        }
        for (let c = b.left; c <= b.right; c++) ws.getCell(b.bottom + 1, c + 1).value = null;
        b.bottom--;
      }
      model.tableRef = refOf(b.top, b.left, Math.max(b.bottom, b.top + 1), b.right);
    }
    for (const app of changes.appends) {
      if (!app.rows.length) continue;
      const { ws, model } = this.find(app.table);
      const b = this.bounds(model);
      let filled = b.bottom; // last non-blank data row
      const blank = (r: number) => {
        for (let c = b.left; c <= b.right; c++) {
          const v = ws.getCell(r + 1, c + 1).value;
          if (v !== null && v !== undefined && v !== "") return false;
        }
        return true;
      };
      while (filled > b.top && blank(filled)) filled--;
      app.rows.forEach((row, i) => {
        for (let c = 0; c <= b.right - b.left; c++) this.setCell(ws, filled + 1 + i, b.left + c, row[c] ?? null, formatOf(app, c));
      });
      model.tableRef = refOf(b.top, b.left, Math.max(b.bottom, filled + app.rows.length), b.right);
    }
    for (const nt of changes.newTables) {
      const existing = this.workbook.getWorksheet(nt.sheet);
      if (existing && nt.replaceSheet) this.workbook.removeWorksheet(existing.id);
      const ws = existing && !nt.replaceSheet ? existing : this.workbook.addWorksheet(nt.sheet);
      const rows = nt.rows.length ? nt.rows : [nt.headers.map(() => null)];
      ws.addTable({
        name: nt.name,
        ref: "A1",
        headerRow: true,
        style: { theme: "TableStyleMedium2", showRowStripes: true },
        columns: nt.headers.map((h) => ({ name: h, filterButton: true })),
        rows: rows.map((r) => r.map((v) => (v === null ? "" : v))),
      });
      rows.forEach((r, i) =>
        r.forEach((v, c) => {
          if (v === null) ws.getCell(i + 2, c + 1).value = null;
          const format = formatOf(nt, c);
          if (format !== "General" && v !== null) ws.getCell(i + 2, c + 1).numFmt = format;
        }),
      );
      nt.headers.forEach((h, c) => (ws.getColumn(c + 1).width = Math.max(10, Math.min(40, String(h).length * 2 + 4))));
      if (nt.dataBarCol !== undefined && nt.rows.length) {
        const col = columnLetter(nt.dataBarCol);
        ws.addConditionalFormatting({
          ref: `${col}2:${col}${nt.rows.length + 1}`,
          rules: [{ type: "dataBar", priority: 1, cfvo: [{ type: "min" }, { type: "max" }], color: { argb: "FF0078D4" } } as unknown as ExcelJS.ConditionalFormattingRule],
        });
      }
    }
  }

  /** Saves to `file` (default: the file it was opened from) through a temporary file and a rename. */
  async save(file?: string): Promise<void> {
    const target = file ?? this.filePath;
    if (!target) throw new Error("no file to save to");
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
    try {
      await this.workbook.xlsx.writeFile(tmp);
      fs.renameSync(tmp, target);
    } finally {
      if (fs.existsSync(tmp)) fs.unlinkSync(tmp);
    }
    this.filePath = target;
  }
}
