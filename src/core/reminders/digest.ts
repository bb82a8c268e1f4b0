/**
 * What each person should hear about at a moment (`planning-desk remind`): per person, the
 * deadlines they hold that are overdue (with business days late), that fall due later today,
 * and that fall due within the next few business hours (after today). Pure: the workbook's
 * model, its business calendar and a wall-clock moment in; the digest out.
 *
 * A deadline is open at `at` when its clock has started by then (start ≤ at), its due moment is
 * known, and it was not done by then (no completion, or one typed for a later moment: replaying
 * an earlier moment shows what was open then). Who is reminded is who the deadline charges
 * (the deadline's role on the card: core/people); someone no longer active is replaced by their
 * active backup (AB角), named "for" them.
 */
import type { BusinessCalendar } from "../calendar";
import type { Card, LogEntry, Revision, StaffMember } from "../model";
import { routeReminders } from "../routes/escalation";
import type { RouteStep } from "../routes/routes";
import { chargedPerson } from "../people";
import type { DeadlineDef } from "../rules/deadlines";
import { evaluateDeadlines } from "../rules/evaluate";

export type ReminderKind = "overdue" | "today" | "soon";

export interface ReminderItem {
  kind: ReminderKind;
  cardNo: string;
  project?: string;
  deadline: DeadlineDef;
  /** When it is (was) due: wall-clock serial. */
  due: number;
  /** When its clock started. */
  start: number;
  /** The revision's Requested moment, for deadlines of the Revisions table (D7). */
  requested?: number;
  /** Business days late at `at` (overdue only). */
  late: number;
  /** Working minutes in a business day of the calendar `late` was counted in (to say it in hours and minutes); 7.5 hours when absent. */
  dayMinutes?: number;
  /** Business hours left until due (today and soon). */
  hoursLeft: number;
  /** The person the deadline charges, when someone else (their backup) is reminded instead. */
  onBehalfOf?: string;
}

export interface PersonDigest {
  name: string;
  /** The Staff row, when the person is in Staff (mobile, e-mail). */
  staff?: StaffMember;
  items: ReminderItem[];
}

export interface Digest {
  at: number;
  withinHours: number;
  /** Is `at` on a working day (official calendar, make-up days and the workbook's Calendar table)? */
  workday: boolean;
  /** People with something to say, by name; items sorted overdue first (latest first), then by due. */
  people: PersonDigest[];
  /** Open items whose person the workbook does not name (no lead, two secretaries and none on the card). */
  unassigned: ReminderItem[];
}

export interface DigestInput {
  cards: readonly Card[];
  revisions: readonly Revision[];
  staff: readonly StaffMember[];
  deadlines: readonly DeadlineDef[];
  /** Route steps with a time limit are reminded too, and escalated once past it (core/routes/escalation). */
  routes?: readonly RouteStep[];
  log?: readonly LogEntry[];
}

/** Every open deadline at `at` with whom it charges (before any grouping): also what `calendar` exports. */
export function openDeadlines(input: DigestInput, cal: BusinessCalendar, at: number): (ReminderItem & { person?: string })[] {
  const byCard = new Map(input.cards.map((c) => [c.cardNo, c]));
  const out: (ReminderItem & { person?: string })[] = [];
  const atPos = cal.position(at);
  // Only the deadlines open at that moment are built (most are done by then): the tests below hold for each.
  for (const r of evaluateDeadlines(cal, input.deadlines, input.cards, input.revisions, at, { openAt: at })) {
    if (r.due === undefined || r.start === undefined || r.outOfRange) continue;
    if (r.start > at && r.due >= r.start) continue; // not started yet at that moment (a countdown, due before its start, runs already)
    if (r.done !== undefined && r.done <= at) continue; // done by then
    const card = byCard.get(r.cardNo)!;
    const { person, onBehalfOf } = chargedPerson(card, r.deadline, input.staff);
    const overdue = at > r.due;
    const dueDay = Math.floor(r.due + 1e-9);
    const kind: ReminderKind = overdue ? "overdue" : dueDay === Math.floor(at + 1e-9) ? "today" : "soon";
    const hoursLeft = overdue ? 0 : Math.round(((cal.position(r.due) - atPos) / 60) * 100) / 100;
    out.push({
      kind,
      cardNo: r.cardNo,
      project: card.project,
      deadline: r.deadline,
      due: r.due,
      start: r.start,
      requested: r.revision !== undefined ? input.revisions[r.revision]?.requested : undefined,
      late: overdue ? Math.max(0, cal.businessDaysBetween(r.due, at)) : 0,
      dayMinutes: cal.dayMinutes,
      hoursLeft,
      onBehalfOf,
      person,
    });
  }
  return out;
}

const order = (a: ReminderItem, b: ReminderItem): number => {
  const k = { overdue: 0, today: 1, soon: 2 } as const;
  return (
    k[a.kind] - k[b.kind] ||
    (a.kind === "overdue" ? b.late - a.late : 0) ||
    a.due - b.due ||
    a.cardNo.localeCompare(b.cardNo) ||
    a.deadline.id.localeCompare(b.deadline.id)
  );
};

/**
 * The digest at `at` (a wall-clock serial in the office's time zone): overdue, due today, and
 * due within `withinHours` business hours. People come in Staff order, then anyone the Register
 * names who is not in Staff, by name.
 */
export function buildDigest(input: DigestInput, cal: BusinessCalendar, at: number, withinHours = 4): Digest {
  const staffByName = new Map(input.staff.map((s) => [s.name, s]));
  const byPerson = new Map<string, ReminderItem[]>();
  const unassigned: ReminderItem[] = [];
  for (const item of [...openDeadlines(input, cal, at), ...routeReminders(input, cal, at)]) {
    if (item.kind === "soon" && item.hoursLeft > withinHours + 1e-9) continue;
    const { person, ...rest } = item;
    if (!person) {
      unassigned.push(rest);
      continue;
    }
    const list = byPerson.get(person) ?? [];
    list.push(rest);
    byPerson.set(person, list);
  }
  const staffOrder = new Map(input.staff.map((s, i) => [s.name, i]));
  const names = [...byPerson.keys()].sort(
    (a, b) => (staffOrder.get(a) ?? Infinity) - (staffOrder.get(b) ?? Infinity) || a.localeCompare(b),
  );
  return {
    at,
    withinHours,
    workday: cal.isWorkday(at),
    people: names.map((name) => ({ name, staff: staffByName.get(name), items: byPerson.get(name)!.sort(order) })),
    unassigned: unassigned.sort(order),
  };
}
