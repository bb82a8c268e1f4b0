/**
 * The in-memory workbook behind the fake Excel: sheets of cells, tables (ListObjects) over
 * ranges, defined names. This is the "document"; src/workbench/fake-excel/api.ts is the
 * Office.js-shaped proxy layer over it.
 */

export type Value = string | number | boolean | null;

export interface Cell {
  value: Value;
  /** Formula text when the cell holds a formula ("=…"). */
  formula?: string;
  numberFormat?: string;
}

export class ExcelError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RichApi.Error";
  }
}

export class SheetState {
  /** Row → column → cell. */
  readonly cells = new Map<number, Map<number, Cell>>();
  /** A protected sheet refuses writes, as Excel does (AccessDenied). */
  protected = false;
  /** Data bars (conditional formats) and charts added to the sheet. */
  readonly dataBars: string[] = [];
  readonly charts: { type: string; source: string; values?: string; title?: string }[] = [];
  constructor(public name: string) {}

  assertWritable(): void {
    if (this.protected) throw new ExcelError("AccessDenied", `The cell or chart you're trying to change is on a protected sheet. (worksheet "${this.name}")`);
  }

  get(row: number, col: number): Cell | undefined {
    return this.cells.get(row)?.get(col);
  }

  set(row: number, col: number, cell: Cell): void {
    let r = this.cells.get(row);
    if (!r) this.cells.set(row, (r = new Map()));
    r.set(col, cell);
  }

  /** Deletes rows [row, row+count) over columns [col, col+width) and shifts the cells below up. */
  deleteShiftUp(row: number, col: number, count: number, width: number): void {
    const rows = [...this.cells.keys()].filter((r) => r >= row).sort((a, b) => a - b);
    for (const r of rows) {
      const line = this.cells.get(r)!;
      for (let c = col; c < col + width; c++) {
        const moved = r + count;
        const src = this.cells.get(moved)?.get(c);
        if (src) line.set(c, src);
        else line.delete(c);
      }
    }
  }

  usedBounds(): { rows: number; cols: number } {
    let rows = 0;
    let cols = 0;
    for (const [r, line] of this.cells) {
      for (const [c, cell] of line) {
        if (cell.value !== null && cell.value !== "") {
          rows = Math.max(rows, r + 1);
          cols = Math.max(cols, c + 1);
        }
      }
    }
    return { rows, cols };
  }
}

export interface TableState {
  name: string;
  sheet: SheetState;
  /** Header row, first column, last row, last column (0-based, inclusive). */
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export type ChangeListener = (e: { worksheetName: string; address: string; source: "Local" | "Remote" }) => void;

export class WorkbookState {
  readonly sheets: SheetState[] = [];
  readonly tables: TableState[] = [];
  readonly names = new Map<string, string>();
  readonly listeners = new Set<ChangeListener>();

  /** Empties the workbook (the workbench's "load .xlsx"), keeping the listeners. */
  reset(): void {
    this.sheets.length = 0;
    this.tables.length = 0;
    this.names.clear();
  }

  sheet(name: string): SheetState | undefined {
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  table(name: string): TableState | undefined {
    return this.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
  }

  addSheet(name: string): SheetState {
    if (this.sheet(name)) throw new ExcelError("ItemAlreadyExists", `A worksheet named "${name}" already exists.`);
    if (!name || name.length > 31 || /[\\/?*[\]:]/.test(name)) throw new ExcelError("InvalidArgument", `The worksheet name "${name}" is invalid.`);
    const s = new SheetState(name);
    this.sheets.push(s);
    return s;
  }

  deleteSheet(name: string): void {
    const s = this.sheet(name);
    if (!s) throw new ExcelError("ItemNotFound", `The requested resource doesn't exist.`);
    this.sheets.splice(this.sheets.indexOf(s), 1);
    for (let i = this.tables.length - 1; i >= 0; i--) if (this.tables[i].sheet === s) this.tables.splice(i, 1);
  }

  addTable(sheet: SheetState, top: number, left: number, bottom: number, right: number, name?: string): TableState {
    for (const t of this.tables) {
      if (t.sheet === sheet && !(bottom < t.top || top > t.bottom || right < t.left || left > t.right))
        throw new ExcelError("InvalidArgument", "A table can't overlap another table.");
    }
    let n = name;
    if (!n) for (let i = 1; !n || this.table(n); i++) n = `Table${i}`;
    if (this.table(n)) throw new ExcelError("ItemAlreadyExists", `A table named "${n}" already exists.`);
    const t: TableState = { name: n, sheet, top, left, bottom, right };
    this.tables.push(t);
    return t;
  }

  /** Writing just below a table makes it grow over the written rows, as Excel's table auto-expansion does. */
  expandTables(sheet: SheetState, top: number, left: number, bottom: number, right: number): void {
    for (const t of this.tables) {
      if (t.sheet !== sheet) continue;
      if (top === t.bottom + 1 && left >= t.left && right <= t.right) t.bottom = Math.max(t.bottom, bottom);
    }
  }

  emit(sheet: string, address: string, source: "Local" | "Remote"): void {
    for (const l of this.listeners) l({ worksheetName: sheet, address, source });
  }
}
