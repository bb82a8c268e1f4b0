/** Issue 5's figures: month end over 5,000 cards, 20,000 revisions and 1,000 incidents. */
import { BusinessCalendar, serialDay } from "../src/core/calendar";
import type { Card, Incident, IncidentKind, Revision } from "../src/core/model";
import { DEFAULT_DEADLINES } from "../src/core/rules/deadlines";
import { evaluateMonth } from "../src/core/rules/monthly";
import { DEFAULT_RULES } from "../src/core/rules/penalties";
import { demoData } from "../src/workbook/demo";
import { bestOf, record, rng } from "./util";

const KINDS: IncidentKind[] = ["Late requirement complaint", "Complaint to VP", "Mass user complaints", "Attitude complaint"];

export function bigMonth(cards = 5000, revisions = 20000, incidents = 1000) {
  const cal = new BusinessCalendar();
  const r = rng(5);
  const staff = demoData().staff;
  const aes = staff.filter((s) => s.role === "AE").map((s) => s.name);
  const planners = staff.filter((s) => s.role === "Planner" && s.active).map((s) => s.name);
  const days: number[] = [];
  for (let d = serialDay(2026, 9, 20); d < serialDay(2026, 11, 1); d++) if (cal.isWorkday(d)) days.push(d);
  const add = (t: number, x: number) => Math.round(cal.addBusinessDays(t, x) * 1440) / 1440;
  const list: Card[] = [];
  for (let i = 0; i < cards; i++) {
    const received = days[Math.floor(r() * days.length)] + (9 + r() * 8) / 24;
    const assigned = add(received, r() * 0.3);
    const due = add(assigned, 3 + Math.floor(r() * 6));
    const brief = add(assigned, 0.3 + r());
    const countersigned = add(brief, 0.2 + r());
    const draft = cal.milestone(assigned, due, 0.6 + r() * 0.3);
    const sent = add(draft, 0.5 + r() * 0.5);
    list.push({
      cardNo: `B${String(i + 1).padStart(5, "0")}`,
      project: `Project ${i}`,
      key: r() < 0.2,
      intake: "AE",
      initiator: aes[i % 2],
      ae: aes[i % 2],
      lead: planners[i % planners.length],
      received,
      replied: add(received, r() * 0.7),
      assigned,
      brief,
      countersigned,
      due,
      framework: cal.milestone(assigned, due, 0.1 + r() * 0.2),
      draft,
      reviewed: r() < 0.95 ? add(draft, 0.2) : undefined,
      sent,
      stage: "sent",
    });
  }
  const revs: Revision[] = Array.from({ length: revisions }, () => {
    const c = list[Math.floor(r() * list.length)];
    const requested = add(c.sent!, r() * 3);
    return { cardNo: c.cardNo, requested, relayed: add(requested, r() * 0.8), reason: r() < 0.7 ? "Client" : "Own", major: r() < 0.1 };
  });
  const incs: Incident[] = Array.from({ length: incidents }, (_, i) => {
    const c = list[Math.floor(r() * list.length)];
    return { date: add(c.received!, 2 + r() * 5), cardNo: c.cardNo, kind: KINDS[i % 4], person: r() < 0.5 ? c.lead : undefined };
  });
  return { cal, staff, cards: list, revisions: revs, incidents: incs };
}

export async function benchMonth(): Promise<void> {
  const m = bigMonth();
  const input = { ...m, rules: [...DEFAULT_RULES], deadlines: [...DEFAULT_DEADLINES] };
  const now = serialDay(2026, 11, 20) + 0.5;
  let penalties = 0;
  const evalMs = bestOf(5, () => {
    penalties = evaluateMonth(input, "2026-10", now).penalties.length;
  });
  record(
    `evaluate the rules: 5,000 cards, 20,000 revisions, 1,000 incidents (${penalties} penalties)`,
    `${evalMs.toFixed(0)} ms`,
    "< 200 ms",
    evalMs < 200,
  );

  // The whole `report` command on this month is measured in bench/files.ts, beside ExcelJS.
}
