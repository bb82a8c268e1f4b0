/** What an action changed, in words: the cells of the card's row (address, column, new value) and the rows appended (the log row's address). */
import { formatSerialMinute } from "../core/calendar";
import type { LogEntry } from "../core/model";
import type { ActionDef, Effect } from "../core/workflow/actions";
import { STAGE_WORDS, parseStage } from "../core/workflow/stages";
import { actionOf, logWord } from "../core/workflow/words";
import { cellAddress, columnLetter } from "../workbook/port";
import type { TableInfo, WorkbookModel } from "../workbook/read";
import { REGISTER } from "../workbook/schema";

type Text = { zh: string; en: string };

/** The address of a table's last row, whole width: `会签记录!A43:G43`. */
function lastRow(info: TableInfo | undefined): string | undefined {
  if (!info || !info.raw.rows.length) return undefined;
  const r = info.raw.top + info.raw.rows.length; // 0-based sheet row of the last data row
  return `${cellAddress(info.raw.sheet, r, info.raw.left)}:${columnLetter(info.raw.left + Math.max(0, info.raw.headers.length - 1))}${r + 1}`;
}

function shown(key: string, value: unknown, lang: "zh" | "en"): string {
  if (value === undefined || value === null || value === "") return lang === "zh" ? "（清空）" : "(emptied)";
  const col = REGISTER.columns.find((c) => c.key === key);
  if (col?.type === "date" && typeof value === "number") return formatSerialMinute(value);
  if (key === "stage") {
    const s = parseStage(String(value));
    if (s) return STAGE_WORDS[s][lang];
  }
  return String(value);
}

export function doneText(
  def: ActionDef,
  effect: Effect,
  model: WorkbookModel,
  lang: "zh" | "en",
  written?: LogEntry,
): { summary: Text; changed: Text[] } {
  const summary = { zh: `已完成：${def.label.zh}（${effect.cardNo}）`, en: `Done: ${def.label.en} (${effect.cardNo})` };
  const changed: Text[] = [];
  const reg = model.tables.get("Register");
  const row = model.cardRows.get(effect.cardNo);
  if (reg && row !== undefined) {
    if (effect.newCard) {
      const at = `${cellAddress(reg.raw.sheet, reg.raw.top + 1 + row, reg.raw.left)}:${columnLetter(reg.raw.left + reg.raw.headers.length - 1)}${reg.raw.top + 2 + row}`;
      changed.push({ zh: `${at} 新增一行：${effect.cardNo}`, en: `${at}: a new row, ${effect.cardNo}` });
    } else {
      const keys: [string, unknown][] = [...Object.entries(effect.set), ...effect.clear.map((k) => [k, undefined] as [string, unknown])];
      for (const [key, value] of keys) {
        const col = REGISTER.columns.find((c) => c.key === key);
        const at = reg.cols.get(key);
        if (!col || at === undefined) continue;
        const address = cellAddress(reg.raw.sheet, reg.raw.top + 1 + row, reg.raw.left + at);
        const header = String(reg.raw.headers[at] ?? col[lang]);
        changed.push({ zh: `${address} ${header} → ${shown(key, value, "zh")}`, en: `${address} ${header} → ${shown(key, value, "en")}` });
      }
    }
  }
  const appended = (table: string, zh: string, en: string) => {
    const at = lastRow(model.tables.get(table));
    if (at) changed.push({ zh: `${at} 新增一行：${zh}`, en: `${at}: a new row, ${en}` });
  };
  if (effect.revision) appended("Revisions", "修改记录", "revision");
  if (effect.incident) appended("Incidents", "事件", "incident");
  // The log row as written: its 操作 cell holds the word in the log's language (会签, Countersign), as the sheet shows it.
  const logged = written ?? effect.log;
  const id = actionOf(logged);
  const word = (l: "zh" | "en") => written?.action ?? (id ? logWord(id, l) : (logged.action ?? ""));
  appended("CountersignLog", `${word("zh")} ${logged.actor ?? ""}`, `${word("en")} ${logged.actor ?? ""}`);
  return { summary, changed };
}
