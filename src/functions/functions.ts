/**
 * The custom functions of namespace PLAN: business-day deadlines under China's official
 * calendar, the workbook's Calendar table and the center's working hours.
 *
 * Dates in and out are Excel serial numbers (wall clock). Each argument takes a cell or a
 * range; a range in gives a range out, computed in one call. A blank start or due gives
 * a blank result, so a formula filled down a Register column stays quiet on empty rows.
 * The JSDoc below is the metadata Excel's autocomplete shows (custom-functions-metadata).
 */
import { ArgError, Cell, CellResult, cellwise, dateArg, isBlank, numberArg } from "./args";
import { functionsConfig } from "./config";
/* eslint-disable @typescript-eslint/no-explicit-any -- Excel passes cells of any type */
import { wallClockSerial } from "../core/calendar";





function nowSerial(): number {
  const cfg = functionsConfig();
  return wallClockSerial(cfg.timeZone, cfg.nowMs ? cfg.nowMs() : Date.now());
}

/**
 * The deadline: business_days business days after start, counting only working hours on working days (China's official holidays and make-up working days included). 0.5 is half a working day; a negative count goes back.
 * @customfunction DUE
 * @param start When the clock starts (a date-time), or a column of them.
 * @param business_days Business days to add, e.g. 1 or 0.5; negative counts go back.
 * @returns The deadline as a date-time.
 */
export function due(start: any[][], business_days: any[][]): any[][] {
  const cal = functionsConfig().calendar;
  return cellwise([start, business_days], (s: Cell, d: Cell): CellResult => {
    if (isBlank(s)) return "";
    return cal.addBusinessDays(dateArg("start", s), numberArg("business_days", d));
  }) as any[][];
}

/**
 * Business days from start to end, as a fraction of working days; negative when end is before start.
 * @customfunction WORKDAYS
 * @param start The first date-time, or a column of them.
 * @param end The second date-time, or a column of them.
 * @returns Business days between them.
 */
export function workdays(start: any[][], end: any[][]): any[][] {
  const cal = functionsConfig().calendar;
  return cellwise([start, end], (s: Cell, e: Cell): CellResult => {
    if (isBlank(s) || isBlank(e)) return "";
    return cal.businessDaysBetween(dateArg("start", s), dateArg("end", e));
  }) as any[][];
}

/**
 * Business days by which a deadline was missed: from due to done, or to as_of (else now) while not done; 0 when on time.
 * @customfunction OVERDUE
 * @volatile
 * @param due The deadline (a date-time), or a column of them.
 * @param [done] When it was done; leave empty while it is still open.
 * @param [as_of] The moment to measure an open item at; default now.
 * @returns Business days late, 0 when on time.
 */
export function overdue(due: any[][], done?: any[][], as_of?: any[][]): any[][] {
  const cal = functionsConfig().calendar;
  let now: number | undefined;
  return cellwise([due, done ?? null, as_of ?? null], (d: Cell, fin: Cell, asOf: Cell): CellResult => {
    if (isBlank(d)) return "";
    const deadline = dateArg("due", d);
    const end = !isBlank(fin) ? dateArg("done", fin) : !isBlank(asOf) ? dateArg("as_of", asOf) : (now ??= nowSerial());
    const late = cal.businessDaysBetween(deadline, end);
    return late > 0 ? late : 0;
  }) as any[][];
}

/**
 * The moment when fraction of the business time from start to due has passed: 0.2 for the framework, 0.8 for the first draft.
 * @customfunction MILESTONE
 * @param start When the schedule starts (the lead was assigned).
 * @param due The time point agreed with the client.
 * @param fraction Between 0 and 1, e.g. 0.2 or 0.8.
 * @returns The milestone as a date-time.
 */
export function milestone(start: any[][], due: any[][], fraction: any[][]): any[][] {
  const cal = functionsConfig().calendar;
  return cellwise([start, due, fraction], (s: Cell, d: Cell, f: Cell): CellResult => {
    if (isBlank(s) || isBlank(d)) return "";
    const a = dateArg("start", s);
    const b = dateArg("due", d);
    const x = numberArg("fraction", f);
    if (x < 0 || x > 1) throw new ArgError("#NUM!", `fraction：${x} 不在 0 到 1 之间`, `fraction: ${x} is outside 0–1`);
    if (b < a) throw new ArgError("#NUM!", "due 早于 start", "due is before start");
    return cal.milestone(a, b, x);
  }) as any[][];
}

/**
 * TRUE on a working day under China's official calendar and the workbook's Calendar table, FALSE on a day off.
 * @customfunction ISWORKDAY
 * @param date A date, or a column of them.
 * @returns TRUE or FALSE.
 */
export function isworkday(date: any[][]): any[][] {
  const cal = functionsConfig().calendar;
  return cellwise([date], (d: Cell): CellResult => {
    if (d === null || d === undefined || d === "") return "";
    return cal.isWorkday(dateArg("date", d));
  }) as any[][];
}
