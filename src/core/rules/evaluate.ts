/**
 * Deadlines per card: when each of D1–D7 (or the workbook's own Deadlines rows) was due,
 * when it was done, and whether it was met, missed or is still open. An empty completion
 * whose deadline has passed counts as missed.
 */
import { BusinessCalendar, CalendarRangeError, weekdayOfDay } from "../calendar";
import { milestoneKey } from "../workflow/milestones";
import type { Card, Revision } from "../model";
import type { DeadlineDef } from "./deadlines";
import { PROPOSAL, typeKey } from "../routes/routes";
import { group } from "../group";

/** A date field of a record by its key (a number, or undefined). */
function dateField(record: object, key: string): number | undefined {
  const v: unknown = Reflect.get(record, key);
  return typeof v === "number" ? v : undefined;
}

export type DeadlineStatus = "met" | "missed" | "open" | "not started";

export interface DeadlineResult {
  deadline: DeadlineDef;
  cardNo: string;
  /** The revision this is about (D7), by its position in the Revisions list. */
  revision?: number;
  /** A recurring duty's occurrence (Deadlines → Repeat): the day it falls on (a serial day number). */
  occurrence?: number;
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

/** A date without a time of day (活动日期 typed as a date). */
const dateOnly = (serial: number): boolean => Math.abs(serial - Math.round(serial)) < 1e-9;

/** The end of the working hours of a day (18:00 by default), as a fraction of the day. */
const dayEnd = (cal: BusinessCalendar): number => cal.periods[cal.periods.length - 1][1] / (24 * 60);

/**
 * A deadline counted from a date without a time (活动日期 typed as a date) in calendar days, or
 * back from it in business days (a countdown): due at the end of the working hours of the day it
 * lands on. In business days T−N is the N-th working day before the day (days off are stepped
 * over); in calendar days it is N days before (or after), whatever day that is.
 */
function dayDeadline(cal: BusinessCalendar, start: number, amount: number, unit: "business days" | "calendar days"): number {
  const day = Math.round(start);
  if (unit === "calendar days") return day + amount + dayEnd(cal);
  let d = day;
  for (let left = Math.ceil(-amount); left > 0;) {
    d--;
    if (cal.isWorkday(d)) left--;
  }
  return d + dayEnd(cal);
}

function dueOf(cal: BusinessCalendar, def: DeadlineDef, start: number, card: Card): number | undefined {
  switch (def.unit) {
    case "business days":
      if (def.amount < 0 && dateOnly(start) && Number.isInteger(def.amount)) return dayDeadline(cal, start, def.amount, "business days");
      return cal.addBusinessDays(start, def.amount);
    case "calendar days":
      cal.position(start); // range check, as the other units
      return dateOnly(start) ? dayDeadline(cal, start, def.amount, "calendar days") : start + def.amount;
    case "schedule":
      return card.due === undefined || card.due < start ? undefined : cal.milestone(start, card.due, def.amount);
    case "hours":
      return start + def.amount / 24;
  }
}

function judge(
  cal: BusinessCalendar,
  due: number | undefined,
  done: number | undefined,
  now: number,
): { status: DeadlineStatus; late: number } {
  if (due === undefined) return { status: "not started", late: 0 };
  if (done !== undefined) {
    const late = done > due ? cal.businessDaysBetween(due, done) : 0;
    return { status: late > 0 || done > due ? "missed" : "met", late: Math.max(0, late) };
  }
  if (now > due) return { status: "missed", late: Math.max(0, cal.businessDaysBetween(due, now)) };
  return { status: "open", late: 0 };
}

/**
 * Which results a caller needs, so that the others are not built (or not even computed):
 * - `due`: those due from `from` (included) to `to` (excluded); a result with no due is left out
 *   (month end: the deadlines that fell in its month);
 * - `openAt`: those open at that moment (reminders): the clock started by then (or a countdown,
 *   due before its start), the due known and in the calendar, not done by then.
 */
export interface Only {
  due?: { from: number; to: number };
  openAt?: number;
}

/** Does a result with this start and due pass `only` (its done already passed the openAt test)? */
function passes(only: Only, start: number | undefined, due: number | undefined): boolean {
  if (due === undefined) return false;
  if (only.due !== undefined && !(due >= only.due.from && due < only.due.to)) return false;
  const at = only.openAt;
  return at === undefined || (start !== undefined && !(start > at && due >= start));
}

/**
 * The result of one deadline on a card or a revision: its due and its judgement (`judge`), built as
 * one object of a fixed shape (this runs for every card and deadline).
 * A date the calendar cannot compute with gives an "open" result marked `outOfRange`. With `only`,
 * a result it leaves out is not judged and comes back undefined.
 */
function evaluateOne(
  cal: BusinessCalendar,
  def: DeadlineDef,
  card: Card,
  cardNo: string,
  revision: number | undefined,
  start: number | undefined,
  done: number | undefined,
  now: number,
  only: Only | undefined,
): DeadlineResult | undefined {
  // Not open at that moment whatever its due: not started, or done by then.
  if (only?.openAt !== undefined && (start === undefined || (done !== undefined && done <= only.openAt))) return undefined;
  let due: number | undefined;
  let status: DeadlineStatus;
  let late: number;
  let outOfRange = false;
  try {
    due = start === undefined ? undefined : dueOf(cal, def, start, card);
    if (only !== undefined && !passes(only, start, due)) return undefined;
    ({ status, late } = judge(cal, due, done, now));
  } catch (e) {
    if (!(e instanceof CalendarRangeError)) throw e;
    // dueOf threw (no due: never kept) or the judgement did (due known and kept by a range, never open: outOfRange).
    if (only !== undefined && (due === undefined || only.openAt !== undefined)) return undefined;
    status = "open";
    late = 0;
    outOfRange = true;
  }
  const result: DeadlineResult =
    revision === undefined
      ? { deadline: def, cardNo, start, done, due, status, late }
      : { deadline: def, cardNo, revision, start, done, due, status, late };
  if (outOfRange) result.outOfRange = true;
  return result;
}

/**
 * A recurring duty's occurrences on a card (Deadlines → Repeat): every week's day from its Starts
 * date while the card is open (until Closed, else `now`), and the next one; each due at the end of
 * that day's working hours (a day off: the next working day's), done by the log's 完成里程碑 row
 * naming its day.
 */
function occurrences(cal: BusinessCalendar, def: DeadlineDef, card: Card, start: number | undefined, now: number): DeadlineResult[] {
  if (start === undefined || def.repeat === undefined) return [];
  const out: DeadlineResult[] = [];
  const end = Math.min(card.closed ?? Infinity, card.archived ?? Infinity);
  const first = Math.floor(start + 1e-9);
  let day = first + ((def.repeat - weekdayOfDay(first) + 7) % 7);
  const last = Math.floor(Math.min(end, now) + 1e-9);
  try {
    for (; day <= last + 7 && day <= end; day += 7) {
      let due = day;
      while (!cal.isWorkday(due)) due++;
      const dueAt = due + dayEnd(cal);
      const done = card.milestones?.[milestoneKey(def.id, day)];
      out.push({ deadline: def, cardNo: card.cardNo, start, occurrence: day, done, due: dueAt, ...judge(cal, dueAt, done, now) });
      if (day > last) break; // the next one only
    }
  } catch (e) {
    if (!(e instanceof CalendarRangeError)) throw e;
  }
  return out;
}

/**
 * A Register deadline's results on one card into `out`: one, or one per occurrence of a recurring
 * duty; with `only`, those it keeps. `noEnds` is the deadline's milestone key (a deadline with no
 * Ends is done when the log's 完成里程碑 row says so).
 */
function onCard(
  cal: BusinessCalendar,
  def: DeadlineDef,
  noEnds: string,
  card: Card,
  now: number,
  only: Only | undefined,
  out: DeadlineResult[],
): void {
  const start = dateField(card, def.starts);
  if (def.repeat !== undefined) {
    for (const r of occurrences(cal, def, card, start, now)) if (only === undefined || keeps(only, r)) out.push(r);
    return;
  }
  const done = def.ends ? dateField(card, def.ends) : card.milestones?.[noEnds];
  const result = evaluateOne(cal, def, card, card.cardNo, undefined, start, done, now, only);
  if (result) out.push(result);
}

/** A Revisions deadline's result on revision `i` (of `card`, its card) into `out`, unless it applies only to the client's. */
function onRevision(
  cal: BusinessCalendar,
  def: DeadlineDef,
  rev: Revision,
  i: number,
  card: Card,
  now: number,
  only: Only | undefined,
  out: DeadlineResult[],
): void {
  if (def.onlyClientRevisions && rev.reason !== "Client") return;
  const result = evaluateOne(cal, def, card, rev.cardNo, i, dateField(rev, def.starts), dateField(rev, def.ends), now, only);
  if (result) out.push(result);
}

/** Does `only` keep this occurrence of a recurring duty (judged already, as evaluateOne leaves out)? */
function keeps(only: Only, r: DeadlineResult): boolean {
  return passes(only, r.start, r.due) && !(only.openAt !== undefined && (r.outOfRange || (r.done !== undefined && r.done <= only.openAt)));
}

/**
 * Does a deadline apply to cards of this type (a type key: routes' typeKey)? Its types; none
 * given: 策划提案 only, as D1–D7 always were (`typesOf`, which the evaluations below ask as a Set).
 */
export function appliesToType(def: Pick<DeadlineDef, "types">, type: string): boolean {
  return typesOf(def).includes(type);
}

/** The card types a deadline applies to: its types, or 策划提案 alone when none is given. */
const typesOf = (def: Pick<DeadlineDef, "types">): readonly string[] => (def.types?.length ? def.types : [PROPOSAL]);

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
  /** Only these results (a month's, those open at a moment), in the same order; the others are not judged. */
  only?: Only,
): DeadlineResult[] {
  const out: DeadlineResult[] = [];
  // Each card's type key, and the last card of each number (the revisions' card), once for every deadline.
  const typeOf = cards.map((c) => typeKey(c.type));
  const byCard = new Map<string, number>();
  cards.forEach((c, i) => byCard.set(c.cardNo, i));
  for (const def of deadlines) {
    // Which cards it applies to: its types (none given: 策划提案 only, as D1–D7 always were).
    const types = new Set(typesOf(def));
    if (def.table === "Register") {
      const noEnds = milestoneKey(def.id);
      for (let i = 0; i < cards.length; i++) if (types.has(typeOf[i])) onCard(cal, def, noEnds, cards[i], now, only, out);
    } else
      revisions.forEach((rev, i) => {
        const at = byCard.get(rev.cardNo);
        if (at !== undefined && types.has(typeOf[at])) onRevision(cal, def, rev, i, cards[at], now, only, out);
      });
  }
  return out;
}

/** Each card's deadlines by its number, worked out when first asked for (a Map's `get`). */
export interface DeadlinesByCard {
  get(cardNo: string): DeadlineResult[] | undefined;
  /** Judges every card's at once (evaluateDeadlines, one pass: cheaper than card by card), before a view that shows them all. */
  judgeAll?(): void;
}

/**
 * What evaluateDeadlines gives, grouped by card number (in its order: deadline by deadline, the
 * cards of a number and then their revisions in list order), each card's worked out when first
 * asked for: a view that shows a few cards does not judge every card's deadlines.
 */
export function deadlinesByCard(
  cal: BusinessCalendar,
  deadlines: readonly DeadlineDef[],
  cards: readonly Card[],
  revisions: readonly Revision[],
  now: number,
  /** Only these results (evaluateDeadlines' `only`): the Overview asks for those open now, and the others are not judged. */
  only?: Only,
): DeadlinesByCard {
  const cardsOf = group(
    cards.map((_, i) => i),
    (i) => cards[i].cardNo,
  );
  const revisionsOf = group(
    revisions.map((_, i) => i),
    (i) => revisions[i].cardNo,
  );
  const types = deadlines.map((def) => new Set(typesOf(def)));
  const noEnds = deadlines.map((def) => milestoneKey(def.id));
  const made = new Map<string, DeadlineResult[] | undefined>();
  // Plain loops, no closure per card: this runs for every card a view shows, often thousands.
  const workOut = (cardNo: string): DeadlineResult[] | undefined => {
    const mine = cardsOf.get(cardNo);
    if (!mine) return undefined;
    const revs = revisionsOf.get(cardNo);
    // The revisions' card: the last card of the number (evaluateDeadlines' byCard).
    const last = cards[mine[mine.length - 1]];
    const lastType = typeKey(last.type);
    const out: DeadlineResult[] = [];
    for (let d = 0; d < deadlines.length; d++) {
      const def = deadlines[d];
      if (def.table === "Register") {
        for (let k = 0; k < mine.length; k++) {
          const card = cards[mine[k]];
          if (types[d].has(typeKey(card.type))) onCard(cal, def, noEnds[d], card, now, only, out);
        }
      } else if (revs && types[d].has(lastType))
        for (let k = 0; k < revs.length; k++) onRevision(cal, def, revisions[revs[k]], revs[k], last, now, only, out);
    }
    return out.length ? out : undefined;
  };
  let all = false;
  return {
    judgeAll(): void {
      if (all) return;
      all = true;
      const grouped = group(evaluateDeadlines(cal, deadlines, cards, revisions, now, only), (r) => r.cardNo);
      for (const cardNo of cardsOf.keys()) if (!made.has(cardNo)) made.set(cardNo, grouped.get(cardNo));
    },
    get(cardNo: string): DeadlineResult[] | undefined {
      if (made.has(cardNo) || all) return made.get(cardNo);
      const out = workOut(cardNo);
      made.set(cardNo, out);
      return out;
    },
  };
}
