/**
 * Re-anchoring the Countersign Log after an undo (issue 18).
 *
 * Excel's undo takes back the rows an add-in wrote (add-in writes are undoable since ExcelApi
 * 1.20) but not the custom XML part of the log's head (office-js #6415): after Ctrl+Z the
 * anchor is ahead of the log. `verifyLog` names that case "undone-tail" (every row chains, only
 * the tail is missing, both records sealed by the add-in) apart from tampering. After checking
 * that the actions were really undone, the secretary or the director re-anchors: both records
 * are rewritten to the rows as they are plus one log row that says so (重新锚定 / Re-anchor,
 * with the number of rows given up), in one write. Any other finding is refused: an edited row,
 * a deleted middle row, a forged or missing record is never re-anchored away.
 *
 * For the pane: `reanchorLog(port, actor, now)`: one read, one write (two round trips).
 */
import type { LogEntry } from "../core/model";
import { chainAppend, logStartOf, undoneRows } from "../core/workflow/log";
import { verifyWorkbookLog } from "./actions";
import { formatsFor, logEntryIn, rowFor } from "./cells";
import { logHeadChanges, logSaltOf } from "./log-head";
import { WorkbookPort, emptyChangeSet } from "./port";
import { readWorkbook } from "./read";
import { COUNTERSIGN_LOG } from "./schema";

type Text = { zh: string; en: string };

/** The log row's Action word. */
export const REANCHOR_WORD: Text = { zh: "重新锚定", en: "Re-anchor" };

export type ReanchorResult = { ok: true; givenUp: number; written: LogEntry } | { ok: false; reason: Text };

export async function reanchorLog(port: WorkbookPort, actor: string, now: number): Promise<ReanchorResult> {
  const snapshot = await port.read();
  const { model } = readWorkbook(snapshot);
  const who = model.staff.find((s) => s.name === actor && s.active);
  if (!who || (who.role !== "Secretary" && who.role !== "Director"))
    return {
      ok: false,
      reason: {
        zh: `只有秘书或总监可以重新锚定会签记录（${actor || "—"} 不是在职的秘书或总监）`,
        en: `only the secretary or the director may re-anchor the log (${actor || "—"} is not an active secretary or director)`,
      },
    };
  const info = model.tables.get("CountersignLog");
  if (!info)
    return { ok: false, reason: { zh: "找不到会签记录表：请先设置此工作簿", en: "no Countersign Log table: set up this workbook first" } };
  const records = snapshot.logRecords ?? { anchors: [] };
  const breaks = verifyWorkbookLog(snapshot, model);
  const givenUp = undoneRows(breaks, records, model.log.length);
  if (givenUp === undefined)
    return {
      ok: false,
      reason: breaks.length
        ? {
            zh: `会签记录的问题不是撤销造成的，不能重新锚定：${breaks[0].zh}`,
            en: `the log's problem is not an undo, it cannot be re-anchored: ${breaks[0].en}`,
          }
        : { zh: "会签记录没有问题，无需重新锚定", en: "the log has no problem: there is nothing to re-anchor" },
    };
  const lang = info.lang;
  const note =
    lang === "zh"
      ? `锚点记录的 ${givenUp} 行已撤销，放弃；锚点改为现有的 ${model.log.length} 行`
      : `${givenUp} row${givenUp > 1 ? "s" : ""} the anchor recorded were undone and are given up; the anchor now holds the ${model.log.length} rows found`;
  const [row] = chainAppend(model.log, [
    logEntryIn({ time: now, cardNo: "", action: REANCHOR_WORD[lang], actor, role: who.role, note }, lang),
  ]);
  const changes = emptyChangeSet();
  changes.appends.push({
    table: "CountersignLog",
    rows: [rowFor(COUNTERSIGN_LOG, row, lang, info.cols, info.raw.headers.length)],
    ...formatsFor(COUNTERSIGN_LOG, info.cols),
  });
  // Both records to the rows as they are, plus this one: the rows given up are no longer counted.
  Object.assign(changes, logHeadChanges([...model.log, row], logSaltOf(snapshot), 0, logStartOf(records)));
  await port.write(changes);
  return { ok: true, givenUp, written: row };
}
