/**
 * "Add deadline columns" (issue 13) for the pane, on any WorkbookPort: one read (with the
 * Register's conditional formats where the port is Office.js, so the add-in's previous
 * highlights are replaced, and only those), the columns built by deadline-columns.ts, one write.
 * Two round trips in Excel, whatever the number of rows; one more, once, where a highlight an
 * earlier version wrote with a relative column is still there (it is read again from the range it
 * was written on, office-js#5194, and replaced by this run).
 *
 * The short names (=DUE, =OVERDUE, =MILESTONE) are used when the workbook has every one of
 * them, as the command line does (`init --deadline-columns`). A workbook whose structure the
 * reader refuses (blocking findings) gets nothing.
 */
import { wallClockSerial } from "../core/calendar";
import { calendarOf } from "./calendar";
import { FormulaTextError, Lang, deadlineColumns } from "./deadline-columns";
import { SHORT_NAMES } from "./names";
import type { ReadOptions } from "./office";
import { CalculatedColumn, Conflict, Snapshot, WorkbookPort, emptyChangeSet } from "./port";
import { blockingFindings, readWorkbook } from "./read";

type Text = { zh: string; en: string };

export type DeadlineColumnsResult =
  { ok: true; columns: CalculatedColumn[] } | { ok: false; reason: Text; conflicts?: Conflict[]; unrestored?: string[] };

export interface DeadlineColumnsOptions {
  /** Header language; default: the Register's own. */
  lang?: Lang;
  /** Use the short names; default: when the workbook defines all of them. */
  shortNames?: boolean;
}

/**
 * Adds the Register's deadline columns, or replaces them (a re-run follows the Deadlines
 * table). `now` is the office's wall clock as a serial (the values a file keeps; Excel computes
 * its own); default: now in the workbook's time zone.
 */
export async function addDeadlineColumns(
  port: WorkbookPort,
  now?: number,
  opts: DeadlineColumnsOptions = {},
): Promise<DeadlineColumnsResult> {
  const read = port.read as (this: WorkbookPort, o?: ReadOptions) => Promise<Snapshot>;
  const snapshot = await read.call(port, { conditionalFormats: ["Register"] });
  const { model, findings } = readWorkbook(snapshot);
  if (!model.tables.get("Register"))
    return { ok: false, reason: { zh: "找不到项目登记表：请先设置此工作簿", en: "no Register table: set up this workbook first" } };
  const blocking = blockingFindings(findings);
  if (blocking.length)
    return {
      ok: false,
      reason: {
        zh: `工作簿结构有错误，未添加时限列：${blocking.map((f) => f.zh).join("；")}`,
        en: `the workbook's structure has errors; no deadline columns were added: ${blocking.map((f) => f.en).join("; ")}`,
      },
    };
  const names = new Set((snapshot.names ?? []).map((n) => n.toUpperCase()));
  const shortNames = opts.shortNames ?? SHORT_NAMES.every((n) => names.has(n.name));
  let columns: CalculatedColumn[];
  try {
    columns = deadlineColumns(model, calendarOf(model), now ?? wallClockSerial(model.settings.timeZone), { lang: opts.lang, shortNames });
  } catch (e) {
    // Text that cannot go into a formula safely (a deadline id with a quote): refused with its cell, nothing written.
    if (e instanceof FormulaTextError) return { ok: false, reason: { zh: e.zh, en: e.en } };
    throw e;
  }
  if (!columns.length)
    return {
      ok: false,
      reason: { zh: "时限表中没有按项目登记表日期计算的时限", en: "the Deadlines table has no deadline on the Register's dates" },
    };
  const changes = emptyChangeSet();
  changes.calculatedColumns = columns;
  let result: { conflicts: Conflict[]; unrestored?: string[] } | void;
  try {
    result = (await port.write(changes)) as typeof result;
  } catch (e) {
    const code = (e as { code?: string }).code;
    // The Register grew or changed shape between the read and the write (the formulas' size no longer fits): nothing was added.
    if (code === "InvalidArgument" || code === "ItemNotFound")
      return {
        ok: false,
        reason: {
          zh: "项目登记表刚刚被改动，未添加时限列。请重试。",
          en: "The Register changed meanwhile; no deadline columns were added. Try again.",
        },
      };
    throw e;
  }
  if (result && result.conflicts.length)
    return {
      ok: false,
      reason: {
        zh: "有人同时改动了项目登记表的列，时限列已撤回。请重试。",
        en: "Someone changed the Register's columns at the same moment; the deadline columns were taken back. Try again.",
      },
      conflicts: result.conflicts,
      ...(result.unrestored?.length ? { unrestored: result.unrestored } : {}),
    };
  return { ok: true, columns };
}
