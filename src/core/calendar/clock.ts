/**
 * "Now" as the office's wall clock: the serial an Excel cell would hold if someone in the
 * office typed the current time. Computed from the instant and an IANA time zone with
 * `Intl`, never from the machine's own zone.
 */
import { toSerial } from "./serial";

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

/** Is this an IANA time zone name the runtime knows? */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock serial in `timeZone` at the instant `epochMs` (default: now). */
export function wallClockSerial(timeZone: string = DEFAULT_TIME_ZONE, epochMs: number = Date.now()): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const ms = epochMs - Math.floor(epochMs / 1000) * 1000;
  return toSerial(parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second + ms / 1000);
}
