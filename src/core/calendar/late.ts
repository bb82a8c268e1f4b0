/**
 * Lateness in words (glossary: "已超时 1 个工作日 / 超时 1 小时 35 分"): under one business day
 * as working hours and minutes, from one day as whole business days and the hours beyond them.
 * A business day is the working hours of one day (Settings; 7.5 hours by default).
 */

/** Working minutes of the default working day (09:00–12:00, 13:30–18:00). */
const DEFAULT_DAY_MINUTES = 450;

/**
 * Business days late as words, without "已超时" / "late" around them: "2 小时 30 分" / "2 h 30 min",
 * "1 个工作日 2 小时" / "1 business day 2 h", "3 个工作日" / "3 business days". Anything late is at
 * least "1 分" (never "0 分", never a decimal).
 */
export function lateAmount(lateDays: number, dayMinutes: number = DEFAULT_DAY_MINUTES): { zh: string; en: string } {
  const perDay = dayMinutes > 0 ? dayMinutes : DEFAULT_DAY_MINUTES;
  // Not a number (a broken cell upstream): the least lateness, never "NaN 个工作日".
  const minutes = Math.max(1, Math.round(Math.max(0, Number.isFinite(lateDays) ? lateDays : 0) * perDay));
  if (minutes < perDay) {
    const h = Math.floor(minutes / 60);
    const m = minutes - h * 60;
    return {
      zh: [h ? `${h} 小时` : "", m ? `${m} 分` : ""].filter(Boolean).join(" "),
      en: [h ? `${h} h` : "", m ? `${m} min` : ""].filter(Boolean).join(" "),
    };
  }
  const d = Math.floor(minutes / perDay);
  const h = Math.floor((minutes - d * perDay) / 60);
  return {
    zh: `${d} 个工作日${h ? ` ${h} 小时` : ""}`,
    en: `${d} business day${d === 1 ? "" : "s"}${h ? ` ${h} h` : ""}`,
  };
}

/** "已超时 2 小时 30 分" / "2 h 30 min late". */
export function lateText(lateDays: number, dayMinutes?: number): { zh: string; en: string } {
  const a = lateAmount(lateDays, dayMinutes);
  return { zh: `已超时 ${a.zh}`, en: `${a.en} late` };
}
