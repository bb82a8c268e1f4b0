/** The pane (first cut): says what the add-in provides and whether the calendar covers this year. */
import { coverageWarning, civilOfDay, wallClockSerial } from "../core/calendar";
import { functionsConfig } from "../functions/config";

export type Lang = "zh" | "en";

export function langOf(displayLanguage: string | undefined): Lang {
  return displayLanguage && !displayLanguage.toLowerCase().startsWith("zh") ? "en" : "zh";
}

export function startPane(root: HTMLElement, displayLanguage?: string): void {
  const lang = langOf(displayLanguage);
  const cfg = functionsConfig();
  const year = civilOfDay(Math.floor(wallClockSerial(cfg.timeZone))).year;
  const warn = cfg.calendar.hasOfficialYear(year) ? "" : coverageWarning(year, lang);
  const title = lang === "zh" ? "策划台" : "Planning Desk";
  const body =
    lang === "zh"
      ? "工作日函数已就绪：=PLAN.DUE、=PLAN.WORKDAYS、=PLAN.OVERDUE、=PLAN.MILESTONE、=PLAN.ISWORKDAY。"
      : "Business-day functions are ready: =PLAN.DUE, =PLAN.WORKDAYS, =PLAN.OVERDUE, =PLAN.MILESTONE, =PLAN.ISWORKDAY.";
  root.replaceChildren();
  const h = document.createElement("h1");
  h.textContent = title;
  const p = document.createElement("p");
  p.textContent = body;
  root.append(h, p);
  if (warn) {
    const w = document.createElement("p");
    w.setAttribute("role", "alert");
    w.textContent = warn;
    root.append(w);
  }
}
