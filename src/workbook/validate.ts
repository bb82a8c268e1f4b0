/**
 * Validate before writing, with the reader's own rules: the Register row an action would
 * produce is read back by `readWorkbook` (the same parse, range and order rules `check` and
 * every computation use), so nothing the add-in writes is ever a finding afterwards. A few
 * rules of the input itself come on top (a reply needs its Due; the Due and the reply cannot
 * be before the request arrived; a request cannot arrive in the future; someone received it),
 * and a date in a year without official holiday data warns as `check` does.
 *
 * Pure: the model the pane (or `performAction`) already read, the action, a moment. Also the
 * Due proposed from the deliverable's standard turnaround (Standards table, seed 001) and
 * whether a Due is shorter than that standard (加急 / urgent).
 */
import { BusinessCalendar, civilOfDay, coverageWarning, formatSerialMinute } from "../core/calendar";
import type { Card, LogEntry } from "../core/model";
import type { StandardDef } from "../core/rules/standards";
import { ActionId, ActionInput, ActionRefused, Effect, decide, issueCard } from "../core/workflow/actions";
import { actionOf } from "../core/workflow/words";
import { accountPermission } from "../core/workflow/account";
import { calendarOf } from "./calendar";
import { cellFor, rowFor } from "./cells";
import { CellValue, RawTable, Snapshot, cellAddress } from "./port";
import { Finding, WorkbookModel, readWorkbook, stuckReason } from "./read";
import { KeyOf, REGISTER, column } from "./schema";

type Text = { zh: string; en: string };

export interface ValidationRequest {
  action: ActionId;
  cardNo?: string;
  actor: string;
  input?: ActionInput;
  /** The Office account signed in (src/taskpane/account.ts), when there is one: recorded in the log row, and checked by "只允许本人操作". */
  account?: string;
}

export interface Validation {
  /** Nothing may be written: each is what the workbook would report (its cell, what is wrong), or missing input. */
  errors: Finding[];
  /** Written anyway, and said with the result: a year without official holidays, a name not in Staff. */
  warnings: Finding[];
  /** Core refused the action itself (who, when, what is missing): its reason. */
  refused?: Text;
  /** The card as it would be read back after the write. */
  card?: Card;
  /** The effect core decided (cells, rows, log row). */
  effect?: Effect;
}

/** Findings that are not about one cell of the row (the table's structure): the change did not cause them. */
const STRUCTURAL = new Set<Finding["code"]>([
  "missing-table",
  "missing-column",
  "duplicate-column",
  "uncached-formula",
  "calendar-coverage",
]);

/**
 * Core's decision on `req` for `card` (undefined when issuing): the effect the write would make.
 * Throws ActionRefused with the reason. One place, for the validation and for performAction.
 */
export function decideEffect(model: WorkbookModel, req: ValidationRequest, card: Card | undefined, now: number): Effect {
  const ctx = {
    staff: model.staff,
    settings: model.settings,
    revisions: model.revisions,
    log: model.log,
    now,
    deadlines: model.deadlines,
    routes: model.routes,
  };
  // "只允许本人操作 / Only the signed-in person may act" (core/workflow/account.ts): before any other rule.
  const refused = accountPermission(req.actor, req.account, ctx);
  if (refused) throw new ActionRefused(refused);
  const effect =
    req.action === "issue"
      ? issueCard(req.actor, req.input?.request ?? ({} as never), {
          ...ctx,
          cardNumbers: [
            ...model.cardRows.keys(),
            ...model.log.flatMap((e: LogEntry) => (actionOf(e) === "issue" && e.cardNo ? [e.cardNo] : [])),
          ],
          civil: civilOfDay(Math.floor(now)),
        })
      : decide(req.action, card, req.actor, req.input ?? {}, ctx);
  const account = req.account?.trim();
  return account ? { ...effect, log: { ...effect.log, account } } : effect;
}

/**
 * What writing `req` at `now` would leave in the workbook: errors (refuse, with the reason and
 * the cell) and warnings (write, and say so). `cal` is the workbook's calendar when the caller
 * has it (else built from the model).
 */
export function validateAction(model: WorkbookModel, req: ValidationRequest, now: number, cal?: BusinessCalendar): Validation {
  const info = model.tables.get("Register");
  if (!info) return { errors: [], warnings: [] };
  let card: Card | undefined;
  if (req.cardNo) {
    card = model.cards.find((c) => c.cardNo === req.cardNo);
    if (!card) return { errors: [], warnings: [] }; // a bad or missing row: performAction refuses with its reason
  }
  let effect: Effect;
  try {
    effect = decideEffect(model, req, card, now);
  } catch (e) {
    if (!(e instanceof ActionRefused)) throw e;
    // Core refuses a reply without its Due; the form shows it at the Due cell, as the rule below would.
    const row = card && model.cardRows.get(card.cardNo);
    if (req.action === "reply" && card && row !== undefined && req.input?.due === undefined && card.due === undefined) {
      const cell = cellAddress(info.raw.sheet, info.raw.top + 1 + row, info.raw.left + (info.cols.get("due") ?? 0));
      const zh = "请填写与客户约定的交稿时间（回复客户时必填）";
      const en = "give the time point agreed with the client (required with the reply)";
      return {
        errors: [
          {
            severity: "error",
            code: "missing-value",
            table: "Register",
            sheet: info.raw.sheet,
            cell,
            zh: `${cell}：${zh}`,
            en: `${cell}: ${en}`,
          },
        ],
        warnings: [],
        refused: e.reason,
      };
    }
    return { errors: [], warnings: [], refused: e.reason };
  }

  // The row the write would leave: a new row below the table, or the card's row with the effect's cells.
  const width = info.raw.headers.length;
  const index = effect.newCard ? info.raw.rows.length : model.cardRows.get(effect.cardNo);
  if (index === undefined)
    return {
      errors: [],
      warnings: [],
      refused: { zh: `项目登记表中找不到卡 ${effect.cardNo}`, en: `card ${effect.cardNo} is not in the Register` },
    };
  const before: CellValue[] = effect.newCard ? Array.from({ length: width }, () => null) : [...info.raw.rows[index]];
  let row: CellValue[];
  if (effect.newCard) row = rowFor(REGISTER, effect.newCard, info.lang, info.cols, width);
  else {
    row = [...before];
    for (const [key, value] of [...Object.entries(effect.set), ...effect.clear.map((k) => [k, undefined] as const)]) {
      const col = REGISTER.columns.find((c) => c.key === key);
      const at = info.cols.get(key);
      if (col && at !== undefined) row[at] = cellFor(col, value, info.lang);
    }
  }
  const changed = new Set<number>();
  row.forEach((v, i) => {
    if ((v ?? null) !== (before[i] ?? null)) changed.add(i);
  });

  // Read it back with the reader: only this row (rows above it blank, so its cells keep their addresses) and Staff for the names.
  const rows: CellValue[][] = Array.from({ length: index }, () => []);
  rows.push(row);
  const register: RawTable = { ...info.raw, rows, uncached: undefined };
  const tables = new Map<string, RawTable>([["Register", register]]);
  const staff = model.tables.get("Staff");
  if (staff) tables.set("Staff", staff.raw);
  const back = readWorkbook({ tables, sheetNames: [] } as Snapshot);
  const at = (key: string) => cellAddress(info.raw.sheet, info.raw.top + 1 + index, info.raw.left + (info.cols.get(key) ?? 0));
  const changedCell = new Set([...changed].map((c) => cellAddress(info.raw.sheet, info.raw.top + 1 + index, info.raw.left + c)));
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  // A state the steps never make (a card nobody can move on) is refused, unless the card was in it already.
  const wasStuck = card !== undefined && stuckReason(card, model.revisions) !== undefined;
  for (const f of back.findings) {
    if (STRUCTURAL.has(f.code) || f.table !== "Register") continue;
    if (f.code === "stuck-card") {
      if (!wasStuck) errors.push({ ...f, severity: "error" });
      continue;
    }
    if (f.severity === "error") errors.push(f);
    // A warning about a cell the change does not touch was there before: not this action's to say.
    else if (f.cell && changedCell.has(f.cell)) warnings.push(f);
  }
  const after = back.model.cards[0] ?? back.model.partialCards[0]?.card;

  // Rules of the input.
  const err = (key: string, zh: string, en: string, code: Finding["code"] = "date-order") => {
    const cell = at(key);
    errors.push({ severity: "error", code, table: "Register", sheet: info.raw.sheet, cell, zh: `${cell}：${zh}`, en: `${cell}: ${en}` });
  };
  const colText = (key: KeyOf<typeof REGISTER>) => column(REGISTER, key);
  if (after) {
    if (req.action === "reply" && after.due === undefined)
      err(
        "due",
        "请填写与客户约定的交稿时间（回复客户时必填）",
        "give the time point agreed with the client (required with the reply)",
        "missing-value",
      );
    if (after.due !== undefined && after.received !== undefined && after.due < after.received && changed.has(info.cols.get("due") ?? -1))
      err(
        "due",
        `${colText("due").zh}（${formatSerialMinute(after.due)}）早于${colText("received").zh}（${formatSerialMinute(after.received)}）`,
        `${colText("due").en} (${formatSerialMinute(after.due)}) is before ${colText("received").en} (${formatSerialMinute(after.received)})`,
      );
    if (req.action === "issue") {
      if (after.received !== undefined && after.received > now + 1 / 1440)
        err(
          "received",
          `需求接收时间（${formatSerialMinute(after.received)}）晚于现在（${formatSerialMinute(now)}）`,
          `Received (${formatSerialMinute(after.received)}) is later than now (${formatSerialMinute(now)})`,
        );
      if (!after.initiator && !after.ae)
        err(
          "initiator",
          "请选择需求发起人或 AE（谁接到了这个需求）",
          "choose the initiator or the AE (who received the request)",
          "missing-value",
        );
    }
    // A date in a year the calendar has no official holidays for: written, with the warning `check` gives.
    const calendar = cal ?? calendarOf(model);
    const years = new Set<number>();
    for (const key of ["received", "due"] as const) {
      const v = after[key];
      const c = info.cols.get(key);
      if (v !== undefined && c !== undefined && changed.has(c)) years.add(civilOfDay(Math.floor(v)).year);
    }
    for (const y of [...years].sort()) {
      if (calendar.hasOfficialYear(y) || calendar.extraYears.has(y)) continue;
      warnings.push({
        severity: "warning",
        code: "calendar-coverage",
        table: "Calendar",
        zh: coverageWarning(y, "zh"),
        en: coverageWarning(y, "en"),
      });
    }
  }
  return { errors, warnings, card: after, effect };
}

/** The Standards row of a deliverable (either language, case and spaces ignored). */
export function standardOf(standards: readonly StandardDef[], deliverable: string | undefined): StandardDef | undefined {
  const d = deliverable?.trim().toLowerCase();
  if (!d) return undefined;
  return standards.find((s) => s.deliverable.zh.trim().toLowerCase() === d || s.deliverable.en.trim().toLowerCase() === d);
}

export interface DueProposal {
  standard: StandardDef;
  /** Where the turnaround is counted from: the request's arrival (now when it has none). */
  from: number;
  /** The standard's longest turnaround from `from`: the Due proposed. */
  due: number;
  /** The shortest standard turnaround: a Due before it is urgent (加急). */
  earliest: number;
}

/** The Due the deliverable's standard turnaround gives (business days from the request), or undefined without a standard. */
export function proposeDue(
  model: Pick<WorkbookModel, "standards">,
  cal: BusinessCalendar,
  card: Pick<Card, "deliverable" | "received">,
  now: number,
): DueProposal | undefined {
  const standard = standardOf(model.standards, card.deliverable);
  if (!standard || !(standard.maxDays > 0)) return undefined;
  const from = card.received ?? now;
  try {
    return {
      standard,
      from,
      due: cal.addBusinessDays(from, standard.maxDays),
      earliest: cal.addBusinessDays(from, standard.minDays || standard.maxDays),
    };
  } catch {
    return undefined; // past the calendar's range
  }
}

/** The standard's turnaround in words: "媒介排期 标准 3 个工作日", "整合传播方案及媒介计划 standard 5–8 business days". */
export function standardText(s: StandardDef, deliverable: string | undefined): Text {
  const days = s.minDays && s.minDays !== s.maxDays ? `${s.minDays}–${s.maxDays}` : String(s.maxDays);
  const name = deliverable?.trim() || s.deliverable.zh;
  return { zh: `${name} 标准 ${days} 个工作日`, en: `${name}: standard ${days} business day${days === "1" ? "" : "s"}` };
}

/** Is `due` shorter than the deliverable's standard (加急)? With the business days it gives, for the message. */
export function urgency(p: DueProposal | undefined, cal: BusinessCalendar, due: number | undefined): { urgent: boolean; days?: number } {
  if (!p || due === undefined) return { urgent: false };
  const days = Math.round(cal.businessDaysBetween(p.from, due) * 10) / 10;
  return { urgent: due < p.earliest - 1e-9, days };
}
