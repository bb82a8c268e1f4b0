/**
 * Excel serial numbers as wall-clock date-times.
 *
 * A cell holds days since 1899-12-30 (serial 0) plus the fraction of the day, with no
 * time zone inside. Everything here is integer arithmetic on that count, never a JS
 * `Date` in local time, so results are the same under any `TZ`. date-fns works on
 * `Date` objects in the machine's zone, which is exactly what must be avoided here;
 * the civil-date conversion below is the standard days-from-civil algorithm.
 *
 * Excel's serials 1–60 carry the 1900 leap-year bug (a fictitious 1900-02-29); the
 * first serial we accept is 61 = 1900-03-01, where Excel and the real calendar agree.
 */

export const MINUTES_PER_DAY = 1440;
/** 1900-03-01: the first serial on which Excel's calendar is the real one. */
export const FIRST_SERIAL_DAY = 61;
/** 9999-12-31: the last date Excel accepts. */
export const LAST_SERIAL_DAY = 2958465;
/** Serial of 1970-01-01. */
const UNIX_EPOCH_SERIAL = 25569;

export interface CivilDate {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
}

export interface DateTimeParts extends CivilDate {
  hour: number;
  minute: number;
  second: number;
}

/** Days since 1970-01-01 for a proleptic Gregorian date. */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): CivilDate {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isValidCivil(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  const c = civilFromDays(daysFromCivil(y, m, d));
  return c.year === y && c.month === m && c.day === d;
}

/** The serial day number (integer) of a civil date. */
export function serialDay(year: number, month: number, day: number): number {
  return daysFromCivil(year, month, day) + UNIX_EPOCH_SERIAL;
}

/** A serial date-time from its parts (wall clock). */
export function toSerial(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return serialDay(year, month, day) + (hour * 3600 + minute * 60 + second) / 86400;
}

export function civilOfDay(serialDayNumber: number): CivilDate {
  return civilFromDays(serialDayNumber - UNIX_EPOCH_SERIAL);
}

/** Minutes since serial 0, rounded to the millisecond so that 10:00 stays 600, not 599.9999. */
export function serialToMinutes(serial: number): number {
  return Math.round(serial * MINUTES_PER_DAY * 60000) / 60000;
}

export function minutesToSerial(minutes: number): number {
  return minutes / MINUTES_PER_DAY;
}

export function fromSerial(serial: number): DateTimeParts {
  const total = Math.round(serial * 86400); // whole seconds
  const dayNumber = Math.floor(total / 86400);
  let secs = total - dayNumber * 86400;
  const hour = Math.floor(secs / 3600);
  secs -= hour * 3600;
  const minute = Math.floor(secs / 60);
  return { ...civilOfDay(dayNumber), hour, minute, second: secs - minute * 60 };
}

/** 0 = Sunday … 6 = Saturday. Serial 0 (1899-12-30) was a Saturday. */
export function weekdayOfDay(serialDayNumber: number): number {
  return (((serialDayNumber + 6) % 7) + 7) % 7;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** `YYYY-MM-DD`. */
export function formatDay(serialDayNumber: number): string {
  const c = civilOfDay(serialDayNumber);
  return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}`;
}

/**
 * `YYYY-MM-DD HH:MM`, with seconds when they are not zero. Not quite what Excel shows: the
 * Countersign Log's hash is computed over this text (core/workflow/log.ts `canonical`), so it
 * must keep the seconds a row was written with. For display use `formatSerialMinute`.
 */
export function formatSerial(serial: number): string {
  // As fromSerial, without building its object: the log's hash formats every row's time.
  const total = Math.round(serial * 86400);
  const dayNumber = Math.floor(total / 86400);
  let secs = total - dayNumber * 86400;
  const hour = Math.floor(secs / 3600);
  secs -= hour * 3600;
  const minute = Math.floor(secs / 60);
  const second = secs - minute * 60;
  const c = civilOfDay(dayNumber);
  const base = `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)} ${pad(hour)}:${pad(minute)}`;
  return second ? `${base}:${pad(second)}` : base;
}

/**
 * `YYYY-MM-DD HH:MM`, exactly as Excel shows a date under `yyyy-mm-dd hh:mm`: the seconds are
 * never shown (Excel drops them; it does not round the minute up). What people read: the pane,
 * messages, the command line's text.
 */
export function formatSerialMinute(serial: number): string {
  const p = fromSerial(serial);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** Text with every `YYYY-MM-DD HH:MM:SS` cut to the minute, as Excel shows it (for messages built elsewhere with `formatSerial`). */
export function withoutSeconds(text: string): string {
  return text.replace(/(\d{4}-\d\d-\d\d \d\d:\d\d):\d\d(?!\d)/g, "$1");
}

/** `YYYY-MM` of a serial. */
export function monthKeyOf(serial: number): string {
  const c = civilOfDay(Math.floor(serialToMinutes(serial) / MINUTES_PER_DAY));
  return `${pad(c.year, 4)}-${pad(c.month)}`;
}

const ISO_LIKE = /^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*$/;
const CHINESE_DATE = /^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?\s*$/;

/**
 * Reads ISO-like text ("2026-10-08 10:00", "2026/10/8 10:00", "2026-10-08T10:00:00",
 * "2026年10月8日 10:00") as a serial. Returns undefined for anything else, including
 * impossible dates such as 2026-02-30 or 25:00.
 */
export function parseDateText(text: string): number | undefined {
  const serial = parseDateTextAnyYear(text);
  return serial !== undefined && serial >= FIRST_SERIAL_DAY && serial < LAST_SERIAL_DAY + 1 ? serial : undefined;
}

/**
 * `parseDateText` without its range check: the serial of any real date written that way
 * (year 0000–9999), so that a date Excel cannot hold ("1850-01-01") can be reported as out of
 * range rather than as "not a date".
 */
export function parseDateTextAnyYear(text: string): number | undefined {
  const m = ISO_LIKE.exec(text) ?? CHINESE_DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (!isValidCivil(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  return toSerial(y, mo, d, h, mi, s);
}

/** Parses `YYYY-MM` and returns the serial days of the month's first day and of the next month's first day. */
export function parseMonthKey(text: string): { start: number; end: number } | undefined {
  const m = /^\s*(\d{4})-(\d{1,2})\s*$/.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return undefined;
  const start = serialDay(y, mo, 1);
  const end = mo === 12 ? serialDay(y + 1, 1, 1) : serialDay(y, mo + 1, 1);
  return { start, end };
}
