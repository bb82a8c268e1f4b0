/**
 * Issue 17: each card's deadlines are judged when first asked for (core/rules/evaluate.ts
 * `deadlinesByCard`; the pane's Derived and My work ask for the cards they show). They must be
 * what the whole register judged at once gives, grouped by card number, in its order: random
 * workbooks (the demo and the workbench's bigger Register), random moments, cards of other types,
 * card numbers held twice, revisions of a card not in the Register, any order of asking, every
 * card's judged at once (the Overview) before or between the asks.
 */
import fc from "fast-check";
import type { Card, Revision } from "../../src/core/model";
import { DeadlineResult, deadlinesByCard, evaluateDeadlines } from "../../src/core/rules/evaluate";
import { CLIENT_EVENT, WORK_ORDER } from "../../src/core/routes/routes";
import { calendarOf } from "../../src/workbook/calendar";
import type { ReadResult } from "../../src/workbook/read";
import { T0, seedWorkbooks } from "./fake-office";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 15);

let seeds: ReadResult[];
beforeAll(async () => {
  seeds = await seedWorkbooks();
});

test(`${RUNS} random workbooks: a card's deadlines judged when asked for are those judged at once`, () => {
  const TYPES = [undefined, "Proposal", WORK_ORDER, CLIENT_EVENT, "自定义类型"];
  fc.assert(
    fc.property(
      fc.record({
        seed: fc.nat(1),
        minutes: fc.integer({ min: -30 * 1440, max: 60 * 1440 }),
        retype: fc.array(fc.tuple(fc.nat(400), fc.nat(TYPES.length - 1)), { maxLength: 6 }),
        twice: fc.array(fc.nat(400), { maxLength: 3 }),
        stray: fc.array(fc.nat(400), { maxLength: 3 }),
        ask: fc.array(fc.nat(400), { maxLength: 40 }),
        // When every card's are judged at once (the Overview): never, before asking, after some.
        whole: fc.nat(2),
      }),
      ({ seed, minutes, retype, twice, stray, ask, whole }) => {
        const { model } = seeds[seed];
        const now = T0 + minutes / 1440;
        const cards: Card[] = model.cards.map((c) => ({ ...c }));
        for (const [i, t] of retype) cards[i % cards.length].type = TYPES[t];
        // A number held by two cards (the second of another type, its dates kept): both judged under it.
        for (const i of twice) cards.push({ ...cards[i % cards.length], type: TYPES[i % TYPES.length] });
        // A revision whose card is not in the Register: judged by neither.
        const revisions: Revision[] = [...model.revisions];
        for (const i of stray) if (revisions.length) revisions.push({ ...revisions[i % revisions.length], cardNo: `X-${i}` });
        const cal = calendarOf(model);
        const want = new Map<string, DeadlineResult[]>();
        for (const r of evaluateDeadlines(cal, model.deadlines, cards, revisions, now)) {
          const list = want.get(r.cardNo);
          if (list) list.push(r);
          else want.set(r.cardNo, [r]);
        }
        const lazy = deadlinesByCard(cal, model.deadlines, cards, revisions, now);
        const numbers = [...ask.map((i) => cards[i % cards.length].cardNo), ...stray.map((i) => `X-${i}`), "no such card"];
        if (whole === 1) lazy.judgeAll?.();
        numbers.forEach((no, i) => {
          if (whole === 2 && i === numbers.length >> 1) lazy.judgeAll?.();
          expect([no, lazy.get(no)]).toEqual([no, want.get(no)]);
        });
        // Asked again: the same list, not judged again.
        for (const no of numbers) expect(lazy.get(no)).toBe(lazy.get(no));
        for (const no of new Set(cards.map((c) => c.cardNo))) expect([no, lazy.get(no)]).toEqual([no, want.get(no)]);
      },
    ),
    { numRuns: RUNS },
  );
}, 240_000);
