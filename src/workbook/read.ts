/**
 * Rows become typed records; every problem becomes a finding with its table, cell address,
 * value and what is wrong, in Chinese and English. A row with an error is left out of the
 * computations (never guessed); missing configuration tables mean the defaults.
 * A date the calendar cannot compute with (outside 1900-03-01 … 2199-12-31) and a formula
 * saved without its value are such cell errors. A schema column present twice is read from
 * neither cell. `blockingFindings` picks the findings that make writing unsafe.
 */
import { CalendarEntry, StaffMember } from "../core/model";
import { serialDay } from "../core/calendar";
import { DEFAULT_STANDARDS, StandardDef } from "../core/rules/standards";
import { BASE_ROLES, roleKeyOf } from "../core/routes/roles";
import { attachMilestones } from "../core/workflow/milestones";
import { DEFAULT_SETTINGS } from "../core/settings";
import { Snapshot } from "./port";
import {
  CALENDAR,
  COUNTERSIGN_LOG,
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
  RowOf,
  TableDef,
} from "./schema";
import { Finding, ReadResult, TableInfo, WorkbookModel } from "./read/model";
import { locate } from "./read/locate";
import { checkPeople, checkStuck, checkTypes, readRegister, splitRole } from "./read/register";
import { readSettings } from "./read/settings";
import { readDeadlines, readRules } from "./read/rules";
import { readRoutes } from "./read/routes";
import { registerFields } from "./read/extra";
import { ROLES, lookup } from "./vocab";
import { RowMemo, TableReader } from "./read/table-reader";

export type { Finding, PartialCard, ReadResult, Severity, TableInfo, WorkbookModel } from "./read/model";
export { stuckReason } from "./read/register";
export { defaultRouteSteps, registerField } from "./read/routes";

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

/**
 * The Countersign Log's rows as parsed, kept between reads: it is the longest table and only
 * grows, and an action re-reads it twice (before and after its write). See RowMemo.
 */
const LOG_MEMO: RowMemo = new WeakMap();

/**
 * Reads a whole snapshot into the model, with every finding. `once`: no later read will hand
 * over these rows again (the command line reads each file once): the log's rows are not kept
 * in LOG_MEMO, whose keeping costs more than parsing them (twice the log's reading time, and
 * its garbage collection, on a 200,000-row log).
 */
export function readWorkbook(snapshot: Snapshot, { once = false }: { once?: boolean } = {}): ReadResult {
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
  const records = <D extends TableDef>(
    info: TableInfo | undefined,
    def: D,
    withBad = false,
    customRoles?: ReadonlySet<string>,
  ): RowOf<D>[] =>
    info
      ? new TableReader(def, info, findings, customRoles, !once && def.name === COUNTERSIGN_LOG.name ? LOG_MEMO : undefined).records(
          withBad,
        )
      : [];

  const register = locateAll(REGISTER, true);
  const registerRows = register ? readRegister(register, findings, model) : undefined;

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
  model.staff = records(staffInfo, STAFF, false, customRoles).flatMap(({ name, active, role, ...s }): StaffMember[] =>
    name ? [{ ...s, name, active: active ?? false, ...splitRole(role) }] : [],
  );
  model.revisions = records(locateAll(REVISIONS, false), REVISIONS).map((r) => ({
    ...r,
    cardNo: r.cardNo ?? "",
    major: r.major ?? false,
  }));
  const incInfo = locateAll(INCIDENTS, false);
  model.incidents = records(incInfo, INCIDENTS);
  model.calendar = records(locateAll(CALENDAR, false), CALENDAR).flatMap((e): CalendarEntry[] =>
    e.date !== undefined && e.type ? [{ ...e, date: Math.floor(e.date), type: e.type }] : [],
  );
  // The log keeps every row, even one with a bad cell: its hash chain is checked row by row.
  model.log = records(locateAll(COUNTERSIGN_LOG, false), COUNTERSIGN_LOG, true);
  attachMilestones(model.cards, model.log);
  model.penalties = records(locateAll(PENALTIES, false), PENALTIES).map((p) => ({
    ...p,
    month: p.month ?? "",
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
      const d = row.get("deliverable");
      if (!row.ok || !d) continue;
      rows.push({
        deliverable: { zh: d, en: d },
        minDays: row.get("minDays") ?? 0,
        maxDays: row.get("maxDays") ?? 0,
      });
    }
    model.standards = rows;
  }
  model.settings = readSettings(locateAll(SETTINGS, false), findings);

  const names = new Set(model.staff.map((s) => s.name));
  checkPeople(register, REGISTER, ["initiator", "ae", "lead", "reviewer", "secretary"], names, findings, registerRows);
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
