/** Ranges: addresses, values, formulas and number formats, rows inserted and deleted, typed text coerced as Excel does. Part of the in-memory Excel (see api.ts). */
import { parseDateText, parseMonthKey } from "../../core/calendar/serial";
import { Cell, ExcelError, SheetState, Value } from "./state";
import { FakeConditionalFormatCollection } from "./conditional-formats";
import { FakeContext, payloadBytes } from "./context";
import { Proxy, rangeAddress, sheetRef } from "./proxy";

const MAX_ROWS = 1048576;
const MAX_COLS = 16384;
/** A cell never written: what a write starts from (never changed; a write makes a new cell). */
const EMPTY_CELL: Cell = Object.freeze({ value: null });

export interface Area {
  sheet: SheetState;
  top: number;
  left: number;
  rows: number;
  cols: number;
}

export class FakeRange extends Proxy<Area> {
  readonly format = { autofitColumns: () => undefined, font: {}, fill: {} };
  /** ExcelApi 1.6: the conditional formats that touch this range. */
  readonly conditionalFormats: FakeConditionalFormatCollection;
  constructor(context: FakeContext, resolve: () => Area) {
    super(context, resolve);
    this.conditionalFormats = new FakeConditionalFormatCollection(context, () => this.resolve());
  }

  /** The address while a sync runs (for commands that take a range argument). */
  addressNow(): string {
    const a = this.resolve();
    return rangeAddress(a.sheet.name, a.top, a.left, a.rows, a.cols);
  }

  /** The cells while a sync runs. */
  areaNow(): Area {
    return this.resolve();
  }

  /** A range placed relative to this one when the batch runs (so it follows the table or cells it is taken from). */
  private derive(f: (a: Area) => Area): FakeRange {
    return new FakeRange(this.context, () => {
      const a = f(this.resolve());
      if (a.top < 0 || a.left < 0 || a.rows < 1 || a.cols < 1 || a.top + a.rows > MAX_ROWS || a.left + a.cols > MAX_COLS)
        throw new ExcelError("InvalidArgument", "The range is outside the worksheet grid.");
      return a;
    });
  }
  /** ExcelApi 1.1. */
  getOffsetRange(rowOffset: number, columnOffset: number): FakeRange {
    return this.derive((a) => ({ ...a, top: a.top + rowOffset, left: a.left + columnOffset }));
  }
  /** ExcelApi 1.1: may lie outside the range, within the grid. */
  getCell(row: number, column: number): FakeRange {
    return this.derive((a) => ({ ...a, top: a.top + row, left: a.left + column, rows: 1, cols: 1 }));
  }
  /** ExcelApi 1.2. */
  getResizedRange(deltaRows: number, deltaColumns: number): FakeRange {
    this.context.requires("1.2", "Range.getResizedRange");
    return this.derive((a) => ({ ...a, rows: a.rows + deltaRows, cols: a.cols + deltaColumns }));
  }
  /** ExcelApi 1.1: the cells both ranges cover (the same sheet); fails the sync when they do not meet, as Excel does (use getIntersectionOrNullObject there). */
  getIntersection(other: FakeRange): FakeRange {
    return new FakeRange(this.context, () => {
      const a = this.resolve();
      const b = other.areaNow();
      const top = Math.max(a.top, b.top);
      const left = Math.max(a.left, b.left);
      const bottom = Math.min(a.top + a.rows, b.top + b.rows);
      const right = Math.min(a.left + a.cols, b.left + b.cols);
      if (a.sheet !== b.sheet || bottom <= top || right <= left) throw new ExcelError("InvalidArgument", "The ranges do not intersect.");
      return { sheet: a.sheet, top, left, rows: bottom - top, cols: right - left };
    });
  }
  /** ExcelApi 1.6: recalculates the range's cells (this workbook only); recorded in `state.calculations` as "Range:<address>". */
  calculate(): void {
    this.context.requires("1.6", "Range.calculate");
    this.context.enqueue(() => void this.context.state.calculations.push(`Range:${this.addressNow()}`));
  }
  /** ExcelApi 1.1: a row of the range (stricter than Excel: within the range). */
  getRow(row: number): FakeRange {
    return this.derive((a) => {
      if (row < 0 || row >= a.rows) throw new ExcelError("InvalidArgument", `Row ${row} is outside the range.`);
      return { ...a, top: a.top + row, rows: 1 };
    });
  }
  getLastRow(): FakeRange {
    return this.derive((a) => ({ ...a, top: a.top + a.rows - 1, rows: 1 }));
  }
  /** ExcelApi 1.1: the whole sheet rows of the range. */
  getEntireRow(): FakeRange {
    return this.derive((a) => ({ ...a, left: 0, cols: MAX_COLS }));
  }
  /** ExcelApi 1.1. The fake inserts whole sheet rows only (`getEntireRow().insert("Down")`). */
  insert(shift: string): FakeRange {
    this.context.enqueue(() => {
      const a = this.resolve();
      if (a.left !== 0 || a.cols !== MAX_COLS || shift !== "Down")
        throw new ExcelError("NotImplemented", "The fake inserts whole rows only.");
      this.context.state.insertRows(a.sheet, a.top, a.rows);
      this.context.state.emit(a.sheet.name, `${sheetRef(a.sheet.name)}!${a.top + 1}:${a.top + a.rows}`, this.context.source);
    });
    return this;
  }
  /** ExcelApi 1.1. The fake deletes whole sheet rows only (`getEntireRow().delete("Up")`). */
  delete(shift: string): void {
    this.context.enqueue(() => {
      const a = this.resolve();
      if (a.left !== 0 || a.cols !== MAX_COLS || shift !== "Up")
        throw new ExcelError("NotImplemented", "The fake deletes whole rows only.");
      this.context.state.deleteRows(a.sheet, a.top, a.rows);
      this.context.state.emit(a.sheet.name, `${sheetRef(a.sheet.name)}!${a.top + 1}:${a.top + a.rows}`, this.context.source);
    });
  }

  protected read(a: Area, prop: string): unknown {
    if (a.cols === MAX_COLS && ["values", "formulas", "numberFormat"].includes(prop))
      throw new ExcelError("NotImplemented", "The fake does not load whole rows.");
    // Plain loops and one look-up of each sheet row: a load of a big table's values builds a million cells.
    const grid = <T>(f: (c: Cell | undefined) => T): T[][] => {
      const out: T[][] = [];
      for (let r = 0; r < a.rows; r++) {
        const line = a.sheet.cells.get(a.top + r);
        const row: T[] = [];
        for (let c = 0; c < a.cols; c++) row.push(f(line?.get(a.left + c)));
        out.push(row);
      }
      return out;
    };
    switch (prop) {
      case "values":
        return grid((c) => (c?.value === null || c?.value === undefined ? "" : c.value));
      case "formulas":
        return grid((c) => c?.formula ?? (c?.value === null || c?.value === undefined ? "" : c.value));
      case "numberFormat":
        return grid((c) => c?.numberFormat ?? "General");
      case "address":
        return rangeAddress(a.sheet.name, a.top, a.left, a.rows, a.cols);
      case "rowIndex":
        return a.top;
      case "columnIndex":
        return a.left;
      case "rowCount":
        return a.rows;
      case "columnCount":
        return a.cols;
      default:
        throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
    }
  }

  get values(): Value[][] {
    return this.loadedValue("values") as Value[][];
  }
  get formulas(): Value[][] {
    return this.loadedValue("formulas") as Value[][];
  }
  get numberFormat(): string[][] {
    return this.loadedValue("numberFormat") as string[][];
  }
  get address(): string {
    return this.loadedValue("address") as string;
  }
  get rowIndex(): number {
    return this.loadedValue("rowIndex") as number;
  }
  get columnIndex(): number {
    return this.loadedValue("columnIndex") as number;
  }
  get rowCount(): number {
    return this.loadedValue("rowCount") as number;
  }
  get columnCount(): number {
    return this.loadedValue("columnCount") as number;
  }

  private writeGrid(input: unknown, what: string, apply: (cell: Cell, v: unknown) => Cell): void {
    this.context.enqueue(() => {
      const a = this.resolve();
      a.sheet.assertWritable();
      const scalar = !Array.isArray(input);
      // "null is not a valid input for single property" (learn.microsoft.com, excel-add-ins-blank-null-values).
      if (input === null || input === undefined)
        throw new ExcelError("InvalidArgument", `The argument is invalid or missing or has an incorrect format. (${what}: null)`);
      if (!scalar) {
        const g = input as unknown[][];
        if (g.length !== a.rows || g.some((row) => !Array.isArray(row) || row.length !== a.cols)) {
          throw new ExcelError(
            "InvalidArgument",
            `The number of rows or columns in the input array doesn't match the size or dimensions of the range. (${what}: ${g.length}×${Array.isArray(g[0]) ? g[0].length : "?"} into ${a.rows}×${a.cols})`,
          );
        }
      }
      const withFormula = new Set<number>();
      for (let r = 0; r < a.rows; r++) {
        for (let c = 0; c < a.cols; c++) {
          const v = scalar ? input : (input as unknown[][])[r][c];
          // A null in a 2-D array leaves that cell as it is (excel-add-ins-blank-null-values); "" clears it.
          if (v === null) continue;
          // `apply` returns a new cell (an undo point holds the old one): one object per cell written.
          const next = apply(a.sheet.get(a.top + r, a.left + c) ?? EMPTY_CELL, v);
          if (next.formula) withFormula.add(a.left + c);
          a.sheet.set(a.top + r, a.left + c, next);
        }
      }
      this.context.state.expandTables(a.sheet, a.top, a.left, a.top + a.rows - 1, a.left + a.cols - 1);
      this.context.state.refreshCalculated(
        a.sheet,
        Array.from({ length: a.cols }, (_, c) => a.left + c),
        withFormula,
      );
      this.context.state.emit(a.sheet.name, rangeAddress(a.sheet.name, a.top, a.left, a.rows, a.cols), this.context.source);
    }, payloadBytes(input));
  }

  set values(input: Value[][]) {
    this.writeGrid(input, "values", (cell, v) => {
      if (v !== null && typeof v === "object") throw new ExcelError("InvalidArgument", "A cell value must be a string, number or boolean.");
      // "" clears the cell: it is empty afterwards, as one never written (excel-add-ins-blank-null-values).
      if (v === "") return { ...cell, value: null, formula: undefined };
      if (typeof v === "string" && v.startsWith("=") && v.length > 1) return { ...cell, value: "#FORMULA", formula: v };
      if (typeof v === "string" && v.startsWith("'")) return { ...cell, value: v.slice(1), formula: undefined };
      // Like Excel, text that looks like a number or a date becomes one unless the cell is formatted as text ("@").
      if (typeof v === "string" && cell.numberFormat !== "@") {
        const coerced = coerceTyped(v);
        if (coerced !== undefined) return { ...cell, value: coerced, formula: undefined };
      }
      return { ...cell, value: v === undefined ? null : (v as Value), formula: undefined };
    });
  }
  set formulas(input: Value[][]) {
    this.writeGrid(input, "formulas", (cell, v) =>
      typeof v === "string" && v.startsWith("=")
        ? { ...cell, value: "#FORMULA", formula: v }
        : { ...cell, value: v === "" ? null : (v as Value), formula: undefined },
    );
  }
  set numberFormat(input: string[][]) {
    this.context.enqueue(() => {
      const a = this.resolve();
      a.sheet.assertWritable();
      const g = input;
      if (g === null || g === undefined)
        throw new ExcelError("InvalidArgument", "The argument is invalid or missing or has an incorrect format. (numberFormat: null)");
      if (Array.isArray(g) && (g.length !== a.rows || g.some((row) => row.length !== a.cols)))
        throw new ExcelError(
          "InvalidArgument",
          "The number of rows or columns in the input array doesn't match the size or dimensions of the range. (numberFormat)",
        );
      for (let r = 0; r < a.rows; r++)
        for (let c = 0; c < a.cols; c++) {
          const cell = a.sheet.get(a.top + r, a.left + c) ?? EMPTY_CELL;
          const given = Array.isArray(g) ? g[r][c] : (g as unknown as string);
          const format = given === "" ? "General" : given;
          // null: this cell's format unchanged; "" resets it to General (excel-add-ins-blank-null-values).
          if (format === null) continue;
          if (cell.numberFormat !== format) a.sheet.set(a.top + r, a.left + c, { ...cell, numberFormat: format });
        }
    }, payloadBytes(input));
  }
}

/** What Excel makes of typed text in a General cell: a number, a date ("2026-10-08 10:00", "2026-10"), or undefined (text). */
export function coerceTyped(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
  const month = /^(\d{4})-(\d{1,2})$/.exec(t);
  if (month) return parseMonthKey(t)?.start;
  return parseDateText(t);
}
