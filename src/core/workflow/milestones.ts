/**
 * Milestones without a Register column (Deadlines rows with no Ends: T−30, T−15, T−3, the
 * summary; an occurrence of a recurring duty such as the Monday weekly report) are completed by
 * an action, 完成里程碑 / Milestone done, logged in the Countersign Log like any other: its note
 * starts with the deadline's id, and for a recurring duty the day of the occurrence
 * (`E2 活动预热 T-15`, `W1 2026-11-09 周报`). A withdrawn row (撤销) completes nothing.
 */
import { BusinessCalendar, CalendarRangeError, formatDay } from "../calendar";
import type { Card, LogEntry } from "../model";
import type { DeadlineDef } from "../rules/deadlines";
import type { DeadlineResult } from "../rules/evaluate";
import { effectiveLog } from "./chain";
import { actionOf } from "./words";

/** The key of a milestone on a card: its deadline id, with the occurrence's day for a recurring duty (`W1 2026-11-09`). */
export const milestoneKey = (id: string, occurrence?: number): string =>
  occurrence === undefined ? id : `${id} ${formatDay(Math.floor(occurrence + 1e-9))}`;

/** The milestone a log row's note completes (its key), or undefined. */
export function parseMilestone(note: string | undefined): string | undefined {
  const m = /^(?:代 \S+；|on behalf of \S+; )?([A-Za-z0-9_\-\u4e00-\u9fff]+)(?:\s+(\d{4}-\d{2}-\d{2}))?/.exec((note ?? "").trim());
  if (!m) return undefined;
  return m[2] ? `${m[1].toUpperCase()} ${m[2]}` : m[1].toUpperCase();
}

/** The milestones each card's log completed, by key, with when (the first completion counts). */
export function milestonesDone(log: readonly LogEntry[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  const cards = new Set(log.filter((e) => actionOf(e) === "milestone").map((e) => e.cardNo));
  for (const cardNo of cards) {
    if (!cardNo) continue;
    const done = new Map<string, number>();
    for (const e of effectiveLog(cardNo, log)) {
      if (actionOf(e) !== "milestone" || e.time === undefined) continue;
      const key = parseMilestone(e.note);
      if (key && !done.has(key)) done.set(key, e.time);
    }
    if (done.size) out.set(cardNo, done);
  }
  return out;
}

/** Sets each card's `milestones` from the log (what the deadlines of rows without Ends read as done). */
export function attachMilestones(cards: Card[], log: readonly LogEntry[]): void {
  const done = milestonesDone(log);
  for (const card of cards) {
    const d = done.get(card.cardNo);
    if (d) card.milestones = Object.fromEntries(d);
    else delete card.milestones;
  }
}

/** Is this deadline a milestone (a Register row with no Ends: done by 完成里程碑, not by a date of the Register)? */
export const isMilestone = (def: Pick<DeadlineDef, "table" | "ends">): boolean => def.table === "Register" && def.ends === "";

/**
 * How soon a milestone must be marked done for My work to list it: what `remind` would say of it
 * (overdue, due today, due within its window of a few business hours) and, ahead of that, what
 * falls due by the end of the next working day, so "T−15 活动预热 明天到期" is seen the day before.
 * `remind`'s window (4 business hours by default) always ends before the next working day does.
 * A countdown (T−30 …, due before its start) runs already; any other milestone from its start.
 * Undefined: not listed (done, not started, out of the calendar's range, or later than that).
 */
export function milestoneUrgency(r: DeadlineResult, cal: BusinessCalendar, now: number): "late" | "today" | "soon" | undefined {
  if (!isMilestone(r.deadline) || r.due === undefined || r.start === undefined || r.outOfRange) return undefined;
  if (r.start > now && r.due >= r.start) return undefined;
  if (r.done !== undefined && r.done <= now) return undefined;
  if (now > r.due) return "late";
  const today = Math.floor(now + 1e-9);
  if (Math.floor(r.due + 1e-9) === today) return "today";
  let next = today + 1;
  try {
    while (next < today + 32 && !cal.isWorkday(next)) next++;
  } catch (e) {
    if (!(e instanceof CalendarRangeError)) throw e;
  }
  return r.due < next + 1 ? "soon" : undefined;
}
