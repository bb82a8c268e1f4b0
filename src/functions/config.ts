/**
 * What the custom functions compute with: the business calendar (official days, the
 * workbook's Calendar table, working hours from Settings), the office's time zone for
 * "now", and the language of error messages. The shared runtime replaces it when it has
 * read the workbook; until then the defaults of domain.md apply.
 */
import { BusinessCalendar, DEFAULT_TIME_ZONE } from "../core/calendar";

export type Lang = "zh" | "en";

export interface FunctionsConfig {
  calendar: BusinessCalendar;
  timeZone: string;
  lang: Lang;
  /** The instant used for "now" (ms since 1970); tests pin it, Excel uses the real clock. */
  nowMs?: () => number;
}

let active: FunctionsConfig | undefined;

export function functionsConfig(): FunctionsConfig {
  if (!active) active = { calendar: new BusinessCalendar(), timeZone: DEFAULT_TIME_ZONE, lang: "en" };
  return active;
}

export function configureFunctions(config: Partial<FunctionsConfig>): void {
  active = { ...functionsConfig(), ...config };
}
