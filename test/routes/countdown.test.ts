/**
 * Clocks as data: deadlines that apply to some card types only, count back from 活动日期 (a
 * countdown: T−30, T−15, T−3) or forward, in calendar days (自然日: weekends and holidays count)
 * or business days (days off are stepped over). Around China's National Day 2026: 1–7 October
 * off, Sunday 20 September and Saturday 10 October worked, 25 September (Mid-Autumn) off.
 */
import { BusinessCalendar, formatSerial, serialDay, toSerial } from "../../src/core/calendar";
import type { Card } from "../../src/core/model";
import { buildDigest } from "../../src/core/reminders/digest";
import { DEFAULT_DEADLINES, DeadlineDef } from "../../src/core/rules/deadlines";
import { evaluateDeadlines } from "../../src/core/rules/evaluate";

const cal = new BusinessCalendar();
const EVENTS = DEFAULT_DEADLINES.filter((d) => d.types);
const event = (over: Partial<Card> = {}): Card => ({
  cardNo: "202609-007",
  project: "国庆业主答谢会",
  key: false,
  type: "客户活动",
  lead: "刘洋",
  eventDate: serialDay(2026, 10, 8),
  ...over,
});
const dueOf = (defs: readonly DeadlineDef[], card: Card, id: string, now = toSerial(2026, 8, 1, 9, 0)) => {
  const r = evaluateDeadlines(cal, defs, [card], [], now).find((x) => x.deadline.id === id);
  return r?.due === undefined ? undefined : formatSerial(r.due);
};

describe("countdowns before 活动日期 (seed 004)", () => {
  test("T−30, T−15 and T−3 in calendar days fall on those days, a holiday included, at the end of its working hours", () => {
    expect(EVENTS.map((d) => [d.id, d.amount, d.unit])).toEqual([
      ["E1", -30, "calendar days"],
      ["E2", -15, "calendar days"],
      ["E3", -3, "calendar days"],
      ["E4", 3, "calendar days"],
    ]);
    expect(dueOf(EVENTS, event(), "E1")).toBe("2026-09-08 18:00");
    expect(dueOf(EVENTS, event(), "E2")).toBe("2026-09-23 18:00");
    expect(dueOf(EVENTS, event(), "E3")).toBe("2026-10-05 18:00"); // a holiday: calendar days count it
    expect(dueOf(EVENTS, event(), "E4")).toBe("2026-10-11 18:00"); // the summary, three days after (a Sunday)
    // An event with a time: the same time of day.
    expect(dueOf(EVENTS, event({ eventDate: toSerial(2026, 10, 8, 14, 30) }), "E3")).toBe("2026-10-05 14:30");
  });

  test("in business days the same countdowns step over weekends, the holidays, and count the make-up Sunday", () => {
    const business = EVENTS.map((d) => ({ ...d, unit: "business days" as const }));
    expect(dueOf(business, event(), "E3")).toBe("2026-09-28 18:00"); // 30, 29, 28 September
    expect(dueOf(business, event(), "E2")).toBe("2026-09-10 18:00"); // 20 September (a Sunday worked) counts, 25 September does not
    expect(dueOf(business, event(), "E1")).toBe("2026-08-20 18:00");
    // Counting forward from a date in business days is unchanged: from the start of that day's work.
    expect(dueOf([{ ...EVENTS[3], unit: "business days" }], event(), "E4")).toBe(
      formatSerial(cal.addBusinessDays(serialDay(2026, 10, 8), 3)),
    );
  });

  test("a deadline applies to its types only: D1–D7 to proposals (no type), the countdowns to 客户活动", () => {
    const proposal: Card = { cardNo: "202609-001", key: false, received: toSerial(2026, 9, 1, 10, 0), eventDate: serialDay(2026, 10, 8) };
    const evt = event({ received: toSerial(2026, 9, 1, 10, 0) });
    const ids = (c: Card) => evaluateDeadlines(cal, DEFAULT_DEADLINES, [c], [], toSerial(2026, 9, 2, 9, 0)).map((r) => r.deadline.id);
    expect(ids(proposal)).toEqual(["D1", "D2", "D3", "D4", "D5", "D6"]);
    expect(ids(evt)).toEqual(["E1", "E2", "E3", "E4"]);
    expect(ids({ ...proposal, type: "Proposal" })).toEqual(ids(proposal));
    expect(ids({ ...proposal, type: "工单" })).toEqual([]);
  });

  test("a countdown is reminded until marked done (完成里程碑): due today on the lead's list; past and not done, overdue and a miss", () => {
    const input = { cards: [event()], revisions: [], staff: [], deadlines: [...DEFAULT_DEADLINES] };
    const at = toSerial(2026, 9, 23, 10, 0);
    const d = buildDigest(input, cal, at, 4);
    expect(d.people.map((p) => [p.name, p.items.map((i) => [i.kind, i.deadline.id])])).toEqual([
      [
        "刘洋",
        [
          ["overdue", "E1"],
          ["today", "E2"],
        ],
      ],
    ]);
    const all = evaluateDeadlines(cal, DEFAULT_DEADLINES, [event()], [], at);
    expect(all.map((r) => [r.deadline.id, r.status])).toEqual([
      ["E1", "missed"],
      ["E2", "open"],
      ["E3", "open"],
      ["E4", "open"],
    ]);
  });
});
