import fc from "fast-check";
import { execFileSync } from "child_process";
import {
  BusinessCalendar,
  coverageWarning,
  formatDay,
  formatSerial,
  parseDateText,
  parseWorkingHours,
  serialDay,
  toSerial,
  wallClockSerial,
} from "../../src/core/calendar";

const cal = new BusinessCalendar();
const at = (y: number, m: number, d: number, h = 0, mi = 0) => toSerial(y, m, d, h, mi);
const due = (s: number, days: number) => formatSerial(cal.addBusinessDays(s, days));

describe("serial numbers", () => {
  test("known Excel serials", () => {
    expect(serialDay(1900, 3, 1)).toBe(61);
    expect(serialDay(2026, 10, 8)).toBe(46303);
    expect(formatSerial(46303.5)).toBe("2026-10-08 12:00");
    expect(formatDay(45658)).toBe("2025-01-01");
  });

  test("ISO-like text is read as a date-time", () => {
    expect(parseDateText("2026-10-08 10:00")).toBeCloseTo(at(2026, 10, 8, 10), 9);
    expect(parseDateText("2026/10/8 10:00")).toBeCloseTo(at(2026, 10, 8, 10), 9);
    expect(parseDateText("2026-10-08T10:00:30")).toBeCloseTo(toSerial(2026, 10, 8, 10, 0, 30), 9);
    expect(parseDateText("2026年10月8日 10:00")).toBeCloseTo(at(2026, 10, 8, 10), 9);
    expect(parseDateText("2026-10-08")).toBe(46303);
    for (const bad of ["2026-02-30", "2026-10-08 25:00", "tomorrow", "10/8/2026", "", "2026-13-01"]) {
      expect(parseDateText(bad)).toBeUndefined();
    }
  });

  test("wall clock in the office's time zone does not depend on the machine's", () => {
    // 2026-10-08T02:00:00Z is 10:00 in Shanghai and 19:00 the day before in Los Angeles.
    const instant = Date.UTC(2026, 9, 8, 2, 0, 0);
    expect(formatSerial(wallClockSerial("Asia/Shanghai", instant))).toBe("2026-10-08 10:00");
    expect(formatSerial(wallClockSerial("America/Los_Angeles", instant))).toBe("2026-10-07 19:00");
  });
});

describe("working days under China's official calendar", () => {
  test.each([
    ["2025-01-26", true, "Sunday made a working day before Spring Festival"],
    ["2025-01-28", false, "Spring Festival eve"],
    ["2025-02-04", false, "last day of Spring Festival 2025"],
    ["2025-02-05", true, "back to work"],
    ["2025-02-08", true, "Saturday make-up day"],
    ["2025-10-08", false, "National Day 2025"],
    ["2025-10-11", true, "Saturday make-up day after National Day"],
    ["2026-02-14", true, "Saturday make-up day before Spring Festival 2026"],
    ["2026-02-23", false, "Spring Festival 2026"],
    ["2026-02-28", true, "Saturday make-up day"],
    ["2026-10-01", false, "National Day 2026"],
    ["2026-10-08", true, "Thursday after National Day"],
    ["2026-10-10", true, "Saturday make-up day"],
    ["2026-10-11", false, "ordinary Sunday"],
  ])("%s is a working day: %s (%s)", (iso, expected) => {
    expect(cal.isWorkday(parseDateText(iso)!)).toBe(expected);
  });

  test("agrees with chinese-days on every day 2004–2026", () => {
    // chinese-days' own functions are only right in UTC+8, so they run in a child process
    // in Asia/Shanghai; ours run here, under whatever TZ this suite was started with.
    const script = `
      const { isWorkday } = require("chinese-days");
      const out = [];
      for (let t = Date.UTC(2004, 0, 1); t <= Date.UTC(2026, 11, 31); t += 864e5) {
        out.push(isWorkday(new Date(t).toISOString().slice(0, 10)) ? "1" : "0");
      }
      process.stdout.write(out.join(""));`;
    const theirs = execFileSync(process.execPath, ["-e", script], { env: { ...process.env, TZ: "Asia/Shanghai" } }).toString();
    const disagreements: string[] = [];
    let i = 0;
    for (let day = serialDay(2004, 1, 1); day <= serialDay(2026, 12, 31); day++, i++) {
      if ((cal.isWorkday(day) ? "1" : "0") !== theirs[i]) disagreements.push(formatDay(day));
    }
    expect(theirs.length).toBe(serialDay(2026, 12, 31) - serialDay(2004, 1, 1) + 1);
    expect(disagreements).toEqual([]);
  });

  test("the workbook's Calendar table is laid over the official days", () => {
    const own = new BusinessCalendar({
      extraDays: [
        { day: serialDay(2026, 10, 9), type: "holiday" }, // the center's own day off
        { day: serialDay(2026, 10, 11), type: "workday" }, // an extra Sunday worked
      ],
    });
    expect(own.isWorkday(serialDay(2026, 10, 9))).toBe(false);
    expect(own.isWorkday(serialDay(2026, 10, 11))).toBe(true);
    expect(formatSerial(own.addBusinessDays(at(2026, 10, 8, 17), 1))).toBe("2026-10-10 17:00");
  });

  test("a year without official data is weekends only, and reported", () => {
    expect(cal.hasOfficialYear(2026)).toBe(true);
    expect(cal.hasOfficialYear(2027)).toBe(false);
    expect(cal.isWorkday(serialDay(2027, 1, 1))).toBe(true); // New Year unknown yet: a Friday
    expect(cal.uncoveredYears(at(2026, 12, 1), at(2027, 2, 1))).toEqual([2027]);
    const withOwn = new BusinessCalendar({ extraDays: [{ day: serialDay(2027, 1, 1), type: "holiday" }] });
    expect(withOwn.uncoveredYears(at(2026, 12, 1), at(2027, 2, 1))).toEqual([]);
    expect(withOwn.isWorkday(serialDay(2027, 1, 1))).toBe(false);
    expect(coverageWarning(2027, "en")).toBe("no official calendar for 2027 yet: add its days to the Calendar table");
    expect(coverageWarning(2027, "zh")).toContain("2027");
  });
});

describe("business time with working hours", () => {
  test("D1: half a business day to reply to the client", () => {
    expect(due(at(2026, 10, 8, 9), 0.5)).toBe("2026-10-08 14:15"); // 3h morning + 45 min after lunch
    expect(due(at(2026, 10, 8, 10), 0.5)).toBe("2026-10-08 15:15");
    expect(due(at(2026, 10, 8, 12, 30), 0.5)).toBe("2026-10-08 17:15"); // arrives at lunch: clock starts 13:30
    expect(due(at(2026, 10, 8, 16), 0.5)).toBe("2026-10-09 10:45");
    expect(due(at(2026, 10, 8, 20), 0.5)).toBe("2026-10-09 14:15"); // evening: starts next morning
  });

  test("a request before National Day is answered after it, on time", () => {
    // Arrives 2026-09-30 16:00: 2h that day, then the holiday, then 1h45 on 10-08.
    expect(due(at(2026, 9, 30, 16), 0.5)).toBe("2026-10-08 10:45");
    expect(cal.businessDaysBetween(at(2026, 9, 30, 16), at(2026, 10, 8, 10, 45))).toBe(0.5);
  });

  test("D2 and D3: one business day, across Spring Festival and its make-up Saturdays", () => {
    expect(due(at(2026, 2, 13, 15), 1)).toBe("2026-02-14 15:00"); // Saturday 2-14 is worked
    expect(due(at(2026, 2, 14, 15), 1)).toBe("2026-02-24 15:00"); // then nine days off
    expect(due(at(2025, 1, 27, 10), 1)).toBe("2025-02-05 10:00");
    expect(due(at(2025, 2, 7, 11), 1)).toBe("2025-02-08 11:00"); // Saturday 2-08 is worked
  });

  test("a deadline that lands on the end of a period is reported at that end", () => {
    expect(due(at(2026, 10, 8, 9), 1)).toBe("2026-10-08 18:00");
    expect(due(at(2026, 10, 8, 9), 0.4)).toBe("2026-10-08 12:00"); // 180 of 450 minutes
    expect(due(at(2026, 10, 8, 18), 1)).toBe("2026-10-09 18:00");
    expect(due(at(2026, 10, 9, 18), 1)).toBe("2026-10-10 18:00"); // make-up Saturday
  });

  test("D6: two business days to archive; negative counts go back", () => {
    expect(due(at(2025, 9, 30, 17), 2)).toBe("2025-10-10 17:00"); // 10-01..08 off, 10-09 and 10-10 worked
    expect(due(at(2025, 10, 9, 10), -1)).toBe("2025-09-30 10:00");
    expect(due(at(2026, 10, 8, 9), -1)).toBe("2026-09-30 09:00"); // going back lands on a period start
    expect(due(at(2026, 10, 8, 13, 30), -0.4)).toBe("2026-10-08 09:00");
  });

  test("D4 and D5: framework at 20 %, first draft at 80 % of the business time", () => {
    const assigned = at(2026, 9, 28, 9); // Monday
    const clientDue = at(2026, 10, 12, 18); // ten business days later (09-28..30, 10-08..10, 10-12: 7 days)
    const total = cal.businessDaysBetween(assigned, clientDue);
    expect(total).toBe(7);
    expect(formatSerial(cal.milestone(assigned, clientDue, 0.2))).toBe(formatSerial(cal.addBusinessDays(assigned, 1.4)));
    expect(formatSerial(cal.milestone(assigned, clientDue, 0.2))).toBe("2026-09-29 12:00");
    expect(formatSerial(cal.milestone(assigned, clientDue, 0.8))).toBe("2026-10-10 15:00");
    expect(cal.milestone(assigned, clientDue, 0)).toBe(assigned);
    expect(cal.milestone(assigned, clientDue, 1)).toBe(clientDue);
  });

  test("D7: a revision relayed within half a day, around lunch", () => {
    expect(due(at(2025, 10, 11, 11, 59), 0.5)).toBe("2025-10-11 17:14"); // Saturday make-up day
    expect(cal.businessDaysBetween(at(2026, 10, 8, 11), at(2026, 10, 8, 14))).toBeCloseTo(90 / 450, 9);
  });

  test("working hours come from Settings", () => {
    const parsed = parseWorkingHours("08:30-12:00；13:00-17:30");
    expect(parsed).toEqual({
      periods: [
        [510, 720],
        [780, 1050],
      ],
    });
    const own = new BusinessCalendar({ periods: (parsed as { periods: [number, number][] }).periods });
    expect(formatSerial(own.addBusinessDays(at(2026, 10, 8, 8, 30), 0.5))).toBe("2026-10-08 13:30"); // 210 + 30 of 480 minutes
    expect(parseWorkingHours("12:00-09:00")).toHaveProperty("error");
    expect(parseWorkingHours("09:00-12:00, 11:00-13:00")).toHaveProperty("error");
    expect(parseWorkingHours("nine to five")).toHaveProperty("error");
  });
});

describe("properties", () => {
  const start = fc.integer({ min: serialDay(2024, 1, 1) * 1440, max: serialDay(2026, 12, 31) * 1440 }).map((m) => m / 1440);
  const days = fc.double({ min: -30, max: 30, noNaN: true });

  test("WORKDAYS(s, DUE(s, d)) = d", () => {
    fc.assert(
      fc.property(start, days, (s, d) => {
        expect(cal.businessDaysBetween(s, cal.addBusinessDays(s, d))).toBeCloseTo(d, 6);
      }),
      { numRuns: 5000 },
    );
  });

  test("DUE is monotonic in start and in days", () => {
    fc.assert(
      fc.property(start, start, days, days, (s1, s2, d1, d2) => {
        const [a, b] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const [x, y] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(cal.addBusinessDays(a, x)).toBeLessThanOrEqual(cal.addBusinessDays(b, x) + 1e-9);
        expect(cal.addBusinessDays(a, x)).toBeLessThanOrEqual(cal.addBusinessDays(a, y) + 1e-9);
      }),
      { numRuns: 5000 },
    );
  });

  test("DUE of a positive count always lands within working hours of a working day", () => {
    fc.assert(
      fc.property(start, fc.double({ min: 0.01, max: 30, noNaN: true }), (s, d) => {
        const t = cal.addBusinessDays(s, d);
        expect(cal.isWorkday(t)).toBe(true);
        const minute = Math.round((t - Math.floor(t)) * 1440 * 1000) / 1000;
        expect(minute >= 540 && minute <= 1080 && !(minute > 720 && minute < 810)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
