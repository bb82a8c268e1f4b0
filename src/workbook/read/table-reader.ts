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
import { ColumnDef, TableDef } from "../schema";
import { CHARGE_ROLES, ROLES, VOCAB_OF, lookup, parseYesNo } from "../vocab";
import { Finding, Severity, TableInfo } from "./model";

export const show = (v: CellValue): string => (typeof v === "string" ? `"${v}"` : String(v));
export const isBlank = (v: CellValue | undefined): boolean => v === null || v === undefined || (typeof v === "string" && v.trim() === "");

/** Reads one table's rows with its column types; reports cell problems. */
export class TableReader {
  constructor(
    readonly def: TableDef,
    readonly info: TableInfo,
    readonly findings: Finding[],
    /** Role keys beyond the six that a Staff role cell may hold: the roles routes use. */
    readonly customRoles: ReadonlySet<string> = new Set(),
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

  /** Reads every row: key → typed value. `ok` is false when a cell had an error. */
  *rows(): Generator<{
    index: number;
    ok: boolean;
    get: (key: string) => unknown;
    raw: (key: string) => CellValue | undefined;
    /** Every parsed cell of the row by column key (schema keys are the model's field names). */
    record: () => Record<string, unknown>;
    /** Does the row hold, in a column read here, a formula saved without its value (reported by `locate`)? */
    uncached: boolean;
    /** Keys of the columns whose cell could not be read (a bad value, or a formula without its value). */
    bad: string[];
  }> {
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
    for (let r = 0; r < raw.rows.length; r++) {
      const line = raw.rows[r] ?? [];
      const missing = noValue.get(r);
      if (!missing && line.every(isBlank)) continue;
      let ok = !missing;
      const values: Record<string, unknown> = {};
      const bad: string[] = [];
      for (const col of this.def.columns) {
        const i = cols.get(col.key);
        if (i === undefined) continue;
        if (missing?.has(i)) {
          bad.push(col.key);
          continue;
        }
        const v = line[i] ?? null;
        const parsed = this.parse(r, col, v);
        if (parsed === BAD) {
          ok = false;
          bad.push(col.key);
        } else if (parsed !== undefined) values[col.key] = parsed;
      }
      yield {
        index: r,
        ok,
        get: (k) => values[k],
        raw: (k) => (cols.has(k) ? line[cols.get(k)!] : undefined),
        record: () => values,
        uncached: missing !== undefined,
        bad,
      };
    }
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

  private parse(r: number, col: ColumnDef, v: CellValue): unknown {
    switch (col.type) {
      case "date": {
        if (isBlank(v)) return undefined;
        const serial = typeof v === "number" ? v : typeof v === "string" ? parseDateTextAnyYear(v) : undefined;
        if (serial === undefined || !Number.isFinite(serial)) {
          this.report("error", "bad-date", r, col, v, `${col.zh}的值 ${show(v)} 不是日期`, `${col.en}: ${show(v)} is not a date`);
          return BAD;
        }
        // Every date the model holds is one the calendar can compute with: nothing downstream throws.
        return inCalendarRange(serial) ? serial : this.outOfRange(r, col, v, serial);
      }
      case "bool": {
        const b = parseYesNo(v);
        if (b === undefined) {
          this.report("error", "bad-yesno", r, col, v, `${col.zh}的值 ${show(v)} 应为 是/否`, `${col.en}: ${show(v)} is not Yes/No`);
          return BAD;
        }
        return b;
      }
      case "number": {
        if (isBlank(v)) return undefined;
        const n = typeof v === "number" ? v : typeof v === "string" ? Number(v.trim()) : NaN;
        if (!Number.isFinite(n)) {
          this.report("error", "bad-number", r, col, v, `${col.zh}的值 ${show(v)} 不是数字`, `${col.en}: ${show(v)} is not a number`);
          return BAD;
        }
        return n;
      }
      case "month":
        // Excel turns "2026-10" typed by hand into a date: read that date's month.
        if (typeof v === "number") return inCalendarRange(v) ? monthKeyOf(v) : this.outOfRange(r, col, v, v);
        return isBlank(v) ? undefined : String(v).trim();
      case "text":
      case "deadlineField":
        return isBlank(v) ? undefined : String(v).trim();
      case "staffRole": {
        // One of the six roles of seed 000, or any role the Routes table uses (roles as data).
        if (isBlank(v)) return undefined;
        const key = lookup(ROLES, String(v));
        if (key) return key;
        const custom = roleKeyOf(String(v));
        if (this.customRoles.has(custom)) return custom;
        const choices = Object.values(ROLES);
        this.report(
          "error",
          "bad-choice",
          r,
          col,
          v,
          `${col.zh}的值 ${show(v)} 不是 ${choices.map((w) => w.zh).join("/")} 之一，也不是审批路线中用到的角色`,
          `${col.en}: ${show(v)} is not one of ${choices.map((w) => w.en).join(", ")}, nor a role the Routes table uses`,
        );
        return BAD;
      }
      case "roleList": {
        if (isBlank(v)) return undefined;
        const parts = String(v)
          .split(/[/／、,，+＋]/)
          .map((p) => p.trim())
          .filter(Boolean);
        return parts.map((p) => roleKeyOf(p));
      }
      case "chargeRoles": {
        if (isBlank(v)) return [];
        const parts = String(v)
          .split(/[,，、;；]/)
          .map((s) => s.trim())
          .filter(Boolean);
        const keys = parts.map((p) => lookup(CHARGE_ROLES, p));
        if (keys.some((k) => !k)) {
          this.report(
            "error",
            "bad-choice",
            r,
            col,
            v,
            `${col.zh}的值 ${show(v)} 含未知角色`,
            `${col.en}: ${show(v)} names an unknown role`,
          );
          return BAD;
        }
        return keys;
      }
      default: {
        if (isBlank(v)) return undefined;
        const vocab = VOCAB_OF[col.type]!;
        const key = lookup(vocab, String(v));
        if (!key) {
          const choices = Object.values(vocab);
          this.report(
            "error",
            "bad-choice",
            r,
            col,
            v,
            `${col.zh}的值 ${show(v)} 不是 ${choices.map((w) => w.zh).join("/")} 之一`,
            `${col.en}: ${show(v)} is not one of ${choices.map((w) => w.en).join(", ")}`,
          );
          return BAD;
        }
        return key;
      }
    }
  }
}

const BAD = Symbol("bad");
/** Serials from here on are shown with their date in messages (Excel's own dates before are off by its 1900 leap-year bug). */
const FIRST_SHOWN = serialDay(1900, 3, 1);
