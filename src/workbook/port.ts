/**
 * The one door between the add-in and a workbook: read a whole snapshot, write one change
 * set. Two adapters implement it: Office.js (src/workbook/office.ts) and .xlsx files
 * through the part-level file engine (src/workbook/xlsx.ts over src/workbook/file/).
 */
import type { LogRecords } from "../core/workflow/log";

export type CellValue = string | number | boolean | null;

/** A table as read: its header row and its data body's values. */
export interface RawTable {
  name: string;
  sheet: string;
  headers: string[];
  rows: CellValue[][];
  /** 0-based sheet row and column of the header row's first cell. */
  top: number;
  left: number;
  /**
   * Cells whose value the file does not hold (a formula saved without its computed value, as
   * some programs write them): the reader reports each one instead of trusting `rows`, where
   * such a cell is null. Only the .xlsx adapter fills this; Excel always has a value.
   */
  uncached?: { row: number; col: number; formula: string }[];
  /**
   * Cells the file holds but that cannot be read (a shared string that does not exist, a date
   * that does not exist, invalid UTF-8, a row or cell out of order or out of range): each is a
   * finding, its row left out. `row` may lie outside `rows` (a row beyond Excel's last).
   */
  unreadable?: { row: number; col: number; zh: string; en: string }[];
}

export interface Snapshot {
  /** Tables by name, as in the workbook (names compared case-insensitively). */
  tables: Map<string, RawTable>;
  sheetNames: string[];
  /**
   * The workbook's custom XML parts by their root element's namespace (Office.js
   * `workbook.customXmlParts`, ExcelApi 1.5; in a file, `customXml/itemN.xml`). Only the
   * adapters that read them fill this.
   */
  customXml?: Map<string, string>;
  /** The workbook's own defined names (not a sheet's), where the adapter reads them. */
  names?: string[];
  /**
   * What the workbook keeps of the Countersign Log's head outside its cells: the anchor parts,
   * parts that look like one, the hidden name's text (core/workflow/log.ts). Only the adapters
   * that read them fill this.
   */
  logRecords?: LogRecords;
}

export function findTable(snapshot: Snapshot, name: string): RawTable | undefined {
  const want = name.toLowerCase();
  for (const [k, t] of snapshot.tables) if (k.toLowerCase() === want) return t;
  return undefined;
}

/** Column indexes (within the table) whose cells get a number format. */
export interface Formats {
  dateCols?: number[];
  numberCols?: number[];
  /** Shown as a percentage. */
  percentCols?: number[];
  /** Kept as text ("2026-10" must not become a date). */
  textCols?: number[];
}

export const NUMBER_FORMAT = "0.##";
export const PERCENT_FORMAT = "0.0%";
export const TEXT_FORMAT = "@";

/** The number format of column `col` under `formats`. */
export function formatOf(formats: Formats, col: number): string {
  if (formats.dateCols?.includes(col)) return DATE_FORMAT;
  if (formats.numberCols?.includes(col)) return NUMBER_FORMAT;
  if (formats.percentCols?.includes(col)) return PERCENT_FORMAT;
  if (formats.textCols?.includes(col)) return TEXT_FORMAT;
  return "General";
}

export interface CellChange {
  table: string;
  /** Row index in the snapshot's data body. */
  row: number;
  col: number;
  value: CellValue;
  date?: boolean;
  /** Keep as text (a card number must not become a number). */
  text?: boolean;
}

export interface NewTable extends Formats {
  name: string;
  sheet: string;
  headers: string[];
  rows: CellValue[][];
  /** Replace the sheet if it exists (generated sheets such as `KPI YYYY-MM`). */
  replaceSheet?: boolean;
  /** Show a data bar in this column (the KPI score). */
  dataBarCol?: number;
  /** A bar chart of this column against the first column (Excel only; .xlsx files get the data bar). */
  chart?: { valueCol: number; title: string };
}

export interface ChangeSet {
  addColumns: { table: string; headers: string[] }[];
  cells: CellChange[];
  /** Rows of the data body to delete (indexes in the snapshot). */
  deleteRows: { table: string; rows: number[] }[];
  /** Rows written below the table, which grows over them. */
  appends: ({ table: string; rows: CellValue[][] } & Formats)[];
  newTables: NewTable[];
  /** Rows that must still hold what the snapshot read (the card an action is about); checked in the write's batch. */
  guards?: { table: string; row: number }[];
  /** Custom XML parts to add, or to replace (the part whose root has this namespace), in the same write. */
  customXml?: { namespace: string; xml: string }[];
  /**
   * Workbook-level defined names holding a text constant, hidden from Name Manager, added or
   * replaced (by name) in the same write: the log's hidden record (core/workflow/log.ts).
   */
  names?: { name: string; text: string }[];
  /** Columns the add-in generates as Excel calculated columns (created at the table's end, or replaced by header). */
  calculatedColumns?: CalculatedColumn[];
}

/**
 * A table column whose every row is one formula: an Excel calculated column, which Excel fills
 * into every new row by itself. Created at the table's end when no column has this header;
 * otherwise that column's formula, values and highlights are replaced (and nothing else).
 */
export interface CalculatedColumn {
  table: string;
  header: string;
  /** As typed in Excel, with structured references: `=PLAN.DUE([@需求接收],0.5)`. */
  formula: string;
  /**
   * What each data row computes now, in the snapshot's row order: a file keeps it as the
   * formula's saved value, so a program without the add-in (or Excel before it recalculates)
   * shows the right value.
   */
  values: CellValue[];
  /** The column's number format (DATE_FORMAT for a due column). */
  format?: string;
  /**
   * Conditional highlights of the column's cells, each an Excel formula for the column's first
   * data row with relative A1 references (`=Z2>0`), and its fill.
   */
  highlights?: { formula: string; fill: "red" | "amber" }[];
}

/** Fill colours of highlights, as Excel's own "light red fill" and "yellow fill" presets. */
export const HIGHLIGHT_FILL = { red: "FFFFC7CE", amber: "FFFFEB9C" } as const;
export const HIGHLIGHT_FONT = { red: "FF9C0006", amber: "FF9C5700" } as const;

export const emptyChangeSet = (): ChangeSet => ({ addColumns: [], cells: [], deleteRows: [], appends: [], newTables: [] });

export const isEmptyChangeSet = (c: ChangeSet): boolean =>
  !c.addColumns.length &&
  !c.cells.length &&
  !c.deleteRows.length &&
  !c.appends.length &&
  !c.newTables.length &&
  !c.customXml?.length &&
  !c.names?.length &&
  !c.calculatedColumns?.length;

/** A cell that someone else changed between our read and our write. */
export interface Conflict {
  table: string;
  /** `Sheet!B7`. */
  address: string;
  expected: CellValue;
  found: CellValue;
}

export interface WorkbookPort {
  /**
   * Reads the workbook. An adapter may read what it can reuse from its last read (the Office.js
   * adapter reads the Countersign Log from its last known row); `full` reads everything whole
   * (Verify log: an edit above the last known row is seen only then).
   */
  read(opts?: { full?: boolean }): Promise<Snapshot>;
  /**
   * Applies a change set computed from the snapshot of the last read. Where co-authors may
   * write at the same time (Office.js), the cells and rows it writes are checked against
   * that snapshot in the same batch; when someone else got there first, everything is put
   * back and the conflicts are returned: nothing is written.
   */
  write(changes: ChangeSet): Promise<{ conflicts: Conflict[] } | void>;
}

/** The snapshot with a change set's cells and appends applied (what a re-read would show), for the pane after an action. */
export function applyChanges(snapshot: Snapshot, changes: ChangeSet): Snapshot {
  const tables = new Map(snapshot.tables);
  // Rows are copied on write: a row the change set does not touch stays the same array as in the
  // snapshot, so what the reader memoised for it (read.ts, the log's rows) still applies.
  const copy = (name: string): RawTable | undefined => {
    const t = findTable({ tables, sheetNames: [] }, name);
    if (!t) return undefined;
    const c = { ...t, rows: [...t.rows] };
    tables.set(t.name, c);
    return c;
  };
  const touched = new Map<string, { table: RawTable | undefined; copied: Set<number> }>();
  const get = (name: string) => {
    let t = touched.get(name);
    if (!t) touched.set(name, (t = { table: copy(name), copied: new Set() }));
    return t;
  };
  for (const cell of changes.cells) {
    const { table: t, copied } = get(cell.table);
    const row = t?.rows[cell.row];
    if (!t || !row) continue;
    if (!copied.has(cell.row)) {
      t.rows[cell.row] = [...row];
      copied.add(cell.row);
    }
    t.rows[cell.row][cell.col] = cell.value;
  }
  for (const app of changes.appends) {
    const t = get(app.table).table;
    if (!t) continue;
    while (t.rows.length && t.rows[t.rows.length - 1].every((v) => v === null || v === "")) t.rows.pop();
    for (const r of app.rows) t.rows.push(Array.from({ length: t.headers.length }, (_, i) => r[i] ?? null));
  }
  let customXml = snapshot.customXml;
  if (changes.customXml?.length) {
    customXml = new Map(customXml);
    for (const c of changes.customXml) customXml.set(c.namespace, c.xml);
  }
  return { ...snapshot, tables, customXml };
}

/** "A", "B", … "AA" for a 0-based column. */
export function columnLetter(col: number): string {
  let s = "";
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** `Sheet!B7` (quoted when the sheet name needs it) for 0-based row and column. */
export function cellAddress(sheet: string, row: number, col: number): string {
  const quoted = /^[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff.]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  return `${quoted}!${columnLetter(col)}${row + 1}`;
}

/** How date cells are shown: as Excel shows a date-time typed in the office. */
export const DATE_FORMAT = "yyyy-mm-dd hh:mm";

/** Parses "A1" or "A1:C3" (optionally absolute) into 0-based bounds. */
export function parseRangeRef(ref: string): { top: number; left: number; bottom: number; right: number } | undefined {
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(ref);
  if (!m) return undefined;
  const col = (s: string) => [...s.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const top = Number(m[2]) - 1;
  const left = col(m[1]);
  return { top, left, bottom: m[4] ? Number(m[4]) - 1 : top, right: m[3] ? col(m[3]) : left };
}
