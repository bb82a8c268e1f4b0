/**
 * Rows become typed records; every problem becomes a finding with its table, cell address,
 * value and what is wrong, in Chinese and English. A row with an error is left out of the
 * computations (never guessed); missing configuration tables mean the defaults.
 * A date the calendar cannot compute with (outside 1900-03-01 … 2199-12-31) and a formula
 * saved without its value are such cell errors. A schema column present twice is read from
 * neither cell. `blockingFindings` picks the findings that make writing unsafe.
 */
import { CalendarEntry, Card, Incident, LogEntry, PenaltyRow, Revision, Role, StaffMember } from "../core/model";
import {
  CALENDAR_FIRST_YEAR,
  CALENDAR_LAST_YEAR,
  LAST_SERIAL_DAY,
  formatSerial,
  inCalendarRange,
  monthKeyOf,
  parseDateTextAnyYear,
  serialDay,
} from "../core/calendar";
import { parseWorkingHours } from "../core/calendar/hours";
import { isValidTimeZone } from "../core/calendar/clock";
import { DEFAULT_DEADLINES, DeadlineDef, DeadlineUnit, parseRepeat } from "../core/rules/deadlines";
import { attachMilestones } from "../core/workflow/milestones";
import { ChargeRole, Compare, DEFAULT_RULES, Per, RuleCondition, RuleDef } from "../core/rules/penalties";
import { DEFAULT_STANDARDS, StandardDef } from "../core/rules/standards";
import { FieldSpec, FieldType, isConditionError, parseCondition } from "../core/routes/condition";
import { BASE_ROLES, roleKeyOf } from "../core/routes/roles";
import { DEFAULT_ROUTES, RouteStep, knownType, typeKey } from "../core/routes/routes";
import { STAGE_WORDS, countersignUnfinished, rank, stageOf } from "../core/workflow/stages";
import { DEFAULT_SETTINGS, SETTING_KEYS, SettingKey, Settings } from "../core/settings";
import { CellValue, RawTable, Snapshot, cellAddress, findTable } from "./port";
import {
  CALENDAR,
  COUNTERSIGN_LOG,
  ColumnDef,
  DEADLINES,
  INCIDENTS,
  PENALTIES,
  REGISTER,
  REVISIONS,
  ROUTES,
  RULES,
  SETTINGS,
  STAFF,
  STANDARDS,
  TableDef,
  headerLang,
  normalizeHeader,
} from "./schema";
import { CHARGE_ROLES, CONDITIONS, COUNT_WORDS, ROLES, VOCAB_OF, lookup, parseYesNo } from "./vocab";

export type Severity = "error" | "warning";

export interface Finding {
  severity: Severity;
  code:
    | "missing-table"
    | "missing-column"
    | "duplicate-column"
    | "bad-date"
    | "date-out-of-range"
    | "uncached-formula"
    | "unreadable-cell"
    | "bad-yesno"
    | "bad-number"
    | "bad-choice"
    | "duplicate-card"
    | "unknown-person"
    | "date-order"
    | "missing-value"
    | "bad-setting"
    | "calendar-coverage"
    | "log-break"
    | "bad-condition"
    | "unknown-type"
    | "stuck-card"
    | "account-mismatch";
  table: string;
  /** The schema key of the column the finding is about, where it is about one (`missing-column`). */
  column?: string;
  sheet?: string;
  /** `Sheet!M26`. */
  cell?: string;
  /** Every cell the finding is about, when there are several (a duplicate column's headers); `cell` is the first. */
  cells?: string[];
  value?: CellValue;
  zh: string;
  en: string;
}

/** Where a table was found, its columns, and the header language it uses. */
export interface TableInfo {
  raw: RawTable;
  cols: Map<string, number>;
  lang: "zh" | "en";
}

export interface WorkbookModel {
  cards: Card[];
  revisions: Revision[];
  incidents: Incident[];
  staff: StaffMember[];
  calendar: CalendarEntry[];
  log: LogEntry[];
  penalties: PenaltyRow[];
  rules: RuleDef[];
  deadlines: DeadlineDef[];
  standards: StandardDef[];
  settings: Settings;
  /** The Routes table's steps (the defaults when there is none): card types and their sign-offs. */
  routes: RouteStep[];
  /** Tables found, by name. */
  tables: Map<string, TableInfo>;
  /** Register row (index in the data body) of each card number, good rows and bad. */
  cardRows: Map<string, number>;
  /** Register rows left out because of an error finding. */
  badCardRows: Set<number>;
  /**
   * A best-effort card for each Register row left out (not for computations: `cards` is what
   * they get): the cells that did parse, which columns did not, and the row's findings. The
   * pane shows such a card, flagged with the cells to fix, instead of hiding it.
   */
  partialCards: PartialCard[];
}

/** A Register row with an error, as far as it could be read. */
export interface PartialCard {
  /** Index of the row in the table's data body. */
  row: number;
  /** The cells that parsed (`cardNo` is "" when the card number itself is missing). */
  card: Card;
  /** Keys of the columns whose cell is wrong (could not be read, or out of order with another date). */
  bad: string[];
  /** The error findings of this row. */
  findings: Finding[];
}

export interface ReadResult {
  model: WorkbookModel;
  findings: Finding[];
}

const show = (v: CellValue): string => (typeof v === "string" ? `"${v}"` : String(v));
const isBlank = (v: CellValue | undefined): boolean => v === null || v === undefined || (typeof v === "string" && v.trim() === "");

/** Reads one table's rows with its column types; reports cell problems. */
class TableReader {
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
          this.def.name === "Deadlines"
            ? `${col.zh}的值 ${show(v)} 不是 ${choices.map((w) => w.zh).join("/")} 之一，也不是人员表或审批路线中的角色`
            : `${col.zh}的值 ${show(v)} 不是 ${choices.map((w) => w.zh).join("/")} 之一，也不是审批路线中用到的角色`,
          this.def.name === "Deadlines"
            ? `${col.en}: ${show(v)} is not one of ${choices.map((w) => w.en).join(", ")}, nor a role of Staff or the Routes table`
            : `${col.en}: ${show(v)} is not one of ${choices.map((w) => w.en).join(", ")}, nor a role the Routes table uses`,
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

/**
 * The schema's columns in a header row: key → index for a column found once, and the
 * indexes of every column found more than once (under one header or under its two
 * languages, 卡号 and Card No.). Headers may be empty, numbers or anything else.
 */
function findColumns(def: TableDef, headers: readonly unknown[]): { cols: Map<string, number>; duplicates: Map<string, number[]> } {
  const texts = (Array.isArray(headers) ? headers : []).map(normalizeHeader);
  const cols = new Map<string, number>();
  const duplicates = new Map<string, number[]>();
  for (const col of def.columns) {
    const names = new Set([normalizeHeader(col.en), normalizeHeader(col.zh)]);
    const at: number[] = [];
    texts.forEach((t, i) => {
      if (t && names.has(t)) at.push(i);
    });
    if (at.length === 1) cols.set(col.key, at[0]);
    else if (at.length > 1) duplicates.set(col.key, at);
  }
  return { cols, duplicates };
}

function locate(snapshot: Snapshot, def: TableDef, findings: Finding[], required: boolean): TableInfo | undefined {
  const raw = findTable(snapshot, def.name);
  if (!raw) {
    if (required)
      findings.push({
        severity: "error",
        code: "missing-table",
        table: def.name,
        zh: `找不到表格 ${def.name}（${def.sheet.zh}）：请先“设置此工作簿”`,
        en: `table ${def.name} (${def.sheet.en}) not found: set up this workbook first`,
      });
    return undefined;
  }
  const headers: unknown[] = Array.isArray(raw.headers) ? raw.headers : [];
  const { cols, duplicates } = findColumns(def, headers);
  // A column found twice is read from neither cell: which one the user means cannot be told.
  for (const [key, at] of duplicates) {
    const col = def.columns.find((c) => c.key === key)!;
    const cells = at.map((i) => cellAddress(raw.sheet, raw.top, raw.left + i));
    const texts = at.map((i) => String(headers[i] ?? "").trim());
    findings.push({
      severity: "error",
      code: "duplicate-column",
      table: def.name,
      sheet: raw.sheet,
      cell: cells[0],
      cells,
      value: texts[0],
      zh: `${cells.join("、")}：表格 ${def.name} 的列“${col.zh}”（${col.en}）出现了 ${at.length} 次（${texts.join("、")}），无法确定该用哪一列，均不读取：请删除或改名多余的列`,
      en: `${cells.join(", ")}: table ${def.name} has the column "${col.en}" (${col.zh}) ${at.length === 2 ? "twice" : `${at.length} times`} (${texts.join(", ")}); which one is meant cannot be told, so neither is read: delete or rename the extra one`,
    });
  }
  for (const col of def.columns) {
    if (col.required && !cols.has(col.key) && !duplicates.has(col.key)) {
      // An error in every table: without the column the table cannot be read or written as the contract says (blockingFindings).
      findings.push({
        severity: "error",
        code: "missing-column",
        table: def.name,
        column: col.key,
        sheet: raw.sheet,
        cell: cellAddress(raw.sheet, raw.top, raw.left),
        zh: `${raw.sheet}：表格 ${def.name} 缺少列“${col.zh}”（${col.en}）：“设置此工作簿”（或 planning-desk init 文件名）会在表格末尾添加它，不改动已填写的单元格`,
        en: `${raw.sheet}: table ${def.name} has no column "${col.en}" (${col.zh}): Set up this workbook (or planning-desk init FILE) adds it at the table's end without touching a typed cell`,
      });
    }
  }
  // Cells saved as a formula without its result, where the schema reads the column: an error, its
  // row left out. Other columns are not read, so their formulas are not this reader's business
  // (the Register's generated deadline columns among them: Excel fills those into new rows).
  const readCols = new Set(cols.values());
  for (const u of raw.uncached ?? []) {
    if (!readCols.has(u.col)) continue;
    const cell = cellAddress(raw.sheet, raw.top + 1 + u.row, raw.left + u.col);
    const f = String(u.formula ?? "").trim();
    const formula = f.startsWith("=") ? f : `=${f}`;
    const header = String(headers[u.col] ?? "").trim();
    findings.push({
      severity: readCols.has(u.col) ? "error" : "warning",
      code: "uncached-formula",
      table: def.name,
      sheet: raw.sheet,
      cell,
      value: formula,
      zh: `${cell}：${header ? `${header}的` : ""}公式 ${formula} 没有保存计算结果：请在 Excel 中打开并保存后再运行`,
      en: `${cell}: ${header ? `${header}: ` : ""}the formula ${formula} has no saved result: open and save the file in Excel, then run again`,
    });
  }
  // Cells the file holds but that could not be read: an error naming the cell, its row left out.
  for (const u of raw.unreadable ?? []) {
    const cell = cellAddress(raw.sheet, raw.top + 1 + u.row, raw.left + u.col);
    findings.push({
      severity: "error",
      code: "unreadable-cell",
      table: def.name,
      sheet: raw.sheet,
      cell,
      zh: `${cell}：${u.zh}`,
      en: `${cell}: ${u.en}`,
    });
  }
  return { raw, cols, lang: headerLang(def, headers) ?? "en" };
}

/** Date pairs of a card that must be in order: the second not before the first. */
const ORDER: [keyof Card, keyof Card][] = [
  ["received", "replied"],
  ["received", "assigned"],
  ["assigned", "brief"],
  ["brief", "countersigned"],
  ["assigned", "due"],
  ["assigned", "framework"],
  ["framework", "draft"],
  ["sent", "closed"],
  ["closed", "archived"],
];

function readRegister(info: TableInfo, findings: Finding[], model: WorkbookModel): void {
  const reader = new TableReader(REGISTER, info, findings);
  const seen = new Map<string, number>();
  const colOf = (key: string) => REGISTER.columns.find((c) => c.key === key)!;
  let from = findings.length;
  for (const row of reader.rows()) {
    const cardNo = row.get("cardNo") as string | undefined;
    let ok = row.ok;
    const bad = [...row.bad];
    if (!cardNo) {
      // No column to read it from (missing or twice), or a row with a formula's value missing: reported already, not again per row.
      if (info.cols.has("cardNo") && !row.uncached)
        reader.report("error", "missing-value", row.index, colOf("cardNo"), null, "卡号为空", "Card No. is empty");
      ok = false;
    } else if (seen.has(cardNo)) {
      reader.report(
        "error",
        "duplicate-card",
        row.index,
        colOf("cardNo"),
        cardNo,
        `卡号 ${cardNo} 重复使用`,
        `card number ${cardNo} is used twice`,
      );
      ok = false;
      bad.push("cardNo");
      model.badCardRows.add(seen.get(cardNo)!);
    } else {
      seen.set(cardNo, row.index);
      model.cardRows.set(cardNo, row.index);
    }
    const card = { ...row.record(), cardNo: cardNo ?? "", key: (row.get("key") as boolean | undefined) ?? false } as Card;
    const extra = extraCells(info, row.index);
    if (extra) card.extra = extra;
    for (const [a, b] of ORDER) {
      const x = card[a] as number | undefined;
      const y = card[b] as number | undefined;
      if (x !== undefined && y !== undefined && y < x) {
        const ca = colOf(a);
        const cb = colOf(b);
        reader.report(
          "error",
          "date-order",
          row.index,
          cb,
          row.raw(b) ?? null,
          `${cb.zh}（${formatSerial(y)}）早于${ca.zh}（${formatSerial(x)}）`,
          `${cb.en} (${formatSerial(y)}) is before ${ca.en} (${formatSerial(x)})`,
        );
        ok = false;
        bad.push(b);
      }
    }
    if (ok) model.cards.push(card);
    else {
      model.badCardRows.add(row.index);
      // The generator's rows are read (and their findings made) before this row's: those after `from` are this row's.
      const own = findings.slice(from).filter((f) => f.severity === "error");
      if (row.uncached) {
        // A formula without its value was reported by `locate`, before the rows were read.
        const t = info.raw;
        const cells = new Set(bad.map((k) => cellAddress(t.sheet, t.top + 1 + row.index, t.left + (info.cols.get(k) ?? 0))));
        own.unshift(
          ...findings.filter(
            (f) => f.code === "uncached-formula" && f.table === REGISTER.name && f.cell !== undefined && cells.has(f.cell),
          ),
        );
        const sheetRow = String(t.top + 2 + row.index);
        own.unshift(
          ...findings.filter(
            (f) =>
              f.code === "unreadable-cell" && f.table === REGISTER.name && f.cell !== undefined && /\d+$/.exec(f.cell)?.[0] === sheetRow,
          ),
        );
      }
      model.partialCards.push({ row: row.index, card, bad: [...new Set(bad)], findings: own });
    }
    from = findings.length;
  }
}

/** The Register columns the center added: header (as typed, trimmed) → column index. */
const EXTRA = new WeakMap<TableInfo, Map<string, number>>();
function extraColumns(info: TableInfo): Map<string, number> {
  const cached = EXTRA.get(info);
  if (cached) return cached;
  const known = new Set(info.cols.values());
  const out = new Map<string, number>();
  info.raw.headers.forEach((h, i) => {
    const name = typeof h === "string" ? h.trim() : h === null || h === undefined ? "" : String(h).trim();
    // A schema column typed twice is a finding of its own, not a column of the center's.
    if (name && !known.has(i) && !out.has(name) && !registerField(name)) out.set(name, i);
  });
  EXTRA.set(info, out);
  return out;
}

/** A row's cells in the columns the center added, blank ones left out; undefined when there are none. */
function extraCells(info: TableInfo, row: number): Record<string, string | number | boolean> | undefined {
  const line = info.raw.rows[row] ?? [];
  let out: Record<string, string | number | boolean> | undefined;
  for (const [name, i] of extraColumns(info)) {
    const v = line[i];
    if (v === null || v === undefined || (typeof v === "string" && !v.trim())) continue;
    out ??= {};
    out[name] = typeof v === "string" ? v.trim() : v;
  }
  return out;
}

/**
 * The columns a route condition may name: the schema's Register columns, then the columns the
 * center added (a number column when every cell it holds is a number, else text).
 */
export function registerFields(info: TableInfo | undefined): (name: string) => FieldSpec | undefined {
  const added = new Map<string, FieldSpec>();
  if (info)
    for (const [name, i] of extraColumns(info)) {
      const values = info.raw.rows.map((r) => r?.[i]).filter((v) => v !== null && v !== undefined && !(typeof v === "string" && !v.trim()));
      const type: FieldType = values.length > 0 && values.every((v) => typeof v === "number") ? "number" : "text";
      added.set(normalizeHeader(name), { key: name, type, zh: name, en: name, extra: true });
    }
  return (name) => registerField(name) ?? added.get(normalizeHeader(name));
}

/** A Staff role as read: one of the six in `role`, any other word (a route's role) in `customRole`. */
function splitRole(role: string | undefined): Pick<StaffMember, "role" | "customRole"> {
  const base = BASE_ROLES.find((b): b is Role => b === role);
  return { role: base, customRole: role !== undefined && !base ? role : undefined };
}

/** A card whose Type the Routes table does not name: a warning with its cell (no route and no deadline applies to it). */
function checkTypes(info: TableInfo, model: WorkbookModel, findings: Finding[]): void {
  if (!info.cols.has("type")) return;
  const reader = new TableReader(REGISTER, info, findings);
  const col = REGISTER.columns.find((c) => c.key === "type")!;
  const types = [...new Set(model.routes.map((r) => r.type))];
  for (const card of model.cards) {
    if (card.type === undefined || knownType(card, model.routes)) continue;
    const row = model.cardRows.get(card.cardNo);
    if (row === undefined) continue;
    reader.report(
      "warning",
      "unknown-type",
      row,
      col,
      card.type,
      `类型“${card.type}”不在审批路线表中（已有：${types.join("、")}）：这张卡没有审批路线，也没有时限`,
      `Type "${card.type}" is not in the Routes table (it has: ${types.join(", ")}): this card has no route and no deadlines`,
    );
  }
}

/**
 * Cards typed into a state no step of the add-in can make, where nobody can move them on
 * (问题): past the countersign with the countersign unfinished, or past the order without a
 * lead. Warnings: the card is still read and counted.
 */
export function stuckReason(card: Card, revisions: readonly Revision[]): "countersign" | "lead" | undefined {
  const stage = stageOf(card, revisions);
  if (countersignUnfinished(card, stage)) return "countersign";
  if (!card.lead && rank(stage) > rank("order") && rank(stage) < rank("closed")) return "lead";
  return undefined;
}

function checkStuck(info: TableInfo, model: WorkbookModel, findings: Finding[]): void {
  const reader = new TableReader(REGISTER, info, findings);
  const col = (key: string) => REGISTER.columns.find((c) => c.key === key)!;
  for (const card of model.cards) {
    // Only a card with an unfinished countersign or without a lead can be stuck: the others cost one look.
    if (!(card.brief !== undefined && card.countersigned === undefined) && card.lead) continue;
    const row = model.cardRows.get(card.cardNo);
    if (row === undefined) continue;
    const stage = stageOf(card, model.revisions);
    const why = stuckReason(card, model.revisions);
    if (why === "countersign")
      reader.report(
        "warning",
        "stuck-card",
        row,
        col("countersigned"),
        null,
        `卡 ${card.cardNo} 已到“${STAGE_WORDS[stage].zh}”阶段，但会签未完成（${col("countersigned").zh}为空）：请待签的人会签，或由秘书转交会签`,
        `card ${card.cardNo} is at "${STAGE_WORDS[stage].en}" but its countersign is not finished (${col("countersigned").en} is empty): the pending signer signs, or the secretary hands the signature over`,
      );
    else if (why === "lead")
      reader.report(
        "warning",
        "stuck-card",
        row,
        col("lead"),
        null,
        `卡 ${card.cardNo} 已到“${STAGE_WORDS[stage].zh}”阶段，但没有项目负责人：请填写项目负责人`,
        `card ${card.cardNo} is at "${STAGE_WORDS[stage].en}" but has no lead: fill in the lead`,
      );
  }
}

function checkPeople(info: TableInfo | undefined, def: TableDef, keys: string[], staff: Set<string>, findings: Finding[]): void {
  if (!info || staff.size === 0) return;
  const reader = new TableReader(def, info, []); // values only; problems were reported already
  for (const row of reader.rows()) {
    for (const key of keys) {
      const name = row.get(key) as string | undefined;
      if (name && !staff.has(name)) {
        const col = def.columns.find((c) => c.key === key)!;
        new TableReader(def, info, findings).report(
          "warning",
          "unknown-person",
          row.index,
          col,
          name,
          `${col.zh}“${name}”不在人员表中`,
          `${col.en}: "${name}" is not in the Staff table`,
        );
      }
    }
  }
}

function readSettings(info: TableInfo | undefined, findings: Finding[]): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  if (!info) return settings;
  const reader = new TableReader(SETTINGS, info, findings);
  const valueCol = SETTINGS.columns[1];
  for (const row of reader.rows()) {
    const keyText = (row.get("key") as string | undefined) ?? "";
    const value = (row.get("value") as string | undefined) ?? "";
    const entry = (Object.entries(SETTING_KEYS) as [SettingKey, (typeof SETTING_KEYS)[SettingKey]][]).find(
      ([, k]) => k.en.toLowerCase() === keyText.toLowerCase() || k.zh === keyText,
    );
    if (!entry || value === "") continue;
    const bad = (zh: string, en: string) =>
      reader.report(
        "warning",
        "bad-setting",
        row.index,
        valueCol,
        value,
        `${keyText}：${zh}，使用默认值`,
        `${keyText}: ${en}; the default applies`,
      );
    switch (entry[0]) {
      case "workingHours": {
        const p = parseWorkingHours(value);
        if ("periods" in p) settings.periods = p.periods;
        else bad(`“${value}”不是有效的工作时间`, p.error);
        break;
      }
      case "timeZone":
        if (isValidTimeZone(value)) settings.timeZone = value;
        else bad(`“${value}”不是时区`, `"${value}" is not a time zone`);
        break;
      case "directorReviewsAll": {
        const b = parseYesNo(value);
        if (b === undefined) bad(`“${value}”应为 是/否`, `"${value}" is not Yes/No`);
        else settings.directorReviewsAll = b;
        break;
      }
      case "cardFormat":
        if (/N+/.test(value)) settings.cardFormat = value;
        else bad("卡号格式必须含流水号 N", "the card-number format needs a running number N");
        break;
      case "lang": {
        const l = value.toLowerCase();
        if (l === "zh" || l === "en" || l === "auto") settings.lang = l;
        else if (value === "中文") settings.lang = "zh";
        else if (value === "英文" || l === "english") settings.lang = "en";
        else bad(`“${value}”应为 zh、en 或 auto`, `"${value}" is not zh, en or auto`);
        break;
      }
      case "onlySelf": {
        const b = parseYesNo(value);
        if (b === undefined) bad(`“${value}”应为 是/否`, `"${value}" is not Yes/No`);
        else settings.onlySelf = b;
        break;
      }
      case "kpiBase": {
        const n = Number(value);
        if (Number.isFinite(n) && n > 0) settings.kpiBase = n;
        else bad(`“${value}”不是正数`, `"${value}" is not a positive number`);
        break;
      }
    }
  }
  return settings;
}

function readRules(info: TableInfo | undefined, findings: Finding[]): RuleDef[] {
  if (!info) return DEFAULT_RULES.map((r) => ({ ...r }));
  const reader = new TableReader(RULES, info, findings);
  const out: RuleDef[] = [];
  for (const row of reader.rows()) {
    if (!row.ok) continue;
    if (row.get("active") === false && row.raw("active") !== null && row.raw("active") !== "") continue;
    const id = row.get("id") as string | undefined;
    const countsText = row.get("counts") as string | undefined;
    if (!id || !countsText) continue;
    const counts = /^D\d+$/i.test(countsText) ? countsText.toUpperCase() : lookup(COUNT_WORDS, countsText);
    if (!counts) {
      reader.report(
        "error",
        "bad-choice",
        row.index,
        RULES.columns[3],
        countsText,
        `计数对象“${countsText}”未知（应为时限编号如 D1、事件类型或“自身原因修改”）`,
        `Counts: "${countsText}" is unknown (a deadline id such as D1, an incident kind, or "Own revision")`,
      );
      continue;
    }
    const conditionText = (row.get("condition") as string | undefined) ?? "";
    const condition = conditionText ? lookup(CONDITIONS, conditionText) : "";
    const kpi = (row.get("kpi") as string | undefined) ?? id;
    const desc = (row.get("description") as string | undefined) ?? "";
    out.push({
      id,
      charge: (row.get("charge") as ChargeRole | undefined) ?? "Planner",
      alsoCharge: (row.get("alsoCharge") as ChargeRole[] | undefined) ?? [],
      counts,
      compare: (row.get("compare") as Compare | undefined) ?? "at least",
      threshold: (row.get("threshold") as number | undefined) ?? 1,
      per: (row.get("per") as Per | undefined) ?? "month",
      kpi: { zh: kpi, en: kpi },
      points: (row.get("points") as number | undefined) ?? 0,
      condition: (condition ?? "") as RuleCondition,
      description: { zh: desc, en: desc },
    });
  }
  return out;
}

function readDeadlines(info: TableInfo | undefined, findings: Finding[], customRoles: ReadonlySet<string>): DeadlineDef[] {
  const defaults = DEFAULT_DEADLINES.map((d) => ({ ...d }));
  if (!info) return defaults;
  const reader = new TableReader(DEADLINES, info, findings, customRoles);
  const fieldOf = (text: string): { table: "Register" | "Revisions"; key: string } | undefined => {
    const t = text.replace(/^(Register|项目登记|Revisions|修改记录)[.．!]/i, "");
    const inRevisions = /^(Revisions|修改记录)[.．!]/i.test(text);
    const pool = inRevisions ? REVISIONS.columns : REGISTER.columns;
    const col = pool.find(
      (c) => c.type === "date" && (c.key.toLowerCase() === t.toLowerCase() || c.en.toLowerCase() === t.toLowerCase() || c.zh === t),
    );
    if (!col) return undefined;
    return { table: inRevisions ? "Revisions" : "Register", key: col.key };
  };
  const out: DeadlineDef[] = [];
  for (const row of reader.rows()) {
    if (!row.ok) continue;
    const id = (row.get("id") as string | undefined)?.toUpperCase();
    if (!id) continue;
    const starts = fieldOf((row.get("starts") as string) ?? "");
    const endsText = (row.get("ends") as string | undefined) ?? "";
    // No Ends: a reminder-only duty (a countdown milestone), on the Starts column's table.
    const ends = endsText === "" && starts ? { table: starts.table, key: "" } : fieldOf(endsText);
    if (!starts || !ends || starts.table !== ends.table) {
      reader.report(
        "error",
        "bad-choice",
        row.index,
        DEADLINES.columns[2],
        (row.get("starts") as string) ?? null,
        "开始/结束必须是同一表格中的日期列",
        "Starts and Ends must be date columns of one table",
      );
      continue;
    }
    const base = defaults.find((d) => d.id === id);
    const name = (row.get("name") as string | undefined) ?? base?.name.en ?? id;
    out.push({
      id,
      name: { zh: name, en: name },
      table: starts.table,
      starts: starts.key,
      ends: ends.key,
      amount: (row.get("amount") as number | undefined) ?? base?.amount ?? 1,
      unit: (row.get("unit") as DeadlineUnit | undefined) ?? "business days",
      role: (row.get("role") as string | undefined) ?? base?.role ?? "Planner",
      onlyClientRevisions: starts.table === "Revisions" ? (base?.onlyClientRevisions ?? true) : undefined,
      note: row.get("note") as string | undefined,
      types: typesOf(row.get("type")),
      ...repeatOf(reader, row.index, row.get("repeat"), ends.key),
    });
  }
  return out;
}

/** A Deadlines row's Repeat cell (每周一 / weekly Mon): its weekday; anything else is an error with its cell and the row is read as once. */
function repeatOf(reader: TableReader, row: number, v: unknown, ends: string): { repeat?: number } {
  if (typeof v !== "string" || !v.trim()) return {};
  const col = DEADLINES.columns.find((c) => c.key === "repeat") ?? DEADLINES.columns[0];
  const w = parseRepeat(v);
  if (w === undefined || ends !== "") {
    reader.report(
      "error",
      "bad-choice",
      row,
      col,
      v,
      w === undefined
        ? `重复“${v}”无法读取：应为 每周一 … 每周日（或 weekly Mon … Sun）；这一行按一次性时限读入`
        : `重复“${v}”只用于没有“结束”列的时限（由“完成里程碑”完成）；这一行按一次性时限读入`,
      w === undefined
        ? `Repeat "${v}" cannot be read: expected 每周一 … 每周日 (or weekly Mon … Sun); the row is read as a one-off deadline`
        : `Repeat "${v}" applies only to a deadline with no Ends (completed by Milestone done); the row is read as a one-off deadline`,
    );
    return {};
  }
  return { repeat: w };
}

/** The card types a Deadlines row's Type cell names (`客户活动/工单`); undefined when empty (策划提案). */
function typesOf(v: unknown): string[] | undefined {
  if (typeof v !== "string" || !v.trim()) return undefined;
  return v
    .split(/[/／、,，]/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => typeKey(t));
}

const FIELD_TYPE: Partial<Record<ColumnDef["type"], FieldType>> = { date: "date", bool: "bool", number: "number" };

/** The Register column a condition names (either header language, case and surrounding spaces ignored). */
export function registerField(name: string): FieldSpec | undefined {
  const n = normalizeHeader(name);
  const col = REGISTER.columns.find((c) => normalizeHeader(c.en) === n || normalizeHeader(c.zh) === n);
  return col ? { key: col.key, type: FIELD_TYPE[col.type] ?? "text", zh: col.zh, en: col.en } : undefined;
}

/** The default routes (seeds 000, 002, 003) as steps; their conditions always parse. */
export function defaultRouteSteps(): RouteStep[] {
  return DEFAULT_ROUTES.map((r) => {
    const step: RouteStep = { type: r.type, step: r.step, roles: [...r.roles], all: r.all, limit: r.limit, escalate: r.escalate };
    if (r.condition) {
      const c = parseCondition(r.condition.zh, registerField);
      if (isConditionError(c)) throw new Error(`default route condition ${r.condition.zh}: ${c.en}`);
      step.condition = c;
      step.conditionText = r.condition.zh;
    }
    return step;
  });
}

/**
 * The Routes table's steps. A condition that cannot be read is an error naming its cell, and its
 * step then applies to every card of the type: an unreadable condition never lets a card skip a
 * sign-off. A row without a type, step number or role is an error and left out.
 */
function readRoutes(
  info: TableInfo | undefined,
  findings: Finding[],
  field: (name: string) => FieldSpec | undefined = registerField,
): RouteStep[] {
  if (!info) return defaultRouteSteps();
  const reader = new TableReader(ROUTES, info, findings);
  const col = (key: string) => ROUTES.columns.find((c) => c.key === key)!;
  const out: RouteStep[] = [];
  for (const row of reader.rows()) {
    if (!row.ok) continue;
    const type = row.get("type");
    const step = row.get("step");
    const roles = row.get("roles");
    const missing =
      typeof type !== "string"
        ? "type"
        : typeof step !== "number"
          ? "step"
          : !Array.isArray(roles) || roles.length === 0
            ? "roles"
            : undefined;
    if (missing) {
      const c = col(missing);
      reader.report(
        "error",
        "missing-value",
        row.index,
        c,
        row.raw(missing) ?? null,
        `${c.zh}为空：这一步未读入`,
        `${c.en} is empty: this step is left out`,
      );
      continue;
    }
    const limit = row.get("limit");
    if (typeof limit === "number" && limit < 0) {
      reader.report("error", "bad-number", row.index, col("limit"), limit, `时限 ${limit} 不能为负数`, `Limit ${limit} cannot be negative`);
      continue;
    }
    const escalate = row.get("escalate");
    const out1: RouteStep = {
      type: typeKey(String(type)),
      step: Number(step),
      roles: (roles as unknown[]).map(String),
      all: row.get("all") === true,
      limit: typeof limit === "number" ? limit : undefined,
      escalate: typeof escalate === "string" ? roleKeyOf(escalate) : undefined,
    };
    const cond = row.get("condition");
    if (typeof cond === "string" && cond.trim()) {
      out1.conditionText = cond;
      const parsed = parseCondition(cond, field);
      if (isConditionError(parsed)) {
        reader.report(
          "error",
          "bad-condition",
          row.index,
          col("condition"),
          cond,
          `条件“${cond}”无法读取：${parsed.zh}；在修正之前，这一步对该类型的每张卡都适用`,
          `Condition "${cond}" cannot be read: ${parsed.en}; until it is fixed, this step applies to every card of the type`,
        );
        out1.unreadable = true;
      } else out1.condition = parsed;
    }
    out.push(out1);
  }
  return out;
}

/** The role keys a table's column holds beyond the six of seed 000 (raw cells, before they are read). */
function rawWords(info: TableInfo | undefined, key: string): string[] {
  const i = info?.cols.get(key);
  if (!info || i === undefined) return [];
  const out: string[] = [];
  for (const line of info.raw.rows) {
    const v = line?.[i];
    if (typeof v !== "string" || !v.trim() || lookup(ROLES, v)) continue;
    out.push(roleKeyOf(v));
  }
  return out;
}

/** Reads a whole snapshot into the model, with every finding. */
export function readWorkbook(snapshot: Snapshot): ReadResult {
  const findings: Finding[] = [];
  const model: WorkbookModel = {
    cards: [],
    revisions: [],
    incidents: [],
    staff: [],
    calendar: [],
    log: [],
    penalties: [],
    rules: [],
    deadlines: [],
    standards: DEFAULT_STANDARDS.map((s) => ({ ...s })),
    settings: { ...DEFAULT_SETTINGS },
    routes: [],
    tables: new Map(),
    cardRows: new Map(),
    badCardRows: new Set(),
    partialCards: [],
  };
  const locateAll = (def: TableDef, required: boolean) => {
    const info = locate(snapshot, def, findings, required);
    if (info) model.tables.set(def.name, info);
    return info;
  };
  /** The parsed rows of a table as records; rows with an error are left out unless `withBad`. */
  const records = <T>(info: TableInfo | undefined, def: TableDef, withBad = false, customRoles?: ReadonlySet<string>): T[] =>
    info ? [...new TableReader(def, info, findings, customRoles).rows()].filter((r) => withBad || r.ok).map((r) => r.record() as T) : [];

  const register = locateAll(REGISTER, true);
  if (register) readRegister(register, findings, model);

  // Routes first: the roles they name are Staff roles too (roles as data).
  model.routes = readRoutes(locateAll(ROUTES, false), findings, registerFields(register));
  const customRoles = new Set(
    model.routes.flatMap((r) => [...r.roles, ...(r.escalate ? [r.escalate] : [])]).filter((r) => !BASE_ROLES.includes(r)),
  );
  if (register) checkTypes(register, model, findings);

  const staffInfo = locateAll(STAFF, false);
  // A deadline's role is a Staff role too (roles as data): any role word its Role cell holds.
  const deadlinesInfo = locateAll(DEADLINES, false);
  for (const w of rawWords(deadlinesInfo, "role")) customRoles.add(w);
  model.staff = records<StaffMember>(staffInfo, STAFF, false, customRoles)
    .filter((s) => s.name)
    .map((s) => ({ ...s, active: s.active ?? false, ...splitRole(s.role) }));
  model.revisions = records<Revision>(locateAll(REVISIONS, false), REVISIONS).map((r) => ({
    ...r,
    cardNo: r.cardNo ?? "",
    major: r.major ?? false,
  }));
  const incInfo = locateAll(INCIDENTS, false);
  model.incidents = records<Incident>(incInfo, INCIDENTS);
  model.calendar = records<CalendarEntry>(locateAll(CALENDAR, false), CALENDAR)
    .filter((e) => e.date !== undefined && e.type)
    .map((e) => ({ ...e, date: Math.floor(e.date) }));
  // The log keeps every row, even one with a bad cell: its hash chain is checked row by row.
  model.log = records<LogEntry>(locateAll(COUNTERSIGN_LOG, false), COUNTERSIGN_LOG, true);
  attachMilestones(model.cards, model.log);
  model.penalties = records<PenaltyRow>(locateAll(PENALTIES, false), PENALTIES).map((p) => ({
    ...p,
    month: String(p.month ?? ""),
    person: p.person ?? "",
    kpi: p.kpi ?? "",
    points: p.points ?? 0,
    rule: p.rule ?? "",
    evidence: p.evidence ?? "",
  }));

  model.rules = readRules(locateAll(RULES, false), findings);
  // A deadline's Role: one of the six, a role a route uses, or one Staff holds.
  const staffRoles = new Set([...model.routes.flatMap((r) => [...r.roles, ...(r.escalate ? [r.escalate] : [])])]);
  for (const s of model.staff) if (s.customRole !== undefined) staffRoles.add(roleKeyOf(s.customRole));
  model.deadlines = readDeadlines(deadlinesInfo, findings, staffRoles);
  const stdInfo = locateAll(STANDARDS, false);
  if (stdInfo) {
    const rows: StandardDef[] = [];
    for (const row of new TableReader(STANDARDS, stdInfo, findings).rows()) {
      const d = row.get("deliverable") as string | undefined;
      if (!row.ok || !d) continue;
      rows.push({
        deliverable: { zh: d, en: d },
        minDays: (row.get("minDays") as number) ?? 0,
        maxDays: (row.get("maxDays") as number) ?? 0,
      });
    }
    model.standards = rows;
  }
  model.settings = readSettings(locateAll(SETTINGS, false), findings);

  const names = new Set(model.staff.map((s) => s.name));
  checkPeople(register, REGISTER, ["initiator", "ae", "lead", "reviewer", "secretary"], names, findings);
  checkPeople(incInfo, INCIDENTS, ["person"], names, findings);
  checkPeople(staffInfo, STAFF, ["backup"], names, findings);
  if (register) checkStuck(register, model, findings);
  return { model, findings };
}

/**
 * The findings that make writing from this workbook unsafe: its structure is broken, so
 * what would be computed or written cannot be trusted. They are
 *
 * - no Register table (`missing-table` for Register): no card can be read;
 * - a required column missing in any table (`missing-column`): its values would be taken as
 *   empty or as the defaults (wrong penalties), and rows written to that table would lack it;
 * - a column of the schema present twice (`duplicate-column`): which one the user means
 *   cannot be told, so it is read from neither.
 *
 * Cell-level problems (a bad date, a date out of range, a formula without its value, …)
 * are not here: their row is left out and reported, and the rest is computed. Callers
 * refuse to write (`report`, and `init` for duplicates) while this is non-empty.
 */
export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter(
    (f) => (f.code === "missing-table" && f.table === REGISTER.name) || f.code === "missing-column" || f.code === "duplicate-column",
  );
}

/** The serial of the first day of a year, for coverage checks. */
export const yearStart = (year: number): number => serialDay(year, 1, 1);
