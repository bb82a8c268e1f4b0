/**
 * Month end in core: every P rule at, below and above its threshold; deadlines across the
 * holidays and make-up Saturdays; month boundaries; incidents with and without a person;
 * a rule of the center's own; the KPI figures.
 */
import { BusinessCalendar, formatSerial, toSerial } from "../../src/core/calendar";
import type { Card, Incident, LogEntry, Revision, StaffMember } from "../../src/core/model";
import { decide, excuseGuard } from "../../src/core/workflow/actions";
import { excuseRefusal } from "../../src/core/rules/excuses";
import { DEFAULT_SETTINGS } from "../../src/core/settings";
import { computeKpi } from "../../src/core/kpi/kpi";
import { DEFAULT_DEADLINES } from "../../src/core/rules/deadlines";
import { evaluateMonth, evidenceText, sentWithoutReview, triggerWords, MonthError } from "../../src/core/rules/monthly";
import { DEFAULT_RULES, RuleDef } from "../../src/core/rules/penalties";

const cal = new BusinessCalendar();
const NOW = toSerial(2026, 11, 20, 10, 0);
const staff: StaffMember[] = [
  { name: "秘书甲", role: "Secretary", active: true },
  { name: "经理甲", role: "Manager", active: true },
  { name: "总监甲", role: "Director", active: true },
  { name: "AE甲", role: "AE", active: true },
  { name: "AE乙", role: "AE", active: true },
  { name: "策划甲", role: "Planner", active: true },
  { name: "策划乙", role: "Planner", active: true },
];

let seq = 0;
/** A card whose early deadlines were met, received on a working morning of October 2026 (from the 12th). */
function card(over: Partial<Card> = {}): Card {
  seq++;
  const day = [12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27][seq % 12]; // working days
  const received = toSerial(2026, 10, day, 9, 30);
  return {
    cardNo: `C${seq}`,
    key: false,
    intake: "AE",
    initiator: "AE甲",
    ae: "AE甲",
    lead: "策划甲",
    received,
    replied: received + 1 / 24,
    assigned: received + 1 / 24,
    brief: received + 3 / 24,
    countersigned: received + 4 / 24,
    ...over,
  };
}

function run(
  cards: Card[],
  extra: { revisions?: Revision[]; incidents?: Incident[]; rules?: RuleDef[]; month?: string; now?: number; log?: LogEntry[] } = {},
) {
  return evaluateMonth(
    {
      cal,
      cards,
      revisions: extra.revisions ?? [],
      incidents: extra.incidents ?? [],
      staff,
      rules: extra.rules ?? [...DEFAULT_RULES],
      deadlines: [...DEFAULT_DEADLINES],
      log: extra.log,
    },
    extra.month ?? "2026-10",
    extra.now ?? NOW,
  );
}
const byRule = (ev: ReturnType<typeof run>, id: string) => ev.penalties.filter((p) => p.rule.id === id);

/** A card whose reply (D1) came a day late. */
const lateReply = (ae = "AE甲") => {
  const c = card({ ae, initiator: ae });
  return { ...c, replied: cal.addBusinessDays(c.received!, 1) };
};
const lateBrief = (lead = "策划甲") => {
  const c = card({ lead });
  const brief = cal.addBusinessDays(c.assigned!, 2);
  return { ...c, brief, countersigned: cal.addBusinessDays(brief, 0.1) };
};
const lateSign = () => {
  const c = card();
  return { ...c, countersigned: cal.addBusinessDays(c.brief!, 2) };
};

describe("threshold rules", () => {
  test.each([
    ["P2", "D1 more than 3", lateReply, 3, 0],
    ["P2", "D1 more than 3", lateReply, 4, 1],
    ["P2", "D1 more than 3", lateReply, 6, 1],
    ["P4", "D3 more than 2", lateSign, 2, 0],
    ["P4", "D3 more than 2", lateSign, 3, 1],
    ["P4", "D3 more than 2", lateSign, 5, 1],
    ["P8", "D2 more than 2", lateBrief, 2, 0],
    ["P8", "D2 more than 2", lateBrief, 3, 1],
    ["P8", "D2 more than 2", lateBrief, 4, 1],
  ] as const)("%s (%s, %p): %i misses → %i deduction(s)", (id, _what, make, misses, expected) => {
    const ev = run(Array.from({ length: misses }, () => make()));
    const hits = byRule(ev, id);
    expect(hits).toHaveLength(expected);
    if (expected) {
      expect(hits[0].points).toBe(DEFAULT_RULES.find((r) => r.id === id)!.points);
      expect(hits[0].triggers).toHaveLength(misses);
    }
  });

  test.each([
    [4, 0],
    [5, 1],
    [7, 1],
  ])("P3 (D7 five times): %i late relays → %i deduction(s)", (n, expected) => {
    const cards = Array.from({ length: n }, () => card({ sent: toSerial(2026, 10, 20, 10, 0), reviewed: toSerial(2026, 10, 20, 9, 0) }));
    const revisions: Revision[] = cards.map((c) => ({
      cardNo: c.cardNo,
      requested: toSerial(2026, 10, 21, 10, 0),
      relayed: toSerial(2026, 10, 22, 17, 0),
      reason: "Client",
      major: false,
    }));
    expect(byRule(run(cards, { revisions }), "P3")).toHaveLength(expected);
  });

  test.each([
    [3, 0],
    [4, 1],
    [6, 1],
  ])("P7 (own revisions 4 or more, per card): %i → %i", (n, expected) => {
    const c = card();
    const revisions: Revision[] = Array.from({ length: n }, (_, k) => ({
      cardNo: c.cardNo,
      requested: toSerial(2026, 10, 14, 10 + k, 0),
      reason: "Own",
      major: false,
    }));
    const ev = run([c], { revisions });
    expect(byRule(ev, "P7")).toHaveLength(expected);
  });

  test("P7 counts per card: two cards with three own revisions each cost nothing; a client revision never counts", () => {
    const [a, b] = [card(), card()];
    const revisions: Revision[] = [a, b].flatMap((c) =>
      [1, 2, 3].map((k) => ({ cardNo: c.cardNo, requested: toSerial(2026, 10, 14, 10 + k, 0), reason: "Own" as const, major: false })),
    );
    revisions.push({
      cardNo: a.cardNo,
      requested: toSerial(2026, 10, 15, 10, 0),
      reason: "Client",
      major: false,
      relayed: toSerial(2026, 10, 15, 11, 0),
    });
    expect(byRule(run([a, b], { revisions }), "P7")).toHaveLength(0);
  });

  test("a threshold counts each person separately and deducts once per person", () => {
    const cards = [...Array.from({ length: 4 }, () => lateReply("AE甲")), ...Array.from({ length: 3 }, () => lateReply("AE乙"))];
    const hits = byRule(run(cards), "P2");
    expect(hits.map((h) => h.person)).toEqual(["AE甲"]);
  });
});

describe("incident rules", () => {
  const sentUnreviewed = () => card({ draft: toSerial(2026, 10, 19, 10, 0), sent: toSerial(2026, 10, 19, 11, 0) });
  const sentReviewed = () =>
    card({ draft: toSerial(2026, 10, 19, 10, 0), reviewed: toSerial(2026, 10, 19, 10, 30), sent: toSerial(2026, 10, 19, 11, 0) });

  test.each([
    ["P1", "Late requirement complaint", "AE甲"],
    ["P9", "Attitude complaint", "策划甲"],
  ] as const)("%s: no incident → nothing; one → one deduction; two → two", (id, kind, charged) => {
    const c = card();
    const inc = (d: number): Incident => ({ date: toSerial(2026, 10, d, 10, 0), cardNo: c.cardNo, kind });
    expect(byRule(run([c]), id)).toHaveLength(0);
    const one = byRule(run([c], { incidents: [inc(20)] }), id);
    expect(one.map((p) => p.person)).toEqual([charged]);
    expect(byRule(run([c], { incidents: [inc(20), inc(21)] }), id)).toHaveLength(2);
  });

  test.each([
    ["P5", "Complaint to VP", 10],
    ["P6", "Mass user complaints", 30],
  ] as const)("%s needs the card sent without a leader's review", (id, kind, points) => {
    const bad = sentUnreviewed();
    const good = sentReviewed();
    const incidents: Incident[] = [bad, good].map((c) => ({ date: toSerial(2026, 10, 22, 10, 0), cardNo: c.cardNo, kind }));
    const hits = byRule(run([bad, good], { incidents }), id);
    expect(hits.map((h) => h.triggers[0].cardNo)).toEqual([bad.cardNo]);
    expect(hits[0].points).toBe(points);
    expect(evidenceText(hits[0], "en")).toContain("sent without review 2026-10-19 11:00");
  });

  test("a review after sending does not count as reviewed; a director's review does", () => {
    expect(sentWithoutReview(card({ sent: 100, reviewed: 101 }))).toBe(true);
    expect(sentWithoutReview(card({ sent: 100, directorReviewed: 99 }))).toBe(false);
    expect(sentWithoutReview(card({ sent: undefined }))).toBe(false);
  });

  test("an incident naming a person charges that person; without one, the rule's role on the card", () => {
    const c = card({ lead: "策划乙" });
    const incidents: Incident[] = [
      { date: toSerial(2026, 10, 20, 10, 0), cardNo: c.cardNo, kind: "Attitude complaint", person: "策划甲" },
      { date: toSerial(2026, 10, 21, 10, 0), cardNo: c.cardNo, kind: "Attitude complaint" },
    ];
    expect(
      byRule(run([c], { incidents }), "P9")
        .map((p) => p.person)
        .sort(),
    ).toEqual(["策划乙", "策划甲"].sort());
  });

  test("an incident nobody can be charged for is reported, not guessed", () => {
    const incidents: Incident[] = [{ date: toSerial(2026, 10, 20, 10, 0), kind: "Attitude complaint" }];
    const ev = run([card()], { incidents });
    expect(byRule(ev, "P9")).toHaveLength(0);
    expect(ev.problems[0].en).toMatch(/P9: a record with no card .* names no Planner/);
  });

  test("an incident belongs to its date's month", () => {
    const c = card();
    const incidents: Incident[] = [{ date: toSerial(2026, 11, 2, 10, 0), cardNo: c.cardNo, kind: "Attitude complaint" }];
    expect(byRule(run([c], { incidents }), "P9")).toHaveLength(0);
    expect(byRule(run([c], { incidents, month: "2026-11" }), "P9")).toHaveLength(1);
  });
});

describe("deadlines across holidays and months", () => {
  test("a request before National Day answered after it is on time (2026-09-30 17:00 → due 2026-10-08 11:45)", () => {
    const c = card({
      received: toSerial(2026, 9, 30, 17, 0),
      replied: toSerial(2026, 10, 8, 11, 0),
      assigned: undefined,
      brief: undefined,
      countersigned: undefined,
    });
    const ev = run([c]);
    const d1 = ev.deadlines.find((r) => r.deadline.id === "D1" && r.cardNo === c.cardNo)!;
    expect(formatSerial(d1.due!)).toBe("2026-10-08 11:45");
    expect(d1.status).toBe("met");
  });

  test("the make-up Saturday 2026-10-10 counts: a Friday request answered on Monday is late", () => {
    const c = card({
      received: toSerial(2026, 10, 9, 16, 0),
      replied: toSerial(2026, 10, 12, 9, 30),
      assigned: undefined,
      brief: undefined,
      countersigned: undefined,
    });
    const d1 = run([c]).deadlines.find((r) => r.deadline.id === "D1" && r.cardNo === c.cardNo)!;
    expect(formatSerial(d1.due!)).toBe("2026-10-10 10:45");
    expect(d1.status).toBe("missed");
  });

  test("Spring Festival 2026: a brief due on the make-up Saturday 2026-02-14; one assigned that Saturday is due after the holiday", () => {
    const a = card({
      received: toSerial(2026, 2, 13, 14, 0),
      replied: toSerial(2026, 2, 13, 14, 30),
      assigned: toSerial(2026, 2, 13, 15, 0),
      brief: toSerial(2026, 2, 24, 9, 0),
      countersigned: undefined,
    });
    const b = card({
      received: toSerial(2026, 2, 14, 15, 0),
      replied: toSerial(2026, 2, 14, 15, 30),
      assigned: toSerial(2026, 2, 14, 16, 0),
      brief: toSerial(2026, 2, 24, 15, 0),
      countersigned: undefined,
    });
    const ev = run([a, b], { month: "2026-02" });
    const d2 = (c: Card) => ev.deadlines.find((r) => r.deadline.id === "D2" && r.cardNo === c.cardNo)!;
    expect(formatSerial(d2(a).due!)).toBe("2026-02-14 15:00");
    expect(d2(a).status).toBe("missed");
    expect(formatSerial(d2(b).due!)).toBe("2026-02-24 16:00");
    expect(d2(b).status).toBe("met");
    expect(ev.deadlines.some((r) => r.cardNo === b.cardNo && r.deadline.id === "D2")).toBe(true);
  });

  test("a missed deadline belongs to the month it fell in; an empty completion counts once the deadline has passed", () => {
    const octDue = card({
      received: toSerial(2026, 10, 30, 9, 0),
      replied: undefined,
      assigned: undefined,
      brief: undefined,
      countersigned: undefined,
    });
    const novDue = card({
      received: toSerial(2026, 10, 30, 17, 0),
      replied: undefined,
      assigned: undefined,
      brief: undefined,
      countersigned: undefined,
    });
    const ev = (month: string, now: number) => run([octDue, novDue], { month, now }).deadlines.filter((r) => r.deadline.id === "D1");
    expect(ev("2026-10", NOW).map((r) => [r.cardNo, r.status])).toEqual([[octDue.cardNo, "missed"]]);
    expect(ev("2026-11", NOW).map((r) => [r.cardNo, r.status])).toEqual([[novDue.cardNo, "missed"]]);
    // Before its deadline an empty completion is open, not missed.
    expect(ev("2026-11", toSerial(2026, 11, 2, 9, 30)).map((r) => r.status)).toEqual(["open"]);
  });

  test("a revision requested in one month and relayed in the next: the miss falls in the month it was due", () => {
    const c = card({ sent: toSerial(2026, 10, 28, 10, 0), reviewed: toSerial(2026, 10, 28, 9, 0) });
    const revisions: Revision[] = Array.from({ length: 5 }, () => ({
      cardNo: c.cardNo,
      requested: toSerial(2026, 10, 30, 10, 0),
      relayed: toSerial(2026, 11, 2, 10, 0),
      reason: "Client" as const,
      major: false,
    }));
    expect(byRule(run([c], { revisions }), "P3")).toHaveLength(1);
    expect(byRule(run([c], { revisions, month: "2026-11" }), "P3")).toHaveLength(0);
  });

  test("an own revision counts in the month it was requested", () => {
    const c = card();
    const revisions: Revision[] = [
      toSerial(2026, 10, 30, 10, 0),
      toSerial(2026, 10, 30, 11, 0),
      toSerial(2026, 11, 2, 10, 0),
      toSerial(2026, 11, 2, 11, 0),
    ].map((requested) => ({ cardNo: c.cardNo, requested, reason: "Own" as const, major: false }));
    expect(byRule(run([c], { revisions }), "P7")).toHaveLength(0);
    expect(byRule(run([c], { revisions, month: "2026-11" }), "P7")).toHaveLength(0);
  });

  test("a month that is not YYYY-MM is refused", () => {
    expect(() => run([], { month: "2026-13" })).toThrow(MonthError);
  });
});

describe("rules as data", () => {
  test("a rule the center adds works without code, with joint liability", () => {
    const late5: RuleDef = {
      id: "X1",
      charge: "Planner",
      alsoCharge: ["Reviewer"],
      counts: "D5",
      compare: "at least",
      threshold: 2,
      per: "month",
      kpi: { zh: "方案质量", en: "Proposal quality" },
      points: 2,
      condition: "",
      description: { zh: "", en: "" },
    };
    const draftLate = () => {
      const c = card({ reviewer: "经理甲", due: toSerial(2026, 10, 26, 18, 0) });
      return { ...c, framework: c.assigned! + 0.2, draft: toSerial(2026, 10, 26, 17, 0) };
    };
    const ev = run([draftLate(), draftLate()], { rules: [late5] });
    expect(ev.penalties.map((p) => [p.person, p.points, p.joint])).toEqual([
      ["策划甲", 2, false],
      ["经理甲", 2, true],
    ]);
    expect(evidenceText(ev.penalties[1], "zh")).toMatch(/^连带责任；2 次（达到 2 次）：/);
    expect(byRule(run([draftLate()], { rules: [late5] }), "X1")).toHaveLength(0);
  });

  test("evidence names every card and time that triggered the penalty", () => {
    const cards = Array.from({ length: 4 }, () => lateReply());
    const [p] = byRule(run(cards), "P2");
    const text = evidenceText(p, "zh");
    for (const c of cards) expect(text).toContain(c.cardNo);
    expect(text).toMatch(/^4 次（超过 3 次）：/);
    expect(evidenceText(p, "en")).toContain(`${cards[0].cardNo} D1 due ${formatSerial(p.triggers[0].at)}, done`);
  });
});

describe("KPI", () => {
  test("score is the base less the deductions; met and missed per deadline; on-time rate; days to send", () => {
    const cards = [
      ...Array.from({ length: 4 }, () => lateReply()),
      card({ sent: toSerial(2026, 10, 27, 10, 0), reviewed: toSerial(2026, 10, 27, 9, 0) }),
    ];
    const ev = run(cards);
    const kpi = computeKpi(ev, { cal, cards, staff, rules: [...DEFAULT_RULES], deadlines: [...DEFAULT_DEADLINES] }, 100);
    const ae = kpi.rows.find((r) => r.person === "AE甲")!;
    const d1 = kpi.deadlines.findIndex((d) => d.id === "D1");
    expect(ae.total).toBe(3);
    expect(ae.score).toBe(97);
    expect(ae.deductions[kpi.kpis.findIndex((k) => k.zh === "客户满意度")]).toBe(3);
    expect([ae.met[d1], ae.missed[d1]]).toEqual([1, 4]);
    expect(ae.onTimeRate).toBeCloseTo(1 / 5);
    expect(ae.cardsHandled).toBe(5);
    const sent = cards[4];
    expect(ae.avgDaysToSend).toBeCloseTo(cal.businessDaysBetween(sent.received!, sent.sent!));
    expect(kpi.rows.find((r) => r.person === "总监甲")).toMatchObject({ score: 100, cardsHandled: 0 });
    expect(kpi.rows.find((r) => r.person === "总监甲")!.onTimeRate).toBeUndefined();
    expect(kpi.rows).toHaveLength(staff.length);
  });
});

describe("month end the secretary can defend", () => {
  /** The 免责 row the add-in writes (core's decision, as performAction logs it). */
  const excuse = (c: Card, deadline: string, reason: string, actor = "秘书甲"): LogEntry =>
    decide(
      "excuse",
      c,
      actor,
      { deadline, reason },
      { staff, settings: DEFAULT_SETTINGS, revisions: [], log: [], now: NOW, deadlines: [...DEFAULT_DEADLINES] },
    ).log;

  test("a miss excused with a reason (免责) is not counted, is listed, and the evidence shows it", () => {
    const cards = Array.from({ length: 5 }, () => lateReply());
    const log = [excuse(cards[0], "D1", "客户临时改期")];
    const ev = run(cards, { log });
    const [p] = byRule(ev, "P2");
    expect(p.triggers.map((t) => t.cardNo).sort()).toEqual(
      cards
        .slice(1)
        .map((c) => c.cardNo)
        .sort(),
    );
    expect(ev.excused).toEqual([
      expect.objectContaining({ cardNo: cards[0].cardNo, deadline: "D1", by: "秘书甲", reason: "客户临时改期", person: "AE甲" }),
    ]);
    expect(evidenceText(p, "zh")).toMatch(new RegExp(`^4 次（超过 3 次）：.*；不计：${cards[0].cardNo} D1 免责（秘书甲：客户临时改期）$`));
    // Four misses with one excused: three count, under the threshold — no deduction.
    expect(byRule(run(cards.slice(0, 4), { log }), "P2")).toHaveLength(0);
    // The KPI does not count it as missed either.
    const kpi = computeKpi(ev, { cal, cards, staff, rules: [...DEFAULT_RULES], deadlines: [...DEFAULT_DEADLINES] }, 100);
    const d1 = kpi.deadlines.findIndex((d) => d.id === "D1");
    expect(kpi.rows.find((r) => r.person === "AE甲")!.missed[d1]).toBe(4);
  });

  test("only the secretary or the director may excuse, with a reason, once", () => {
    const c = lateReply();
    const ctx = { staff, settings: DEFAULT_SETTINGS, revisions: [], log: [] as LogEntry[], now: NOW, deadlines: [...DEFAULT_DEADLINES] };
    expect(() => decide("excuse", c, "AE甲", { deadline: "D1", reason: "x" }, ctx)).toThrow(
      /only the secretary or the director may excuse a missed deadline/,
    );
    expect(() => decide("excuse", c, "秘书甲", { deadline: "D1" }, ctx)).toThrow(/give the reason/);
    expect(() => decide("excuse", c, "秘书甲", { deadline: "D9", reason: "x" }, ctx)).toThrow(/"D9" is not in the Deadlines table/);
    const row = decide("excuse", c, "总监甲", { deadline: "D1", reason: "客户改期" }, ctx);
    expect(row.logNote).toEqual({ zh: "免责 D1；原因：客户改期", en: "excuse D1; reason: 客户改期" });
    expect(() => decide("excuse", c, "秘书甲", { deadline: "D1", reason: "y" }, { ...ctx, log: [row.log] })).toThrow(/excused already/);
  });

  test("nobody excuses their own miss: the secretary's only the director, the director's only the secretary", () => {
    // D3 (countersign within a day of the brief) is the secretary's.
    const c = card();
    const late = { ...c, countersigned: cal.addBusinessDays(c.brief!, 2) };
    const ctx = { staff, settings: DEFAULT_SETTINGS, revisions: [], log: [] as LogEntry[], now: NOW, deadlines: [...DEFAULT_DEADLINES] };
    expect(() => decide("excuse", late, "秘书甲", { deadline: "D3", reason: "我自己说有理由" }, ctx)).toThrow(
      /only the director may excuse the secretary's own miss/,
    );
    expect(excuseGuard(late, "D3", "秘书甲", ctx)).toEqual({
      zh: "只有总监可以为秘书本人的超时免责",
      en: "only the director may excuse the secretary's own miss",
    });
    expect(excuseGuard(late, "D1", "秘书甲", ctx)).toBeUndefined();
    expect(excuseGuard(late, "D3", "总监甲", ctx)).toBeUndefined();
    expect(decide("excuse", late, "总监甲", { deadline: "D3", reason: "系统停机" }, ctx).log.actor).toBe("总监甲");
    // The director's own miss, were a deadline his: the secretary's to excuse, not his.
    expect(excuseRefusal({ by: "总监甲", charged: "总监甲" }, staff)?.zh).toBe("只有秘书可以为总监本人的超时免责");
    expect(excuseRefusal({ by: "秘书甲", charged: "总监甲" }, staff)).toBeUndefined();
    // A backup acting for the secretary does not excuse the secretary's miss either, nor their own.
    const withBackup: StaffMember[] = [...staff, { name: "AE丙", role: "AE", active: true, backup: "秘书甲" }];
    expect(excuseRefusal({ by: "AE丙", onBehalfOf: "秘书甲", charged: "秘书甲" }, withBackup)?.zh).toBe("只有总监可以为秘书本人的超时免责");
    expect(excuseRefusal({ by: "AE丙", onBehalfOf: "秘书甲", charged: "AE丙" }, withBackup)?.zh).toBe(
      "不能为自己的超时免责，请由另一位秘书或总监处理",
    );
  });

  test("a typed 代 X counts only from X's backup: a planner writing 代 秘书甲 excuses nothing", () => {
    const c = lateReply();
    const typed = (actor: string): LogEntry => ({
      time: NOW,
      cardNo: c.cardNo,
      action: "免责",
      actor,
      role: "Planner",
      note: "代 秘书甲；免责 D1；原因：客户改期",
    });
    expect(run([c], { log: [typed("策划甲")] }).excused).toEqual([]);
    // 秘书甲's real backup may: the row is the secretary's excuse.
    const withBackup: StaffMember[] = staff.map((s) => (s.name === "秘书甲" ? { ...s, backup: "策划乙" } : s));
    expect(excuseRefusal({ by: "策划乙", onBehalfOf: "秘书甲", charged: "AE甲" }, withBackup)).toBeUndefined();
    expect(excuseRefusal({ by: "策划甲", onBehalfOf: "秘书甲", charged: "AE甲" }, withBackup)?.zh).toBe("只有秘书或总监可以免责");
  });

  test("a self-excuse typed into the log by hand does not count: the miss stays, in the KPI too, and 问题 says so", () => {
    const c = card();
    const late = { ...c, countersigned: cal.addBusinessDays(c.brief!, 2) };
    const own: LogEntry = {
      time: NOW,
      cardNo: late.cardNo,
      action: "免责",
      actor: "秘书甲",
      role: "Secretary",
      note: "免责 D3；原因：我自己说有理由",
    };
    const ev = run([late], { log: [own] });
    expect(ev.excused).toEqual([]);
    expect(ev.problems).toEqual([
      expect.objectContaining({ cardNo: late.cardNo, zh: expect.stringContaining("只有总监可以为秘书本人的超时免责") }),
    ]);
    const kpi = computeKpi(ev, { cal, cards: [late], staff, rules: [...DEFAULT_RULES], deadlines: [...DEFAULT_DEADLINES] }, 100);
    const d3 = kpi.deadlines.findIndex((d) => d.id === "D3");
    expect(kpi.rows.find((r) => r.person === "秘书甲")!.missed[d3]).toBe(1);
    // The director's excuse of it counts, and the secretary's own row does not stand in its way.
    const byDirector = decide(
      "excuse",
      late,
      "总监甲",
      { deadline: "D3", reason: "系统停机" },
      {
        staff,
        settings: DEFAULT_SETTINGS,
        revisions: [],
        log: [own],
        now: NOW,
        deadlines: [...DEFAULT_DEADLINES],
      },
    ).log;
    expect(run([late], { log: [own, byDirector] }).excused).toEqual([
      expect.objectContaining({ deadline: "D3", by: "总监甲", person: "秘书甲" }),
    ]);
  });

  test("a 免责 row against the rule for a deadline not missed this month is no problem; for the missed one, it is", () => {
    const c = card();
    const late = { ...c, countersigned: cal.addBusinessDays(c.brief!, 2) }; // D3 missed, D1 met
    // A manager may not excuse anyone's miss (rules/excuses.ts): each such row is against the rule.
    const row = (d: string): LogEntry => ({
      time: NOW,
      cardNo: late.cardNo,
      action: "免责",
      actor: "经理甲",
      role: "Manager",
      note: `免责 ${d}；原因：我说有理由`,
    });
    expect(run([late], { log: [row("D1")] }).problems).toEqual([]);
    const both = run([late], { log: [row("D1"), row("D3")] }).problems;
    expect(both).toEqual([expect.objectContaining({ cardNo: late.cardNo, rule: "D3" })]);
  });

  test("lateness in business hours and minutes: 超时 1 小时 35 分", () => {
    const cards = Array.from({ length: 4 }, () => {
      const c = card();
      const due = cal.addBusinessDays(c.received!, 0.5);
      return { ...c, replied: cal.addBusinessDays(due, 95 / (7.5 * 60)) };
    });
    const [p] = byRule(run(cards), "P2");
    expect(p.triggers[0].lateMinutes).toBe(95);
    expect(evidenceText(p, "zh")).toContain("，超时 1 小时 35 分");
    expect(evidenceText(p, "en")).toContain(", 1 h 35 min late");
    expect([...p.cards].sort()).toEqual(cards.map((c) => c.cardNo).sort());
    // The month view shows each trigger's card as a link and then core's own words for it.
    const t = p.triggers[0];
    expect(triggerWords(t, "zh")).toBe(`D1 应于 ${formatSerial(t.at)}，完成 ${formatSerial(t.done ?? 0)}，超时 1 小时 35 分`);
    expect(triggerWords(t, "en")).toBe(`D1 due ${formatSerial(t.at)}, done ${formatSerial(t.done ?? 0)}, 1 h 35 min late`);
    expect(evidenceText(p, "zh")).toContain(`${t.cardNo} ${triggerWords(t, "zh")}`);
  });

  test("a miss whose minutes the calendar cannot count (outside its range) says its lateness in words, never a raw decimal", () => {
    const at = toSerial(2026, 10, 9, 15, 15);
    // 2 business days and 2.5 hours of a 7.5-hour day: 2.3333… days, no minutes.
    const t = { cardNo: "202610-003", what: "D1", at, done: at + 3, late: 2 + 2.5 / 7.5 };
    expect(triggerWords(t, "zh")).toBe(`D1 应于 ${formatSerial(at)}，完成 ${formatSerial(at + 3)}，超时 2 个工作日 2 小时（超出日历范围）`);
    expect(triggerWords(t, "en")).toBe(
      `D1 due ${formatSerial(at)}, done ${formatSerial(at + 3)}, 2 business days 2 h late (outside the calendar)`,
    );
    for (const lang of ["zh", "en"] as const) expect(triggerWords(t, lang)).not.toMatch(/\d\.\d/);
    // In the center's own working day (8 hours here), not a fixed 7.5: a third of a day is 2 h 40 min.
    expect(triggerWords({ ...t, late: 1 / 3, dayMinutes: 480 }, "zh")).toMatch(/，超时 2 小时 40 分（超出日历范围）$/);
  });

  test("an incident's evidence has its note and who recorded it", () => {
    const c = card({ sent: toSerial(2026, 10, 20, 10, 0) });
    const incidents: Incident[] = [
      { cardNo: c.cardNo, date: toSerial(2026, 10, 21, 10, 0), kind: "Complaint to VP", note: "未经审核发出" },
    ];
    const log: LogEntry[] = [
      {
        time: toSerial(2026, 10, 21, 10, 0),
        cardNo: c.cardNo,
        action: "记录事件",
        actor: "经理甲",
        role: "经理",
        note: "投诉分管副总：未经审核发出",
      },
    ];
    const [p] = byRule(run([c], { incidents, log }), "P5");
    expect(evidenceText(p, "zh")).toBe(
      `${c.cardNo} 投诉分管副总 ${formatSerial(toSerial(2026, 10, 21, 10, 0))}（${formatSerial(c.sent!)} 未经审核发送），经理甲 记录：未经审核发出`,
    );
    expect(p.cards).toEqual([c.cardNo]);
  });
});
