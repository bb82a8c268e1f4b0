/**
 * Turning cell values into calendar arguments, and results into cells.
 *
 * Every function accepts a single value or a range for each argument. Ranges broadcast
 * as Excel's own array arithmetic does: a 1-row or 1-column argument is repeated along
 * the other arguments, and a cell past the end of a shorter range gives #N/A.
 * Called from Node with plain values, a function returns a plain value.
 */
import { CalendarRangeError, FIRST_SERIAL_DAY, LAST_SERIAL_DAY, parseDateText } from "../core/calendar";
import { functionsConfig } from "./config";

/** The error a function returns outside Excel, shaped like `CustomFunctions.Error`. */
export class FunctionError {
  constructor(
    readonly code: "#VALUE!" | "#NUM!" | "#N/A",
    readonly message: string,
  ) {}
  toString(): string {
    return `${this.code} ${this.message}`;
  }
}

type Code = FunctionError["code"];

/** A problem with one argument; becomes an error cell. */
export class ArgError extends Error {
  constructor(
    readonly code: Code,
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

export type Cell = unknown;
export type CellResult = number | boolean | string | FunctionError | CustomFunctions.Error;

const hasExcelErrors = (): boolean => typeof CustomFunctions !== "undefined" && typeof CustomFunctions.Error === "function";

function toErrorCell(code: Code, message: string): FunctionError | CustomFunctions.Error {
  if (hasExcelErrors()) {
    const ec = CustomFunctions.ErrorCode;
    const excelCode = code === "#NUM!" ? ec.invalidNumber : code === "#N/A" ? ec.notAvailable : ec.invalidValue;
    return new CustomFunctions.Error(excelCode, message);
  }
  return new FunctionError(code, message);
}

/** Blank: an empty cell, 0 or "". */
export function isBlank(v: Cell): boolean {
  return v === null || v === undefined || v === "" || v === 0;
}

const show = (v: Cell): string => (typeof v === "string" ? `"${v}"` : String(v));

/** A date argument: an Excel serial, or ISO-like text. */
export function dateArg(name: string, v: Cell): number {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new ArgError("#NUM!", `${name}：${show(v)} 不是有效日期`, `${name}: ${show(v)} is not a valid date`);
    if (v < FIRST_SERIAL_DAY) throw new ArgError("#NUM!", `${name}：${show(v)} 早于 1900-03-01`, `${name}: ${show(v)} is before 1900-03-01`);
    if (v >= LAST_SERIAL_DAY + 1) throw new ArgError("#NUM!", `${name}：${show(v)} 晚于 9999-12-31`, `${name}: ${show(v)} is after 9999-12-31`);
    return v;
  }
  if (typeof v === "string") {
    const parsed = parseDateText(v);
    if (parsed !== undefined) return parsed;
  }
  throw new ArgError("#VALUE!", `${name}：${show(v)} 不是日期`, `${name}: ${show(v)} is not a date`);
}

export function numberArg(name: string, v: Cell): number {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  throw new ArgError("#VALUE!", `${name}：${show(v)} 不是数字`, `${name}: ${show(v)} is not a number`);
}

type Grid = Cell[][];

const isGrid = (v: unknown): v is Grid => Array.isArray(v) && (v.length === 0 || Array.isArray(v[0]));

function errorCellOf(e: unknown, lang: "zh" | "en"): CellResult {
  if (e instanceof ArgError) return toErrorCell(e.code, lang === "zh" ? e.zh : e.en);
  if (e instanceof CalendarRangeError) return toErrorCell("#NUM!", lang === "zh" ? "结果超出 1900–2199 年" : "result outside 1900–2199");
  throw e;
}

/**
 * Applies `fn` cell by cell over broadcast arguments. `fn` gets one cell of each
 * argument and returns a result; an `ArgError` it throws becomes that cell's error.
 * Kept lean: a 100,000-cell column is one call from Excel.
 */
export function cellwise(args: readonly [unknown] | readonly [unknown, unknown] | readonly [unknown, unknown, unknown], fn: (...cells: Cell[]) => CellResult): CellResult | CellResult[][] {
  const lang = functionsConfig().lang;
  if (!args.some(isGrid)) {
    try {
      return fn(...(args as readonly Cell[]));
    } catch (e) {
      return errorCellOf(e, lang);
    }
  }
  const n = args.length;
  const grids: Grid[] = args.map((a) => (isGrid(a) ? a : [[a]]));
  const rowsOf = grids.map((g) => g.length);
  const colsOf = grids.map((g) => g[0]?.length ?? 0);
  const rows = Math.max(1, ...rowsOf);
  const cols = Math.max(1, ...colsOf);
  const out: CellResult[][] = new Array(rows);
  const cells: Cell[] = new Array(n);
  for (let r = 0; r < rows; r++) {
    const row: CellResult[] = new Array(cols);
    for (let c = 0; c < cols; c++) {
      let missing = false;
      for (let i = 0; i < n; i++) {
        const gr = rowsOf[i] === 1 ? 0 : r;
        const gc = colsOf[i] === 1 ? 0 : c;
        const line = grids[i][gr];
        if (line === undefined || gc >= line.length) {
          missing = true;
          break;
        }
        cells[i] = line[gc];
      }
      if (missing) {
        row[c] = toErrorCell("#N/A", lang === "zh" ? "区域大小不一致" : "ranges of different sizes");
        continue;
      }
      try {
        row[c] = n === 1 ? fn(cells[0]) : n === 2 ? fn(cells[0], cells[1]) : fn(cells[0], cells[1], cells[2]);
      } catch (e) {
        row[c] = errorCellOf(e, lang);
      }
    }
    out[r] = row;
  }
  return out;
}
