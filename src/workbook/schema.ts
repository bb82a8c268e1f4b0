/**
 * The workbook contract (shared/workbook-schema.md) in code: every table's name, its
 * sheet's default name, and its columns with English and Chinese headers and types.
 * Tables are found by table name, columns by header text (either language, case and
 * surrounding spaces ignored); columns users add are kept and never touched.
 */

import type { CalendarEntry, IncidentKind, Intake, RevisionReason, Role } from "../core/model";
import type { DeadlineUnit } from "../core/rules/deadlines";
import type { ChargeRole, Compare, Per } from "../core/rules/penalties";

/**
 * Each column type and the value the reader gives for one of its cells (blank cells give
 * `undefined`, except Yes/No, blank = No, and charge-role lists, blank = none). The model's
 * records are built from these: a column whose type changes breaks the build where its
 * values are used.
 */
export interface ColumnValues {
  text: string;
  /** An Excel serial (wall clock), within the calendar's range. */
  date: number;
  bool: boolean;
  number: number;
  role: Role;
  intake: Intake;
  reason: RevisionReason;
  kind: IncidentKind;
  caltype: CalendarEntry["type"];
  chargeRole: ChargeRole;
  chargeRoles: ChargeRole[];
  compare: Compare;
  per: Per;
  unit: DeadlineUnit;
  /** `YYYY-MM`. */
  month: string;
  deadlineField: string;
  /** A Staff role: one of the six of seed 000, or any word a route or a deadline uses (its role key). */
  staffRole: string;
  /** Route roles: words separated by `/` (Routes → Roles), as role keys. */
  roleList: string[];
}

export type ColumnType = keyof ColumnValues;

export interface ColumnDef<K extends string = string, T extends ColumnType = ColumnType> {
  readonly key: K;
  readonly en: string;
  readonly zh: string;
  readonly type: T;
  /** A table without this column is reported and gets it added at its end by set-up. */
  readonly required?: boolean;
  /** Optional, but set-up adds it at the end of an existing table that lacks it (the Register's Type … Planned, Deadlines' Type). */
  readonly setup?: boolean;
}

export type TableName =
  | "Register"
  | "Revisions"
  | "Incidents"
  | "Staff"
  | "Calendar"
  | "CountersignLog"
  | "Penalties"
  | "Rules"
  | "Deadlines"
  | "Standards"
  | "Settings"
  | "Routes";

/** A table of the contract; `C` is its columns, as declared (keys and types known to the compiler). */
export interface TableDef<C extends readonly ColumnDef[] = readonly ColumnDef[]> {
  readonly name: TableName;
  readonly sheet: { readonly en: string; readonly zh: string };
  readonly columns: C;
  /** Who writes its rows: people, the add-in (append-only), a generator, or configuration. */
  readonly owner: "people" | "log" | "generated" | "config";
  /** Column whose value identifies a row (card number), when there is one. */
  readonly keyColumn?: C[number]["key"];
}

/** The column keys of a table. */
export type KeyOf<D extends TableDef> = D["columns"][number]["key"];
/** The column of a table with key `K`. */
export type ColumnOf<D extends TableDef, K extends KeyOf<D>> = Extract<D["columns"][number], { key: K }>;
/** The value the reader gives for a cell of column `K` (undefined aside). */
export type ValueOf<D extends TableDef, K extends KeyOf<D>> = ColumnValues[ColumnOf<D, K>["type"]];
/** A row of a table as read: each column's value by its key, absent when blank or unreadable. */
export type RowOf<D extends TableDef> = { [K in KeyOf<D>]?: ValueOf<D, K> };
/** The keys of a table's date columns. */
export type DateKeyOf<D extends TableDef> = Extract<D["columns"][number], { type: "date" }>["key"];

/** Declares a table: its columns' keys and types are kept (a typo in a key is a compile error). */
const table = <const C extends readonly ColumnDef[]>(def: TableDef<C>): TableDef<C> => def;

/** A column (text unless a type is given). */
function c<K extends string>(key: K, en: string, zh: string): ColumnDef<K, "text">;
function c<K extends string, T extends ColumnType>(key: K, en: string, zh: string, type: T, required?: boolean): ColumnDef<K, T>;
function c(key: string, en: string, zh: string, type: ColumnType = "text", required = false): ColumnDef {
  return { key, en, zh, type, required };
}
/** An optional column that set-up adds to an existing table (card types, seeds 002–004). */
function added<K extends string>(key: K, en: string, zh: string): ColumnDef<K, "text">;
function added<K extends string, T extends ColumnType>(key: K, en: string, zh: string, type: T): ColumnDef<K, T>;
function added(key: string, en: string, zh: string, type: ColumnType = "text"): ColumnDef {
  return { key, en, zh, type, required: false, setup: true };
}

export const REGISTER = table({
  name: "Register",
  sheet: { en: "Register", zh: "项目登记" },
  owner: "people",
  keyColumn: "cardNo",
  columns: [
    c("cardNo", "Card No.", "卡号", "text", true),
    c("project", "Project", "项目名称", "text", true),
    c("client", "Client", "客户"),
    c("deliverable", "Deliverable", "工作类型"),
    c("key", "Key", "重点项目", "bool", true),
    c("intake", "Intake", "接单途径", "intake", true),
    c("initiator", "Initiator", "需求发起人", "text", true),
    c("ae", "AE", "AE", "text", true),
    c("lead", "Lead", "项目负责人", "text", true),
    c("reviewer", "Reviewer", "审核人"),
    c("secretary", "Secretary", "秘书"),
    c("received", "Received", "需求接收", "date", true),
    c("replied", "Replied", "回复客户", "date", true),
    c("assigned", "Assigned", "指派", "date", true),
    c("brief", "Brief", "需求单", "date", true),
    c("countersigned", "Countersigned", "会签完成", "date", true),
    c("due", "Due", "交稿时间", "date", true),
    c("framework", "Framework", "框架", "date", true),
    c("draft", "Draft", "初稿", "date", true),
    c("reviewed", "Reviewed", "经理审核", "date", true),
    c("directorReviewed", "Director Reviewed", "总监审核", "date", true),
    c("sent", "Sent", "发送客户", "date", true),
    c("closed", "Closed", "结束", "date", true),
    c("archived", "Archived", "归档", "date", true),
    c("stage", "Stage", "阶段", "text", true),
    // Card types and routes (seeds 002–004): optional; a Register without them holds proposals only.
    added("type", "Type", "类型"),
    added("headcount", "Headcount", "人数", "number"),
    added("budget", "Budget", "预算", "number"),
    added("eventDate", "Event Date", "活动日期", "date"),
    added("planned", "Planned", "计划内", "bool"),
  ],
});

export const REVISIONS = table({
  name: "Revisions",
  sheet: { en: "Revisions", zh: "修改记录" },
  owner: "people",
  columns: [
    c("cardNo", "Card No.", "卡号", "text", true),
    c("requested", "Requested", "提出时间", "date", true),
    c("relayed", "Relayed", "转达时间", "date", true),
    c("reason", "Reason", "原因", "reason", true),
    c("major", "Major", "重大修改", "bool", true),
    c("note", "Note", "备注"),
  ],
});

export const INCIDENTS = table({
  name: "Incidents",
  sheet: { en: "Incidents", zh: "事件" },
  owner: "people",
  columns: [
    c("date", "Date", "日期", "date", true),
    c("cardNo", "Card No.", "卡号", "text", true),
    c("kind", "Kind", "类型", "kind", true),
    c("person", "Person", "责任人"),
    c("note", "Note", "备注"),
  ],
});

export const STAFF = table({
  name: "Staff",
  sheet: { en: "Staff", zh: "人员" },
  owner: "people",
  columns: [
    c("name", "Name", "姓名", "text", true),
    c("role", "Role", "角色", "staffRole", true),
    c("backup", "Backup", "备份人"),
    c("active", "Active", "在职", "bool", true),
    // Optional, for reminders (planning-desk remind): @-mentions in DingTalk/WeCom (mobile), Feishu and e-mail (e-mail).
    // Set-up gives them to new workbooks only: an existing Staff table is read with or without them.
    c("mobile", "Mobile", "手机"),
    c("email", "Email", "邮箱"),
    // Optional: the Office account (user principal name) the person signs in with; the pane pre-selects them by it.
    // Set-up adds it to an existing Staff table too (empty: each person's account is typed there).
    added("account", "Account", "账号"),
  ],
});

export const CALENDAR = table({
  name: "Calendar",
  sheet: { en: "Calendar", zh: "日历" },
  owner: "people",
  columns: [c("date", "Date", "日期", "date", true), c("type", "Type", "类型", "caltype", true), c("note", "Note", "备注")],
});

export const COUNTERSIGN_LOG = table({
  name: "CountersignLog",
  sheet: { en: "Countersign Log", zh: "会签记录" },
  owner: "log",
  columns: [
    c("time", "Time", "时间", "date", true),
    c("cardNo", "Card No.", "卡号", "text", true),
    c("action", "Action", "操作", "text", true),
    c("actor", "Actor", "操作人", "text", true),
    c("role", "Role", "角色", "text", true),
    c("note", "Note", "备注"),
    // Optional: the Office account signed in when the add-in wrote the row (hashed when present); old logs have none.
    c("account", "Account", "账号"),
    c("hash", "Hash", "校验", "text", true),
  ],
});

export const PENALTIES = table({
  name: "Penalties",
  sheet: { en: "Penalties", zh: "扣分" },
  owner: "generated",
  columns: [
    c("month", "Month", "月份", "month", true),
    c("person", "Person", "责任人", "text", true),
    c("role", "Role", "角色", "text", true),
    c("kpi", "KPI", "考核指标", "text", true),
    c("points", "Points", "扣分", "number", true),
    c("rule", "Rule", "规则", "text", true),
    c("evidence", "Evidence", "依据", "text", true),
  ],
});

export const RULES = table({
  name: "Rules",
  sheet: { en: "Rules", zh: "扣分规则" },
  owner: "config",
  columns: [
    c("id", "Rule", "规则", "text", true),
    c("charge", "Charge", "责任角色", "chargeRole", true),
    c("alsoCharge", "Also Charge", "连带角色", "chargeRoles"),
    c("counts", "Counts", "计数对象", "text", true),
    c("compare", "Compare", "比较", "compare", true),
    c("threshold", "Threshold", "次数", "number", true),
    c("per", "Per", "计算方式", "per", true),
    c("kpi", "KPI", "考核指标", "text", true),
    c("points", "Points", "扣分", "number", true),
    c("condition", "Condition", "条件", "text"),
    c("description", "Description", "说明"),
    c("active", "Active", "启用", "bool"),
  ],
});

export const DEADLINES = table({
  name: "Deadlines",
  sheet: { en: "Deadlines", zh: "时限" },
  owner: "config",
  columns: [
    c("id", "Deadline", "时限", "text", true),
    c("name", "Name", "名称"),
    c("starts", "Starts", "开始", "deadlineField", true),
    c("ends", "Ends", "结束", "deadlineField", true),
    c("amount", "Amount", "时长", "number", true),
    c("unit", "Unit", "单位", "unit", true),
    c("role", "Role", "责任角色", "staffRole", true),
    c("note", "Note", "备注"),
    // The card types it applies to, separated by `/`; empty = 策划提案.
    added("type", "Type", "类型"),
    // A recurring duty: the weekday it repeats on while the card is open (每周一 / weekly Mon); empty = once.
    added("repeat", "Repeat", "重复"),
  ],
});

export const ROUTES = table({
  name: "Routes",
  sheet: { en: "Routes", zh: "审批路线" },
  owner: "config",
  columns: [
    c("type", "Type", "类型", "text", true),
    c("step", "Step", "步骤", "number", true),
    c("roles", "Roles", "角色", "roleList", true),
    c("all", "All", "全部", "bool", true),
    c("condition", "Condition", "条件"),
    c("limit", "Limit", "时限", "number"),
    c("escalate", "Escalate", "上报"),
    c("note", "Note", "备注"),
  ],
});

export const STANDARDS = table({
  name: "Standards",
  sheet: { en: "Standards", zh: "工作时限标准" },
  owner: "config",
  columns: [
    c("deliverable", "Deliverable", "工作类型", "text", true),
    c("minDays", "Min Days", "最短工作日", "number", true),
    c("maxDays", "Max Days", "最长工作日", "number", true),
    c("note", "Note", "备注"),
  ],
});

export const SETTINGS = table({
  name: "Settings",
  sheet: { en: "Settings", zh: "设置" },
  owner: "config",
  columns: [c("key", "Setting", "设置项", "text", true), c("value", "Value", "值", "text", true), c("note", "Note", "说明")],
});

export const TABLES: readonly TableDef[] = [
  REGISTER,
  REVISIONS,
  INCIDENTS,
  STAFF,
  CALENDAR,
  COUNTERSIGN_LOG,
  PENALTIES,
  RULES,
  DEADLINES,
  STANDARDS,
  SETTINGS,
  ROUTES,
];

export function tableDef(name: TableName): TableDef {
  const def = TABLES.find((t) => t.name === name);
  if (!def) throw new Error(`no table ${name}`);
  return def;
}

/** The column of `def` with key `key` (a key the table does not declare does not compile). */
export function column<D extends TableDef, K extends KeyOf<D>>(def: D, key: K): ColumnOf<D, K> {
  const col = def.columns.find((c): c is ColumnOf<D, K> => c.key === key);
  if (!col) throw new Error(`table ${def.name} has no column ${key}`);
  return col;
}

/** Header text as compared: case and surrounding (also full-width) spaces ignored. */
export const normalizeHeader = (h: unknown): string =>
  String(h ?? "")
    .replace(/^[\s\u3000]+|[\s\u3000]+$/g, "")
    .toLowerCase();

/** Finds each column of `def` in `headers`: key → index (absent columns are missing). */
export function mapColumns(def: TableDef, headers: readonly unknown[]): Map<string, number> {
  const byText = new Map<string, number>();
  headers.forEach((h, i) => {
    const n = normalizeHeader(h);
    if (n && !byText.has(n)) byText.set(n, i);
  });
  const out = new Map<string, number>();
  for (const col of def.columns) {
    const i = byText.get(normalizeHeader(col.en)) ?? byText.get(normalizeHeader(col.zh));
    if (i !== undefined) out.set(col.key, i);
  }
  return out;
}

/** The language a table's headers are written in: the one more of its headers match; undefined on a tie. */
export function headerLang(def: TableDef, headers: readonly unknown[]): "zh" | "en" | undefined {
  const texts = headers.map(normalizeHeader);
  const zh = def.columns.filter((c) => texts.includes(normalizeHeader(c.zh))).length;
  const en = def.columns.filter((c) => texts.includes(normalizeHeader(c.en))).length;
  return zh > en ? "zh" : en > zh ? "en" : undefined;
}

/** The KPI sheet of a month: sheet `KPI YYYY-MM`, table `KPI_YYYY_MM`. */
export const kpiSheetName = (month: string): string => `KPI ${month}`;
export const kpiTableName = (month: string): string => `KPI_${month.replace("-", "_")}`;
