/**
 * The custom functions of namespace PLAN: business-day deadlines under China's official
 * calendar, the workbook's Calendar table and the center's working hours.
 *
 * Dates in and out are Excel serial numbers (wall clock). Each argument takes a cell or a
 * range; a range in gives a range out, computed in one call. A blank start or due gives
 * a blank result, so a formula filled down a Register column stays quiet on empty rows.
 * The JSDoc below is the metadata Excel's autocomplete shows (custom-functions-metadata).
 *
 * In Excel each function returns a promise that settles once the shared runtime has the
 * workbook's Calendar, Settings and time zone (src/functions/config.ts): no result is ever
 * computed with a calendar the workbook does not have. With a configuration pinned by
 * `configureFunctions` (Node, tests, the workbench) the result comes back at once; `await`
 * works on both.
 *
 * Parameters are typed `any[][]` (metadata type "any", a matrix), not `any[][]`: the
 * latter makes the metadata carry `cellValueType: "cellvalue"`, which needs
 * CustomFunctionsRuntime 1.4 — not on perpetual Office (Office 2019/2021/LTSC: "Not supported",
 * https://learn.microsoft.com/javascript/api/requirement-sets/excel/custom-functions-requirement-sets).
 * The manifest asks for CustomFunctionsRuntime 1.1, so the functions run wherever the add-in
 * installs. A cell holding a data type then reaches a function as its basic value; args.ts
 * still reads a data type's JSON value by its basic value, should one arrive.
 */
import { ArgError, Cell, CellResult, cellwise, dateArg, isBlank, numberArg, unavailableCells } from "./args";
import { FunctionsConfig, withFunctionsConfig } from "./config";
/* eslint-disable @typescript-eslint/no-explicit-any -- Excel takes results of any type */
import { wallClockSerial } from "../core/calendar";

type Args = readonly [unknown] | readonly [unknown, unknown] | readonly [unknown, unknown, unknown];

/** `compute` over the arguments with the configuration the functions must use (see config.ts). */
function run(args: Args, compute: (cfg: FunctionsConfig) => CellResult | CellResult[][]): Promise<any[][]> {
  return withFunctionsConfig(compute, (why) => unavailableCells(args, why)) as unknown as Promise<any[][]>;
}

function nowSerial(cfg: FunctionsConfig): number {
  return wallClockSerial(cfg.timeZone, cfg.nowMs ? cfg.nowMs() : Date.now());
}

/**
 * The deadline: business_days business days after start, counting only working hours on working days (China's official holidays and make-up working days included). 0.5 is half a working day; a negative count goes back.
 * @customfunction DUE
 * @param start When the clock starts (a date-time), or a column of them.
 * @param business_days Business days to add, e.g. 1 or 0.5; negative counts go back.
 * @returns The deadline as a date-time.
 */
export function due(start: any[][], business_days: any[][]): Promise<any[][]> {
  const args = [start, business_days] as const;
  return run(args, (cfg) =>
    cellwise(
      args,
      (s: Cell, d: Cell): CellResult => {
        if (isBlank(s)) return "";
        return cfg.calendar.addBusinessDays(dateArg("start", s), numberArg("business_days", d));
      },
      cfg.lang,
    ),
  );
}

/**
 * Business days from start to end, as a fraction of working days; negative when end is before start.
 * @customfunction WORKDAYS
 * @param start The first date-time, or a column of them.
 * @param end The second date-time, or a column of them.
 * @returns Business days between them.
 */
export function workdays(start: any[][], end: any[][]): Promise<any[][]> {
  const args = [start, end] as const;
  return run(args, (cfg) =>
    cellwise(
      args,
      (s: Cell, e: Cell): CellResult => {
        if (isBlank(s) || isBlank(e)) return "";
        return cfg.calendar.businessDaysBetween(dateArg("start", s), dateArg("end", e));
      },
      cfg.lang,
    ),
  );
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
export function overdue(due: any[][], done?: any[][], as_of?: any[][]): Promise<any[][]> {
  const args = [due, done ?? null, as_of ?? null] as const;
  return run(args, (cfg) => {
    let now: number | undefined;
    return cellwise(
      args,
      (d: Cell, fin: Cell, asOf: Cell): CellResult => {
        if (isBlank(d)) return "";
        const deadline = dateArg("due", d);
        const end = !isBlank(fin) ? dateArg("done", fin) : !isBlank(asOf) ? dateArg("as_of", asOf) : (now ??= nowSerial(cfg));
        const late = cfg.calendar.businessDaysBetween(deadline, end);
        return late > 0 ? late : 0;
      },
      cfg.lang,
    );
  });
}

/**
 * The moment when fraction of the business time from start to due has passed: 0.2 for the framework, 0.8 for the first draft.
 * @customfunction MILESTONE
 * @param start When the schedule starts (the lead was assigned).
 * @param due The time point agreed with the client.
 * @param fraction Between 0 and 1, e.g. 0.2 or 0.8.
 * @returns The milestone as a date-time.
 */
export function milestone(start: any[][], due: any[][], fraction: any[][]): Promise<any[][]> {
  const args = [start, due, fraction] as const;
  return run(args, (cfg) =>
    cellwise(
      args,
      (s: Cell, d: Cell, f: Cell): CellResult => {
        if (isBlank(s) || isBlank(d)) return "";
        const a = dateArg("start", s);
        const b = dateArg("due", d);
        const x = numberArg("fraction", f);
        if (x < 0 || x > 1) throw new ArgError("#VALUE!", `fraction：${x} 不在 0 到 1 之间`, `fraction: ${x} is outside 0–1`);
        if (b < a) throw new ArgError("#VALUE!", "due 早于 start", "due is before start");
        return cfg.calendar.milestone(a, b, x);
      },
      cfg.lang,
    ),
  );
}

/**
 * TRUE on a working day under China's official calendar and the workbook's Calendar table, FALSE on a day off.
 * @customfunction ISWORKDAY
 * @param date A date, or a column of them.
 * @returns TRUE or FALSE.
 */
export function isworkday(date: any[][]): Promise<any[][]> {
  const args = [date] as const;
  return run(args, (cfg) =>
    cellwise(
      args,
      (d: Cell): CellResult => {
        if (d === null || d === undefined || d === "") return "";
        return cfg.calendar.isWorkday(dateArg("date", d));
      },
      cfg.lang,
    ),
  );
}
