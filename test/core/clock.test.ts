/** The office's wall clock: Asia/Shanghai without Intl, with Intl's results. */
import fc from "fast-check";
import { formatSerial, toSerial } from "../../src/core/calendar";
import { isValidTimeZone, wallClockSerial } from "../../src/core/calendar/clock";

/** The wall clock as Intl gives it (the way every zone is computed). */
function byIntl(timeZone: string, epochMs: number): number {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(epochMs))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const ms = epochMs - Math.floor(epochMs / 1000) * 1000;
  return toSerial(parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second + ms / 1000);
}

// First in this file: the module's formatters are still unmade.
test("the office's zone is checked and its now computed without an Intl.DateTimeFormat (ICU's zone data is not loaded before the first paint)", () => {
  const made = jest.spyOn(Intl, "DateTimeFormat");
  try {
    expect(isValidTimeZone("Asia/Shanghai")).toBe(true);
    expect(wallClockSerial("Asia/Shanghai", Date.UTC(2026, 10, 2, 2, 0))).toBe(toSerial(2026, 11, 2, 10, 0));
    expect(made).not.toHaveBeenCalled();
  } finally {
    made.mockRestore();
  }
});

test("Asia/Shanghai gives Intl's serial to the bit at any instant from 1992 on, and Intl's before (daylight saving until 1991)", () => {
  const from = Date.UTC(1992, 0, 1);
  fc.assert(
    fc.property(
      fc.oneof(fc.integer({ min: from, max: Date.UTC(2200, 0, 1) }), fc.integer({ min: from, max: from + 86400000 * 3 })),
      (t) => {
        expect(wallClockSerial("Asia/Shanghai", t)).toBe(byIntl("Asia/Shanghai", t));
      },
    ),
    { numRuns: 3000 },
  );
  for (const t of [
    from,
    from - 1,
    Date.UTC(2026, 10, 1, 15, 59, 59, 999),
    Date.UTC(2026, 10, 1, 16),
    Date.UTC(1990, 6, 1, 2),
    Date.UTC(1980, 0, 1),
  ])
    expect(wallClockSerial("Asia/Shanghai", t)).toBe(byIntl("Asia/Shanghai", t));
  // 1990 had daylight saving in China: 02:00 UTC was 11:00 in Shanghai.
  expect(formatSerial(wallClockSerial("Asia/Shanghai", Date.UTC(1990, 6, 1, 2)))).toBe("1990-07-01 11:00");
});

test("time zone names: as Intl knows them", () => {
  for (const name of ["Asia/Shanghai", "asia/shanghai", "Asia/Chongqing", "PRC", "UTC", "America/Los_Angeles"])
    expect(isValidTimeZone(name)).toBe(true);
  for (const name of ["Asia/Shangai", "Beijing", "", "Asia/Shanghai "]) expect(isValidTimeZone(name)).toBe(false);
});
