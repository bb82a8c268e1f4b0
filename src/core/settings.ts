/**
 * The center's settings (the Settings table): working hours, time zone, whether the director
 * reviews every proposal, the card-number format, the language, the KPI base score.
 * Defaults are domain.md's assumptions.
 */
import { DEFAULT_HOURS_TEXT, DEFAULT_PERIODS, Period } from "./calendar/hours";
import { DEFAULT_TIME_ZONE } from "./calendar/clock";

export interface Settings {
  periods: readonly Period[];
  timeZone: string;
  directorReviewsAll: boolean;
  /** Card numbers: YYYY, MM, DD for the date the card is issued, N… for the running number. */
  cardFormat: string;
  lang: "zh" | "en" | "auto";
  /** Each person's monthly score starts here; deductions come off it. */
  kpiBase: number;
  /** Only the signed-in person may act (只允许本人操作): actions as someone else are refused, backups excepted. */
  onlySelf: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  periods: DEFAULT_PERIODS,
  timeZone: DEFAULT_TIME_ZONE,
  directorReviewsAll: false,
  cardFormat: "YYYYMM-NNN",
  lang: "auto",
  kpiBase: 100,
  onlySelf: false,
};

/** The keys of the Settings table, in both languages, with their default text. */
export const SETTING_KEYS = {
  workingHours: { en: "Working hours", zh: "工作时间", value: DEFAULT_HOURS_TEXT },
  timeZone: { en: "Time zone", zh: "时区", value: DEFAULT_TIME_ZONE },
  directorReviewsAll: { en: "Director reviews every proposal", zh: "总监审核所有方案", value: "No" },
  cardFormat: { en: "Card number format", zh: "卡号格式", value: "YYYYMM-NNN" },
  lang: { en: "Language", zh: "语言", value: "auto" },
  kpiBase: { en: "KPI base score", zh: "考核基础分", value: "100" },
  onlySelf: { en: "Only the signed-in person may act", zh: "只允许本人操作", value: "No" },
} as const;

export type SettingKey = keyof typeof SETTING_KEYS;
