/**
 * China's official calendar (国务院办公厅 holiday arrangements), from the data file of the
 * `chinese-days` package. Only its data is used: its date functions go through dayjs in
 * the machine's time zone and shift by a day outside UTC+8.
 */
import { serialDay } from "./serial";

type Data = typeof import("chinese-days/dist/chinese-days.json");

export interface OfficialCalendar {
  /** Serial days that are public holidays (some fall on weekends). */
  readonly holidays: readonly number[];
  /** Serial days that are weekend days made working days (调休上班). */
  readonly workdays: readonly number[];
  /** First and last year the data covers. */
  readonly firstYear: number;
  readonly lastYear: number;
}

function daysOf(map: Record<string, string>): number[] {
  return Object.keys(map).map((key) => serialDay(Number(key.slice(0, 4)), Number(key.slice(5, 7)), Number(key.slice(8, 10))));
}

let cached: OfficialCalendar | undefined;

export function officialCalendar(): OfficialCalendar {
  if (cached) return cached;
  // Loaded when first asked, not with the module: reading a workbook does not need it, and
  // the command line's every start would pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const data: Data = require("chinese-days/dist/chinese-days.json");
  const keys = [...Object.keys(data.holidays), ...Object.keys(data.workdays)];
  const years = keys.map((k) => Number(k.slice(0, 4)));
  cached = {
    holidays: daysOf(data.holidays),
    workdays: daysOf(data.workdays),
    firstYear: Math.min(...years),
    lastYear: Math.max(...years),
  };
  return cached;
}
