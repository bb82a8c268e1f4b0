/**
 * Lateness in words (glossary: "已超时 1 个工作日 / 超时 1 小时 35 分"): under one business day in
 * working hours and minutes, from one day in whole business days and hours, never a decimal.
 */
import { BusinessCalendar, lateAmount, lateText, parseWorkingHours, toSerial } from "../../src/core/calendar";

const cal = new BusinessCalendar();
const lateBy = (from: number, to: number, c = cal) => lateText(c.businessDaysBetween(from, to), c.dayMinutes);

test("under one business day: working hours and minutes", () => {
  // Due Friday 2026-11-06 15:30, now Monday 10:00: 2 h 30 min on Friday, 1 h on Monday, the weekend not counted.
  expect(lateBy(toSerial(2026, 11, 6, 15, 30), toSerial(2026, 11, 9, 10, 0))).toEqual({ zh: "已超时 3 小时 30 分", en: "3 h 30 min late" });
  expect(lateText(0.3)).toEqual({ zh: "已超时 2 小时 15 分", en: "2 h 15 min late" });
  expect(lateText(2 / 450)).toEqual({ zh: "已超时 2 分", en: "2 min late" });
  expect(lateText(120 / 450)).toEqual({ zh: "已超时 2 小时", en: "2 h late" });
  // Anything late says so: never "0 分".
  expect(lateAmount(1e-6)).toEqual({ zh: "1 分", en: "1 min" });
});

test("from one business day: whole days and the hours beyond them", () => {
  expect(lateText(1.2)).toEqual({ zh: "已超时 1 个工作日 1 小时", en: "1 business day 1 h late" });
  expect(lateText(1)).toEqual({ zh: "已超时 1 个工作日", en: "1 business day late" });
  expect(lateText(13 + 165 / 450)).toEqual({ zh: "已超时 13 个工作日 2 小时", en: "13 business days 2 h late" });
  // Just under a day is hours and minutes, not a rounded-up day.
  expect(lateText(449 / 450)).toEqual({ zh: "已超时 7 小时 29 分", en: "7 h 29 min late" });
});

test("a business day is the Settings' working hours of one day", () => {
  const periods = parseWorkingHours("09:00-12:00, 13:00-18:00");
  if (!("periods" in periods)) throw new Error(periods.error);
  const eight = new BusinessCalendar({ periods: periods.periods });
  expect(eight.dayMinutes).toBe(480);
  // Seven and a half working hours are a day by default, not in an eight-hour day.
  expect(lateText(450 / 480, eight.dayMinutes)).toEqual({ zh: "已超时 7 小时 30 分", en: "7 h 30 min late" });
  expect(lateBy(toSerial(2026, 10, 8, 9, 0), toSerial(2026, 10, 9, 11, 0), eight)).toEqual({
    zh: "已超时 1 个工作日 2 小时",
    en: "1 business day 2 h late",
  });
});

test("a lateness that is not a number (a broken cell upstream) reads as the least, never NaN", () => {
  expect(lateAmount(Number.NaN)).toEqual({ zh: "1 分", en: "1 min" });
  expect(lateAmount(Number.POSITIVE_INFINITY).zh).not.toMatch(/NaN|Infinity/);
});
