/**
 * The month's KPI sheet: one row per active person with their deductions per KPI, the
 * score (the base from Settings, less the deductions), and the figures behind it.
 *
 * - Cards handled: cards that name the person (initiator, AE, lead, reviewer, secretary)
 *   and have any Register date in the month.
 * - Deadlines met and missed, per deadline: the deadlines that fell in the month and that
 *   the person had to meet (the deadline's role on the card). Open ones are not counted.
 * - On-time rate: met / (met + missed); empty when there were none.
 * - Days to send: average business days from Received to Sent over the person's cards sent
 *   in the month.
 */
import { type BusinessCalendar, inCalendarRange } from "../calendar";
import { CARD_STEP_DATES, Card, StaffMember } from "../model";
import { peopleOnCard, personOnCard } from "../people";
import type { DeadlineDef } from "../rules/deadlines";
import type { MonthEvaluation } from "../rules/monthly";
import type { RuleDef } from "../rules/penalties";

export interface KpiRow {
  person: string;
  role?: StaffMember["role"];
  /** Points off each KPI, in the order of `KpiSheet.kpis`. */
  deductions: number[];
  total: number;
  score: number;
  cardsHandled: number;
  /** Met and missed per deadline, in the order of `KpiSheet.deadlines`. */
  met: number[];
  missed: number[];
  onTimeRate?: number;
  avgDaysToSend?: number;
}

export interface KpiSheet {
  month: string;
  base: number;
  kpis: { zh: string; en: string }[];
  deadlines: DeadlineDef[];
  rows: KpiRow[];
}

export function computeKpi(
  ev: MonthEvaluation,
  input: {
    cal: BusinessCalendar;
    cards: readonly Card[];
    staff: readonly StaffMember[];
    rules: readonly RuleDef[];
    deadlines: readonly DeadlineDef[];
  },
  base: number,
): KpiSheet {
  const kpis: { zh: string; en: string }[] = [];
  const kpiIndex = new Map<string, number>();
  for (const r of input.rules) {
    if (!kpiIndex.has(r.kpi.zh)) {
      kpiIndex.set(r.kpi.zh, kpis.length);
      kpis.push(r.kpi);
    }
  }
  // Reminder-only duties (no Ends: the T−30/T−15/T−3 countdowns) are never met or missed: no column of their own.
  const deadlines = input.deadlines.filter((d) => d.ends !== "");
  const dIndex = new Map(deadlines.map((d, i) => [d.id, i]));
  const active = input.staff.filter((s) => s.active);
  const rows = new Map<string, KpiRow>(
    active.map((s) => [
      s.name,
      {
        person: s.name,
        role: s.role,
        deductions: kpis.map(() => 0),
        total: 0,
        score: base,
        cardsHandled: 0,
        met: deadlines.map(() => 0),
        missed: deadlines.map(() => 0),
      },
    ]),
  );

  for (const p of ev.penalties) {
    const row = rows.get(p.person);
    if (!row) continue;
    const i = kpiIndex.get(p.rule.kpi.zh);
    if (i !== undefined) row.deductions[i] += p.points;
    row.total += p.points;
  }

  const cards = new Map(input.cards.map((c) => [c.cardNo, c]));
  const excused = new Set((ev.excused ?? []).map((x) => `${x.cardNo}\u0000${x.deadline}`));
  for (const r of ev.deadlines) {
    if (r.status !== "met" && r.status !== "missed") continue;
    if (r.status === "missed" && excused.has(`${r.cardNo}\u0000${r.deadline.id}`)) continue; // 免责: not counted
    const card = cards.get(r.cardNo);
    const who = card && personOnCard(card, r.deadline.role, input.staff);
    const row = who ? rows.get(who) : undefined;
    const i = dIndex.get(r.deadline.id);
    if (!row || i === undefined) continue;
    if (r.status === "met") row.met[i]++;
    else row.missed[i]++;
  }

  const inMonth = (t: unknown) => typeof t === "number" && t >= ev.start && t < ev.end;
  const sendDays = new Map<string, number[]>();
  for (const card of input.cards) {
    const touched = CARD_STEP_DATES.some((f) => inMonth(card[f]));
    if (!touched) continue;
    // Both dates in the calendar's range (the reader guarantees it for a workbook; a card built otherwise must not throw).
    const { received, sent } = card;
    const sentInMonth = inMonth(sent) && sent !== undefined && received !== undefined && inCalendarRange(received) && inCalendarRange(sent);
    for (const name of peopleOnCard(card, input.staff)) {
      const row = rows.get(name);
      if (!row) continue;
      row.cardsHandled++;
      if (sentInMonth) {
        const list = sendDays.get(name) ?? [];
        list.push(input.cal.businessDaysBetween(received, sent));
        sendDays.set(name, list);
      }
    }
  }

  for (const row of rows.values()) {
    row.score = base - row.total;
    const met = row.met.reduce((a, b) => a + b, 0);
    const missed = row.missed.reduce((a, b) => a + b, 0);
    if (met + missed > 0) row.onTimeRate = met / (met + missed);
    const days = sendDays.get(row.person);
    if (days?.length) row.avgDaysToSend = days.reduce((a, b) => a + b, 0) / days.length;
  }
  return { month: ev.month, base, kpis, deadlines, rows: [...rows.values()] };
}
