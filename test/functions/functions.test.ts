import { due, isworkday, milestone, overdue, workdays } from "../../src/functions/functions";
import { FunctionError } from "../../src/functions/args";
import { configureFunctions, functionsConfig } from "../../src/functions/config";
import { BusinessCalendar, formatSerial, serialDay, toSerial } from "../../src/core/calendar";

// The functions are typed for Excel (ranges); from Node they also take plain values.
/* eslint-disable @typescript-eslint/no-explicit-any */
// With a pinned configuration (configureFunctions) the functions return their result at once.
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

  // Excel shows a custom message only with #VALUE! and #N/A ("Handle and return errors from
  // your custom function"; CustomFunctions.ErrorCode.invalidNumber: "A custom error message
  // can't be used"): every error a user can cause is one of those two, with its message.
  test("a fraction outside 0–1", () => {
    expectError(MILESTONE(at(2026, 10, 8), at(2026, 10, 20), 1.2), "#VALUE!", /fraction: 1.2 is outside 0–1/);
    expectError(MILESTONE(at(2026, 10, 8), at(2026, 10, 20), -0.1), "#VALUE!", /outside 0–1/);
  });

  test("a due before 1900 or before start", () => {
    expectError(OVERDUE(12, at(2026, 10, 8)), "#VALUE!", /due: 12 is before 1900-03-01/);
    expectError(MILESTONE(at(2026, 10, 20), at(2026, 10, 8), 0.2), "#VALUE!", /due is before start/);
  });

  test("no input gives an error Excel would show without its message", () => {
    const inputs: unknown[] = [
      -1,
      0.5,
      12,
      3e6,
      Infinity,
      NaN,
      "x",
      "2026-02-30",
      true,
      { type: "Entity", text: "X" },
      [[1, 2]],
      [[1], [2], [3]],
      [[4], [5]],
      2958466,
      at(2199, 12, 30),
    ];
    const seen = new Set<string>();
    for (const a of inputs) {
      for (const b of inputs) {
        for (const v of [DUE(a, b), WORKDAYS(a, b), OVERDUE(a, b, b), MILESTONE(a, b, b), MILESTONE(a, a, b), ISWORKDAY(a)]) {
          for (const cell of Array.isArray(v) ? v.flat() : [v]) {
            if (cell instanceof FunctionError) {
              seen.add(cell.code);
              expect(["#VALUE!", "#N/A"]).toContain(cell.code);
              expect(cell.message.length).toBeGreaterThan(5);
            }
          }
        }
      }
    }
    expect([...seen].sort()).toEqual(["#N/A", "#VALUE!"]);
  });

  test("messages follow the display language", () => {
    configureFunctions({ lang: "zh" });
    expectError(DUE("下周二", 1), "#VALUE!", /start："下周二" 不是日期/);
  });

  test("a result past the calendar's range", () => {
    expectError(DUE(at(2199, 12, 30), 10), "#VALUE!", /outside 1900–2199/);
  });

  test("in Excel the errors are CustomFunctions.Error with #VALUE! or #N/A and the message", () => {
    class ExcelError {
      constructor(
        readonly code: string,
        readonly message: string,
      ) {}
    }
    (globalThis as any).CustomFunctions = {
      Error: ExcelError,
      ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A", invalidNumber: "#NUM!" },
    };
    try {
      configureFunctions({ lang: "en" }); // pinned, as the workbench and tests do
      const out = MILESTONE([[at(2026, 10, 8)], [at(2026, 10, 8)], [at(2026, 10, 8)]], [[at(2026, 10, 20)], [at(2026, 10, 1)]], [[1.2]]);
      expect(out[0][0]).toEqual(new ExcelError("#VALUE!", "fraction: 1.2 is outside 0–1"));
      expect(out[1][0]).toEqual(new ExcelError("#VALUE!", "fraction: 1.2 is outside 0–1"));
      expect(out[2][0]).toEqual(new ExcelError("#N/A", "ranges of different sizes"));
    } finally {
      delete (globalThis as any).CustomFunctions;
    }
  });
});

describe("cells holding a data type are read by their basic value", () => {
  // With cellValueType "cellvalue" (Excel.CellValue parameters) Excel passes data types as their
  // JSON values ("Use data types with custom functions in Excel").
  const formatted = (n: number) => ({ type: "FormattedNumber", basicValue: n, numberFormat: "yyyy-mm-dd hh:mm" });

  test("a formatted number, a double, a string, a boolean and an empty value", () => {
    expect(formatSerial(DUE(formatted(at(2026, 9, 30, 10)), { type: "Double", basicValue: 1 }))).toBe("2026-10-08 10:00");
    expect(formatSerial(DUE({ type: "String", basicValue: "2026-09-30 16:00" }, 0.5))).toBe("2026-10-08 10:45");
    expect(DUE({ type: "Empty" }, 1)).toBe("");
    expect(ISWORKDAY(formatted(serialDay(2026, 10, 10)))).toBe(true);
    expectBoolError(ISWORKDAY({ type: "Boolean", basicValue: true }));
  });

  test("in ranges too", () => {
    const out = WORKDAYS([[formatted(at(2026, 9, 30, 10))], [at(2026, 9, 30, 10)]], [[formatted(at(2026, 10, 8, 10))]]);
    expect(out).toEqual([[1], [1]]);
  });

  test("an entity (basic value #VALUE!) is explained, not a bare #VALUE!", () => {
    const entity = { type: "Entity", text: "Project Moon", basicValue: "#VALUE!", properties: { Start: formatted(at(2026, 9, 30, 10)) } };
    const v = DUE(entity, 1);
    expect(v).toBeInstanceOf(FunctionError);
    expect(v.code).toBe("#VALUE!");
    expect(v.message).toBe(
      'start: "Project Moon" (Entity) is a data type with no date to compute with: refer to one of its fields, e.g. A2.Date',
    );
    const n = DUE(at(2026, 9, 30, 10), { type: "LinkedEntity", text: "Shanghai" });
    expect(n.message).toMatch(/business_days: "Shanghai" \(LinkedEntity\) is a data type with no number/);
  });

  const expectBoolError = (v: unknown) => {
    expect(v).toBeInstanceOf(FunctionError);
    expect((v as FunctionError).message).toBe("date: true is not a date");
  };
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
    expect(out[0].map((v: number) => formatSerial(v))).toEqual([
      "2026-09-28 09:00",
      "2026-09-29 12:00",
      "2026-10-10 15:00",
      "2026-10-12 18:00",
    ]);
  });

  test("the workbook's calendar and hours apply once configured", () => {
    configureFunctions({ calendar: new BusinessCalendar({ extraDays: [{ day: serialDay(2026, 10, 8), type: "holiday" }] }) });
    expect(functionsConfig().calendar.isWorkday(serialDay(2026, 10, 8))).toBe(false);
    expect(formatSerial(DUE(at(2026, 9, 30, 10), 1))).toBe("2026-10-09 10:00");
  });
});
