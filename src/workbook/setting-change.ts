/**
 * A setting changed from the pane (issue 18: "只允许本人操作 / Only the signed-in person may
 * act"), as one change set on the Settings table: the row's Value, and a record of who changed
 * it, when and with which signed-in account, put before what the row's Note held (nothing is
 * lost). A workbook whose Settings table has no row for the setting gets one appended, in the
 * table's header language. Everything is written as text.
 */
import { formatSerialMinute } from "../core/calendar";
import { SETTING_KEYS, SettingKey } from "../core/settings";
import { ChangeSet, CellValue, emptyChangeSet, findTable, Snapshot } from "./port";
import { SETTINGS, headerLang, mapColumns, normalizeHeader } from "./schema";

export interface SettingChangeBy {
  /** The person chosen under "I am". */
  actor: string;
  /** The signed-in account, when Office offers one. */
  account?: string;
  /** The office's wall clock, as a serial. */
  now: number;
}

/** The change set that makes the Yes/No setting `key` say `on`, with its record in the Note. */
export function yesNoSettingChange(snapshot: Snapshot, key: SettingKey, on: boolean, by: SettingChangeBy): ChangeSet {
  const t = findTable(snapshot, SETTINGS.name);
  if (!t) throw new Error("找不到设置表：请先设置此工作簿 / no Settings table: set up this workbook first");
  const cols = mapColumns(SETTINGS, t.headers);
  const keyCol = cols.get("key");
  const valueCol = cols.get("value");
  if (keyCol === undefined || valueCol === undefined)
    throw new Error(
      `设置表（工作表“${t.sheet}”）缺少“设置项”或“值”列 / the Settings table (sheet "${t.sheet}") has no Setting or Value column`,
    );
  const noteCol = cols.get("note");
  const names = SETTING_KEYS[key];
  const row = t.rows.findIndex((r) => {
    const k = normalizeHeader(r[keyCol]);
    return k === normalizeHeader(names.zh) || k === normalizeHeader(names.en);
  });
  const lang =
    row >= 0
      ? normalizeHeader(t.rows[row][keyCol]) === normalizeHeader(names.en)
        ? "en"
        : "zh"
      : (headerLang(SETTINGS, t.headers) ?? "zh");
  const value = lang === "zh" ? (on ? "是" : "否") : on ? "Yes" : "No";
  const when = formatSerialMinute(by.now);
  const account = by.account?.trim();
  const record =
    lang === "zh"
      ? `${when} ${by.actor} 设为“${value}”${account ? `（登录账号 ${account}）` : "（无登录账号）"}`
      : `${when} set to ${value} by ${by.actor}${account ? ` (signed in as ${account})` : " (no signed-in account)"}`;
  const changes = emptyChangeSet();
  if (row >= 0) {
    changes.cells.push({ table: t.name, row, col: valueCol, value, text: true });
    if (noteCol !== undefined) {
      const old = t.rows[row][noteCol];
      const before = old === null || old === undefined ? "" : String(old);
      changes.cells.push({ table: t.name, row, col: noteCol, value: before ? `${record}；${before}` : record, text: true });
    }
  } else {
    const width = t.headers.length;
    const line: CellValue[] = Array.from({ length: width }, () => null);
    line[keyCol] = names[lang];
    line[valueCol] = value;
    if (noteCol !== undefined) line[noteCol] = record;
    changes.appends.push({ table: t.name, rows: [line], textCols: Array.from({ length: width }, (_, i) => i) });
  }
  return changes;
}
