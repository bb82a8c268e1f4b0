/**
 * Open deadlines as an iCalendar file (RFC 5545, https://www.rfc-editor.org/rfc/rfc5545) for
 * Outlook, Google, Apple or any calendar.
 *
 *  - One VEVENT per open deadline, with a UID made of the card number and the deadline (and, for
 *    a revision's D7, the moment it was requested), so importing a newer export updates the
 *    event instead of adding a second one (RFC 5545 §3.8.4.7). SEQUENCE grows with the export's
 *    time (minutes), DTSTAMP is the export's time: the newer copy wins (RFC 5546 §2.1.5).
 *  - Times in the office's time zone (Settings). A zone that keeps one offset over the years
 *    concerned (Asia/Shanghai: +08:00, no daylight saving since 1991) is written as a VTIMEZONE
 *    with one STANDARD rule and every time as `TZID=…` local time, so the calendar shows the
 *    office's wall clock whatever zone the reader is in. A zone with daylight saving is written
 *    in UTC (`…Z`), converted from the wall clock with the runtime's zone data: exact, and every
 *    client converts UTC; a hand-written VTIMEZONE with DST rules would be a second copy of tz
 *    data that can drift.
 *  - The event ends at the due moment and lasts 30 minutes (a deadline is "by 14:15"), is
 *    TRANSPARENT (it does not block free/busy), and has a display alarm an hour before.
 *  - TEXT values escaped (§3.3.11: `\\`, `;`, `,`, newline), lines folded at 75 octets without
 *    splitting a UTF-8 character (§3.1), CRLF line ends.
 */
import { fromSerial, wallClockSerial } from "../calendar";
import { withoutEscapes } from "../text";
import type { ReminderItem } from "./digest";
import type { Lang } from "./messages";

/** Serial of 1970-01-01 00:00 (wall clock = UTC). */
const UNIX_EPOCH_SERIAL = 25569;
const MS_PER_DAY = 86400000;

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** `20261009T141500` of a serial. */
export function localStamp(serial: number): string {
  const p = fromSerial(serial);
  return `${pad(p.year, 4)}${pad(p.month)}${pad(p.day)}T${pad(p.hour)}${pad(p.minute)}${pad(p.second)}`;
}

/** `20261009T061500Z` of an instant. */
export function utcStamp(epochMs: number): string {
  return `${localStamp(UNIX_EPOCH_SERIAL + epochMs / MS_PER_DAY)}Z`;
}

/** The zone's offset from UTC at an instant, in minutes (Shanghai: 480). */
export function offsetMinutes(timeZone: string, epochMs: number): number {
  const wall = wallClockSerial(timeZone, epochMs);
  return Math.round((wall - (UNIX_EPOCH_SERIAL + epochMs / MS_PER_DAY)) * 1440);
}

/** The instant a wall-clock serial stands for in `timeZone` (a time skipped by DST moves forward). */
export function instantOf(serial: number, timeZone: string): number {
  const guess = Math.round((serial - UNIX_EPOCH_SERIAL) * MS_PER_DAY);
  const first = guess - offsetMinutes(timeZone, guess) * 60000;
  return guess - offsetMinutes(timeZone, first) * 60000;
}

/** The zone's single offset over these years, or undefined when it changes (daylight saving, a reform). */
export function fixedOffset(timeZone: string, years: Iterable<number>): number | undefined {
  let offset: number | undefined;
  for (const y of years) {
    for (const m of [0, 3, 6, 9]) {
      const o = offsetMinutes(timeZone, Date.UTC(y, m, 1));
      if (offset === undefined) offset = o;
      else if (o !== offset) return undefined;
    }
  }
  return offset;
}

const offsetText = (min: number) => `${min < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(min) / 60))}${pad(Math.abs(min) % 60)}`;

/**
 * TEXT value escaping (RFC 5545 §3.3.11): `\\`, `;`, `,` and newlines escaped; every other
 * control character (CONTROL of §3.3.11 but tab: C0, DEL; and the C1 controls and bidi
 * overrides, which no calendar should show) removed.
 */
export function escapeText(s: string): string {
  return withoutEscapes(s)
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n|\u2028|\u2029/g, "\\n")
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "");
}

const encoder = new TextEncoder();

/** Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character; CRLF ends. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let cur = "";
  let curBytes = 0;
  let limit = 75;
  for (const ch of line) {
    const b = encoder.encode(ch).length;
    if (curBytes + b > limit) {
      out.push(cur);
      cur = " ";
      curBytes = 1;
      limit = 75;
    }
    cur += ch;
    curBytes += b;
  }
  out.push(cur);
  return out.join("\r\n");
}

/** A UID part: letters, digits, `.`, `-`, `_` kept; anything else percent-encoded (UTF-8), so a UID stays one ASCII token. */
const uidPart = (s: string) =>
  Array.from(encoder.encode(s), (b) =>
    /[A-Za-z0-9._-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`,
  ).join("");

/** The stable UID of a deadline: card, deadline, and for a revision's deadline the moment it was requested. */
export function uidOf(item: Pick<ReminderItem, "cardNo" | "deadline" | "requested">): string {
  const rev = item.requested !== undefined ? `.${localStamp(item.requested).slice(0, 13)}` : "";
  return `${uidPart(item.cardNo)}.${uidPart(item.deadline.id)}${rev}@planning-desk`;
}

export interface IcsEvent extends ReminderItem {
  person?: string;
}

export interface IcsOptions {
  lang: Lang;
  timeZone: string;
  /** The export's instant (DTSTAMP, SEQUENCE). */
  nowMs: number;
  /** Calendar name (X-WR-CALNAME). */
  name: string;
}

const EVENT_MINUTES = 30;

/** The whole calendar as text (CRLF line ends, folded). */
export function buildIcs(events: readonly IcsEvent[], o: IcsOptions): string {
  const zh = o.lang === "zh";
  const years = new Set<number>([new Date(o.nowMs).getUTCFullYear()]);
  for (const e of events) years.add(fromSerial(e.due).year);
  const fixed = fixedOffset(o.timeZone, years);
  const time = (prop: string, serial: number) =>
    fixed !== undefined ? `${prop};TZID=${o.timeZone}:${localStamp(serial)}` : `${prop}:${utcStamp(instantOf(serial, o.timeZone))}`;
  const lines: string[] = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:-//Planning Desk//${zh ? "策划台" : "Planning Desk"}//${zh ? "ZH" : "EN"}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(o.name)}`,
    `X-WR-TIMEZONE:${o.timeZone}`,
  ];
  if (fixed !== undefined) {
    lines.push(
      "BEGIN:VTIMEZONE",
      `TZID:${o.timeZone}`,
      "BEGIN:STANDARD",
      "DTSTART:19700101T000000",
      `TZOFFSETFROM:${offsetText(fixed)}`,
      `TZOFFSETTO:${offsetText(fixed)}`,
      `TZNAME:${o.timeZone === "Asia/Shanghai" ? "CST" : `UTC${offsetText(fixed)}`}`,
      "END:STANDARD",
      "END:VTIMEZONE",
    );
  }
  const stamp = utcStamp(o.nowMs);
  const sequence = Math.floor(o.nowMs / 60000) - 29000000; // minutes since mid-2025: grows with every export
  for (const e of events) {
    const what = `${e.deadline.id} ${e.deadline.name[o.lang]}`;
    const summary = `${what} · ${e.cardNo}${e.project ? ` ${e.project}` : ""}`;
    const desc = zh
      ? [
          `卡号：${e.cardNo}`,
          e.project ? `项目：${e.project}` : "",
          `时限：${what}`,
          `负责人：${e.person ?? "（未指定）"}${e.onBehalfOf ? `（代 ${e.onBehalfOf}）` : ""}`,
          `应于：${localText(e.due)}`,
        ]
      : [
          `Card: ${e.cardNo}`,
          e.project ? `Project: ${e.project}` : "",
          `Deadline: ${what}`,
          `Person: ${e.person ?? "(nobody named)"}${e.onBehalfOf ? ` (for ${e.onBehalfOf})` : ""}`,
          `Due: ${localText(e.due)}`,
        ];
    lines.push(
      "BEGIN:VEVENT",
      `UID:${uidOf(e)}`,
      `DTSTAMP:${stamp}`,
      `SEQUENCE:${Math.max(0, sequence)}`,
      time("DTSTART", e.due - EVENT_MINUTES / 1440),
      time("DTEND", e.due),
      `SUMMARY:${escapeText(summary)}`,
      `DESCRIPTION:${escapeText(desc.filter(Boolean).join("\n"))}`,
      `CATEGORIES:${escapeText(zh ? "策划台" : "Planning Desk")},${escapeText(e.deadline.id)}`,
      "TRANSP:TRANSPARENT",
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      `DESCRIPTION:${escapeText(summary)}`,
      `TRIGGER;RELATED=END:-PT1H`,
      "END:VALARM",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}

function localText(serial: number): string {
  const p = fromSerial(serial);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}
