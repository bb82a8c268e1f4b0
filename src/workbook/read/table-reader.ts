/** Reads one table's cells with its column types: a typed value, or a finding naming the cell. */
import {
  CALENDAR_FIRST_YEAR,
  CALENDAR_LAST_YEAR,
  LAST_SERIAL_DAY,
  formatSerial,
  inCalendarRange,
  monthKeyOf,
  parseDateTextAnyYear,
  serialDay,
} from "../../core/calendar";
import { roleKeyOf } from "../../core/routes/roles";
import { CellValue, cellAddress } from "../port";
import { ColumnDef, ColumnType, ColumnValues, KeyOf, RowOf, TableDef, ValueOf } from "../schema";
import { CALTYPES, CHARGE_ROLES, COMPARES, INTAKES, KINDS, PERS, REASONS, ROLES, UNITS, Vocab, lookup, parseYesNo } from "../vocab";
import { Finding, Severity, TableInfo } from "./model";

export const show = (v: CellValue): string => (typeof v === "string" ? `"${v}"` : String(v));
export const isBlank = (v: CellValue | undefined): boolean => v === null || v === undefined || (typeof v === "string" && v.trim() === "");

const BAD = Symbol("bad");
/** Serials from here on are shown with their date in messages (Excel's own dates before are off by its 1900 leap-year bug). */
const FIRST_SHOWN = serialDay(1900, 3, 1);

/** One row of a table as read, its values typed by their columns' declared types. */
export interface TableRow<D extends TableDef> {
  /** Index of the row in the table's data body. */
  index: number;
  /** False when a cell had an error. */
  ok: boolean;
  /** The cell's value, typed by its column (undefined when blank or unreadable). */
  get<K extends KeyOf<D>>(key: K): ValueOf<D, K> | undefined;
  /** The cell as it is (undefined when the table lacks the column). */
  raw(key: KeyOf<D>): CellValue | undefined;
  /** Every parsed cell of the row by column key (schema keys are the model's field names). */
  record(): RowOf<D>;
  /** Does the row hold, in a column read here, a formula saved without its value (reported by `locate`)? */
  uncached: boolean;
  /** Keys of the columns whose cell could not be read (a bad value, or a formula without its value). */
  bad: KeyOf<D>[];
}

/** A row as rows() gives it: one object per row, its methods on the prototype (a big Register has thousands of rows). */
class ReadRow<D extends TableDef> implements TableRow<D> {
  constructor(
    readonly index: number,
    readonly ok: boolean,
    private readonly values: RowOf<D>,
    private readonly line: readonly CellValue[],
    private readonly cols: ReadonlyMap<string, number>,
    readonly uncached: boolean,
    readonly bad: KeyOf<D>[],
  ) {}
  get<K extends KeyOf<D>>(key: K): ValueOf<D, K> | undefined {
    return this.values[key];
  }
  raw(key: KeyOf<D>): CellValue | undefined {
    const i = this.cols.get(key);
    return i === undefined ? undefined : this.line[i];
  }
  record(): RowOf<D> {
    return this.values;
  }
}

/** What is wrong with a cell, as its parser finds it: the reader reports it at the cell's address. */
class Problem {
  constructor(
    readonly code: Finding["code"],
    readonly zh: string,
    readonly en: string,
  ) {}
}

/** A date the calendar cannot compute with: the reader reports it with the date shown. */
class OutOfRange {
  constructor(readonly serial: number) {}
}

/**
 * Parses a cell of a column type: its value, undefined when blank, or what is wrong with it.
 * A good cell costs no allocation beyond its value (this runs for every cell of a big workbook).
 */
type Parser<T extends ColumnType> = (
  v: CellValue,
  col: ColumnDef,
  /** Role keys beyond the six that a Staff role cell may hold. */
  customRoles: ReadonlySet<string>,
) => ColumnValues[T] | undefined | Problem | OutOfRange;

/** The cell as text, trimmed (trimmed once: this runs for most cells of a big Register). */
const text = (v: CellValue): string | undefined => {
  if (typeof v === "string") {
    const t = v.trim();
    return t === "" ? undefined : t;
  }
  return v === null || v === undefined ? undefined : String(v);
};

/** A word of `vocab`: its key, or a bad-choice problem listing the words. */
const choice =
  <K extends string>(vocab: Vocab<K>) =>
  (v: CellValue, col: ColumnDef): K | undefined | Problem => {
    if (isBlank(v)) return undefined;
    const key = lookup(vocab, String(v));
    if (key) return key;
    const choices = Object.values<{ zh: string; en: string }>(vocab);
    return new Problem(
      "bad-choice",
      `${col.zh}的值 ${show(v)} 不是 ${choices.map((w) => w.zh).join("/")} 之一`,
      `${col.en}: ${show(v)} is not one of ${choices.map((w) => w.en).join(", ")}`,
    );
  };

/** The parser of each column type (a type without one does not compile). */
const PARSERS: { readonly [T in ColumnType]: Parser<T> } = {
  date: (v, col) => {
    if (isBlank(v)) return undefined;
    const serial = typeof v === "number" ? v : typeof v === "string" ? parseDateTextAnyYear(v) : undefined;
    if (serial === undefined || !Number.isFinite(serial))
      return new Problem("bad-date", `${col.zh}的值 ${show(v)} 不是日期`, `${col.en}: ${show(v)} is not a date`);
    // Every date the model holds is one the calendar can compute with: nothing downstream throws.
    return inCalendarRange(serial) ? serial : new OutOfRange(serial);
  },
  bool: (v, col) => parseYesNo(v) ?? new Problem("bad-yesno", `${col.zh}的值 ${show(v)} 应为 是/否`, `${col.en}: ${show(v)} is not Yes/No`),
  number: (v, col) => {
    if (isBlank(v)) return undefined;
    const n = typeof v === "number" ? v : typeof v === "string" ? Number(v.trim()) : NaN;
    return Number.isFinite(n) ? n : new Problem("bad-number", `${col.zh}的值 ${show(v)} 不是数字`, `${col.en}: ${show(v)} is not a number`);
  },
  // Excel turns "2026-10" typed by hand into a date: read that date's month.
  month: (v) => (typeof v === "number" ? (inCalendarRange(v) ? monthKeyOf(v) : new OutOfRange(v)) : text(v)),
  text,
  deadlineField: text,
  staffRole: (v, col, customRoles) => {
    // One of the six roles of seed 000, or any role the Routes table, Staff or Deadlines use (roles as data).
    if (isBlank(v)) return undefined;
    const key = lookup(ROLES, String(v));
    if (key) return key;
    const custom = roleKeyOf(String(v));
    if (customRoles.has(custom)) return custom;
    const choices = Object.values(ROLES);
    return new Problem(
      "bad-choice",
      `${col.zh}的值 ${show(v)} 不是 ${choices.map((w) => w.zh).join("/")} 之一，也不是审批路线、人员表或时限表中用到的角色`,
      `${col.en}: ${show(v)} is not one of ${choices.map((w) => w.en).join(", ")}, nor a role the Routes, Staff or Deadlines tables use`,
    );
  },
  roleList: (v) => {
    if (isBlank(v)) return undefined;
    const parts = String(v)
      .split(/[/／、,，+＋]/)
      .map((p) => p.trim())
      .filter(Boolean);
    return parts.map((p) => roleKeyOf(p));
  },
  chargeRoles: (v, col) => {
    if (isBlank(v)) return [];
    const parts = String(v)
      .split(/[,，、;；]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const keys = parts.flatMap((p) => lookup(CHARGE_ROLES, p) ?? []);
    if (keys.length < parts.length)
      return new Problem("bad-choice", `${col.zh}的值 ${show(v)} 含未知角色`, `${col.en}: ${show(v)} names an unknown role`);
    return keys;
  },
  role: choice(ROLES),
  intake: choice(INTAKES),
  reason: choice(REASONS),
  kind: choice(KINDS),
  caltype: choice(CALTYPES),
  chargeRole: choice(CHARGE_ROLES),
  compare: choice(COMPARES),
  per: choice(PERS),
  unit: choice(UNITS),
};

/**
 * The cell's value by `PARSERS[col.type]`, called from a case per type: each call site sees one
 * parser, which the JIT can inline (a single call site for all of them made reading a big
 * workbook measurably slower). A type without a case does not compile.
 */
function parseCell(v: CellValue, col: ColumnDef, customRoles: ReadonlySet<string>): ReturnType<Parser<ColumnType>> {
  switch (col.type) {
    case "date":
      return PARSERS.date(v, col, customRoles);
    case "bool":
      return PARSERS.bool(v, col, customRoles);
    case "number":
      return PARSERS.number(v, col, customRoles);
    case "month":
      return PARSERS.month(v, col, customRoles);
    case "text":
      return PARSERS.text(v, col, customRoles);
    case "deadlineField":
      return PARSERS.deadlineField(v, col, customRoles);
    case "staffRole":
      return PARSERS.staffRole(v, col, customRoles);
    case "roleList":
      return PARSERS.roleList(v, col, customRoles);
    case "chargeRoles":
      return PARSERS.chargeRoles(v, col, customRoles);
    case "role":
      return PARSERS.role(v, col, customRoles);
    case "intake":
      return PARSERS.intake(v, col, customRoles);
    case "reason":
      return PARSERS.reason(v, col, customRoles);
    case "kind":
      return PARSERS.kind(v, col, customRoles);
    case "caltype":
      return PARSERS.caltype(v, col, customRoles);
    case "chargeRole":
      return PARSERS.chargeRole(v, col, customRoles);
    case "compare":
      return PARSERS.compare(v, col, customRoles);
    case "per":
      return PARSERS.per(v, col, customRoles);
    case "unit":
      return PARSERS.unit(v, col, customRoles);
    default: {
      const missing: never = col.type;
      return missing;
    }
  }
}

/**
 * What a table's rows parsed to, by the row's array: a later read that hands over the same array
 * with the same cells (the Office.js adapter keeps the log's rows it has and reads only the new
 * ones; applyChanges copies only the rows it changes) is not parsed again. Only rows that parsed
 * without a finding are kept, so every finding is still reported at its cell on every read.
 * Written here because the reader's rows are plain arrays: no library memoises by identity and
 * content at once.
 */
export type RowMemo = WeakMap<readonly CellValue[], { sig: string; cells: CellValue[]; values: Record<string, unknown> }>;

/** What reading a table's rows needs, once per table: cells without a value, the columns read, the memo's signature. */
interface ReadPlan {
  noValue: Map<number, Set<number>>;
  /** The columns read, with their index in the row and whether an empty cell parses to nothing (it is then not parsed). */
  reads: { col: ColumnDef; i: number; emptyIsNothing: boolean }[];
  sig: string;
}

/** Reads one table's rows with its column types; reports cell problems. */
export class TableReader<D extends TableDef> {
  constructor(
    readonly def: D,
    readonly info: TableInfo,
    readonly findings: Finding[],
    /** Role keys beyond the six that a Staff role cell may hold: the roles routes use. */
    readonly customRoles: ReadonlySet<string> = new Set(),
    /** Rows already parsed by an earlier read (the Countersign Log's; see RowMemo). */
    readonly memo?: RowMemo,
  ) {}

  private where(row: number, col: number) {
    const t = this.info.raw;
    return { table: this.def.name, sheet: t.sheet, cell: cellAddress(t.sheet, t.top + 1 + row, t.left + col) };
  }

  report(severity: Severity, code: Finding["code"], row: number, col: ColumnDef, value: CellValue, zh: string, en: string): void {
    const idx = this.info.cols.get(col.key) ?? 0;
    const at = this.where(row, idx);
    this.findings.push({ severity, code, ...at, value, zh: `${at.cell}：${zh}`, en: `${at.cell}: ${en}` });
  }

  /**
   * Reads every row: key → typed value. `ok` is false when a cell had an error. Lazy: a row's
   * findings are reported when the row is reached (readRegister attributes them to its card).
   */
  *rows(): Generator<TableRow<D>> {
    const cols = this.info.cols;
    const plan = this.plan();
    for (let r = 0; r < this.info.raw.rows.length; r++) {
      const line = this.info.raw.rows[r] ?? [];
      const row = this.parseRow(plan, r, line);
      if (!row) continue;
      yield new ReadRow<D>(r, row.ok, row.record, line, cols, row.uncached, row.bad);
    }
  }

  /** Every row's parsed cells (rows with an error left out unless `withBad`): rows() without a row object each. */
  records(withBad: boolean): RowOf<D>[] {
    const out: RowOf<D>[] = [];
    const plan = this.plan();
    for (let r = 0; r < this.info.raw.rows.length; r++) {
      const row = this.parseRow(plan, r, this.info.raw.rows[r] ?? []);
      if (row && (withBad || row.ok)) out.push(row.record);
    }
    return out;
  }

  /**
   * The values of a few columns only, row by row, as `rows()` gives them for those columns
   * (blank, unreadable and bad cells give nothing, and nothing is reported): a check over the
   * names of five Register columns then does not parse the other thirty cells of every row again.
   */
  *cellsOf<K extends KeyOf<D>>(keys: readonly K[]): Generator<{ index: number; key: K; value: ValueOf<D, K> }> {
    const { noValue } = this.plan();
    const cols = keys.flatMap((key) => {
      const i = this.info.cols.get(key);
      const col = this.def.columns.find((c) => c.key === key);
      return i === undefined || !col ? [] : [{ key, col, i }];
    });
    for (let r = 0; r < this.info.raw.rows.length; r++) {
      const line = this.info.raw.rows[r] ?? [];
      const missing = noValue.get(r);
      for (const { key, col, i } of cols) {
        if (missing?.has(i)) continue;
        const parsed = parseCell(line[i] ?? null, col, this.customRoles);
        if (parsed === undefined || parsed instanceof Problem || parsed instanceof OutOfRange) continue;
        // As in parseRow: the value came from PARSERS[col.type] for this very column.
        yield { index: r, key, value: parsed as ValueOf<D, K> };
      }
    }
  }

  /** What every row's reading needs, worked out once per table. */
  private plan(): ReadPlan {
    const { raw, cols } = this.info;
    // Cells of the columns read here that hold no value (a formula without its result):
    // reported once by `locate`; here their row is left out, and the cell not parsed.
    const readCols = new Set(cols.values());
    const noValue = new Map<number, Set<number>>();
    for (const u of raw.uncached ?? []) {
      if (!readCols.has(u.col)) continue;
      const set = noValue.get(u.row) ?? new Set<number>();
      set.add(u.col);
      noValue.set(u.row, set);
    }
    // Cells the file holds but that could not be read (reported by `locate`): their row is left out, whatever the column.
    for (const u of raw.unreadable ?? []) {
      const set = noValue.get(u.row) ?? new Set<number>();
      set.add(u.col);
      noValue.set(u.row, set);
    }
    // Each column read here with its index in the row, looked up once per table, not per cell.
    const reads = this.def.columns.flatMap((col) => {
      const i = cols.get(col.key);
      return i === undefined ? [] : [{ col, i, emptyIsNothing: parseCell(null, col, this.customRoles) === undefined }];
    });
    const sig = this.memo
      ? `${this.def.name}|${reads.map(({ col, i }) => `${col.key}:${i}`).join(",")}|${[...this.customRoles].join("/")}`
      : "";
    return { noValue, reads, sig };
  }

  /** One row parsed (or as an earlier read parsed it, see RowMemo); undefined for a blank row. */
  private parseRow(
    { noValue, reads, sig }: ReadPlan,
    r: number,
    line: readonly CellValue[],
  ): { record: RowOf<D>; ok: boolean; bad: KeyOf<D>[]; uncached: boolean } | undefined {
    const memo = this.memo;
    const missing = noValue.get(r);
    const known = memo && !missing ? memo.get(line) : undefined;
    if (known && known.sig === sig && reads.every(({ i }, k) => (line[i] ?? null) === known.cells[k]))
      // The one seam the compiler cannot follow (as below): these values came from the same parsers.
      return { record: known.values as RowOf<D>, ok: true, bad: [], uncached: false };
    if (!missing && line.every(isBlank)) return undefined;
    let ok = !missing;
    const before = this.findings.length;
    const values: Record<string, unknown> = {};
    const bad: KeyOf<D>[] = [];
    for (let k = 0; k < reads.length; k++) {
      const { col, i, emptyIsNothing } = reads[k];
      if (missing?.has(i)) {
        bad.push(col.key);
        continue;
      }
      const v = line[i] ?? null;
      // Most cells of a big Register are empty: nothing to parse (the parser was asked once, in plan()).
      if (v === null && emptyIsNothing) continue;
      const parsed = this.parse(r, col, v);
      if (parsed === BAD) {
        ok = false;
        bad.push(col.key);
      } else if (parsed !== undefined) values[col.key] = parsed;
    }
    if (memo && ok && this.findings.length === before) memo.set(line, { sig, cells: reads.map(({ i }) => line[i] ?? null), values });
    // The one seam the compiler cannot follow: each value above came from PARSERS[col.type]
    // for its own column, so the record holds ColumnValues[type] under each key.
    return { record: values as RowOf<D>, ok, bad, uncached: missing !== undefined };
  }

  /** A date the calendar cannot compute with (before 1900-03-01 or after 2199): reported, the row left out. */
  private outOfRange(r: number, col: ColumnDef, v: CellValue, serial: number): typeof BAD {
    const when = serial >= FIRST_SHOWN && serial < LAST_SERIAL_DAY + 1 ? formatSerial(serial) : undefined;
    const shown = typeof v === "number" && when ? `${v}（${when}）` : show(v);
    const shownEn = typeof v === "number" && when ? `${v} (${when})` : show(v);
    const years = `${CALENDAR_FIRST_YEAR}–${CALENDAR_LAST_YEAR}`;
    this.report(
      "error",
      "date-out-of-range",
      r,
      col,
      v,
      `${col.zh}的值 ${shown}：日期超出可计算范围（${years}）`,
      `${col.en}: ${shownEn}: the date is outside the range that can be computed (${years})`,
    );
    return BAD;
  }

  /** The cell's value by its column's parser, or BAD once reported. */
  private parse(r: number, col: ColumnDef, v: CellValue): unknown {
    const parsed = parseCell(v, col, this.customRoles);
    // Most cells give a string, a number, a Yes/No or nothing: they need no further look.
    if (typeof parsed !== "object") return parsed;
    if (parsed instanceof OutOfRange) return this.outOfRange(r, col, v, parsed.serial);
    if (parsed instanceof Problem) {
      this.report("error", parsed.code, r, col, v, parsed.zh, parsed.en);
      return BAD;
    }
    return parsed;
  }
}
