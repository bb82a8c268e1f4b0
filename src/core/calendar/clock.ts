/**
 * "Now" as the office's wall clock: the serial an Excel cell would hold if someone in the
 * office typed the current time. Computed from the instant and an IANA time zone with
 * `Intl`, never from the machine's own zone.
 */
import { serialDay, toSerial } from "./serial";

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * China Standard Time has been UTC+8 all year since daylight saving ended there in September
 * 1991 (IANA tz data, zone Asia/Shanghai): from 1992 on, the office's wall clock is the instant
 * plus eight hours, worked out without Intl. The pane's first read then creates no
 * Intl.DateTimeFormat (the first one loads ICU's time-zone data: about 50 ms of the first paint).
 * The results are those of Intl, which every other zone and every earlier instant still use.
 */
const CHINA_FIXED_FROM_MS = Date.UTC(1992, 0, 1);
const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const MS_PER_DAY = 86400 * 1000;
const UNIX_EPOCH_SERIAL = serialDay(1970, 1, 1);

/** Is this an IANA time zone name the runtime knows? */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone === DEFAULT_TIME_ZONE) return true;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock serial in `timeZone` at the instant `epochMs` (default: now). */
export function wallClockSerial(timeZone: string = DEFAULT_TIME_ZONE, epochMs: number = Date.now()): number {
  if (timeZone === DEFAULT_TIME_ZONE && epochMs >= CHINA_FIXED_FROM_MS && Number.isInteger(epochMs)) {
    // As below: whole seconds from the wall-clock fields, the milliseconds added as a fraction of a second.
    const wall = epochMs + CHINA_OFFSET_MS;
    const day = Math.floor(wall / MS_PER_DAY);
    const msOfDay = wall - day * MS_PER_DAY;
    const ms = msOfDay % 1000;
    const s = (msOfDay - ms) / 1000;
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const second = (s % 60) + ms / 1000;
    return UNIX_EPOCH_SERIAL + day + (h * 3600 + m * 60 + second) / 86400;
  }
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const ms = epochMs - Math.floor(epochMs / 1000) * 1000;
  return toSerial(parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second + ms / 1000);
}
