/**
 * Issue 17: the pane's first render works out only what the first screen shows. Each card's entry
 * (Derived: its stage, open deadlines, whom they charge, a route step past its limit) is worked
 * out when first asked for, and a row of My work puts its words together when first read. Both
 * must give what the whole register worked out at once gave: the reference below is the former
 * eager Derived's per-card work, kept here as it was, and the former row words (step, 代, the
 * deadline, a step past its limit). Random workbooks (the demo and the workbench's bigger
 * Register, with rows turned into partial cards), random moments, people away, any order of asking.
 */
import fc from "fast-check";
import { formatSerialMinute, weekdayOfDay } from "../../src/core/calendar";
import type { Card } from "../../src/core/model";
import { personOnCard } from "../../src/core/people";
import { DeadlineResult, evaluateDeadlines } from "../../src/core/rules/evaluate";
import {
  CardIndex,
  InboxData,
  InboxRow,
  WAITS_ON_ME,
  cardContext,
  indexByCard,
  routeStepLate,
  rowFor,
  stepText,
} from "../../src/core/workflow/inbox";
import { countersignChain } from "../../src/core/workflow/chain";
import { stageOf } from "../../src/core/workflow/stages";
import { CardEntry, Derived, OpenItem, URGENCY_RANK } from "../../src/taskpane/derive";
import { calendarOf } from "../../src/workbook/calendar";
import { PartialCard, ReadResult } from "../../src/workbook/read";
import { T0, seedWorkbooks } from "./fake-office";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 15);

/** The former Derived's entry of one card, worked out with everything else at once. */
function referenceEntry(
  key: string,
  card: Card,
  deadlines: DeadlineResult[],
  partial: PartialCard | undefined,
  data: InboxData,
  now: number,
): CardEntry {
  const staff = data.staff;
  const today = Math.floor(now + 1e-9);
  const weekEnd = today + ((7 - weekdayOfDay(today)) % 7) + 1;
  const open: OpenItem[] = [];
  for (const r of deadlines) {
    if (r.due === undefined || r.start === undefined || r.outOfRange || r.start > now) continue;
    if (r.done !== undefined && r.done <= now) continue;
    const late = now > r.due;
    const urgency = late ? "late" : Math.floor(r.due + 1e-9) === today ? "today" : r.due < weekEnd ? "soon" : "later";
    let person = personOnCard(card, r.deadline.role, staff);
    let onBehalfOf: string | undefined;
    const s = staff.find((x) => x.name === person);
    if (s && !s.active && s.backup && staff.some((x) => x.name === s.backup && x.active)) {
      onBehalfOf = person;
      person = s.backup;
    }
    open.push({ result: r, due: r.due, urgency, late: late ? Math.max(0, r.late) : 0, person, onBehalfOf });
  }
  open.sort((a, b) => URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] || b.late - a.late || a.due - b.due);
  const stage = stageOf(
    card,
    data.revisions.filter((r) => r.cardNo === card.cardNo),
  );
  return { key, card, stage, partial, open, urgency: open[0]?.urgency ?? "none" };
}

/** The former words of a row of mine (a step of mine, as myself, as a backup, or covering): put together with the row. */
function referenceWords(r: InboxRow, data: InboxData, index: CardIndex, now: number): { step: string; text: string } {
  const ctx = cardContext(r.cardNo, data, index, now);
  const first = r.actions.find((a) => WAITS_ON_ME.has(a)) ?? r.actions[0];
  const step = stepText(first, r.card, ctx).zh;
  const d = r.deadline;
  let due = d
    ? `${d.id} ${d.name.zh} ${formatSerialMinute(d.due)}${d.urgency === "late" ? "（已超时）" : d.urgency === "today" ? "（今天到期）" : ""}`
    : "";
  const late = r.actions.includes("sign") ? routeStepLate(r.card, ctx, index.cal, now) : undefined;
  if (late) due = due ? `${due} · ${late.text.zh}` : late.text.zh;
  const behalf = r.onBehalfOf ? `（代 ${r.onBehalfOf}）` : "";
  return { step, text: `${step}${behalf}${due ? ` · ${due}` : ""}` };
}

let seeds: ReadResult[];
beforeAll(async () => {
  seeds = await seedWorkbooks();
});

test(`${RUNS} random workbooks: entries and row words worked out when asked for are those worked out at once`, () => {
  fc.assert(
    fc.property(
      fc.record({
        seed: fc.nat(1),
        minutes: fc.integer({ min: -3 * 1440, max: 20 * 1440 }),
        away: fc.array(fc.nat(20), { maxLength: 3 }),
        partial: fc.array(fc.nat(400), { maxLength: 4 }),
        ask: fc.array(fc.nat(400), { maxLength: 30 }),
        person: fc.nat(20),
      }),
      ({ seed, minutes, away, partial, ask, person }) => {
        const read = seeds[seed];
        const { model } = read;
        const now = T0 + minutes / 1440;
        const gone = new Set(away.map((i) => model.staff[i % model.staff.length].name));
        const staff = model.staff.map((s) => (gone.has(s.name) ? { ...s, active: false } : s));
        // Some rows read as partial cards (a bad Due): some under their own number, some sharing one.
        const turned = new Set(partial.map((i) => i % model.cards.length));
        const partialCards: PartialCard[] = [...turned].map((i, k) => ({
          row: 1000 + i,
          card: { ...model.cards[i], cardNo: k % 2 ? model.cards[i].cardNo : `${model.cards[i].cardNo}-P` },
          bad: ["due"],
          findings: [],
        }));
        const changed = { ...model, staff, partialCards };
        const d = new Derived({ ...read, model: changed }, now);
        const data: InboxData = { ...changed };
        const me = staff[person % staff.length].name;

        // My work of a person needs no card's entry; asking for some works out those only.
        const box = d.inbox(me);
        expect(d.workedOut).toBe(0);
        const keys = ask.map((i) => model.cards[i % model.cards.length].cardNo);
        for (const k of keys) expect(d.byKey.has(k)).toBe(true);
        const asked = keys.map((k) => d.byKey.get(k));
        expect(d.workedOut).toBe(new Set(keys).size);

        // The reference, the whole register at once, in the Register's order, partial cards last.
        // Every card's deadlines judged at once (evaluateDeadlines), not when asked for.
        const cal = calendarOf(changed);
        const index = indexByCard({ ...data, results: evaluateDeadlines(cal, data.deadlines, data.cards, data.revisions, now) }, cal, now);
        const want = new Map<string, CardEntry>();
        for (const c of model.cards)
          want.set(c.cardNo, referenceEntry(c.cardNo, c, index.results.get(c.cardNo) ?? [], undefined, data, now));
        const taken = new Set(model.cards.map((c) => c.cardNo));
        const partialKeys: string[] = [];
        for (const p of partialCards) {
          const key = p.card.cardNo && !taken.has(p.card.cardNo) ? p.card.cardNo : `${p.card.cardNo}@${p.row + 1}`;
          taken.add(key);
          partialKeys.push(key);
        }
        const strip = (e: CardEntry | undefined) =>
          e && { key: e.key, card: e.card, stage: e.stage, partial: e.partial, open: e.open, urgency: e.urgency };
        asked.forEach((e, i) => expect([keys[i], strip(e)]).toEqual([keys[i], want.get(keys[i])]));
        expect(d.partialEntries().map((e) => e.key)).toEqual(partialKeys);
        const all = d.entries;
        expect(all.map((e) => e.key)).toEqual([...model.cards.map((c) => c.cardNo), ...partialKeys]);
        expect(d.workedOut).toBe(all.length);
        for (const e of all) {
          if (e.partial) continue;
          const escalated =
            e.stage === "countersign"
              ? routeStepLate(e.card, cardContext(e.card.cardNo, data, index, now), index.cal, now)?.text
              : undefined;
          expect([e.key, strip(e)]).toEqual([e.key, { ...want.get(e.key), urgency: escalated ? "late" : want.get(e.key)?.urgency }]);
          expect([e.key, e.escalated]).toEqual([e.key, escalated]);
          // Its timeline: every deadline, met and missed too (the entry itself judged only those open now).
          expect([e.key, d.deadlinesOf(e)]).toEqual([e.key, index.results.get(e.card.cardNo) ?? []]);
        }
        // Asked again: the same entry, not worked out again.
        for (const k of keys) expect(d.byKey.get(k)).toBe(all.find((e) => e.key === k));

        // Each row's words, read after the rows were sorted and counted, are the former words.
        for (const r of box.todo) {
          if (r.kind === "watch") continue;
          const w = referenceWords(r, data, indexByCard(data, index.cal, now), now);
          expect([r.cardNo, r.step.zh, r.text.zh]).toEqual([r.cardNo, w.step, w.text]);
        }
      },
    ),
    { numRuns: RUNS },
  );
}, 240_000);

test("a card's countersign chain is worked out once per card context, and again for another log or card", () => {
  const { model } = seeds[1];
  const now = T0;
  const data: InboxData = { ...model };
  const index = indexByCard(data, calendarOf(model), now);
  let checked = 0;
  for (const card of model.cards) {
    if (stageOf(card, model.revisions) !== "countersign") continue;
    const ctx = cardContext(card.cardNo, data, index, now);
    const lead = card.lead ?? "";
    rowFor(lead, card, data, index, now, ctx);
    const kept = ctx.chainMemo.chain;
    // Kept by My work's look at the card (whose step, may I, a step past its limit), and given back as it is.
    expect(kept).toBeDefined();
    expect(countersignChain(card, ctx)).toBe(kept);
    expect(countersignChain(card, ctx)).toEqual(countersignChain(card, { staff: ctx.staff, log: ctx.log, routes: ctx.routes }));
    // Another log (the planner has signed since), or another card: worked out for it, not the kept one.
    const signed = [...ctx.log, { time: now, cardNo: card.cardNo, action: "会签", actor: lead, role: "策划", note: "" }];
    const after = countersignChain(card, { ...ctx, log: signed });
    expect(after).toEqual(countersignChain(card, { staff: ctx.staff, log: signed, routes: ctx.routes }));
    expect(after.current).not.toBe(kept?.current);
    const other = { ...card, lead: "吴昊" };
    expect(countersignChain(other, ctx).steps[0].holders).toEqual(
      countersignChain(other, { staff: ctx.staff, log: ctx.log, routes: ctx.routes }).steps[0].holders,
    );
    checked++;
  }
  expect(checked).toBeGreaterThan(5);
});
