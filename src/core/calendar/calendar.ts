/**
 * The business calendar: which days are worked, and business time between wall-clock
 * moments.
 *
 * Business time is measured as a position: working minutes elapsed since the start of
 * the table. With a table of working-day counts (prefix sums) and of the n-th working
 * day, converting a moment to a position and a position back to a moment are O(1),
 * whatever the distance. `chinese-days` and date-fns walk day by day, and neither knows
 * working hours, which is why this is written here.
 */
import { DEFAULT_PERIODS, Period } from "./hours";
import { OfficialCalendar, officialCalendar } from "./official";
import { FIRST_SERIAL_DAY, MINUTES_PER_DAY, civilOfDay, formatDay, serialDay, serialToMinutes, weekdayOfDay } from "./serial";

/** A day the workbook's Calendar table adds: a day off, or a weekend day that is worked. */
export interface CalendarDay {
  day: number; // serial day number
  type: "holiday" | "workday";
  note?: string;
}

export interface CalendarConfig {
  /** Working periods of a day; default 09:00–12:00, 13:30–18:00. */
  periods?: readonly Period[];
  /** The workbook's own days, laid over the official calendar. */
  extraDays?: readonly CalendarDay[];
  /** Official data; `null` for weekends only (used in tests and for comparison). */
  official?: OfficialCalendar | null;
}

/** The table covers 1900-03-01 up to (not including) 2200-01-01. */
const TABLE_FIRST = FIRST_SERIAL_DAY;
const TABLE_END = serialDay(2200, 1, 1);

/** The first and the last civil year the calendar can compute with (for messages). */
export const CALENDAR_FIRST_YEAR = 1900;
export const CALENDAR_LAST_YEAR = 2199;

/**
 * Can the calendar compute with this serial date-time (1900-03-01 00:00 … 2199-12-31 23:59)?
 * The same test `position` makes, so a date that passes it never throws CalendarRangeError
 * by itself (a deadline counted from it may still run past 2199: evaluate.ts catches that).
 */
export function inCalendarRange(serial: number): boolean {
  if (!Number.isFinite(serial)) return false;
  const day = Math.floor(serialToMinutes(serial) / MINUTES_PER_DAY);
  return day >= TABLE_FIRST && day < TABLE_END;
}

/** A date outside what the calendar can compute with. */
export class CalendarRangeError extends RangeError {
  constructor(readonly serial: number) {
    super(`date outside 1900-03-01 … 2199-12-31: ${serial}`);
  }
}

const roundMs = (minutes: number): number => Math.round(minutes * 60000) / 60000;

export class BusinessCalendar {
  readonly periods: readonly Period[];
  /** Working minutes in one business day. */
  readonly dayMinutes: number;
  readonly officialFirstYear: number | undefined;
  readonly officialLastYear: number | undefined;
  /** Years for which the workbook's Calendar table has at least one day. */
  readonly extraYears: ReadonlySet<number>;

  /** The periods as flat arrays, for the hot loops. */
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly work: Uint8Array;
  /** cum[i] = working days before table index i. */
  private readonly cum: Int32Array;
  /** nth[k] = table index of the k-th working day (0-based). */
  private readonly nth: Int32Array;

  constructor(config: CalendarConfig = {}) {
    this.periods = config.periods ?? DEFAULT_PERIODS;
    this.dayMinutes = this.periods.reduce((sum, [s, e]) => sum + (e - s), 0);
    if (!(this.dayMinutes > 0)) throw new Error("working hours are empty");
    this.starts = Float64Array.from(this.periods, (p) => p[0]);
    this.ends = Float64Array.from(this.periods, (p) => p[1]);

    const n = TABLE_END - TABLE_FIRST;
    const work = new Uint8Array(n);
    for (let i = 0, wd = weekdayOfDay(TABLE_FIRST); i < n; i++, wd = wd === 6 ? 0 : wd + 1) {
      work[i] = wd === 0 || wd === 6 ? 0 : 1;
    }
    const set = (day: number, value: 0 | 1) => {
      const i = day - TABLE_FIRST;
      if (i >= 0 && i < n) work[i] = value;
    };
    const official = config.official === undefined ? officialCalendar() : config.official;
    if (official) {
      for (const d of official.holidays) set(d, 0);
      for (const d of official.workdays) set(d, 1);
    }
    this.officialFirstYear = official?.firstYear;
    this.officialLastYear = official?.lastYear;
    const extraYears = new Set<number>();
    for (const extra of config.extraDays ?? []) {
      set(extra.day, extra.type === "workday" ? 1 : 0);
      extraYears.add(civilOfDay(extra.day).year);
    }
    this.extraYears = extraYears;

    const cum = new Int32Array(n + 1);
    let count = 0;
    for (let i = 0; i < n; i++) {
      cum[i] = count;
      count += work[i];
    }
    cum[n] = count;
    const nth = new Int32Array(count);
    for (let i = 0, k = 0; i < n; i++) if (work[i]) nth[k++] = i;
    this.work = work;
    this.cum = cum;
    this.nth = nth;
  }

  /** Is this serial day (or the day of this serial date-time) a working day? */
  isWorkday(serial: number): boolean {
    const i = Math.floor(serialToMinutes(serial) / MINUTES_PER_DAY) - TABLE_FIRST;
    if (i < 0 || i >= this.work.length) throw new CalendarRangeError(serial);
    return this.work[i] === 1;
  }

  /** Working minutes within a day up to minute-of-day `m`. */
  private workedBy(m: number): number {
    const { starts, ends } = this;
    let sum = 0;
    for (let i = 0; i < starts.length; i++) {
      const s = starts[i];
      if (m <= s) break;
      const e = ends[i];
      sum += (m < e ? m : e) - s;
    }
    return sum;
  }

  /** Business position (working minutes since the table's start) of a wall-clock serial. */
  position(serial: number): number {
    const minutes = serialToMinutes(serial);
    const day = Math.floor(minutes / MINUTES_PER_DAY);
    const i = day - TABLE_FIRST;
    if (!(i >= 0 && i < this.work.length)) throw new CalendarRangeError(serial);
    const base = this.cum[i] * this.dayMinutes;
    return this.work[i] ? base + this.workedBy(minutes - day * MINUTES_PER_DAY) : base;
  }

  /**
   * The earliest moment whose position reaches `pos`. A position at the end of a working
   * period is reported at that end (12:00, 18:00), not at the next period's start.
   */
  private earliestAt(pos: number): number {
    pos = roundMs(pos);
    const M = this.dayMinutes;
    let k = Math.ceil(pos / M) - 1;
    if (k < 0) k = 0;
    if (k >= this.nth.length) throw new CalendarRangeError(NaN);
    let r = pos - k * M;
    const { starts, ends } = this;
    let minute = ends[ends.length - 1];
    for (let i = 0; i < starts.length; i++) {
      const len = ends[i] - starts[i];
      if (r <= len) {
        minute = starts[i] + r;
        break;
      }
      r -= len;
    }
    return this.nth[k] + TABLE_FIRST + roundMs(minute) / MINUTES_PER_DAY;
  }

  /** The latest moment whose position is still `pos` (going backwards lands on period starts). */
  private latestAt(pos: number): number {
    pos = roundMs(pos);
    if (pos < 0) throw new CalendarRangeError(NaN);
    const M = this.dayMinutes;
    const k = Math.floor(pos / M);
    if (k >= this.nth.length) throw new CalendarRangeError(NaN);
    let r = pos - k * M;
    const { starts, ends } = this;
    let minute = starts[0];
    for (let i = 0; i < starts.length; i++) {
      const len = ends[i] - starts[i];
      if (r < len) {
        minute = starts[i] + r;
        break;
      }
      r -= len;
    }
    return this.nth[k] + TABLE_FIRST + roundMs(minute) / MINUTES_PER_DAY;
  }

  /**
   * The moment `days` business days after `start` (before it when negative). A clock
   * started outside working hours starts at the next working minute; 0 days gives
   * `start` itself.
   */
  addBusinessDays(start: number, days: number): number {
    if (days === 0) {
      this.position(start); // range check
      return start;
    }
    const target = this.position(start) + days * this.dayMinutes;
    // A count too small to move the clock (under a millisecond) leaves it where it is.
    return days > 0 ? Math.max(start, this.earliestAt(target)) : Math.min(start, this.latestAt(target));
  }

  /** Business days from `start` to `end`, as a fraction; negative when end is before start. */
  businessDaysBetween(start: number, end: number): number {
    const diff = this.position(end) - this.position(start);
    return Math.round((diff / this.dayMinutes) * 1e9) / 1e9;
  }

  /** The moment when `fraction` (0–1) of the business time from start to due has passed. */
  milestone(start: number, due: number, fraction: number): number {
    if (fraction <= 0) return start;
    if (fraction >= 1) return due;
    const a = this.position(start);
    const b = this.position(due);
    if (b <= a) return b === a ? due : this.latestAt(a + fraction * (b - a));
    return this.earliestAt(a + fraction * (b - a));
  }

  /** Does the official data cover this year? */
  hasOfficialYear(year: number): boolean {
    return this.officialFirstYear !== undefined && year >= this.officialFirstYear && year <= (this.officialLastYear ?? -1);
  }

  /**
   * Years between two serials that neither the official data nor the workbook's Calendar
   * table covers: their holidays are unknown and only weekends are off.
   */
  uncoveredYears(fromSerial: number, toSerial: number): number[] {
    const y0 = civilOfDay(Math.floor(Math.min(fromSerial, toSerial))).year;
    const y1 = civilOfDay(Math.floor(Math.max(fromSerial, toSerial))).year;
    const out: number[] = [];
    for (let y = y0; y <= y1; y++) if (!this.hasOfficialYear(y) && !this.extraYears.has(y)) out.push(y);
    return out;
  }

  /** For messages and tests: `YYYY-MM-DD` of a serial day. */
  static formatDay = formatDay;
}

/** The warning the pane and the command line show for a year the calendar cannot know. */
export function coverageWarning(year: number, lang: "zh" | "en"): string {
  return lang === "zh"
    ? `${year} 年尚无官方节假日安排：请把该年的休息日和调休上班日加到日历表（日历）中`
    : `no official calendar for ${year} yet: add its days to the Calendar table`;
}
