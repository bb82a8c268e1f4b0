/**
 * The Register's own deadline columns (an option of set-up): for each deadline of the
 * Deadlines table that runs on Register dates, when it is due and by how much it is late, as
 * Excel calculated columns at the Register's end:
 *
 *   D1 应完成  =PLAN.DUE([@需求接收],0.5)                 business days
 *   D4 应完成  =PLAN.MILESTONE([@指派],[@交稿时间],0.2)   a fraction of the schedule
 *   D1 超时    =PLAN.OVERDUE([@[D1 应完成]],[@回复客户])  business days late, 0 when on time
 *
 * Headers speak the Register's header language; starts, ends and amounts come from the
 * Deadlines table, so a center that makes D2 two days gets `…,2)` on the next run. With the
 * short names in the workbook the formulas use them (`=OVERDUE(...)`). The values each row
 * computes now come from core's deadline evaluation: a file keeps them as the formulas' saved
 * results. These columns are generated: the reader never reads them as input, and a re-run
 * replaces only them.
 */
import type { BusinessCalendar } from "../core/calendar";
import { evaluateDeadlines } from "../core/rules/evaluate";
import type { DeadlineDef } from "../core/rules/deadlines";
import { CalculatedColumn, CellValue, DATE_FORMAT, NUMBER_FORMAT, columnLetter } from "./port";
import type { WorkbookModel } from "./read";
import { REGISTER } from "./schema";

export type Lang = "zh" | "en";

const DUE = { zh: "应完成", en: "Due" };
const LATE = { zh: "超时", en: "Late" };

/** The headers of a deadline's two columns. */
export const dueHeader = (id: string, lang: Lang) => `${id} ${DUE[lang]}`;
export const lateHeader = (id: string, lang: Lang) => `${id} ${LATE[lang]}`;

/** Whether a Register header is one of these generated columns (either language). */
export function isDeadlineColumn(header: string, ids: readonly string[]): boolean {
  const m = /^(\S+) (应完成|超时|Due|Late)$/i.exec(header.trim());
  return !!m && ids.some((id) => id.toLowerCase() === m[1].toLowerCase());
}

/** `[@需求接收]`, or `[@[D1 应完成]]` for a header that needs brackets. */
const ref = (header: string) => (/^[\w\u4e00-\u9fff]+$/.test(header) ? `[@${header}]` : `[@[${header.replace(/([[\]#'])/g, "'$1")}]]`);

const amountText = (n: number) => String(Math.round(n * 1e6) / 1e6);

/**
 * The calculated columns for the workbook's deadlines, with the values every Register row
 * computes at `now`. Deadlines on Revisions (D7) have no Register row and are left out.
 */
export function deadlineColumns(model: WorkbookModel, cal: BusinessCalendar, now: number, opts: { lang?: Lang; shortNames?: boolean } = {}): CalculatedColumn[] {
  const info = model.tables.get("Register");
  if (!info) return [];
  const lang = opts.lang ?? info.lang;
  const header = (key: string) => {
    const i = info.cols.get(key);
    return i === undefined ? REGISTER.columns.find((c) => c.key === key)?.[lang] : info.raw.headers[i];
  };
  const fn = (name: string) => (opts.shortNames ? name : `PLAN.${name}`);
  const defs = model.deadlines.filter((d) => d.table === "Register" && info.cols.has(d.starts) && info.cols.has(d.ends) && (d.unit !== "schedule" || info.cols.has("due")));

  // Where each column will be: an existing header keeps its place, a new one goes at the end, in order.
  const existing = new Map(info.raw.headers.map((h, i) => [h.trim().toLowerCase(), i]));
  let next = info.raw.headers.length;
  const place = (h: string) => existing.get(h.toLowerCase()) ?? (existing.set(h.toLowerCase(), next), next++);
  const letter = (i: number) => columnLetter(info.raw.left + i);
  const firstRow = info.raw.top + 2; // the first data row, 1-based

  const results = evaluateDeadlines(cal, defs, model.cards, model.revisions, now);
  const byCard = new Map<string, Map<string, (typeof results)[number]>>();
  for (const r of results) {
    let m = byCard.get(r.cardNo);
    if (!m) byCard.set(r.cardNo, (m = new Map()));
    m.set(r.deadline.id, r);
  }
  const rowCards: (string | undefined)[] = new Array(info.raw.rows.length).fill(undefined);
  for (const card of model.cards) {
    const row = model.cardRows.get(card.cardNo);
    if (row !== undefined && !model.badCardRows.has(row)) rowCards[row] = card.cardNo;
  }
  const values = (def: DeadlineDef, pick: (r: (typeof results)[number]) => CellValue): CellValue[] =>
    rowCards.map((no) => {
      const r = no === undefined ? undefined : byCard.get(no)?.get(def.id);
      return r === undefined ? null : pick(r);
    });

  const out: CalculatedColumn[] = [];
  for (const def of defs) {
    const start = header(def.starts)!;
    const end = header(def.ends)!;
    const dueH = dueHeader(def.id, lang);
    const lateH = lateHeader(def.id, lang);
    const dueFormula =
      def.unit === "business days"
        ? `=${fn("DUE")}(${ref(start)},${amountText(def.amount)})`
        : def.unit === "schedule"
          ? `=${fn("MILESTONE")}(${ref(start)},${ref(header("due")!)},${amountText(def.amount)})`
          : `=IF(${ref(start)}="","",${ref(start)}+${amountText(def.amount)}/24)`;
    const dueCol = place(dueH);
    out.push({
      table: "Register",
      header: dueH,
      formula: dueFormula,
      // A blank start gives a blank result, as the functions do.
      values: values(def, (r) => (r.due === undefined ? "" : r.due)),
      format: DATE_FORMAT,
    });
    const lateCol = place(lateH);
    const endCol = info.cols.get(def.ends)!;
    const D = `$${letter(dueCol)}${firstRow}`;
    // Columns absolute, rows relative: a rule's formula reads relative to the range it is read
    // from (OfficeDev/office-js#5194), so a relative column would not say which column the rule is
    // on when the add-in lists a table's rules; an absolute one does, from any range.
    const L = `$${letter(lateCol)}${firstRow}`;
    const E = `$${letter(endCol)}${firstRow}`;
    out.push({
      table: "Register",
      header: lateH,
      formula: `=${fn("OVERDUE")}(${ref(dueH)},${ref(end)})`,
      values: values(def, (r) => (r.due === undefined ? "" : r.late)),
      format: NUMBER_FORMAT,
      highlights: [
        { formula: `=AND(ISNUMBER(${L}),${L}>0)`, fill: "red" },
        { formula: `=AND(ISNUMBER(${D}),INT(${D})=TODAY(),${E}="")`, fill: "amber" },
      ],
    });
  }
  return out;
}
