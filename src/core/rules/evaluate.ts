/**
 * Deadlines per card: when each of D1–D7 (or the workbook's own Deadlines rows) was due,
 * when it was done, and whether it was met, missed or is still open. An empty completion
 * whose deadline has passed counts as missed.
 */
import { BusinessCalendar, CalendarRangeError } from "../calendar";
import type { Card, Revision } from "../model";
import type { DeadlineDef } from "./deadlines";

export type DeadlineStatus = "met" | "missed" | "open" | "not started";

export interface DeadlineResult {
  deadline: DeadlineDef;
  cardNo: string;
  /** The revision this is about (D7), by its position in the Revisions list. */
  revision?: number;
  start?: number;
  due?: number;
  done?: number;
  status: DeadlineStatus;
  /** Business days late (done or now past due); 0 when on time. */
  late: number;
  /**
   * The deadline could not be computed: counted from its start it runs outside the calendar
   * (after 2199, or before 1900 with a negative amount). `due` is then unknown and the status
   * is "open": never a guess, and never an exception that stops the other cards.
   */
  outOfRange?: true;
}

function dueOf(cal: BusinessCalendar, def: DeadlineDef, start: number, card: Card): number | undefined {
  switch (def.unit) {
    case "business days":
      return cal.addBusinessDays(start, def.amount);
    case "schedule":
      return card.due === undefined || card.due < start ? undefined : cal.milestone(start, card.due, def.amount);
    case "hours":
      return start + def.amount / 24;
  }
}

function judge(cal: BusinessCalendar, due: number | undefined, done: number | undefined, now: number): { status: DeadlineStatus; late: number } {
  if (due === undefined) return { status: "not started", late: 0 };
  if (done !== undefined) {
    const late = done > due ? cal.businessDaysBetween(due, done) : 0;
    return { status: late > 0 || done > due ? "missed" : "met", late: Math.max(0, late) };
  }
  if (now > due) return { status: "missed", late: Math.max(0, cal.businessDaysBetween(due, now)) };
  return { status: "open", late: 0 };
}

/** Due and judgement of one deadline; a date the calendar cannot compute with gives an "open" result marked `outOfRange`. */
function evaluateOne(
  cal: BusinessCalendar,
  def: DeadlineDef,
  start: number | undefined,
  done: number | undefined,
  card: Card,
  now: number,
): Pick<DeadlineResult, "due" | "status" | "late" | "outOfRange"> {
  let due: number | undefined;
  try {
    due = start === undefined ? undefined : dueOf(cal, def, start, card);
    return { due, ...judge(cal, due, done, now) };
  } catch (e) {
    if (!(e instanceof CalendarRangeError)) throw e;
    return { due, status: "open", late: 0, outOfRange: true };
  }
}

/**
 * Every deadline of every card (Register deadlines) and revision (Revisions deadlines).
 * Never throws for a date out of the calendar's range: that deadline comes back "open" and
 * `outOfRange` (the reader already refuses such dates in the workbook; this covers a deadline
 * counted past 2199 from a date that is in range, and an extreme Amount in the Deadlines table).
 */
export function evaluateDeadlines(
  cal: BusinessCalendar,
  deadlines: readonly DeadlineDef[],
  cards: readonly Card[],
  revisions: readonly Revision[],
  now: number,
): DeadlineResult[] {
  const out: DeadlineResult[] = [];
  const byCard = new Map(cards.map((c) => [c.cardNo, c]));
  for (const def of deadlines) {
    if (def.table === "Register") {
      for (const card of cards) {
        const start = (card as unknown as Record<string, number | undefined>)[def.starts];
        const done = (card as unknown as Record<string, number | undefined>)[def.ends];
        out.push({ deadline: def, cardNo: card.cardNo, start, done, ...evaluateOne(cal, def, start, done, card, now) });
      }
    } else {
      revisions.forEach((rev, i) => {
        if (def.onlyClientRevisions && rev.reason !== "Client") return;
        const card = byCard.get(rev.cardNo);
        if (!card) return;
        const start = (rev as unknown as Record<string, number | undefined>)[def.starts];
        const done = (rev as unknown as Record<string, number | undefined>)[def.ends];
        out.push({ deadline: def, cardNo: rev.cardNo, revision: i, start, done, ...evaluateOne(cal, def, start, done, card, now) });
      });
    }
  }
  return out;
}
