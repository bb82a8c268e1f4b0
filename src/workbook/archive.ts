/**
 * The yearly archive (issue 18) on a workbook: from one read of the shared workbook, the change
 * set that removes what moves (core/workflow/archive.ts planArchive decides) and the change set
 * that builds the archive workbook from nothing.
 *
 * The archive has the same tables, on the same sheets, with the same headers as the shared one:
 * the moved Register, Revisions and Incidents rows and the Countersign Log's prefix; Staff,
 * Calendar, Rules, Deadlines, Standards and Settings copied whole so it stands alone (`check`
 * runs on it); Penalties empty (the month ends stay in the shared workbook with their KPI
 * sheets). Both logs get both records (anchor part and hidden name), sealed with the shared
 * workbook's salt: the archive's start is the shared log's old start (GENESIS the first time),
 * the shared log's start becomes the archive's last hash (core/workflow/log.ts LogStart).
 */
import type { LogStart } from "../core/workflow/log";
import { GENESIS, carriedDigest, logStartOf } from "../core/workflow/log";
import { ArchivePlan, ArchiveRefused, planArchive } from "../core/workflow/archive";
import { logRowsOf, verifyWorkbookLog } from "./actions";
import { formatsFor } from "./cells";
import { logHeadChanges, logSaltOf } from "./log-head";
import { CellValue, ChangeSet, NewTable, Snapshot, emptyChangeSet } from "./port";
import { readWorkbook } from "./read";
import { TABLES, TableName } from "./schema";

type Text = { zh: string; en: string };

export interface ArchiveChanges {
  plan: ArchivePlan;
  /** What the shared workbook loses. */
  shared: ChangeSet;
  /** The archive workbook, written on an empty one. */
  archive: ChangeSet;
  /** Rows moved per table. */
  moved: Partial<Record<TableName, number>>;
}

/** Tables whose rows move by card number. */
const BY_CARD: TableName[] = ["Register", "Revisions", "Incidents"];
/** Tables copied whole so the archive stands alone (these must be there). */
const COPIED: TableName[] = ["Staff", "Calendar", "Rules", "Deadlines", "Standards", "Settings"];
/** Every other table of the contract: copied whole too where the workbook has it (Routes, and any added later). */
const OPTIONAL_COPIED: TableName[] = TABLES.map((t) => t.name).filter(
  (n) => ![...BY_CARD, ...COPIED, "CountersignLog", "Penalties"].includes(n),
);

/**
 * The plan and both change sets; undefined changes when nothing moves. Refused (ArchiveRefused)
 * for a year not finished, a workbook without its tables, or a log that does not verify (the
 * cut must start from a log the records vouch for).
 */
export function archiveChanges(snapshot: Snapshot, year: number, now: number): ArchiveChanges {
  const { model } = readWorkbook(snapshot);
  const oldStart = logStartOf(snapshot.logRecords);
  const plan = planArchive({ ...model, carried: oldStart?.carried?.rows ?? 0 }, year, now);
  const moved: ArchiveChanges["moved"] = {};
  const shared = emptyChangeSet();
  const archive = emptyChangeSet();
  if (!plan.cards.size) return { plan, shared, archive, moved };
  for (const name of [...BY_CARD, "CountersignLog" as const, ...COPIED, "Penalties" as const]) {
    if (!model.tables.get(name)) {
      const def = TABLES.find((t) => t.name === name);
      throw new ArchiveRefused({
        zh: `找不到表格 ${def?.sheet.zh ?? name}：请先运行 planning-desk init`,
        en: `no ${def?.sheet.en ?? name} table: run planning-desk init first`,
      });
    }
  }
  const breaks = verifyWorkbookLog(snapshot, model);
  if (breaks.length)
    throw new ArchiveRefused({
      zh: `会签记录有问题，未归档（先核对并处理）：${breaks[0].zh}`,
      en: `the log has a problem, nothing was archived (check and resolve it first): ${breaks[0].en}`,
    });

  const table = (name: TableName, rows: CellValue[][]): NewTable => {
    const info = model.tables.get(name);
    const def = TABLES.find((t) => t.name === name);
    if (!info || !def) throw new Error(`no ${name}`);
    return { name: info.raw.name, sheet: info.raw.sheet, headers: [...info.raw.headers], rows, ...formatsFor(def, info.cols) };
  };
  for (const name of BY_CARD) {
    const info = model.tables.get(name);
    const col = info?.cols.get("cardNo");
    if (!info || col === undefined) continue;
    const rows: number[] = [];
    info.raw.rows.forEach((r, i) => {
      if (plan.cards.has(String(r[col] ?? "").trim())) rows.push(i);
    });
    moved[name] = rows.length;
    shared.deleteRows.push({ table: info.raw.name, rows });
    archive.newTables.push(
      table(
        name,
        rows.map((i) => [...info.raw.rows[i]]),
      ),
    );
  }
  // The log's prefix, every table row above the first row after the year (blank rows included), to
  // the archive verbatim; the shared log keeps the prefix's rows of cards that stay at its top.
  const log = model.tables.get("CountersignLog");
  const logRows = logRowsOf(snapshot, model);
  const first = logRows[plan.logRows];
  if (!log || !first) throw new Error("no log row to keep");
  const cut = first.sheetRow - log.raw.top - 2;
  const prefix = Array.from({ length: cut }, (_, i) => i);
  const carriedRaw = new Set(plan.logCarried.map((i) => logRows[i].sheetRow - log.raw.top - 2));
  moved.CountersignLog = plan.logRows - plan.logCarried.length;
  const gone = prefix.filter((i) => !carriedRaw.has(i));
  if (gone.length) shared.deleteRows.push({ table: log.raw.name, rows: gone });
  archive.newTables.push(
    table(
      "CountersignLog",
      prefix.map((i) => [...log.raw.rows[i]]),
    ),
  );
  for (const name of [...COPIED, ...OPTIONAL_COPIED.filter((n) => model.tables.get(n))]) {
    const info = model.tables.get(name);
    if (info)
      archive.newTables.push(
        table(
          name,
          info.raw.rows.map((r) => [...r]),
        ),
      );
  }
  archive.newTables.push(table("Penalties", []));

  // Both files' records: the archive from the old start, the shared log from the archive's last hash.
  const salt = logSaltOf(snapshot);
  const archived = model.log.slice(0, plan.logRows);
  const carried = plan.logCarried.map((i) => model.log[i]);
  const kept = [...carried, ...model.log.slice(plan.logRows)];
  Object.assign(archive, logHeadChanges(archived, salt, 0, oldStart));
  // The chain part of the prefix (after the old carried rows) is what the new start moves past.
  const oldCarried = Math.min(oldStart?.carried?.rows ?? 0, plan.logRows);
  const chainPart = archived.slice(oldCarried);
  const start: LogStart = {
    rows: (oldStart?.rows ?? 0) + chainPart.length,
    hash: chainPart.length ? (chainPart[chainPart.length - 1].hash ?? "") : (oldStart?.hash ?? GENESIS),
    ...(carried.length ? { carried: { rows: carried.length, digest: carriedDigest(carried) } } : {}),
  };
  Object.assign(shared, logHeadChanges(kept, salt, 0, start));
  return { plan, shared, archive, moved };
}

/** One line of what moved, in both languages. */
export function archiveSummary(c: ArchiveChanges, archiveFile: string): Text {
  const m = c.moved;
  const p = c.plan;
  const left = p.logLeft
    ? {
        zh: `；这些卡片在 ${p.year} 年之后的 ${p.logLeft} 行会签记录留在共享工作簿`,
        en: `; ${p.logLeft} log rows of these cards dated after ${p.year} stay in the shared workbook`,
      }
    : { zh: "", en: "" };
  const carried = p.logCarried.length
    ? {
        zh: `；仍留下的卡片在 ${p.year} 年的 ${p.logCarried.length} 行会签记录同时留在共享工作簿开头`,
        en: `; the ${p.logCarried.length} log rows of ${p.year} of cards that stay are kept at the top of the shared log too`,
      }
    : { zh: "", en: "" };
  return {
    zh: `${p.year} 年归档到 ${archiveFile}：${m.Register ?? 0} 张卡片，${m.Revisions ?? 0} 条修改记录，${m.Incidents ?? 0} 条事件，${m.CountersignLog ?? 0} 行会签记录${carried.zh}${left.zh}`,
    en: `${p.year} archived to ${archiveFile}: ${m.Register ?? 0} cards, ${m.Revisions ?? 0} revisions, ${m.Incidents ?? 0} incidents, ${m.CountersignLog ?? 0} log rows${carried.en}${left.en}`,
  };
}
