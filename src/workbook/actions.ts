/**
 * One action of the pane against the workbook: one read, the decision in core, one write.
 *
 * Co-authoring: rows are found by card number, never by position. The pane passes the
 * version of the card it showed (its Register cells and its log rows); if the re-read shows
 * someone changed it meanwhile, the action is refused with what changed and nothing is
 * written. If someone writes between our read and our write, or moves the rows (inserts,
 * deletes, sorts), the adapter notices in the same batch and puts everything back (see
 * office.ts): one more round trip, and a refusal. If another client appended to the log since
 * our read, the write fails before writing anything (the log's anchor was replaced): a refusal
 * in two round trips. Every append also replaces the log's anchor (core/workflow/log.ts).
 */
import { formatSerial } from "../core/calendar";
import type { Card, LogEntry } from "../core/model";
import { ActionId, ActionInput, ActionRefused, Effect } from "../core/workflow/actions";
import { AccountMismatch, accountMismatches } from "../core/workflow/account";
import {
  LOG_ANCHOR_NS,
  LOG_HEAD_NAME,
  LogBreak,
  LogRow,
  LogStart,
  chainAppend,
  logStartOf,
  recordedRows,
  verifyLog,
} from "../core/workflow/log";
import { logHeadChanges, logSaltOf } from "./log-head";
import { cellFor, formatsFor, logEntryIn, rowFor } from "./cells";
import { CellValue, ChangeSet, Snapshot, WorkbookPort, applyChanges, emptyChangeSet, findTable } from "./port";
import { ReadResult, WorkbookModel, readWorkbook } from "./read";
import { COUNTERSIGN_LOG, INCIDENTS, KeyOf, REGISTER, REVISIONS, TableDef, column } from "./schema";
import { isDeadlineColumn } from "./deadline-columns";
import { decideEffect, validateAction } from "./validate";
import { REASONS, lookup } from "./vocab";

type Text = { zh: string; en: string };

/** What the pane saw of a card: its Register cells and how many log rows it had. */
export interface CardVersion {
  cardNo: string;
  cells: CellValue[];
  logRows: number;
}

export function versionOf(model: WorkbookModel, cardNo: string): CardVersion | undefined {
  const row = model.cardRows.get(cardNo);
  const info = model.tables.get("Register");
  if (row === undefined || !info) return undefined;
  // The Register's generated deadline columns (D1 应完成, D1 超时 …) are Excel's to recalculate:
  // a new value there is not someone changing the card, so they are left out of the version.
  const ids = model.deadlines.map((d) => d.id);
  const cells = info.raw.rows[row].map((v, i) => (isDeadlineColumn(String(info.raw.headers[i] ?? ""), ids) ? null : v));
  return { cardNo, cells, logRows: model.log.filter((e) => e.cardNo === cardNo).length };
}

export type ActionResult =
  | {
      ok: true;
      effect: Effect;
      after: ReadResult;
      snapshot: Snapshot;
      /** The log row as written: its words, note and hash. */ written: LogEntry;
    }
  | { ok: false; reason: Text; changed?: Text[]; after?: ReadResult };

/** The `code` of a thrown Office error (`ItemNotFound` …), when it has one. */
const errorCode = (e: unknown): string | undefined =>
  typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? e.code : undefined;

/** What differs between the card the pane showed and the card as it is now. */
export function changesSince(model: WorkbookModel, seen: CardVersion): Text[] {
  const now = versionOf(model, seen.cardNo);
  const info = model.tables.get("Register");
  if (!now || !info) return [{ zh: `卡 ${seen.cardNo} 已被删除`, en: `card ${seen.cardNo} was deleted` }];
  const out: Text[] = [];
  const show = (v: CellValue | undefined, date: boolean) =>
    v === null || v === undefined || v === "" ? "—" : date && typeof v === "number" ? formatSerial(v) : String(v);
  info.raw.headers.forEach((h, i) => {
    const a = seen.cells[i] ?? null;
    const b = now.cells[i] ?? null;
    if ((a ?? "") === (b ?? "") || (typeof a === "number" && typeof b === "number" && Math.abs(a - b) < 1e-8)) return;
    const col = REGISTER.columns.find((c) => info.cols.get(c.key) === i);
    const date = col?.type === "date";
    out.push({ zh: `${h}：${show(a, date)} → ${show(b, date)}`, en: `${h}: ${show(a, date)} → ${show(b, date)}` });
  });
  if (now.logRows !== seen.logRows) {
    const added = model.log.filter((e) => e.cardNo === seen.cardNo).slice(seen.logRows);
    for (const e of added) out.push({ zh: `会签记录：${e.actor ?? ""} ${e.action ?? ""}`, en: `log: ${e.actor ?? ""} ${e.action ?? ""}` });
  }
  return out;
}

/** The change set of an effect: the card's cells, the appended rows, one log row, and the log's head (sealed with `salt`, counting at least `recorded` + 1 rows, keeping the `start` of a log cut by a yearly archive). */
export function effectChanges(
  model: WorkbookModel,
  effect: Effect,
  salt: string,
  recorded = 0,
  start?: LogStart,
): ChangeSet & { logRow: LogEntry } {
  const changes: ChangeSet = emptyChangeSet();
  const reg = model.tables.get("Register");
  if (!reg) throw new ActionRefused({ zh: "找不到项目登记表：请先设置此工作簿", en: "no Register table: set up this workbook first" });
  const append = (name: "Register" | "Revisions" | "Incidents" | "CountersignLog", def: TableDef, record: object) => {
    const info = model.tables.get(name);
    if (!info) throw new ActionRefused({ zh: `找不到表格 ${name}：请先设置此工作簿`, en: `no ${name} table: set up this workbook first` });
    changes.appends.push({
      table: name,
      rows: [rowFor(def, record, info.lang, info.cols, info.raw.headers.length)],
      ...formatsFor(def, info.cols),
    });
  };
  if (effect.newCard) append("Register", REGISTER, effect.newCard);
  else {
    const row = model.cardRows.get(effect.cardNo);
    if (row === undefined)
      throw new ActionRefused({ zh: `项目登记表中找不到卡 ${effect.cardNo}`, en: `card ${effect.cardNo} is not in the Register` });
    const cells = [...Object.entries(effect.set), ...effect.clear.map((k) => [k, undefined] as const)];
    for (const [key, value] of cells) {
      const col = REGISTER.columns.find((c) => c.key === key);
      const at = reg.cols.get(key);
      if (!col || at === undefined) continue;
      changes.cells.push({
        table: "Register",
        row,
        col: at,
        value: cellFor(col, value, reg.lang),
        date: col.type === "date",
        text: col.type === "text",
      });
    }
  }
  if (effect.revision) append("Revisions", REVISIONS, effect.revision);
  if (effect.relay) {
    // The oldest client revision of the card not yet relayed, by its requested time (not by its
    // place in the table, which a sort changes); the write checks in its own batch that the row
    // is still that revision (card and requested time), else nothing is written.
    const info = model.tables.get("Revisions");
    if (!info) throw new ActionRefused({ zh: "找不到修改记录表：请先设置此工作簿", en: "no Revisions table: set up this workbook first" });
    const colOf = (key: KeyOf<typeof REVISIONS>): number => {
      const at = info.cols.get(key);
      if (at !== undefined) return at;
      const c = column(REVISIONS, key);
      throw new ActionRefused({
        zh: `修改记录表缺少列“${c.zh}”：请先设置此工作簿`,
        en: `the Revisions table has no column "${c.en}": set up this workbook first`,
      });
    };
    const [card, reason, relayed, requested] = [colOf("cardNo"), colOf("reason"), colOf("relayed"), colOf("requested")];
    const time = effect.log.time;
    if (time === undefined) throw new Error("a relay's log row has no time");
    let row = -1;
    info.raw.rows.forEach((r, i) => {
      if (
        String(r[card] ?? "").trim() !== effect.cardNo ||
        lookup(REASONS, String(r[reason] ?? "")) !== "Client" ||
        !(r[relayed] === null || r[relayed] === "")
      )
        return;
      const at = r[requested];
      const t = typeof at === "number" ? at : Infinity;
      const other = row < 0 ? undefined : info.raw.rows[row][requested];
      const best = typeof other === "number" ? other : Infinity;
      if (row < 0 || t < best) row = i;
    });
    if (row < 0) throw new ActionRefused({ zh: "没有待转达的客户修改", en: "no client revision waiting to be relayed" });
    changes.cells.push({ table: "Revisions", row, col: relayed, value: time, date: true });
  }
  if (effect.incident) append("Incidents", INCIDENTS, effect.incident);
  // The row in the log's own language (its Action and Role as words, the note the move wrote
  // for that language), hashed as written: the hash covers the cells (core/workflow/log.ts).
  const logInfo = model.tables.get("CountersignLog");
  const logLang = logInfo?.lang ?? reg.lang;
  // The signed-in account goes in only where the log has its column (a log from before it has
  // none): the hash covers what the row holds, so an account hashed but not written would break the chain.
  const { account, ...entry } = effect.log;
  const withAccount = account !== undefined && account !== "" && logInfo?.cols.has("account") ? { account } : {};
  const [log] = chainAppend(model.log, [
    logEntryIn({ ...entry, ...withAccount, note: effect.logNote?.[logLang] ?? effect.log.note }, logLang),
  ]);
  append("CountersignLog", COUNTERSIGN_LOG, log);
  // The chain's head, outside the sheet, twice, in the same write (core/workflow/log.ts).
  // Rows the records counted and the sheet no longer has stay counted (recordedRows): a deleted tail stays reported.
  Object.assign(changes, logHeadChanges([...model.log, log], salt, recorded + 1, start));
  const row = model.cardRows.get(effect.cardNo);
  if (!effect.newCard && row !== undefined) changes.guards = [{ table: "Register", row }];
  return { ...changes, logRow: log };
}

export interface ActionRequest {
  action: ActionId;
  cardNo?: string;
  actor: string;
  input?: ActionInput;
  /** The card as the pane showed it; the action is refused if it changed since. */
  seen?: CardVersion;
  /** The Office account signed in (src/taskpane/account.ts), when Office offers one: written in the log row's Account column. */
  account?: string;
}

/** Performs one action: one read, one write (two round trips), or a refusal that writes nothing. */
export async function performAction(port: WorkbookPort, req: ActionRequest, now: number): Promise<ActionResult> {
  const snapshot = await port.read();
  const read = readWorkbook(snapshot);
  const { model } = read;
  try {
    let card: Card | undefined;
    if (req.cardNo) {
      card = model.cards.find((c) => c.cardNo === req.cardNo);
      if (!card) {
        const bad = model.cardRows.has(req.cardNo);
        throw new ActionRefused(
          bad
            ? { zh: `卡 ${req.cardNo} 的登记行有错误，请先改正`, en: `the Register row of ${req.cardNo} has an error: correct it first` }
            : { zh: `项目登记表中找不到卡 ${req.cardNo}`, en: `card ${req.cardNo} is not in the Register` },
        );
      }
      if (req.seen) {
        const changed = changesSince(model, req.seen);
        if (changed.length)
          return {
            ok: false,
            reason: {
              zh: "有人刚刚修改了这张卡，本次操作未写入。请查看改动后再操作。",
              en: "Someone changed this card meanwhile; nothing was written. Check the changes and try again.",
            },
            changed,
            after: read,
          };
      }
    }
    // The reader's own rules on what the write would leave (src/workbook/validate.ts), on this read.
    const v = validateAction(model, req, now);
    if (v.refused || v.errors.length)
      return {
        ok: false,
        reason: v.refused ?? {
          zh: "未写入：写入后工作簿会出现以下错误",
          en: "Nothing was written: the workbook would then have these errors",
        },
        changed: v.errors.map((f) => ({ zh: f.zh, en: f.en })),
        after: read,
      };
    // The validation decided already (same model, same moment); without a Register it did not, and core refuses here.
    const effect = v.effect ?? decideEffect(model, req, card, now);
    const changes = effectChanges(model, effect, logSaltOf(snapshot), recordedRows(snapshot.logRecords), logStartOf(snapshot.logRecords));
    let result: Awaited<ReturnType<WorkbookPort["write"]>>;
    try {
      result = await port.write(changes);
    } catch (e) {
      // The anchor the read saw was replaced: another client appended to the log since our read. Nothing was written.
      if (errorCode(e) === "ItemNotFound" && changes.customXml?.length)
        return {
          ok: false,
          reason: {
            zh: "有人刚刚写入了会签记录，本次操作未写入任何内容。请重试。",
            en: "Someone wrote to the log meanwhile; nothing was written. Try again.",
          },
        };
      throw e;
    }
    if (result && result.conflicts.length) {
      // Office's adapter says which cells of an undone write it could not confirm as put back.
      const unrestored = "unrestored" in result && Array.isArray(result.unrestored) ? result.unrestored.map(String) : [];
      return {
        ok: false,
        reason: unrestored.length
          ? {
              zh: `有人在同一时刻改动了同一位置，本次操作已撤回，但以下单元格未能确认恢复，请手工检查：${unrestored.join("；")}`,
              en: `Someone changed the same place at the same moment; this action was undone, but these cells could not be confirmed as put back, check them by hand: ${unrestored.join("; ")}`,
            }
          : {
              zh: "有人在同一时刻改动了同一位置（写入、插入、删除或排序了行），本次操作已撤回，未写入任何内容。请重试。",
              en: "Someone changed the same place at the same moment (wrote, inserted, deleted or sorted rows); this action was undone and nothing was written. Try again.",
            },
        changed: result.conflicts.map((c) => ({ zh: `${c.address}：${c.found ?? "—"}`, en: `${c.address}: ${c.found ?? "—"}` })),
      };
    }
    const after = applyChanges(snapshot, changes);
    after.customXml = new Map(snapshot.customXml ?? []);
    for (const x of changes.customXml ?? []) after.customXml.set(x.namespace, x.xml);
    // What a re-read would show of the head: the anchor just written and the hidden record.
    after.logRecords = {
      anchors: (changes.customXml ?? []).filter((x) => x.namespace === LOG_ANCHOR_NS).map((x) => ({ where: "customXml", xml: x.xml })),
      lookalikes: snapshot.logRecords?.lookalikes,
      head: changes.names?.find((n) => n.name === LOG_HEAD_NAME)?.text,
    };
    return { ok: true, effect, after: readWorkbook(after), snapshot: after, written: changes.logRow };
  } catch (e) {
    if (e instanceof ActionRefused) return { ok: false, reason: e.reason, after: read };
    throw e;
  }
}

const blankCell = (v: CellValue | undefined) => v === null || v === undefined || (typeof v === "string" && v.trim() === "");

/**
 * The log's rows with the sheet row each is on (1-based, as Excel numbers rows): the model's
 * log skips blank rows, so its index is not a position. Rows are matched in order with the
 * table's non-blank rows, as the reader reads them.
 */
export function logRowsOf(snapshot: Snapshot, model: WorkbookModel): LogRow[] {
  const raw = findTable(snapshot, "CountersignLog");
  if (!raw) return [];
  const uncached = new Set((raw.uncached ?? []).map((u) => u.row));
  const rows: number[] = [];
  raw.rows.forEach((r, i) => {
    if (uncached.has(i) || !r.every(blankCell)) rows.push(i);
  });
  return model.log.map((entry, i) => ({ entry, sheetRow: raw.top + 2 + (rows[i] ?? i) }));
}

/**
 * Every break of the Countersign Log's chain and anchor, with its sheet row and a message in
 * Chinese and English (core/workflow/log.ts `verifyLog`): what the pane's "Verify log" and
 * Problems show and what `planning-desk check` prints. `rows`: logRowsOf's, when the caller has them.
 */
export function verifyWorkbookLog(
  snapshot: Snapshot,
  model: WorkbookModel,
  rows: readonly LogRow[] = logRowsOf(snapshot, model),
): LogBreak[] {
  const raw = findTable(snapshot, "CountersignLog");
  return verifyLog(rows, snapshot.logRecords ?? { anchors: [] }).map((b) =>
    raw ? { ...b, zh: `${raw.sheet}：${b.zh}`, en: `${raw.sheet}: ${b.en}` } : b,
  );
}

/**
 * The log rows whose signed-in account is not their actor's (nor their backup's), with the sheet
 * row and a message in Chinese and English (core/workflow/account.ts `accountMismatches`): what
 * `planning-desk check` prints as warnings and the pane's 问题 list shows. `rows`: logRowsOf's, when the caller has them.
 */
export function accountMismatchesOf(
  snapshot: Snapshot,
  model: WorkbookModel,
  rows: readonly LogRow[] = logRowsOf(snapshot, model),
): AccountMismatch[] {
  const raw = findTable(snapshot, "CountersignLog");
  return accountMismatches(rows, model.staff).map((m) => (raw ? { ...m, zh: `${raw.sheet}：${m.zh}`, en: `${raw.sheet}: ${m.en}` } : m));
}
