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
import { CalculatedColumn, CellValue, DATE_FORMAT, NUMBER_FORMAT, cellAddress, columnLetter } from "./port";
import type { WorkbookModel } from "./read";
import type { Card } from "../core/model";
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

/**
 * User text that cannot go into a formula safely (issue 20): a deadline id that is not a plain
 * id, or a header with a quote or a control character. Names the cell and the value; nothing is
 * written.
 */
export class FormulaTextError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
    readonly cell?: string,
  ) {
    super(en);
  }
}

/** A deadline id that may become part of a column's header and formulas: letters, digits, `_`, `-`, Chinese characters. */
const PLAIN_ID = /^[A-Za-z0-9_\-\u4e00-\u9fff]{1,32}$/;

/** Text a structured reference cannot hold safely here: a double quote (it would end or start a string), a control character. */
const UNSAFE_IN_REF = /["\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const shown = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

/**
 * `[@需求接收]`, or `[@[D1 应完成]]` for a header that needs brackets: inside them `[ ] # '` are
 * escaped with a leading `'` (Excel's rule for structured references); a header holding a `"`
 * or a control character is refused with its cell.
 */
function refOf(header: string, cell: string): string {
  if (/^[\w\u4e00-\u9fff]+$/.test(header)) return `[@${header}]`;
  if (!header.trim() || UNSAFE_IN_REF.test(header))
    throw new FormulaTextError(
      `${cell}：列标题 ${shown(header)} 含有引号或控制字符，不能写入公式：请改名后重试，未写入任何内容`,
      `${cell}: the header ${shown(header)} holds a quote or a control character and cannot go into a formula: rename it and run again; nothing was written`,
      cell,
    );
  return `[@[${header.replace(/([[\]#'])/g, "'$1")}]]`;
}

const amountText = (n: number) => String(Math.round(n * 1e6) / 1e6);

/**
 * The calculated columns for the workbook's deadlines, with the values every Register row
 * computes at `now`. Deadlines on Revisions (D7) have no Register row and are left out.
 */
export function deadlineColumns(
  model: WorkbookModel,
  cal: BusinessCalendar,
  now: number,
  opts: { lang?: Lang; shortNames?: boolean } = {},
): CalculatedColumn[] {
  const info = model.tables.get("Register");
  if (!info) return [];
  const lang = opts.lang ?? info.lang;
  const header = (key: string) => {
    const i = info.cols.get(key);
    return i === undefined ? REGISTER.columns.find((c) => c.key === key)?.[lang] : info.raw.headers[i];
  };
  const fn = (name: string) => (opts.shortNames ? name : `PLAN.${name}`);
  const defs = model.deadlines.filter(
    (d) => d.table === "Register" && info.cols.has(d.starts) && info.cols.has(d.ends) && (d.unit !== "schedule" || info.cols.has("due")),
  );
  // A deadline's id becomes a header and part of formulas: only a plain id, else refused with its cell.
  for (const def of defs) {
    if (PLAIN_ID.test(def.id)) continue;
    const dl = model.tables.get("Deadlines");
    const idCol = dl?.cols.get("id");
    const row =
      dl && idCol !== undefined
        ? dl.raw.rows.findIndex(
            (r) =>
              String(r[idCol] ?? "")
                .trim()
                .toUpperCase() === def.id,
          )
        : -1;
    const cell = dl && idCol !== undefined && row >= 0 ? cellAddress(dl.raw.sheet, dl.raw.top + 1 + row, dl.raw.left + idCol) : "Deadlines";
    throw new FormulaTextError(
      `${cell}：时限编号 ${shown(def.id)} 只能包含字母、数字、下划线、连字符或汉字，不能写入公式；未写入任何内容`,
      `${cell}: the deadline id ${shown(def.id)} may hold only letters, digits, _, - or Chinese characters, so it cannot go into a formula; nothing was written`,
      cell,
    );
  }
  // The cell of a Register header, for a refusal.
  const headerCell = (h: string) => {
    const i = info.raw.headers.indexOf(h);
    return cellAddress(info.raw.sheet, info.raw.top, info.raw.left + (i >= 0 ? i : info.raw.headers.length));
  };
  const ref = (h: string) => refOf(h, headerCell(h));

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
  // Every row's saved values come from the cells its formulas read, as Excel computes them: a
  // row left out of the month for a bad cell elsewhere (a person not in Staff, a bad Stage, a
  // card number used twice) still gets its dates. Only a formula that reads a cell that could
  // not be read has no saved value (Excel shows #VALUE! there).
  type Result = (typeof results)[number];
  const rowCard: ({ card: Card; bad: readonly string[] } | undefined)[] = new Array(info.raw.rows.length).fill(undefined);
  for (const card of model.cards) {
    const row = model.cardRows.get(card.cardNo);
    if (row !== undefined) rowCard[row] = { card, bad: [] };
  }
  for (const p of model.partialCards) rowCard[p.row] = { card: p.card, bad: p.bad };
  const unreadable = (at: { card: Card; bad: readonly string[] }, key: string): boolean =>
    at.bad.includes(key) && at.card[key as keyof Card] === undefined;
  const resultOf = (row: number, def: DeadlineDef): Result | undefined => {
    const at = rowCard[row];
    if (!at) return undefined;
    if (at.bad.length === 0) return byCard.get(at.card.cardNo)?.get(def.id);
    return evaluateDeadlines(cal, [def], [at.card], [], now)[0];
  };
  const values = (def: DeadlineDef, reads: string[], pick: (r: Result) => CellValue): CellValue[] =>
    rowCard.map((at, row) => {
      if (at === undefined || reads.some((k) => unreadable(at, k))) return null;
      const r = resultOf(row, def);
      return r === undefined ? null : pick(r);
    });

  const out: CalculatedColumn[] = [];
  for (const def of defs) {
    const start = header(def.starts)!;
    const end = header(def.ends)!;
    const dueReads = def.unit === "schedule" ? [def.starts, "due"] : [def.starts];
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
      values: values(def, dueReads, (r) => (r.due === undefined ? "" : r.due)),
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
      values: values(def, [...dueReads, def.ends], (r) => (r.due === undefined ? "" : r.late)),
      format: NUMBER_FORMAT,
      highlights: [
        { formula: `=AND(ISNUMBER(${L}),${L}>0)`, fill: "red" },
        { formula: `=AND(ISNUMBER(${D}),INT(${D})=TODAY(),${E}="")`, fill: "amber" },
      ],
    });
  }
  return out;
}
