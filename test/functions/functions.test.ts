import { due, isworkday, milestone, overdue, workdays } from "../../src/functions/functions";
import { FunctionError } from "../../src/functions/args";
import { configureFunctions, functionsConfig } from "../../src/functions/config";
import { BusinessCalendar, formatSerial, serialDay, toSerial } from "../../src/core/calendar";

// The functions are typed for Excel (ranges); from Node they also take plain values.
/* eslint-disable @typescript-eslint/no-explicit-any */
const DUE = due as (...a: any[]) => any;
const WORKDAYS = workdays as (...a: any[]) => any;
const OVERDUE = overdue as (...a: any[]) => any;
const MILESTONE = milestone as (...a: any[]) => any;
const ISWORKDAY = isworkday as (...a: any[]) => any;

const at = (y: number, m: number, d: number, h = 0, mi = 0) => toSerial(y, m, d, h, mi);

beforeEach(() => configureFunctions({ calendar: new BusinessCalendar(), lang: "en", timeZone: "Asia/Shanghai", nowMs: undefined }));

describe("single values", () => {
  test("PLAN.DUE", () => {
    expect(formatSerial(DUE(at(2026, 9, 30, 10), 1))).toBe("2026-10-08 10:00");
    expect(formatSerial(DUE("2026-09-30 16:00", 0.5))).toBe("2026-10-08 10:45");
    expect(formatSerial(DUE(at(2026, 10, 8, 10), -1))).toBe("2026-09-30 10:00");
  });

  test("PLAN.WORKDAYS", () => {
    expect(WORKDAYS(at(2026, 9, 30, 10), at(2026, 10, 8, 10))).toBe(1);
    expect(WORKDAYS(at(2026, 10, 8, 10), at(2026, 9, 30, 10))).toBe(-1);
    expect(WORKDAYS(at(2026, 10, 8, 9), at(2026, 10, 8, 14, 15))).toBe(0.5);
  });

  test("PLAN.OVERDUE with done, with as_of, and with now", () => {
    const deadline = at(2026, 10, 8, 10);
    expect(OVERDUE(deadline, at(2026, 10, 8, 9))).toBe(0);
    expect(OVERDUE(deadline, at(2026, 10, 9, 10))).toBe(1);
    expect(OVERDUE(deadline, "", at(2026, 10, 8, 14, 15))).toBeCloseTo(165 / 450, 9); // 10:00-12:00 and 13:30-14:15
    expect(OVERDUE(deadline, 0, 0, undefined)).toBeGreaterThan(0); // now is after 2026-10
    // "now" is the office's wall clock: pin the instant to 2026-10-09 10:00 in Shanghai.
    configureFunctions({ nowMs: () => Date.UTC(2026, 9, 9, 2, 0) });
    expect(OVERDUE(deadline)).toBe(1);
    configureFunctions({ timeZone: "America/Los_Angeles" }); // 2026-10-08 19:00 there
    expect(OVERDUE(deadline)).toBeCloseTo(390 / 450, 9); // the rest of 10-08
  });

  test("PLAN.MILESTONE", () => {
    const start = at(2026, 9, 28, 9);
    const end = at(2026, 10, 12, 18);
    expect(formatSerial(MILESTONE(start, end, 0.2))).toBe("2026-09-29 12:00");
    expect(formatSerial(MILESTONE(start, end, 0.8))).toBe("2026-10-10 15:00");
  });

  test("PLAN.ISWORKDAY", () => {
    expect(ISWORKDAY(serialDay(2026, 10, 10))).toBe(true);
    expect(ISWORKDAY(at(2026, 10, 1, 15))).toBe(false);
    expect(ISWORKDAY("2026-02-14")).toBe(true);
  });

  test("blank start gives a blank result", () => {
    expect(DUE("", 1)).toBe("");
    expect(DUE(null, 1)).toBe("");
    expect(OVERDUE(0, at(2026, 10, 8))).toBe("");
    expect(WORKDAYS(at(2026, 10, 8), "")).toBe("");
  });
});

describe("bad input gives an error with a message, never a number", () => {
  const expectError = (v: unknown, code: string, message: RegExp) => {
    expect(v).toBeInstanceOf(FunctionError);
    expect((v as FunctionError).code).toBe(code);
    expect((v as FunctionError).message).toMatch(message);
  };

  test("text that is no date", () => {
    expectError(DUE("next Tuesday", 1), "#VALUE!", /start: "next Tuesday" is not a date/);
    expectError(WORKDAYS(at(2026, 10, 8), "2026-02-30"), "#VALUE!", /end: "2026-02-30" is not a date/);
    expectError(ISWORKDAY(true), "#VALUE!", /date: true is not a date/);
  });

  test("a count that is no number", () => {
    expectError(DUE(at(2026, 10, 8), "one"), "#VALUE!", /business_days: "one" is not a number/);
  });

  test("a fraction outside 0–1", () => {
    expectError(MILESTONE(at(2026, 10, 8), at(2026, 10, 20), 1.2), "#NUM!", /fraction: 1.2 is outside 0–1/);
    expectError(MILESTONE(at(2026, 10, 8), at(2026, 10, 20), -0.1), "#NUM!", /outside 0–1/);
  });

  test("a due before 1900 or before start", () => {
    expectError(OVERDUE(12, at(2026, 10, 8)), "#NUM!", /due: 12 is before 1900-03-01/);
    expectError(MILESTONE(at(2026, 10, 20), at(2026, 10, 8), 0.2), "#NUM!", /due is before start/);
  });

  test("messages follow the display language", () => {
    configureFunctions({ lang: "zh" });
    expectError(DUE("下周二", 1), "#VALUE!", /start："下周二" 不是日期/);
  });

  test("a result past the calendar's range", () => {
    expectError(DUE(at(2199, 12, 30), 10), "#NUM!", /outside 1900–2199/);
  });
});

describe("ranges in, ranges out", () => {
  test("a column of starts with one count", () => {
    const starts = [[at(2026, 9, 30, 10)], [at(2026, 10, 1, 10)], [""], ["bad"]];
    const out = DUE(starts, [[1]]);
    expect(out).toHaveLength(4);
    expect(formatSerial(out[0][0])).toBe("2026-10-08 10:00");
    expect(formatSerial(out[1][0])).toBe("2026-10-08 18:00");
    expect(out[2][0]).toBe("");
    expect(out[3][0]).toBeInstanceOf(FunctionError);
  });

  test("two columns pairwise, and a short one gives #N/A", () => {
    const out = OVERDUE([[at(2026, 10, 8, 10)], [at(2026, 10, 8, 10)]], [[at(2026, 10, 9, 10)], [at(2026, 10, 8, 9)]]);
    expect(out).toEqual([[1], [0]]);
    const ragged = WORKDAYS([[at(2026, 10, 8)], [at(2026, 10, 9)], [at(2026, 10, 12)]], [[at(2026, 10, 12)], [at(2026, 10, 12)]]);
    expect(ragged[0][0]).toBe(3); // 10-08, 10-09 and the make-up Saturday 10-10
    expect(ragged[2][0]).toBeInstanceOf(FunctionError);
    expect((ragged[2][0] as FunctionError).code).toBe("#N/A");
  });

  test("a row of fractions against one schedule", () => {
    const out = MILESTONE([[at(2026, 9, 28, 9)]], [[at(2026, 10, 12, 18)]], [[0, 0.2, 0.8, 1]]);
    expect(out[0].map((v: number) => formatSerial(v))).toEqual(["2026-09-28 09:00", "2026-09-29 12:00", "2026-10-10 15:00", "2026-10-12 18:00"]);
  });

  test("the workbook's calendar and hours apply once configured", () => {
    configureFunctions({ calendar: new BusinessCalendar({ extraDays: [{ day: serialDay(2026, 10, 8), type: "holiday" }] }) });
    expect(functionsConfig().calendar.isWorkday(serialDay(2026, 10, 8))).toBe(false);
    expect(formatSerial(DUE(at(2026, 9, 30, 10), 1))).toBe("2026-10-09 10:00");
  });
});
