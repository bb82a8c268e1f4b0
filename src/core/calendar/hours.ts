/**
 * Working hours: the periods of a working day, in minutes after midnight.
 * The center's default (domain.md, an assumption the center may change in Settings):
 * 09:00–12:00 and 13:30–18:00.
 */

export type Period = readonly [start: number, end: number];

export const DEFAULT_PERIODS: readonly Period[] = [
  [9 * 60, 12 * 60],
  [13 * 60 + 30, 18 * 60],
];

export const DEFAULT_HOURS_TEXT = "09:00-12:00, 13:30-18:00";

function parseClock(text: string): number | undefined {
  const m = /^\s*(\d{1,2})[:：](\d{2})\s*$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  if (h > 24 || mi > 59 || (h === 24 && mi > 0)) return undefined;
  return h * 60 + mi;
}

/**
 * Parses "09:00-12:00, 13:30-18:00" (also with ～, –, 至, ；). Periods must be ordered,
 * non-empty and not overlap. Returns an error text (English) when they are not.
 */
export function parseWorkingHours(text: string): { periods: Period[] } | { error: string } {
  const parts = text
    .split(/[,，;；]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return { error: "no working period" };
  const periods: Period[] = [];
  for (const part of parts) {
    const ends = part.split(/\s*(?:-|–|—|~|～|至|to)\s*/);
    if (ends.length !== 2) return { error: `"${part}" is not a period like 09:00-12:00` };
    const start = parseClock(ends[0]);
    const end = parseClock(ends[1]);
    if (start === undefined || end === undefined) return { error: `"${part}" is not a period like 09:00-12:00` };
    if (end <= start) return { error: `"${part}" ends before it starts` };
    const prev = periods[periods.length - 1];
    if (prev && start < prev[1]) return { error: `"${part}" overlaps the period before it` };
    periods.push([start, end]);
  }
  return { periods };
}

export function formatWorkingHours(periods: readonly Period[]): string {
  const f = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  return periods.map(([s, e]) => `${f(s)}-${f(e)}`).join(", ");
}
