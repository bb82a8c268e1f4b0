/** The Settings table: each known key's value, checked; a bad value is a warning and its default applies. */
import { parseWorkingHours } from "../../core/calendar/hours";
import { isValidTimeZone } from "../../core/calendar/clock";
import { DEFAULT_SETTINGS, SETTING_KEYS, SettingKey, Settings } from "../../core/settings";
import { SETTINGS, column } from "../schema";
import { isKeyOf, parseYesNo } from "../vocab";
import { Finding, TableInfo } from "./model";
import { TableReader } from "./table-reader";

const SETTING_KEY_LIST: readonly SettingKey[] = Object.keys(SETTING_KEYS).filter((k) => isKeyOf(SETTING_KEYS, k));

export function readSettings(info: TableInfo | undefined, findings: Finding[]): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  if (!info) return settings;
  const reader = new TableReader(SETTINGS, info, findings);
  const valueCol = column(SETTINGS, "value");
  for (const row of reader.rows()) {
    const keyText = row.get("key") ?? "";
    const value = row.get("value") ?? "";
    const key = SETTING_KEY_LIST.find((k) => SETTING_KEYS[k].en.toLowerCase() === keyText.toLowerCase() || SETTING_KEYS[k].zh === keyText);
    if (!key || value === "") continue;
    const bad = (zh: string, en: string) =>
      reader.report(
        "warning",
        "bad-setting",
        row.index,
        valueCol,
        value,
        `${keyText}：${zh}，使用默认值`,
        `${keyText}: ${en}; the default applies`,
      );
    switch (key) {
      case "workingHours": {
        const p = parseWorkingHours(value);
        if ("periods" in p) settings.periods = p.periods;
        else bad(`“${value}”不是有效的工作时间`, p.error);
        break;
      }
      case "timeZone":
        if (isValidTimeZone(value)) settings.timeZone = value;
        else bad(`“${value}”不是时区`, `"${value}" is not a time zone`);
        break;
      case "directorReviewsAll":
      case "onlySelf": {
        const b = parseYesNo(value);
        if (b === undefined) bad(`“${value}”应为 是/否`, `"${value}" is not Yes/No`);
        else settings[key] = b;
        break;
      }
      case "cardFormat":
        if (/N+/.test(value)) settings.cardFormat = value;
        else bad("卡号格式必须含流水号 N", "the card-number format needs a running number N");
        break;
      case "lang": {
        const l = value.toLowerCase();
        if (l === "zh" || l === "en" || l === "auto") settings.lang = l;
        else if (value === "中文") settings.lang = "zh";
        else if (value === "英文" || l === "english") settings.lang = "en";
        else bad(`“${value}”应为 zh、en 或 auto`, `"${value}" is not zh, en or auto`);
        break;
      }
      case "kpiBase": {
        const n = Number(value);
        if (Number.isFinite(n) && n > 0) settings.kpiBase = n;
        else bad(`“${value}”不是正数`, `"${value}" is not a positive number`);
        break;
      }
    }
  }
  return settings;
}
