/**
 * Month end in the workbook: the Penalties rows of one month and the `KPI YYYY-MM` sheet,
 * as one change set. Decisions are core's (rules/monthly.ts, kpi/kpi.ts); this file only
 * turns them into rows, in the language of the workbook's headers.
 *
 * Which Penalties rows are replaced: the rows of that month whose Rule is the id of a rule
 * in the Rules table (the rows this generator writes). Rows of other months, and rows a
 * person typed with another rule text (for instance 手工 or empty), are kept. Running the
 * month twice gives the same table.
 */
import type { BusinessCalendar } from "../core/calendar";
import { monthKeyOf } from "../core/calendar";
import { KpiSheet, computeKpi } from "../core/kpi/kpi";
import { MonthEvaluation, evaluateMonth, evidenceText } from "../core/rules/monthly";
import { calendarOf } from "./calendar";
import { formatsFor } from "./cells";
import { CellValue, ChangeSet, WorkbookPort, emptyChangeSet } from "./port";
import { PENALTIES, REGISTER, kpiSheetName, kpiTableName } from "./schema";
import { Finding, WorkbookModel, blockingFindings, readWorkbook } from "./read";
import type { DeadlineDef } from "../core/rules/deadlines";
import { CHARGE_ROLES, ROLES, word } from "./vocab";

export type Lang = "zh" | "en";

/** One person in the month-end preview: the split per KPI, not only the total. */
export interface PreviewRow {
  person: string;
  role?: string;
  byKpi: { kpi: { zh: string; en: string }; points: number; rules: string[]; cards: string[] }[];
  total: number;
  score: number;
}

/** The preview rows: people with deductions, most points off first, each with the KPIs they lose points on and the rules and cards behind them. */
export function previewRows(evaluation: MonthEvaluation, kpi: KpiSheet): PreviewRow[] {
  return kpi.rows
    .filter((r) => r.total > 0)
    .map((r) => ({
      person: r.person,
      role: r.role,
      total: r.total,
      score: r.score,
      byKpi: kpi.kpis
        .map((k, i) => {
          const ps = evaluation.penalties.filter((p) => p.person === r.person && p.rule.kpi.zh === k.zh);
          return {
            kpi: k,
            points: r.deductions[i],
            rules: [...new Set(ps.map((p) => p.rule.id))],
            cards: [...new Set(ps.flatMap((p) => p.cards))],
          };
        })
        .filter((x) => x.points > 0),
    }))
    .sort((a, b) => b.total - a.total || a.person.localeCompare(b.person));
}

export interface MonthReport {
  month: string;
  lang: Lang;
  evaluation: MonthEvaluation;
  kpi: KpiSheet;
  /** The Penalties rows written, in the contract's column order. */
  penaltyRows: CellValue[][];
  kpiHeaders: string[];
  kpiRows: CellValue[][];
  /** Where the headline columns are in `kpiHeaders`. */
  kpiCols: { deductions: number; score: number; cards: number; rate: number; days: number };
  /** The preview: per person, the points off each KPI (only the KPIs with points), the total and the score. */
  preview: PreviewRow[];
  /** Penalties rows of the month that are replaced (indexes in the table's body). */
  replacedRows: number[];
  changes: ChangeSet;
}

/** The month before the one `now` falls in: what month end usually means. */
export function lastMonth(now: number): string {
  const [y, m] = monthKeyOf(now).split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** The language the generated rows speak: the Penalties table's headers, else the Register's. */
export function outputLang(model: WorkbookModel, fallback: Lang): Lang {
  return model.tables.get("Penalties")?.lang ?? model.tables.get("Register")?.lang ?? fallback;
}

function kpiTable(
  kpi: KpiSheet,
  lang: Lang,
): { headers: string[]; rows: CellValue[][]; scoreCol: number; rateCol: number; percentCols: number[]; numberCols: number[] } {
  const zh = lang === "zh";
  const headers = [zh ? "姓名" : "Person", zh ? "角色" : "Role"];
  for (const k of kpi.kpis) headers.push(zh ? `扣分-${k.zh}` : `Off ${k.en}`);
  const scoreCol = headers.length + 1;
  headers.push(zh ? "扣分合计" : "Deductions", zh ? "得分" : "Score", zh ? "经手卡片" : "Cards handled");
  for (const d of kpi.deadlines) headers.push(zh ? `${d.id}按时` : `${d.id} met`, zh ? `${d.id}超时` : `${d.id} missed`);
  const rateCol = headers.length;
  headers.push(zh ? "按时率" : "On-time rate", zh ? "平均发送工作日" : "Avg business days to send");
  const rows = kpi.rows.map((r) => {
    const line: CellValue[] = [r.person, r.role ? word(ROLES, r.role, lang) : null, ...r.deductions, r.total, r.score, r.cardsHandled];
    r.met.forEach((m, i) => line.push(m, r.missed[i]));
    line.push(r.onTimeRate ?? null, r.avgDaysToSend === undefined ? null : Math.round(r.avgDaysToSend * 100) / 100);
    return line;
  });
  return { headers, rows, scoreCol, rateCol, percentCols: [rateCol], numberCols: [rateCol + 1] };
}

/**
 * Register columns month end reads whatever the rules say: the card, the people it charges,
 * and Received / Sent for the KPI sheet's average time to send.
 */
const MONTH_END_REGISTER = ["cardNo", "initiator", "ae", "lead", "received", "sent"];

/** The Register columns a deadline reads: its start and end, and the Due for a schedule fraction. */
function deadlineColumnKeys(d: DeadlineDef): string[] {
  if (d.table !== "Register") return [];
  return d.unit === "schedule" ? [d.starts, d.ends, "due"] : [d.starts, d.ends];
}

/** Register columns of the contract the workbook's Register does not have. */
function missingRegisterColumns(model: WorkbookModel): Set<string> {
  const info = model.tables.get(REGISTER.name);
  if (!info) return new Set();
  return new Set(REGISTER.columns.filter((c) => !info.cols.has(c.key)).map((c) => c.key));
}

/** The deadlines month end can evaluate: those whose Register columns are all there. */
export function evaluableDeadlines(model: WorkbookModel): DeadlineDef[] {
  const missing = missingRegisterColumns(model);
  return model.deadlines.filter((d) => deadlineColumnKeys(d).every((k) => !missing.has(k)));
}

export interface MonthEndReadiness {
  /** What stops month end: its structure is broken where month end reads or writes. */
  blocking: Finding[];
  /** Columns missing where month end does without them, and what it leaves out for each (warnings). */
  notes: Finding[];
}

/**
 * What a month end needs of the workbook. A Register column is required only when the rules
 * or the KPI sheet read it (MONTH_END_REGISTER, the start and end of each deadline an active
 * rule counts, Sent and both reviews for "Sent without review"); a deadline whose columns are
 * missing is left out of the KPI sheet, said in a note. A Register made before the Framework /
 * Draft / Closed / Archived columns existed is evaluated for every rule that does not use them.
 * The Countersign Log is not read by month end: its missing columns are notes too.
 */
export function monthEndReadiness(model: WorkbookModel, findings: readonly Finding[]): MonthEndReadiness {
  const needed = new Set(MONTH_END_REGISTER);
  for (const rule of model.rules) {
    const d = model.deadlines.find((x) => x.id.toLowerCase() === rule.counts.trim().toLowerCase());
    if (d) for (const k of deadlineColumnKeys(d)) needed.add(k);
    if (rule.condition === "Sent without review") for (const k of ["sent", "reviewed", "directorReviewed"]) needed.add(k);
  }
  const blocking: Finding[] = [];
  const notes: Finding[] = [];
  for (const f of blockingFindings(findings)) {
    const spare =
      f.code === "missing-column" &&
      ((f.table === REGISTER.name && f.column !== undefined && !needed.has(f.column)) || f.table === "CountersignLog");
    if (!spare) {
      blocking.push(f);
      continue;
    }
    const left =
      f.table === REGISTER.name
        ? model.deadlines.filter((d) => f.column !== undefined && deadlineColumnKeys(d).includes(f.column)).map((d) => d.id)
        : [];
    notes.push({
      ...f,
      severity: "warning",
      zh: `${f.zh}${left.length ? `；本月末不计 ${left.join("、")}（无规则使用）` : "；月末不需要此列"}`,
      en: `${f.en}; ${left.length ? `${left.join(", ")} not evaluated this month end (no rule uses ${left.length > 1 ? "them" : "it"})` : "month end does not need it"}`,
    });
  }
  return { blocking, notes };
}

/** Evaluates `month` and builds the change set that writes it. */
export function monthReport(
  model: WorkbookModel,
  cal: BusinessCalendar,
  month: string,
  now: number,
  fallbackLang: Lang = "zh",
): MonthReport {
  const lang = outputLang(model, fallbackLang);
  // A deadline whose Register columns are missing is not evaluated (monthEndReadiness says so).
  const input = {
    cal,
    cards: model.cards,
    revisions: model.revisions,
    incidents: model.incidents,
    staff: model.staff,
    rules: model.rules,
    deadlines: evaluableDeadlines(model),
    routes: model.routes,
    log: model.log,
  };
  const evaluation = evaluateMonth(input, month, now);
  const kpi = computeKpi(evaluation, input, model.settings.kpiBase);

  const penaltyRows: CellValue[][] = evaluation.penalties.map((p) => [
    month,
    p.person,
    word(CHARGE_ROLES, p.role, lang),
    p.rule.kpi[lang],
    p.points,
    p.rule.id,
    evidenceText(p, lang),
  ]);

  const changes = emptyChangeSet();
  const info = model.tables.get("Penalties");
  const replacedRows: number[] = [];
  if (info) {
    const ids = new Set(model.rules.map((r) => r.id.toLowerCase()));
    const monthCol = info.cols.get("month");
    const ruleCol = info.cols.get("rule");
    info.raw.rows.forEach((row, i) => {
      if (monthCol === undefined || ruleCol === undefined) return;
      const m = row[monthCol];
      const key = typeof m === "number" ? monthKeyOf(m) : String(m ?? "").trim();
      if (
        key === month &&
        ids.has(
          String(row[ruleCol] ?? "")
            .trim()
            .toLowerCase(),
        )
      )
        replacedRows.push(i);
    });
    if (replacedRows.length) changes.deleteRows.push({ table: "Penalties", rows: replacedRows });
    const width = info.raw.headers.length;
    const place = PENALTIES.columns.map((c) => info.cols.get(c.key));
    const rows = penaltyRows.map((line) => {
      const out: CellValue[] = Array.from({ length: width }, () => null);
      line.forEach((v, i) => {
        const at = place[i];
        if (at !== undefined) out[at] = v;
      });
      return out;
    });
    const at = info.cols.get("points");
    if (rows.length)
      changes.appends.push({
        table: "Penalties",
        rows,
        textCols: formatsFor(PENALTIES, info.cols).textCols,
        numberCols: at === undefined ? [] : [at],
      });
  } else {
    changes.newTables.push({
      name: PENALTIES.name,
      sheet: PENALTIES.sheet[lang],
      headers: PENALTIES.columns.map((c) => c[lang]),
      rows: penaltyRows,
      textCols: formatsFor(PENALTIES).textCols,
      numberCols: [4],
    });
  }

  const t = kpiTable(kpi, lang);
  changes.newTables.push({
    name: kpiTableName(month),
    sheet: kpiSheetName(month),
    headers: t.headers,
    rows: t.rows,
    replaceSheet: true,
    dataBarCol: t.scoreCol,
    percentCols: t.percentCols,
    numberCols: t.numberCols,
    chart: { valueCol: t.scoreCol, title: lang === "zh" ? `${month} 考核得分` : `KPI scores ${month}` },
  });
  const kpiCols = { deductions: t.scoreCol - 1, score: t.scoreCol, cards: t.scoreCol + 1, rate: t.rateCol, days: t.rateCol + 1 };
  return {
    month,
    lang,
    evaluation,
    kpi,
    penaltyRows,
    kpiHeaders: t.headers,
    kpiRows: t.rows,
    kpiCols,
    preview: previewRows(evaluation, kpi),
    replacedRows,
    changes,
  };
}

/** Month end through a port (Office.js or .xlsx): one read, one write. */
export async function writeMonthEnd(
  port: WorkbookPort,
  month: string,
  now: number,
  fallbackLang: Lang = "zh",
): Promise<{ report: MonthReport; findings: Finding[] }> {
  const { model, findings } = readWorkbook(await port.read());
  const report = monthReport(model, calendarOf(model), month, now, fallbackLang);
  await port.write(report.changes);
  return { report, findings };
}
