/**
 * Turning cell values into calendar arguments, and results into cells.
 *
 * Every function accepts a single value or a range for each argument. Ranges broadcast
 * as Excel's own array arithmetic does: a 1-row or 1-column argument is repeated along
 * the other arguments, and a cell past the end of a shorter range gives #N/A.
 * Called from Node with plain values, a function returns a plain value.
 *
 * Errors a user can cause are `#VALUE!` (a bad argument, with what is wrong) or `#N/A`
 * (ranges of different sizes, the workbook's calendar not available): Excel shows a custom
 * message only with these two codes, never with #NUM! (Microsoft, "Handle and return errors
 * from your custom function", https://learn.microsoft.com/office/dev/add-ins/excel/custom-functions-errors,
 * and CustomFunctions.ErrorCode: "A custom error message can't be used" for invalidNumber).
 *
 * A cell holding a data type (a formatted number, a linked data type, an entity) arrives as
 * its JSON value (`{ type: "FormattedNumber", basicValue: 46300.5, … }`; Microsoft, "Use data
 * types with custom functions in Excel",
 * https://learn.microsoft.com/office/dev/add-ins/excel/custom-functions-data-types-concepts):
 * it is read by its basic value; an entity, whose basic value is #VALUE!, is explained.
 */
import { CalendarRangeError, FIRST_SERIAL_DAY, LAST_SERIAL_DAY, parseDateText } from "../core/calendar";
import { ConfigUnavailable, functionsConfig, Lang } from "./config";

/** The error a function returns outside Excel, shaped like `CustomFunctions.Error`. */
export class FunctionError {
  constructor(
    readonly code: "#VALUE!" | "#N/A",
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
    const excelCode = code === "#N/A" ? ec.notAvailable : ec.invalidValue;
    return new CustomFunctions.Error(excelCode, message);
  }
  return new FunctionError(code, message);
}

/** Blank: an empty cell, 0 or "". */
export function isBlank(v: Cell): boolean {
  return v === null || v === undefined || v === "" || v === 0;
}

/** A data type with no basic value to compute with (an entity, an image): kept to explain it. */
export class DataTypeCell {
  constructor(
    readonly type: string,
    readonly text: string,
  ) {}
}

/**
 * A cell as the functions read it: plain values as they are; a data type by its basic value
 * (`FormattedNumber`, `Double`, `String`, `Boolean`; `Empty` is blank); an entity or other
 * data type without one becomes a `DataTypeCell` that the argument readers explain.
 */
export function basicValue(v: Cell): Cell {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
  const dt = v as { type?: unknown; basicValue?: unknown; text?: unknown };
  if (typeof dt.type !== "string") return v;
  if (dt.type === "Empty") return null;
  const b = dt.basicValue;
  if (typeof b === "number" || typeof b === "boolean" || (typeof b === "string" && !/^#[A-Z0-9/]+[!?]?$/.test(b))) return b;
  return new DataTypeCell(dt.type, typeof dt.text === "string" ? dt.text : typeof b === "string" ? b : "");
}

const show = (v: Cell): string => {
  if (v instanceof DataTypeCell) return `${v.text ? `"${v.text}" ` : ""}(${v.type})`;
  return typeof v === "string" ? `"${v}"` : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
};

function notComputable(name: string, v: Cell, zhWhat: string, enWhat: string): ArgError {
  if (v instanceof DataTypeCell) {
    return new ArgError(
      "#VALUE!",
      `${name}：${show(v)} 是数据类型，没有可计算的${zhWhat}：请引用它的一个字段，例如 A2.日期`,
      `${name}: ${show(v)} is a data type with no ${enWhat} to compute with: refer to one of its fields, e.g. A2.Date`,
    );
  }
  return new ArgError("#VALUE!", `${name}：${show(v)} 不是${zhWhat}`, `${name}: ${show(v)} is not a ${enWhat}`);
}

/** A date argument: an Excel serial, or ISO-like text. */
export function dateArg(name: string, v: Cell): number {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new ArgError("#VALUE!", `${name}：${show(v)} 不是有效日期`, `${name}: ${show(v)} is not a valid date`);
    if (v < FIRST_SERIAL_DAY)
      throw new ArgError("#VALUE!", `${name}：${show(v)} 早于 1900-03-01`, `${name}: ${show(v)} is before 1900-03-01`);
    if (v >= LAST_SERIAL_DAY + 1)
      throw new ArgError("#VALUE!", `${name}：${show(v)} 晚于 9999-12-31`, `${name}: ${show(v)} is after 9999-12-31`);
    return v;
  }
  if (typeof v === "string") {
    const parsed = parseDateText(v);
    if (parsed !== undefined) return parsed;
  }
  throw notComputable(name, v, "日期", "date");
}

export function numberArg(name: string, v: Cell): number {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  throw notComputable(name, v, "数字", "number");
}

type Grid = Cell[][];

const isGrid = (v: unknown): v is Grid => Array.isArray(v) && (v.length === 0 || Array.isArray(v[0]));

function errorCellOf(e: unknown, lang: Lang): CellResult {
  if (e instanceof ArgError) return toErrorCell(e.code, lang === "zh" ? e.zh : e.en);
  if (e instanceof CalendarRangeError) return toErrorCell("#VALUE!", lang === "zh" ? "结果超出 1900–2199 年" : "result outside 1900–2199");
  throw e;
}

/** Every cell of the result an error saying why the workbook's calendar is not available (#N/A, with the message). */
export function unavailableCells(args: CellwiseArgs, why: ConfigUnavailable): CellResult | CellResult[][] {
  const error = new ArgError("#N/A", why.zh, why.en);
  return cellwise(
    args,
    () => {
      throw error;
    },
    why.lang,
  );
}

type CellwiseArgs = readonly [unknown] | readonly [unknown, unknown] | readonly [unknown, unknown, unknown];

/**
 * Applies `fn` cell by cell over broadcast arguments. `fn` gets one cell of each
 * argument and returns a result; an `ArgError` it throws becomes that cell's error.
 * Kept lean: a 100,000-cell column is one call from Excel.
 */
export function cellwise(
  args: CellwiseArgs,
  fn: (...cells: Cell[]) => CellResult,
  lang: Lang = functionsConfig().lang,
): CellResult | CellResult[][] {
  if (!args.some(isGrid)) {
    try {
      const a = args as readonly Cell[];
      return a.length === 1
        ? fn(basicValue(a[0]))
        : a.length === 2
          ? fn(basicValue(a[0]), basicValue(a[1]))
          : fn(basicValue(a[0]), basicValue(a[1]), basicValue(a[2]));
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
        const v = line[gc];
        cells[i] = typeof v === "object" && v !== null ? basicValue(v) : v;
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
